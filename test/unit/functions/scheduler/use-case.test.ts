import { describe, expect, it } from 'vitest';
import { makeScheduler } from '#functions/scheduler/use-case.ts';
import type { RunRecord, StateStore } from '#shared/aws/state-store.ts';
import { createLogger } from '#shared/observability/logger.ts';

function memoryState(): StateStore & { runs: RunRecord[] } {
  const runs: RunRecord[] = [];
  return {
    runs,
    acquireLease: async () => true,
    releaseLease: async () => {},
    recordRun: async (run) => void runs.push(run),
    recentRuns: async (schedule, limit) => runs.filter((r) => r.schedule === schedule).slice(-limit),
    getWatermark: async () => undefined,
    setWatermark: async () => {},
    getPollState: async () => undefined,
    setPollState: async () => {},
    saveReport: async () => {},
    latestReport: async () => undefined,
  };
}

const logger = createLogger({ service: 'test', level: 'silent' });

describe('scheduler use case', () => {
  it('records a run of a schedule with a task as ok, and one without a task as no-task, never ok', async () => {
    const state = memoryState();
    const run = makeScheduler({
      state,
      schedules: [{ name: 'salesforce-delta' }, { name: 'reconcile' }],
      tasks: { 'salesforce-delta': async () => ({ enqueued: 3 }) },
      logger,
      leaseMs: 60_000,
      owner: 'test',
    });
    expect(await run('salesforce-delta')).toMatchObject({ status: 'ok', enqueued: 3 });
    const nothing = await run('reconcile');
    expect(nothing).toMatchObject({ status: 'no-task', enqueued: 0 });
    expect(nothing.detail).toContain('nothing runs for "reconcile"');
    expect(state.runs.map((r) => r.status)).toEqual(['ok', 'no-task']);
  });
});

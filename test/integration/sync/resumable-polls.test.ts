/**
 * Polls that outlast one invocation (issue 10, DESIGN §5 "Change capture"): a poll works within
 * the scheduler's time budget, checkpoints after every enqueued page and resumes at the next run;
 * the flows of one schedule are polled side by side, so a small one is not starved by a big one;
 * an invocation killed mid-poll loses nothing — its lease expires and the next run resumes from
 * the last checkpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDeltaTasks } from '#functions/scheduler/delta-tasks.ts';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { type SalesforceSimulator, startSalesforceSimulator } from '#local/salesforce-sim/index.ts';
import type { JobQueue } from '#shared/aws/job-queue.ts';
import type { RunRecord, StateStore } from '#shared/aws/state-store.ts';
import { parseSyncConfig } from '#shared/config/sync-config.ts';
import type { IntacctClient } from '#shared/intacct/index.ts';
import type { Job } from '#shared/jobs/job.ts';
import { SalesforceClient } from '#shared/salesforce/client.ts';
import { parseSalesforceConfig } from '#shared/salesforce/config.ts';
import { testConfig } from '../../helpers/config.ts';
import { status } from '../../helpers/local-stack.ts';

const ACCOUNTS = 2_500; // two 2,000-row pages

describe('a poll spanning several scheduler invocations', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    const raw = structuredClone(testConfig());
    stack = await startLocalStack({
      config: parseSyncConfig({ ...raw, delta: { ...raw.delta, pollBudgetSeconds: 0 } }),
      seed: 'empty',
      timers: false,
      runtime: { visibilityTimeoutSeconds: 5 },
    });
    stack.salesforce.setOutboundEndpoint(undefined);
  });
  afterAll(() => stack.stop(2000));

  it('completes across runs with every record synced, and the small flow of the same schedule is done in the first run', async () => {
    for (let i = 0; i < ACCOUNTS; i++)
      stack.salesforce.asUser.create('Account', {
        Name: `Resume ${i}`,
        AccountNumber: `RS-${String(i).padStart(5, '0')}`,
      });
    for (let i = 0; i < 3; i++)
      stack.salesforce.asUser.create('Contact', {
        LastName: `Small ${i}`,
        Email: `small${i}@resume.example`,
      });
    const runs: RunRecord[] = [];
    for (let n = 0; n < 20; n++) {
      const response = await fetch(`${stack.runtime.controlUrl}/schedules/salesforce-delta/run`, {
        method: 'POST',
      });
      expect(response.ok).toBe(true);
      const doc = (await status(stack)) as unknown as {
        schedules: Array<{ name: string; lastRun?: RunRecord }>;
      };
      const run = doc.schedules.find((s) => s.name === 'salesforce-delta')?.lastRun as RunRecord;
      runs.push(run);
      if (run.status !== 'partial') break;
    }
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.at(-1)?.status).toBe('ok');
    // Side by side: the small flow's records went out in the first run, beside the big flow's first page.
    expect(runs[0]?.detail).toContain('contact-contact: 3');
    expect(runs[0]?.detail).toContain('account-customer: 2000 so far, resumes at the next run');
    expect((await status(stack, 120)).idle).toBe(true);
    const customers = new Set(stack.intacct.records('CUSTOMER').map((c) => String(c.CUSTOMERID)));
    const missing = stack.salesforce
      .records('Account')
      .filter((a) => !customers.has(String(a.AccountNumber)))
      .map((a) => a.AccountNumber);
    expect(missing).toEqual([]);
    expect(customers.size).toBe(ACCOUNTS);
  }, 240_000);
});

/** A state store in memory with expiring leases; `kill` stops it releasing them, as a killed process would. */
function memoryState(): StateStore & { kill: boolean } {
  const leases = new Map<string, { owner: string; until: number }>();
  const values = new Map<string, unknown>();
  const store = {
    kill: false,
    acquireLease: async (name: string, owner: string, ttlMs: number) => {
      const held = leases.get(name);
      if (held !== undefined && held.owner !== owner && held.until > Date.now()) return false;
      leases.set(name, { owner, until: Date.now() + ttlMs });
      return true;
    },
    releaseLease: async (name: string, owner: string) => {
      if (!store.kill && leases.get(name)?.owner === owner) leases.delete(name);
    },
    recordRun: async () => {},
    recentRuns: async () => [],
    getWatermark: async (flow: string, side: string) =>
      values.get(`wm#${flow}#${side}`) as string | undefined,
    setWatermark: async (flow: string, side: string, at: string) => void values.set(`wm#${flow}#${side}`, at),
    saveReport: async () => {},
    latestReport: async () => undefined,
    getPollState: async <T>(flow: string, side: string) =>
      values.get(`poll#${flow}#${side}`) as T | undefined,
    setPollState: async <T>(flow: string, side: string, state: T | undefined) => {
      if (state === undefined) values.delete(`poll#${flow}#${side}`);
      else values.set(`poll#${flow}#${side}`, state);
    },
  };
  return store;
}

describe('a poll whose invocation is killed mid-window', () => {
  let sim: SalesforceSimulator;
  beforeAll(async () => {
    sim = await startSalesforceSimulator({ seed: 'empty' });
  });
  afterAll(() => sim.stop());

  it('resumes from the last checkpoint once the lease expires, and every record is enqueued', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 4_100; i++) ids.add(sim.asUser.create('Account', { Name: `Killed ${i}` }));
    const client = new SalesforceClient({
      config: parseSalesforceConfig({ ...sim.readyInfo(), authFlow: 'client_credentials' }),
    });
    const config = testConfig();
    const state = memoryState();
    const enqueued: Job[] = [];
    let crashAfter = 1;
    const queue: JobQueue = {
      enqueue: async (jobs) => {
        // The process dies while sending the second page: nothing after it runs.
        if (crashAfter-- <= 0) throw new Error('killed');
        enqueued.push(...jobs);
        return { enqueued: jobs.length, failed: [] };
      },
    };
    const tasks = makeDeltaTasks({
      flows: config.flows.filter((f) => f.name === 'account-customer'),
      salesforce: async () => client,
      intacct: async () => ({}) as IntacctClient,
      queue,
      state,
      pollLeaseMs: 300,
    });
    const poll = tasks['salesforce-delta'] as NonNullable<(typeof tasks)['salesforce-delta']>;
    state.kill = true;
    await expect(poll({ schedule: 'salesforce-delta', startedAt: new Date() })).rejects.toThrow('killed');
    expect(enqueued).toHaveLength(2_000);
    state.kill = false;
    crashAfter = Number.POSITIVE_INFINITY;
    // The dead run's lease still holds: the next run leaves the flow alone.
    const blocked = await poll({ schedule: 'salesforce-delta', startedAt: new Date() });
    expect(blocked.detail).toContain('busy');
    await new Promise((r) => setTimeout(r, 350));
    const resumed = await poll({ schedule: 'salesforce-delta', startedAt: new Date() });
    expect(resumed.detail).toContain('(resumed, done)');
    const seen = new Set(enqueued.map((j) => j.recordId));
    expect([...ids].filter((id) => !seen.has(id))).toEqual([]);
    // Resumed at the checkpoint, not from the start: only the unread pages came again.
    expect(enqueued.length).toBe(4_100);
    expect(await state.getPollState('account-customer', 'salesforce')).toBeUndefined();
    expect(await state.getWatermark('account-customer', 'salesforce')).toBeDefined();
  });
});

import { describe, expect, it } from 'vitest';
import { MemoryKvTable } from '#shared/aws/kv-table.ts';
import { budgetStatus } from '#shared/ops/budget.ts';
import { deferCause, makeDeferralGate } from '#shared/ops/deferral.ts';
import { TableFlowPauses } from '#shared/ops/flow-pauses.ts';

const budget = {
  allowance: 1000,
  reserve: 100,
  allowanceFrom: 'intacct.budget.monthlyTransactions' as const,
};

describe('budget status', () => {
  it('projects the month linearly from the days elapsed and defers bulk once only the reserve is left', () => {
    const tenDaysIn = new Date('2026-04-11T00:00:00Z'); // April has 30 days
    expect(budgetStatus(budget, 300, tenDaysIn)).toEqual({
      month: '2026-04',
      used: 300,
      allowance: 1000,
      reserve: 100,
      bulkLimit: 900,
      projected: 900,
      bulkDeferred: false,
    });
    expect(budgetStatus(budget, 900, tenDaysIn).bulkDeferred).toBe(true);
  });

  it('counts at least one day elapsed, so the first hours of a month do not project wildly', () => {
    expect(budgetStatus(budget, 10, new Date('2026-04-01T01:00:00Z')).projected).toBe(300);
  });
});

describe('which jobs wait', () => {
  const state = { paused: [{ flow: 'a', pausedAt: 't' }], budget: budgetStatus(budget, 950, new Date()) };

  it('holds every job of a paused flow, and only bulk jobs of the others when over budget', () => {
    expect(deferCause({ flow: 'a', reason: 'webhook' }, state)).toBe('paused');
    expect(deferCause({ flow: 'b', reason: 'backfill' }, state)).toBe('budget');
    expect(deferCause({ flow: 'b', reason: 'reconcile' }, state)).toBe('budget');
    for (const reason of ['webhook', 'push', 'delta', 'replay'] as const)
      expect(deferCause({ flow: 'b', reason }, state)).toBeUndefined();
    expect(deferCause({ flow: 'b', reason: 'backfill' }, { paused: [] })).toBeUndefined();
  });
});

describe('deferral gate', () => {
  function harness() {
    const pauses = new TableFlowPauses(new MemoryKvTable());
    const clock = { now: new Date('2026-04-20T00:00:00Z'), ticks: 0 };
    const used = new Map([['2026-04', 950]]);
    let reads = 0;
    const gate = makeDeferralGate({
      flows: ['a', 'b'],
      pauses,
      budget,
      usage: async (month) => {
        reads++;
        return used.get(month) ?? 0;
      },
      now: () => clock.now,
      ticks: () => clock.ticks,
    });
    return { pauses, clock, gate, reads: () => reads };
  }

  it('reads the state once per few seconds and sees a pause after the cache expires', async () => {
    const h = harness();
    expect((await h.gate()).paused).toEqual([]);
    await h.pauses.pause('a', '2026-04-20T00:00:00Z');
    expect((await h.gate()).paused).toEqual([]);
    expect(h.reads()).toBe(1);
    h.clock.ticks = 5001;
    expect((await h.gate()).paused).toEqual([{ flow: 'a', pausedAt: '2026-04-20T00:00:00Z' }]);
  });

  it('reads afresh when the month changes: bulk work runs again in the new month', async () => {
    const h = harness();
    expect((await h.gate()).budget?.bulkDeferred).toBe(true);
    h.clock.now = new Date('2026-05-01T00:00:01Z');
    expect((await h.gate()).budget).toMatchObject({ month: '2026-05', used: 0, bulkDeferred: false });
  });
});

describe('flow pauses in the state table', () => {
  it('keeps the first pause time, resumes once, and lists only the flows asked about', async () => {
    const pauses = new TableFlowPauses(new MemoryKvTable());
    expect(await pauses.pause('b', 't1')).toEqual({ flow: 'b', pausedAt: 't1' });
    expect(await pauses.pause('b', 't2')).toEqual({ flow: 'b', pausedAt: 't1' });
    await pauses.pause('a', 't3');
    expect(await pauses.paused(['a', 'b', 'c'])).toEqual([
      { flow: 'a', pausedAt: 't3' },
      { flow: 'b', pausedAt: 't1' },
    ]);
    expect(await pauses.resume('b')).toBe(true);
    expect(await pauses.resume('b')).toBe(false);
    expect(await pauses.paused(['b'])).toEqual([]);
  });
});

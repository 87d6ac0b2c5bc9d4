import { describe, expect, it } from 'vitest';
import { SyncError } from '#shared/errors.ts';
import { fitItems, type PlanItem, planAction } from '#shared/sync/dry-run/plan.ts';

describe('dry-run plan', () => {
  it("names each kernel outcome by the plan's five actions", () => {
    const done = (action: string) => ({ status: 'done' as const, action });
    expect(
      ['create', 'recreate', 'update', 'link+update', 'reactivate', 'link', 'skip:unchanged', 'unlink'].map(
        (a) => planAction(done(a), 1),
      ),
    ).toEqual(['create', 'create', 'update', 'update', 'update', 'link', 'skip', 'skip']);
    // An action of its own (an alert's transition) is an update when it writes, else a skip.
    expect([planAction(done('task'), 2), planAction(done('task'), 0)]).toEqual(['update', 'skip']);
    const error = new SyncError('no', { code: 'X', retryable: true });
    expect([planAction({ status: 'retry', error }, 0), planAction({ status: 'dead', error }, 0)]).toEqual([
      'fail',
      'fail',
    ]);
  });

  it("keeps the answer under Lambda's response limit by listing fewer items, never by dropping counts", () => {
    const item: PlanItem = {
      action: 'update',
      source: 'salesforce',
      recordId: 'x',
      message: 'y'.repeat(10_000),
    };
    const result = fitItems({ counts: { update: 1000 }, items: Array.from({ length: 1000 }, () => item) });
    expect(result.truncated).toBe(true);
    expect(result.items.length).toBeLessThan(1000);
    expect(result.items.length).toBeGreaterThanOrEqual(250);
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThan(6 * 1024 * 1024);
    expect(result.counts).toEqual({ update: 1000 });
    expect(fitItems({ items: [item] })).toMatchObject({ truncated: false, items: [item] });
  });
});

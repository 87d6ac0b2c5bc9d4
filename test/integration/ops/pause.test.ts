/**
 * The kill switch (issue 15) on the local pipeline: `sfi pause` writes the state table through the
 * control API; the real worker then re-sends the flow's jobs delayed, so a change waits in the
 * queue (nothing synced, nothing failed, nothing in the DLQ, even past maxReceiveCount receives);
 * `sfi resume` lets it sync. An unknown flow is refused with the flows there are.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { eventually } from '../../helpers/config.ts';
import { settle } from '../../helpers/local-stack.ts';
import {
  accountsOnlyConfig,
  operating,
  queued,
  sfi,
  startDeferringStack,
  stopDeferringStack,
} from '../../helpers/ops.ts';

describe('sfi pause / resume', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    // Two receives before the DLQ: a deferral that burnt receive counts would show in seconds.
    stack = await startDeferringStack(accountsOnlyConfig({ worker: { maxReceiveCount: 2 } }));
  });
  afterAll(() => stopDeferringStack(stack));

  it('refuses an unknown flow and names the flows there are', async () => {
    const response = await fetch(`${stack.runtime.controlUrl}/flows/acount-customer/pause`, {
      method: 'POST',
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: 'FLOW_UNKNOWN',
      message: 'no flow "acount-customer" in the sync config; the flows are: account-customer',
      flows: ['account-customer'],
    });
    const cli = await sfi(stack, 'pause', 'acount-customer');
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(
      'no flow "acount-customer" in the sync config; the flows are: account-customer',
    );
    expect((await operating(stack)).paused).toEqual([]);
  });

  it("holds a paused flow's change in the queue without failing it, and syncs it on resume", async () => {
    const paused = await sfi(stack, 'pause', 'account-customer');
    expect(paused.code).toBe(0);
    expect(JSON.parse(paused.stdout)).toMatchObject({ paused: { flow: 'account-customer' } });
    expect((await operating(stack)).paused).toEqual([
      { flow: 'account-customer', pausedAt: expect.any(String) },
    ]);

    const id = stack.salesforce.asUser.create('Account', { Name: 'Paused Co', AccountNumber: 'PAUSE-1' });
    await eventually(() => stack.salesforce.outbound.pendingIds().length === 0, 20_000, 'outbound delivered');
    await eventually(async () => (await operating(stack)).queues.jobs.delayed > 0, 20_000, 'job deferred');
    // Five seconds: about five deferrals, each a fresh message (receive count 1), so never the DLQ.
    await new Promise((r) => setTimeout(r, 5000));
    const held = await operating(stack);
    // One job; a snapshot taken while a copy is sent and its original not yet deleted sees two.
    // A deferral that re-sent without deleting would have doubled it five times by now.
    expect(queued(held)).toBeGreaterThanOrEqual(1);
    expect(queued(held)).toBeLessThanOrEqual(2);
    expect(held.queues.dlq).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(held.recentFailures).toEqual([]);
    expect(stack.intacct.records('CUSTOMER')).toEqual([]);
    expect(stack.salesforce.record('Account', id)?.Intacct_Customer_Id__c ?? null).toBeNull();

    const resumed = await sfi(stack, 'resume', 'account-customer');
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toEqual({ flow: 'account-customer', resumed: true });
    const after = await settle(stack, 30_000);
    expect(after.queues.dlq.visible).toBe(0);
    expect(stack.intacct.records('CUSTOMER').map((c) => c.CUSTOMERID)).toEqual(['PAUSE-1']);
    expect(stack.salesforce.record('Account', id)?.Intacct_Customer_Id__c).toBe('PAUSE-1');
    expect((await operating(stack)).paused).toEqual([]);
  });
});

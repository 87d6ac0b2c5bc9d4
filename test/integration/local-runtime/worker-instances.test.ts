/**
 * Worker instances as deployed (DESIGN §8, issue 11): four worker "Lambda instances", each in a
 * thread of its own with its own clients and Intacct limiter, and a delta poll, all against one
 * Intacct company whose simulator refuses (429) any request above the cap of 2. The only thing the
 * instances share is the slot lease in the state table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { status } from '../../helpers/local-stack.ts';
import { accountsOnlyConfig } from '../../helpers/ops.ts';

const CAP = 2;
const ACCOUNTS = 240;

describe('worker instances in threads of their own', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    const config = accountsOnlyConfig({
      worker: { maxConcurrency: 4, batchSize: 40, chunkSize: 10, chunksInFlight: 2 },
    });
    stack = await startLocalStack({
      config: { ...config, intacct: { ...config.intacct, maxConcurrentRequests: CAP } },
      seed: 'empty',
      timers: false,
      runtime: { workerThreads: true },
    });
    stack.salesforce.setOutboundEndpoint(undefined);
    stack.intacct.setConcurrencyCap(CAP);
    stack.intacct.setLatency(40);
  });
  afterAll(() => stack.stop(2000));

  it('keep the company under its cap with a poll running: nothing refused, everything synced once', async () => {
    const sf = stack.salesforce;
    const ids = Array.from({ length: ACCOUNTS }, (_, i) =>
      sf.asUser.create('Account', { Name: `Instance Co ${i}`, AccountNumber: `WI-${i}` }),
    );
    const before = stack.intacct.counters();
    // the backfill's jobs, and an Intacct delta poll sharing the cap while they run
    await stack.runtime.runSchedule('salesforce-delta');
    await stack.runtime.runSchedule('intacct-delta');
    const doc = await status(stack, 60);
    expect(doc.idle).toBe(true);

    const after = stack.intacct.counters();
    expect(after.rateLimited - before.rateLimited).toBe(0);
    expect(after.peakInFlight).toBeLessThanOrEqual(CAP);
    // several instances did the work: each logs in with a session of its own (the scheduler one more)
    const sessions = (after.byFunction.getAPISession ?? 0) - (before.byFunction.getAPISession ?? 0);
    expect(sessions).toBeGreaterThanOrEqual(3);
    const customers = stack.intacct.records('CUSTOMER').filter((c) => String(c.CUSTOMERID).startsWith('WI-'));
    expect(customers).toHaveLength(ACCOUNTS);
    expect(new Set(customers.map((c) => c.CUSTOMERID)).size).toBe(ACCOUNTS);
    expect(ids.every((id, i) => sf.record('Account', id)?.Intacct_Customer_Id__c === `WI-${i}`)).toBe(true);
    expect(doc.queues.dlq.visible).toBe(0);
  });
});

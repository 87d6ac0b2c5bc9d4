/**
 * A duplicated outbound message whose two copies are worked on at the same time by two worker
 * invocations (as after a duplicate delivery or a worker crash): both plan the same create with
 * the same deterministic control ID. Intacct runs it once — and must not cost a DLQ entry: the
 * record synced, so the second copy should re-read and link, not fail permanently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { outboundMessage } from '../fixtures/outbound-message.ts';
import { testConfig } from '../helpers/config.ts';
import { settle } from '../helpers/local-stack.ts';
import { postOutbound, readDeadLetters } from '../helpers/reliability.ts';

describe('two copies of one notification processed concurrently', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    // One job per invocation and two invocations at once, so the copies run side by side.
    stack = await startLocalStack({
      config: testConfig({ worker: { batchSize: 1 } }),
      seed: 'empty',
      timers: false,
      runtime: { visibilityTimeoutSeconds: 2, maxBatchingWindowMs: 0 },
    });
    stack.intacct.setLatency(150);
  });
  afterAll(() => stack.stop(2000));

  // Two copies of one job at once send the create with one control ID; the second gets "already
  // executed", which the Intacct port settles by re-reading the record by its key.
  it('creates one customer and dead-letters nothing', async () => {
    stack.salesforce.setOutboundEndpoint(undefined); // only the two copies below reach the webhook
    const id = stack.salesforce.asUser.create('Account', { Name: 'Race Co', AccountNumber: 'RACE-1' });
    const body = outboundMessage({
      orgId: stack.ready.salesforce.orgId,
      notifications: [{ id: '04l000000000777AAA', fields: { Id: id, Name: 'Race Co' } }],
    });
    const answers = await Promise.all([postOutbound(stack, body), postOutbound(stack, body)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    stack.salesforce.setOutboundEndpoint(stack.runtime.webhookUrl);
    const done = await settle(stack, 60_000);
    expect(stack.intacct.records('CUSTOMER').filter((c) => c.CUSTOMERID === 'RACE-1')).toHaveLength(1);
    expect(stack.salesforce.record('Account', id)?.Intacct_Customer_Id__c).toBe('RACE-1');
    const dead = await readDeadLetters(stack);
    expect(dead.map((d) => d.attributes.errorCode)).toEqual([]);
    expect(done.queues.dlq.visible).toBe(0);
  });
});

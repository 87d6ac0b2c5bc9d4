/**
 * With about 10% of API calls failing transiently on both sides (Salesforce 503s; Intacct 429s,
 * 5xx and 524s — the last one after the write committed), every record still ends in sync with no
 * duplicates and nothing in the DLQ.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { testConfig } from '../../helpers/config.ts';
import { runSchedule, settle } from '../../helpers/local-stack.ts';

const N = 30;

describe('sync under 10% transient faults on both APIs', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack({
      config: testConfig(),
      seed: 'empty',
      timers: false,
      runtime: { visibilityTimeoutSeconds: 2 },
    });
  });
  afterAll(() => stack.stop(2000));

  it('ends with every account and customer linked once, no duplicates, an empty DLQ', async () => {
    stack.salesforce.setFaults({ errorRate: 0.1 });
    stack.intacct.setFaults({ rate429: 0.03, rate5xx: 0.04, rate524: 0.03 });
    // Batching keeps the request count low, so the random faults alone might not hit a write:
    // script a few on the next requests as well (the first Intacct writes of the run).
    stack.intacct.injectFaults('429', '524', 'expire-sessions', '524');
    stack.salesforce.setFaults({ failNext: { count: 2 } });
    for (let i = 0; i < N; i++) {
      stack.salesforce.asUser.create('Account', {
        Name: `SF Account ${i}`,
        AccountNumber: `SFA-${i}`,
        Phone: `+1 555 01${i}`,
      });
      stack.intacct.userCreate('CUSTOMER', {
        CUSTOMERID: `IAC-${i}`,
        NAME: `Intacct Customer ${i}`,
        DISPLAYCONTACT: { PRINTAS: `Intacct Customer ${i}` },
      });
    }
    // Delta polls may fail under faults too; a failed poll leaves its watermark, the next one re-reads.
    for (let round = 0; round < 3; round++) {
      await runSchedule(stack, 'intacct-delta').catch(() => undefined);
      await runSchedule(stack, 'salesforce-delta').catch(() => undefined);
      await settle(stack, 120_000);
    }
    stack.salesforce.setFaults({ errorRate: 0 });
    stack.intacct.setFaults({ rate429: 0, rate5xx: 0, rate524: 0 });
    await runSchedule(stack, 'intacct-delta');
    await runSchedule(stack, 'salesforce-delta');
    const done = await settle(stack, 120_000);

    const faults = stack.intacct.counters().faultsInjected;
    // Besides the random ones, the scripted faults surely happened: a 524 after a committed write among them.
    expect(faults['524'] ?? 0).toBeGreaterThanOrEqual(1);
    expect(faults['429'] ?? 0).toBeGreaterThanOrEqual(1);
    expect(done.queues.dlq.visible).toBe(0);

    const customers = stack.intacct.records('CUSTOMER');
    const accounts = stack.salesforce.records('Account');
    expect(customers).toHaveLength(2 * N);
    expect(accounts).toHaveLength(2 * N);
    expect(new Set(customers.map((c) => c.NAME)).size).toBe(2 * N);
    expect(new Set(accounts.map((a) => a.Name)).size).toBe(2 * N);
    const keys = new Set(customers.map((c) => c.CUSTOMERID));
    for (const account of accounts) expect(keys.has(String(account.Intacct_Customer_Id__c))).toBe(true);
    for (let i = 0; i < N; i++) {
      const account = accounts.find((a) => a.Name === `SF Account ${i}`);
      expect(stack.intacct.record('CUSTOMER', `SFA-${i}`)?.DISPLAYCONTACT).toMatchObject({
        PHONE1: account?.Phone,
      });
    }
  });
});

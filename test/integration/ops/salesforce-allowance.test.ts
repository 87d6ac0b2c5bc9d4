/**
 * The Salesforce daily API allowance in the budget governor (issue 15), on the local pipeline:
 * the worker records the `Sforce-Limit-Info` use it sees; once it reaches the allowance less the
 * reserve, a backfill job waits in the queue (delayed, not failed) while real-time changes still
 * sync; `sfi status` shows the use; when the org's allowance is raised, the next real-time call
 * brings a new reading and the waiting job runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { SqsJobQueue } from '#shared/aws/job-queue.ts';
import { eventually } from '../../helpers/config.ts';
import {
  accountsOnlyConfig,
  operating,
  queued,
  sfi,
  startDeferringStack,
  stopDeferringStack,
} from '../../helpers/ops.ts';

describe('Salesforce API allowance', () => {
  let stack: LocalStack;
  const base = accountsOnlyConfig();
  // Nine tenths of the allowance kept for real-time work: bulk work stops at a tenth of it.
  const config = { ...base, salesforce: { ...base.salesforce, apiReservePercent: 90 } };

  beforeAll(async () => {
    stack = await startDeferringStack(config);
  });
  afterAll(() => stopDeferringStack(stack));

  const liveChange = async (name: string, key: string) => {
    const id = stack.salesforce.asUser.create('Account', { Name: name, AccountNumber: key });
    await eventually(
      () => stack.salesforce.record('Account', id)?.Intacct_Customer_Id__c === key,
      30_000,
      `${name} to sync`,
    );
  };

  it('defers a backfill once only the reserve is left, syncs real-time changes, and runs it when the allowance grows', async () => {
    // An org of 50 calls a day: bulk work stops at 5, which the first real-time changes pass.
    stack.salesforce.setFaults({ dailyApiLimit: 50 });
    await liveChange('Live 1', 'LIVE-1');
    await liveChange('Live 2', 'LIVE-2');
    await eventually(
      async () => (await operating(stack)).salesforceApi?.bulkDeferred === true,
      10_000,
      'a reading past the limit',
    );

    // Each worker instance reads the state at most every 5 s: let the one it holds age out.
    await new Promise((r) => setTimeout(r, 5500));
    stack.intacct.userCreate('CUSTOMER', {
      CUSTOMERID: 'BULK-1',
      NAME: 'Bulk Co',
      DISPLAYCONTACT: { PRINTAS: 'Bulk' },
    });
    const aws = stack.runtime.aws;
    const enqueued = await new SqsJobQueue({ client: stack.runtime.sqs, queueUrl: aws.queues.jobs }).enqueue([
      {
        v: 1,
        flow: 'account-customer',
        source: 'intacct',
        object: 'CUSTOMER',
        recordId: 'BULK-1',
        reason: 'backfill',
        correlationId: 'backfill:test',
        enqueuedAt: new Date().toISOString(),
      },
    ]);
    expect(enqueued.failed).toEqual([]);
    await liveChange('Live 3', 'LIVE-3');
    await new Promise((r) => setTimeout(r, 3000));
    const bulkAccounts = () =>
      stack.salesforce.records('Account').filter((a) => a.Intacct_Customer_Id__c === 'BULK-1');
    expect(bulkAccounts()).toEqual([]);
    const held = await operating(stack);
    expect(queued(held)).toBeGreaterThanOrEqual(1);
    expect(held.queues.dlq.visible).toBe(0);
    expect(held.salesforceApi).toMatchObject({
      limit: 50,
      reservePercent: 90,
      bulkLimit: 5,
      fresh: true,
      bulkDeferred: true,
    });
    const shown = await sfi(stack, 'status');
    expect(shown.stdout).toMatch(
      /Salesforce \d+ of 50 daily API calls \(seen .*\) · bulk work deferred \(reserve 90% reached\)/,
    );

    // The allowance raised: the next real-time call brings a new reading, and the backfill job runs.
    stack.salesforce.setFaults({ dailyApiLimit: 1_000_000 });
    await liveChange('Live 4', 'LIVE-4');
    await eventually(() => bulkAccounts().length === 1, 30_000, 'the deferred backfill to run');
    expect(bulkAccounts().map((a) => a.Name)).toEqual(['Bulk Co']);
    const after = await operating(stack);
    expect(after.salesforceApi).toMatchObject({ limit: 1_000_000, bulkDeferred: false });
    expect(after.recentFailures).toEqual([]);
  });
});

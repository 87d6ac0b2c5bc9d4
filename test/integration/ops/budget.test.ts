/**
 * The budget governor (issue 15) on the local pipeline: with the month's Intacct use at the
 * reserve, bulk work (reconcile --fix repairs, a backfill job) waits in the queue, delayed and
 * not failed, while a real-time change (outbound message → webhook) still syncs; `sfi status`
 * shows the use, the projection and that bulk is deferred. With the worker's clock moved to the
 * next month (a new usage key), the deferred work runs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '#local/aws/embedded-aws.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { SqsJobQueue } from '#shared/aws/job-queue.ts';
import { DynamoLedger } from '#shared/aws/ledger.ts';
import { monthKey } from '#shared/ops/budget.ts';
import { eventually } from '../../helpers/config.ts';
import {
  accountsOnlyConfig,
  operating,
  queued,
  sfi,
  startDeferringStack,
  stopDeferringStack,
} from '../../helpers/ops.ts';

describe('budget governor', () => {
  let stack: LocalStack;
  const base = accountsOnlyConfig();
  const config = {
    ...base,
    intacct: { ...base.intacct, budget: { monthlyTransactions: 1000, reserveTransactions: 100 } },
  };

  beforeAll(async () => {
    stack = await startDeferringStack(config);
  });
  afterAll(() => stopDeferringStack(stack));

  it('defers bulk work at the reserve while real-time sync goes on, and runs it next month', async () => {
    const sf = stack.salesforce;
    const ia = stack.intacct;
    const aws = stack.runtime.aws;
    const accountsFor = (key: string) =>
      sf.records('Account').filter((a) => a.Intacct_Customer_Id__c === key);
    const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(aws.dynamodbEndpoint)));
    const ledger = new DynamoLedger({ db, table: aws.tables.ledger, auditDays: 1, failureDays: 1 });
    // Only the reserve is left this month: 900 of 1,000 used.
    await ledger.addIntacctTransactions(monthKey(new Date()), 900);

    // Two Intacct customers nobody has synced yet (no poll runs here): the bulk work.
    for (const [id, name] of [
      ['BULK-1', 'Repair Co'],
      ['BULK-2', 'Backfill Co'],
    ] as const)
      ia.userCreate('CUSTOMER', { CUSTOMERID: id, NAME: name, DISPLAYCONTACT: { PRINTAS: name } });
    const fix = await fetch(`${stack.runtime.controlUrl}/reconcile/account-customer?fix=true`, {
      method: 'POST',
    });
    expect(fix.status).toBe(200);
    expect(((await fix.json()) as { report: { fix: unknown } }).report.fix).toMatchObject({ enqueued: 2 });
    // And a backfill job for one of them, as a backfill producer enqueues it (reason backfill).
    const enqueued = await new SqsJobQueue({ client: stack.runtime.sqs, queueUrl: aws.queues.jobs }).enqueue([
      {
        v: 1,
        flow: 'account-customer',
        source: 'intacct',
        object: 'CUSTOMER',
        recordId: 'BULK-2',
        reason: 'backfill',
        correlationId: 'backfill:test',
        enqueuedAt: new Date().toISOString(),
      },
    ]);
    expect(enqueued.failed).toEqual([]);

    // A real-time change meanwhile: synced through the reserve.
    const live = sf.asUser.create('Account', { Name: 'Live Co', AccountNumber: 'LIVE-1' });
    await eventually(() => ia.record('CUSTOMER', 'LIVE-1') !== undefined, 30_000, 'real-time sync');
    await eventually(
      () => sf.record('Account', live)?.Intacct_Customer_Id__c === 'LIVE-1',
      30_000,
      'write-back',
    );

    await new Promise((r) => setTimeout(r, 3000));
    const held = await operating(stack);
    expect(accountsFor('BULK-1')).toEqual([]);
    expect(accountsFor('BULK-2')).toEqual([]);
    // Three jobs waiting (a snapshot mid-deferral may also see the copies of the ones being re-sent).
    expect(queued(held)).toBeGreaterThanOrEqual(3);
    expect(queued(held)).toBeLessThanOrEqual(6);
    expect(held.queues.dlq.visible).toBe(0);
    expect(held.recentFailures).toEqual([]);
    expect(held.budget).toMatchObject({
      governed: true,
      month: monthKey(new Date()),
      allowance: 1000,
      reserve: 100,
      bulkLimit: 900,
      bulkDeferred: true,
    });
    expect(held.budget.used).toBeGreaterThan(900);
    expect(held.budget.projected).toBeGreaterThanOrEqual(held.budget.used);
    // The same figures through the CLI.
    const cli = await sfi(stack, 'status', '--json');
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout).budget).toMatchObject({ bulkDeferred: true, allowance: 1000 });

    // Next month: a new usage key, nothing used yet, so the waiting bulk work runs.
    const { workerClock } = await import('#functions/worker/handler.ts');
    const now = new Date();
    const nextMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 0, 0, 1);
    const skew = nextMonth - now.getTime();
    workerClock.now = () => new Date(Date.now() + skew);
    try {
      await eventually(async () => queued(await operating(stack)) === 0, 30_000, 'deferred work to run');
      // Two repairs and a backfill of one of them: one Account each.
      expect(accountsFor('BULK-1').map((a) => a.Name)).toEqual(['Repair Co']);
      expect(accountsFor('BULK-2').map((a) => a.Name)).toEqual(['Backfill Co']);
      expect((await operating(stack)).recentFailures).toEqual([]);
      // Their transactions count towards the new month.
      expect(await ledger.addIntacctTransactions(monthKey(new Date(nextMonth)), 0)).toBeGreaterThan(0);
    } finally {
      workerClock.now = () => new Date();
    }
  });
});

/**
 * The scheduler's backfill operation on the local pipeline (Lambda Invoke as sfi makes it): a
 * flow's records into `backfill` jobs — bulk work, which the budget governor defers at the reserve
 * while real-time changes still sync — page by page under a time budget, resumed invocation after
 * invocation with nothing enqueued twice, and the delta polls' watermarks left where they were.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackfillResult } from '#functions/scheduler/backfill-task.ts';
import { localClientConfig } from '#local/aws/embedded-aws.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { DynamoLedger } from '#shared/aws/ledger.ts';
import { DynamoStateStore } from '#shared/aws/state-store.ts';
import { ValidationError } from '#shared/errors.ts';
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

const FLOW = 'account-customer';

describe('backfill operation', () => {
  let stack: LocalStack;
  let state: DynamoStateStore;
  let ledger: DynamoLedger;
  const base = accountsOnlyConfig();
  const config = {
    ...base,
    intacct: { ...base.intacct, budget: { monthlyTransactions: 1000, reserveTransactions: 100 } },
  };
  const backfill = async (detail: Record<string, unknown>) =>
    (await stack.runtime.invokeScheduler({ op: 'backfill', flow: FLOW, ...detail })) as BackfillResult;
  /** Invokes until the backfill says it is done (at most 30 invocations). */
  const toTheEnd = async (detail: Record<string, unknown>) => {
    const steps: BackfillResult[] = [];
    for (let n = 0; n < 30; n++) {
      steps.push(await backfill(detail));
      if (steps.at(-1)?.partial === false) break;
    }
    return steps;
  };
  beforeAll(async () => {
    stack = await startDeferringStack(config);
    const aws = stack.runtime.aws;
    const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(aws.dynamodbEndpoint)));
    state = new DynamoStateStore({ db, table: aws.tables.state });
    ledger = new DynamoLedger({ db, table: aws.tables.ledger, auditDays: 1, failureDays: 1 });
  });
  afterAll(() => stopDeferringStack(stack));

  it('enqueues backfill jobs page by page across invocations, deferred at the reserve while real-time sync goes on, and leaves the delta watermarks alone', async () => {
    const sf = stack.salesforce;
    const ia = stack.intacct;
    // The delta polls ran once, before the data existed: their watermarks are set.
    await stack.runtime.runSchedule('salesforce-delta');
    await stack.runtime.runSchedule('intacct-delta');
    const deltas = async () =>
      Promise.all(
        (['salesforce', 'intacct'] as const).flatMap((side) => [
          state.getWatermark(FLOW, side),
          state.getPollState(FLOW, side),
        ]),
      );
    const before = await deltas();
    expect(before[0]).toBeDefined();
    expect(before[2]).toBeDefined();
    const ids = Array.from({ length: 7 }, (_, i) => `BF-${i + 1}`);
    for (const id of ids)
      ia.userCreate('CUSTOMER', { CUSTOMERID: id, NAME: `Backfill ${id}`, DISPLAYCONTACT: { PRINTAS: id } });
    // Only the reserve is left this month: the backfill's jobs must wait.
    await ledger.addIntacctTransactions(monthKey(new Date()), 900);

    // Pages of 3 and no time budget: one page per side per invocation.
    const steps = await toTheEnd({ pageSize: 3, budgetSeconds: 0 });
    expect(steps.length).toBeGreaterThanOrEqual(4);
    expect(steps[0]).toMatchObject({
      op: 'backfill',
      flow: FLOW,
      since: null,
      partial: true,
      enqueued: 3,
      enqueuedTotal: 3,
    });
    expect(steps.at(-1)).toMatchObject({
      partial: false,
      enqueuedTotal: 7,
      sides: [
        { side: 'salesforce', done: true },
        { side: 'intacct', done: true },
      ],
    });
    // Each invocation went on from the last: the pages add up to the records, none twice.
    expect(steps.map((s) => s.enqueued)).toEqual([3, 3, 1, ...steps.slice(3).map(() => 0)]);
    expect(steps.map((s) => s.enqueuedTotal)).toEqual(steps.map((_, i) => Math.min(7, 3 * (i + 1))));
    expect(await deltas()).toEqual(before);
    // Each invocation is a run, which sfi status shows.
    expect((await state.recentRuns(`backfill#${FLOW}`, 1))[0]).toMatchObject({ status: 'ok', enqueued: 0 });
    const cli = await sfi(stack, 'status', '--json');
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout).backfills[FLOW]).toMatchObject({
      schedule: `backfill#${FLOW}`,
      status: 'ok',
    });

    // A real-time change meanwhile syncs through the reserve; the backfill's jobs wait.
    const live = sf.asUser.create('Account', { Name: 'Live Co', AccountNumber: 'LIVE-1' });
    await eventually(
      () => sf.record('Account', live)?.Intacct_Customer_Id__c === 'LIVE-1',
      30_000,
      'real-time sync',
    );
    await new Promise((r) => setTimeout(r, 2000));
    const accountsFor = (key: string) =>
      sf.records('Account').filter((a) => a.Intacct_Customer_Id__c === key);
    expect(ids.flatMap(accountsFor)).toEqual([]);
    const held = await operating(stack);
    expect(queued(held)).toBeGreaterThanOrEqual(7);
    expect(held.recentFailures).toEqual([]);

    // Next month the budget is fresh: each backfilled record syncs, once.
    const { workerClock } = await import('#functions/worker/handler.ts');
    const now = new Date();
    const skew = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 0, 0, 1) - now.getTime();
    workerClock.now = () => new Date(Date.now() + skew);
    try {
      await eventually(async () => queued(await operating(stack)) === 0, 30_000, 'deferred backfill to run');
      expect(ids.map((id) => accountsFor(id).length)).toEqual(ids.map(() => 1));
    } finally {
      workerClock.now = () => new Date();
    }
  }, 60_000);

  it('resumes a backfill for the same since and starts over for another', async () => {
    const since = new Date(Date.now() - 3600_000).toISOString();
    // Both sides have 8 records now (7 backfilled, 1 live): pages of 3 from each.
    const first = await backfill({ since, pageSize: 3, budgetSeconds: 0 });
    expect(first).toMatchObject({ since, partial: true, enqueued: 6, enqueuedTotal: 6 });
    expect(first.sides.map((s) => s.enqueued)).toEqual([3, 3]);
    const same = await backfill({ since, pageSize: 3, budgetSeconds: 0 });
    expect(same).toMatchObject({ since, partial: true, enqueued: 6, enqueuedTotal: 12 });
    const other = new Date(Date.now() - 7200_000).toISOString();
    const again = await backfill({ since: other, pageSize: 3, budgetSeconds: 0 });
    expect(again).toMatchObject({ since: other, partial: true, enqueued: 6, enqueuedTotal: 6 });
    // Finished, it leaves nothing behind: the same command later starts afresh.
    const rest = await toTheEnd({ since: other });
    expect(rest.at(-1)).toMatchObject({ partial: false, enqueuedTotal: 16 });
    expect(await state.getPollState(`backfill#${FLOW}`, 'intacct')).toBeUndefined();
    expect(await backfill({ since: other })).toMatchObject({
      partial: false,
      enqueued: 16,
      enqueuedTotal: 16,
    });
  }, 30_000);

  it('refuses an unknown flow, a bad since and an unknown operation, naming what there is', async () => {
    const refusal = (detail: Record<string, unknown>) =>
      stack.runtime.invokeScheduler(detail).then(
        () => {
          throw new Error('expected a refusal');
        },
        (error: unknown) => error as ValidationError,
      );
    for (const op of ['backfill', 'dry-run']) {
      const unknown = await refusal({ op, flow: 'account-custmer' });
      expect(unknown).toBeInstanceOf(ValidationError);
      expect(unknown).toMatchObject({ code: 'FLOW_UNKNOWN', retryable: false });
      expect(unknown.message).toBe(
        'no flow "account-custmer" in the deployed config; the flows are: account-customer',
      );
      expect((await refusal({ op })).message).toContain('needs a flow; the flows are: account-customer');
      const since = await refusal({ op, flow: FLOW, since: 'last tuesday' });
      expect(since).toMatchObject({ code: 'SINCE_INVALID' });
      expect(since.message).toContain('"last tuesday"');
    }
    expect(await refusal({ op: 'backfil', flow: FLOW })).toMatchObject({ code: 'OP_UNKNOWN' });
    expect(await refusal({ op: 'dry-run', flow: FLOW, limit: -1 })).toMatchObject({
      code: 'ARGUMENT_INVALID',
    });
  });
});

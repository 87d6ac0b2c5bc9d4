/**
 * The scheduler's dry-run operation on the local pipeline: the plan of a backfill — per record
 * create, update (with the field diffs), link, skip or fail, with both IDs — and its API cost,
 * with nothing written to either system, the tables or the queue. Then the real backfill runs to
 * quiescence and does exactly that, at the cost the plan said (the simulators' own counters).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DryRunResult } from '#functions/scheduler/dry-run-task.ts';
import { localClientConfig } from '#local/aws/embedded-aws.ts';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { dynamoCrosswalk } from '#shared/aws/crosswalk.ts';
import { DynamoLedger } from '#shared/aws/ledger.ts';
import type { Crosswalk } from '#shared/sync/ports.ts';
import { status, writeCounts } from '../../helpers/local-stack.ts';
import { accountsOnlyConfig } from '../../helpers/ops.ts';

const FLOW = 'account-customer';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('dry-run operation', () => {
  let stack: LocalStack;
  let db: DynamoDBDocumentClient;
  let crosswalk: Crosswalk;
  let ledger: DynamoLedger;
  const config = accountsOnlyConfig();

  beforeAll(async () => {
    stack = await startLocalStack({
      config,
      seed: 'empty',
      timers: false,
      runtime: { visibilityTimeoutSeconds: 5 },
    });
    // Users' edits reach the pipeline only through the backfill here.
    stack.salesforce.setOutboundEndpoint(undefined);
    const aws = stack.runtime.aws;
    db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(aws.dynamodbEndpoint)));
    crosswalk = dynamoCrosswalk({ db, table: aws.tables.crosswalk });
    ledger = new DynamoLedger({ db, table: aws.tables.ledger, auditDays: 1, failureDays: 1 });
  });
  afterAll(() => stack.stop(2000));

  /** Everything the pipeline could have written: both systems' records and counters, tables, queues. */
  const everything = async () => {
    const aws = stack.runtime.aws;
    const scan = async (table: string) =>
      ((await db.send(new ScanCommand({ TableName: table }))).Items ?? []).sort((a, b) =>
        `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`),
      );
    return {
      accounts: stack.salesforce.records('Account'),
      customers: stack.intacct.records('CUSTOMER'),
      writes: writeCounts(stack),
      crosswalk: await scan(aws.tables.crosswalk),
      ledger: await scan(aws.tables.ledger),
      state: await scan(aws.tables.state),
      queues: await stack.runtime.queueDepths(),
    };
  };
  /** API use so far as the simulators count it (Intacct logins aside: a warm worker has its session). */
  const usage = () => {
    const ia = stack.intacct.counters();
    return {
      intacctRequests: ia.httpRequests - (ia.byFunction.getAPISession ?? 0),
      intacctTransactions: ia.apiTransactions,
      salesforceCalls: stack.salesforce.apiUsage().total,
    };
  };

  it('lists what the backfill will do and its cost, writes nothing, and the backfill then does just that', async () => {
    const sf = stack.salesforce;
    const ia = stack.intacct;
    // Before `since`: three pairs synced, twin customers, and a customer an account will link to.
    const pairs = [1, 2, 3].map((n) =>
      sf.asUser.create('Account', { Name: `Pair ${n}`, AccountNumber: `P-${n}`, Phone: `555-000${n}` }),
    );
    for (const id of ['TW-1', 'TW-2'])
      ia.userCreate('CUSTOMER', { CUSTOMERID: id, NAME: 'Twin Co', DISPLAYCONTACT: { PRINTAS: 'Twin Co' } });
    ia.userCreate('CUSTOMER', {
      CUSTOMERID: 'LNK-1',
      NAME: 'Link Co',
      DISPLAYCONTACT: { PRINTAS: 'Link Co' },
    });
    await stack.runtime.runSchedule('salesforce-delta');
    expect((await status(stack, 30)).idle).toBe(true);
    expect(pairs.map((id) => sf.record('Account', id)?.Intacct_Customer_Id__c)).toEqual([
      'P-1',
      'P-2',
      'P-3',
    ]);
    await pause(1100);
    const since = new Date().toISOString();
    await pause(1100);
    // After it: drift both ways, an edit of no mapped field, new records on both sides, a match, a refusal.
    sf.asUser.update('Account', pairs[0] as string, { Phone: '555-1111' });
    ia.userUpdate('CUSTOMER', 'P-2', { DISPLAYCONTACT: { PHONE1: '555-2222' } });
    sf.asUser.update('Account', pairs[2] as string, { Description: 'nothing the flow maps' });
    const created = sf.asUser.create('Account', { Name: 'New Co', AccountNumber: 'NEW-1' });
    ia.userCreate('CUSTOMER', {
      CUSTOMERID: 'IANEW-1',
      NAME: 'Intacct New Co',
      DISPLAYCONTACT: { PRINTAS: 'Intacct New Co' },
    });
    const linked = sf.asUser.create('Account', { Name: 'Link Co', AccountNumber: 'LNK-1' });
    const twin = sf.asUser.create('Account', { Name: 'Twin Co', AccountNumber: 'TWIN-X' });
    const linksBefore = await crosswalk.bySalesforceIds(FLOW, pairs);

    const untouched = await everything();
    const beforePlan = usage();
    const plan = (await stack.runtime.invokeScheduler({ op: 'dry-run', flow: FLOW, since })) as DryRunResult;
    expect(await everything()).toEqual(untouched);
    const afterPlan = usage();

    expect(plan).toMatchObject({ op: 'dry-run', flow: FLOW, since, partial: false, truncated: false });
    expect(plan.counts).toEqual({ create: 2, update: 2, link: 1, skip: 1, fail: 1 });
    const item = (recordId: string) => plan.items.find((i) => i.recordId === recordId);
    expect(item(created)).toMatchObject({
      action: 'create',
      source: 'salesforce',
      salesforceId: created,
      intacctKey: 'NEW-1',
      diff: {
        'CUSTOMER.NAME': { from: null, to: 'New Co' },
        'Account.Intacct_Customer_Id__c': { from: null, to: 'NEW-1' },
      },
    });
    expect(item('IANEW-1')).toMatchObject({
      action: 'create',
      source: 'intacct',
      diff: { 'Account.Name': { from: null, to: 'Intacct New Co' } },
    });
    expect(item('IANEW-1')?.salesforceId).toBeUndefined();
    expect(item(pairs[0] as string)).toMatchObject({
      action: 'update',
      intacctKey: 'P-1',
      diff: { 'CUSTOMER.DISPLAYCONTACT.PHONE1': { from: '555-0001', to: '555-1111' } },
    });
    expect(item('P-2')).toMatchObject({
      action: 'update',
      salesforceId: pairs[1],
      diff: { 'Account.Phone': { from: '555-0002', to: '555-2222' } },
    });
    expect(item(linked)).toMatchObject({ action: 'link', intacctKey: 'LNK-1' });
    expect(item(pairs[2] as string)).toMatchObject({ action: 'skip', intacctKey: 'P-3' });
    expect(item(pairs[2] as string)?.diff).toBeUndefined();
    expect(item(twin)).toMatchObject({
      action: 'fail',
      code: 'AMBIGUOUS_MATCH',
      retryable: false,
      salesforceId: twin,
    });
    expect(item(twin)?.message).toContain('2 CUSTOMER records match NAME = "Twin Co"');

    // A shorter list keeps the counts whole; out of time, it says how far it got.
    const short = (await stack.runtime.invokeScheduler({
      op: 'dry-run',
      flow: FLOW,
      since,
      limit: 2,
    })) as DryRunResult;
    expect(short).toMatchObject({ counts: plan.counts, cost: plan.cost, truncated: true, partial: false });
    expect(short.items).toEqual(plan.items.slice(0, 2));
    const hurried = (await stack.runtime.invokeScheduler({
      op: 'dry-run',
      flow: FLOW,
      since,
      pageSize: 2,
      budgetSeconds: 0,
    })) as DryRunResult;
    expect(hurried).toMatchObject({ partial: true, enumerated: 2, planned: 2 });
    expect(Object.values(hurried.counts).reduce((n, c) => n + c, 0)).toBe(2);
    expect(await everything()).toEqual(untouched);

    // The real backfill, to quiescence.
    const costBefore = usage();
    const statsBefore = (await ledger.statsForDay(new Date().toISOString().slice(0, 10)))[FLOW];
    // The worker waits until the backfill has enqueued everything, so SQS hands the jobs over in
    // the worker's batch size, as the plan assumes (a backlog; live, a batch may close early).
    const release = await stack.runtime.holdWorker();
    const real = (await stack.runtime.invokeScheduler({ op: 'backfill', flow: FLOW, since })) as {
      enqueuedTotal: number;
    };
    release();
    expect(real.enqueuedTotal).toBe(7);
    expect((await status(stack, 30)).idle).toBe(true);
    const costAfter = usage();

    // Each record went the way the plan said.
    expect(ia.record('CUSTOMER', 'NEW-1')?.NAME).toBe('New Co');
    expect(
      sf
        .records('Account')
        .filter((a) => a.Intacct_Customer_Id__c === 'IANEW-1')
        .map((a) => a.Name),
    ).toEqual(['Intacct New Co']);
    expect(ia.record('CUSTOMER', 'P-1')?.DISPLAYCONTACT).toMatchObject({ PHONE1: '555-1111' });
    expect(sf.record('Account', pairs[1] as string)?.Phone).toBe('555-2222');
    const links = await crosswalk.bySalesforceIds(FLOW, [...pairs, created, linked, twin]);
    expect(links.get(created)?.lastAction).toBe('create');
    expect(links.get(linked)).toMatchObject({ intacctKey: 'LNK-1', lastAction: 'link' });
    expect(links.get(pairs[0] as string)?.lastAction).toBe('update');
    expect(links.get(pairs[2] as string)).toEqual(linksBefore.get(pairs[2] as string));
    expect(links.has(twin)).toBe(false);
    expect((await ledger.openFailures(FLOW)).map((f) => [f.ids.recordId, f.code])).toEqual([
      [twin, 'AMBIGUOUS_MATCH'],
    ]);
    const stats = (await ledger.statsForDay(new Date().toISOString().slice(0, 10)))[FLOW];
    const grew = (name: 'created' | 'updated' | 'skipped' | 'failed') =>
      (stats?.[name] ?? 0) - (statsBefore?.[name] ?? 0);
    expect({
      created: grew('created'),
      updated: grew('updated'),
      skipped: grew('skipped'),
      failed: grew('failed'),
    }).toEqual({
      created: plan.counts.create,
      updated: plan.counts.update,
      skipped: plan.counts.link + plan.counts.skip,
      failed: plan.counts.fail,
    });

    // And at the cost the plan said, as the simulators counted it: what is billed (Intacct
    // transactions) and Salesforce calls within 2%. Intacct requests are the plan's upper bound:
    // the client packs functions queued in the same moment into one request, and live a read may
    // share a request with a write that the plan counts in a request of its own.
    const spent = (what: keyof typeof costAfter) => costAfter[what] - costBefore[what];
    for (const what of ['intacctTransactions', 'salesforceCalls'] as const) {
      const predicted = plan.cost[what];
      expect(
        Math.abs(spent(what) - predicted),
        `${what}: planned ${predicted}, spent ${spent(what)}`,
      ).toBeLessThanOrEqual(0.02 * spent(what));
    }
    expect(spent('intacctRequests')).toBeLessThanOrEqual(plan.cost.intacctRequests);
    // (A slack of two for reads packed with writes; a plan far off still fails.)
    expect(spent('intacctRequests')).toBeGreaterThanOrEqual(plan.cost.intacctRequests - 2);
    // The plan itself read, and only read: less than the backfill, which also writes.
    for (const what of ['intacctRequests', 'intacctTransactions', 'salesforceCalls'] as const)
      expect(afterPlan[what] - beforePlan[what]).toBeLessThan(spent(what));
  }, 60_000);
});

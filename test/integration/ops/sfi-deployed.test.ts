/**
 * Issue 15, "one code path, two targets": the ops commands run as the operator of a deployed stack
 * would run them — `--outputs cdk-outputs.json` or `--stack <prefix>`, credentials from the
 * environment, the SDK pointed at the embedded emulators through its standard endpoint settings
 * (AWS_ENDPOINT_URL_SQS, _DYNAMODB, _LAMBDA, _CLOUDFORMATION) — and the same against `sfi local`.
 * The story: a permanent failure, its repeat counted on one record, one digest, the data fixed,
 * `sfi redrive --flow F`, synced, and the failure resolved on its own.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { DIGEST_SCHEDULE } from '#shared/config/notifications-config.ts';
import {
  documentConfig,
  documentsOf,
  idle,
  startDocumentStack,
  wonOpportunity,
} from '../../helpers/documents.ts';

const FLOW = 'opportunity-order';

describe('sfi against a deployed stack (outputs file + SDK endpoints) and against sfi local', () => {
  let stack: LocalStack;
  let outputsFile: string;
  let deployedEnv: NodeJS.ProcessEnv;
  beforeAll(async () => {
    stack = await startDocumentStack(documentConfig(), [{ id: 'W-1', name: 'Widget', price: 10 }]);
    const { aws } = stack.runtime;
    // What `cdk deploy --all --outputs-file` writes, with the embedded resources' names.
    const outputs = {
      'sfi-test-stateful': {
        StateTableName: aws.tables.state,
        CrosswalkTableName: aws.tables.crosswalk,
        LedgerTableName: aws.tables.ledger,
        JobsQueueUrl: aws.queues.jobs,
        DeadLetterQueueUrl: aws.queues.dlq,
      },
      'sfi-test-stateless': {
        SchedulerFunctionName: 'sfi-local-scheduler',
        ApiUrl: 'https://example.invalid/',
      },
    };
    outputsFile = join(mkdtempSync(join(tmpdir(), 'sfi-outputs-')), 'cdk-outputs.json');
    writeFileSync(outputsFile, JSON.stringify(outputs));
    deployedEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_REGION: aws.region,
      AWS_ACCESS_KEY_ID: 'operator',
      AWS_SECRET_ACCESS_KEY: 'operator-secret',
      AWS_ENDPOINT_URL_SQS: aws.sqsEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB: aws.dynamodbEndpoint,
      AWS_ENDPOINT_URL_LAMBDA: stack.runtime.controlUrl,
      AWS_ENDPOINT_URL_CLOUDFORMATION: `${stack.runtime.controlUrl}/local/aws/cloudformation`,
    };
  });
  afterAll(() => stack.stop(2000));

  /** Runs sfi as a separate process: on the outputs file (default), `--stack`, or the local --url. */
  async function sfi(target: 'outputs' | 'stack' | 'local', ...args: string[]) {
    const where =
      target === 'outputs'
        ? ['--outputs', outputsFile]
        : target === 'stack'
          ? ['--stack', 'sfi-local']
          : ['--url', stack.runtime.controlUrl];
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ['bin/sfi.ts', ...args, ...where],
        {
          timeout: 60_000,
          env: target === 'local' ? { PATH: process.env.PATH, HOME: process.env.HOME } : deployedEnv,
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }
  const json = async (target: 'outputs' | 'stack' | 'local', ...args: string[]) => {
    const run = await sfi(target, ...args);
    expect(run.stderr.includes('sfi: ') ? run.stderr : '').toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout);
  };

  it('fails, counts the repeat, tells once, and after the fix and a redrive by flow resolves on its own', async () => {
    const product = stack.salesforce.asUser.create('Product2', {
      Name: 'Mystery box',
      ProductCode: 'MYS-1',
      IsActive: true,
    });
    const standard = stack.salesforce.records('Pricebook2').find((b) => b.IsStandard === true);
    stack.salesforce.asUser.create('PricebookEntry', {
      Pricebook2Id: standard?.Id,
      Product2Id: product,
      UnitPrice: 5,
      CurrencyIsoCode: 'USD',
      IsActive: true,
    });
    const { opportunityId } = wonOpportunity(stack, {
      account: { Name: 'Curious Co' },
      lines: [{ product: 'MYS-1', quantity: 2, price: 5 }],
    });

    // Replayed twice by the operator: one open failure with count 2, its class, IDs, cause and fix.
    expect(await json('outputs', 'replay', FLOW, opportunityId)).toMatchObject({ enqueued: 1, flow: FLOW });
    await idle(stack);
    expect(await json('stack', 'replay', FLOW, opportunityId)).toMatchObject({ enqueued: 1 });
    await idle(stack);
    const open = await json('outputs', 'failures', '--json', '--flow', FLOW);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      state: 'open',
      count: 2,
      class: 'missing-reference',
      code: 'ITEM_NOT_IN_INTACCT',
      ids: { recordId: opportunityId, salesforceId: opportunityId },
    });
    expect(open[0].hint).toContain('sfi redrive');
    expect(open[0].firstSeen <= open[0].at).toBe(true);
    // Filters: by class and code; a class with nothing; the CSV has a header and one row.
    expect(await json('outputs', 'failures', '--json', '--class', 'missing-reference')).toHaveLength(1);
    expect(await json('outputs', 'failures', '--json', '--class', 'validation')).toEqual([]);
    expect(await json('outputs', 'failures', '--json', '--code', 'ITEM_NOT_IN_INTACCT')).toHaveLength(1);
    const csv = (await sfi('outputs', 'failures', '--csv')).stdout.trim().split('\n');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain('ITEM_NOT_IN_INTACCT');
    const text = (await sfi('outputs', 'failures')).stdout;
    expect(text).toContain(`fix:   ${open[0].hint}`);

    // The status: both dead jobs in the DLQ, the failure by class, the schedules.
    const status = await json('outputs', 'status', '--json');
    expect(status.queues.dlq.visible + status.queues.dlq.inFlight).toBe(2);
    expect(status.openFailures).toMatchObject({ total: 1, byClass: { 'missing-reference': 1 } });
    expect(status.flowsLast7Days[FLOW].failed).toBeGreaterThanOrEqual(2);
    expect(status.schedules.map((s: { name: string }) => s.name)).toContain(DIGEST_SCHEDULE);
    expect(status.where).toContain(outputsFile);

    // The digest through the scheduler Lambda: one message; run again, nothing new.
    expect((await json('outputs', 'run-schedule', DIGEST_SCHEDULE)).run).toMatchObject({ status: 'ok' });
    expect(await stack.runtime.notifications()).toHaveLength(1);
    await json('outputs', 'run-schedule', DIGEST_SCHEDULE);
    expect(await stack.runtime.notifications()).toHaveLength(1);

    // Redrive: a dry run by another flow moves nothing; by this flow it lists both and moves none.
    expect(await json('outputs', 'redrive', '--flow', 'account-customer', '--dry-run')).toMatchObject({
      wouldMove: 0,
      scanned: 2,
    });
    const planned = await json(
      'outputs',
      'redrive',
      '--flow',
      FLOW,
      '--code',
      'ITEM_NOT_IN_INTACCT',
      '--dry-run',
    );
    expect(planned).toMatchObject({ dryRun: true, wouldMove: 2, scanned: 2 });
    expect(planned.jobs.map((j: { recordId: string }) => j.recordId)).toEqual([opportunityId, opportunityId]);
    expect((await json('outputs', 'status', '--json')).queues.dlq.visible).toBe(2);

    // The data fixed, the flow's dead jobs redriven: synced, and the failure resolved on its own.
    stack.intacct.userCreate('ITEM', { ITEMID: 'MYS-1', NAME: 'Mystery box', ITEMTYPE: 'Non-Inventory' });
    expect(await json('outputs', 'redrive', '--flow', FLOW, '--json')).toMatchObject({ moved: 2 });
    await idle(stack);
    expect(documentsOf(stack, opportunityId)).toHaveLength(1);
    expect(await json('outputs', 'failures', '--json')).toEqual([]);
    expect(await json('outputs', 'failures', '--resolved', '--json', '--flow', FLOW)).toMatchObject([
      { state: 'resolved', code: 'ITEM_NOT_IN_INTACCT' },
    ]);
    // The next digest says nothing.
    await json('outputs', 'run-schedule', DIGEST_SCHEDULE);
    expect(await stack.runtime.notifications()).toHaveLength(1);
  });

  it('runs the same commands on sfi local and through --stack, with the same answers', async () => {
    for (const target of ['local', 'stack'] as const) {
      const s = await json(target, 'status', '--json');
      expect(Object.keys(s.flows)).toContain(FLOW);
      expect(s.queues.jobs).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
      expect(await json(target, 'failures', '--json')).toEqual([]);
      expect(await json(target, 'pause', FLOW)).toMatchObject({ paused: { flow: FLOW } });
      expect((await json(target, 'status', '--json')).paused).toMatchObject([{ flow: FLOW }]);
      expect(await json(target, 'resume', FLOW)).toEqual({ flow: FLOW, resumed: true });
      expect(await json(target, 'redrive', '--dry-run')).toMatchObject({ wouldMove: 0 });
    }
  });

  it('plans and runs a backfill, reconciles, resolves a failure and unlinks a pair, through the outputs file and sfi local', async () => {
    const ACCOUNTS = 'account-customer';
    await new Promise((r) => setTimeout(r, 1100));
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 1100));
    // Outbound messages are held in this stack: only the backfill brings the new account.
    const account = stack.salesforce.asUser.create('Account', {
      Name: 'Backfilled Co',
      AccountNumber: 'BF-1',
    });

    const plan = await json('outputs', 'dry-run', ACCOUNTS, '--since', since, '--json');
    expect(plan.counts).toMatchObject({ create: 1, update: 0, fail: 0 });
    expect(plan.items).toMatchObject([{ action: 'create', salesforceId: account, intacctKey: 'BF-1' }]);
    expect(await json('local', 'backfill', ACCOUNTS, '--since', since, '--dry-run', '--json')).toMatchObject({
      counts: plan.counts,
      cost: plan.cost,
    });
    expect(stack.intacct.record('CUSTOMER', 'BF-1')).toBeUndefined();

    const done = await json('outputs', 'backfill', ACCOUNTS, '--since', since, '--json');
    expect(done).toMatchObject({ flow: ACCOUNTS, enqueued: 1, stillQueued: 0 });
    await idle(stack);
    expect(stack.intacct.record('CUSTOMER', 'BF-1')?.NAME).toBe('Backfilled Co');

    for (const target of ['outputs', 'local'] as const)
      expect((await json(target, 'reconcile', ACCOUNTS, '--json')).counts).toMatchObject({
        drifted: 0,
        onlyInSalesforce: 0,
        onlyInIntacct: 0,
      });

    // A permanent failure (two customers match the name), resolved by hand.
    for (const id of ['TW-1', 'TW-2'])
      stack.intacct.userCreate('CUSTOMER', {
        CUSTOMERID: id,
        NAME: 'Twin Co',
        DISPLAYCONTACT: { PRINTAS: 'Twin' },
      });
    const twin = stack.salesforce.asUser.create('Account', { Name: 'Twin Co' });
    expect(await json('local', 'replay', ACCOUNTS, twin)).toMatchObject({ enqueued: 1 });
    await idle(stack);
    expect(await json('outputs', 'failures', '--json', '--flow', ACCOUNTS)).toMatchObject([
      { code: 'AMBIGUOUS_MATCH', ids: { recordId: twin } },
    ]);
    expect(await json('outputs', 'failures', 'resolve', ACCOUNTS, twin)).toMatchObject({
      id: twin,
      resolved: 1,
    });
    expect(await json('local', 'failures', '--json', '--flow', ACCOUNTS)).toEqual([]);

    // The backfilled pair unlinked: once, then the link is gone and the command says so.
    expect(await json('outputs', 'unlink', ACCOUNTS, account)).toEqual({
      unlinked: { flow: ACCOUNTS, salesforceId: account, intacctKey: 'BF-1' },
    });
    const again = await sfi('local', 'unlink', ACCOUNTS, account);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${ACCOUNTS} has no link for ${account}`);
  });

  it('says what to do for a wrong stack, no credentials, a bad outputs file, an unknown flow or schedule', async () => {
    const wrong = await sfi('outputs', 'status', '--stack', 'nope');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('give --stack or --outputs, not both');

    const missing = await promisify(execFile)(process.execPath, ['bin/sfi.ts', 'status', '--stack', 'nope'], {
      env: deployedEnv,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(missing.stderr).toContain('no stack "nope-stateful"');
    expect(missing.stderr).toContain('fix: --stack is the name prefix given to cdk deploy');

    const noCredentials = await promisify(execFile)(
      process.execPath,
      ['bin/sfi.ts', 'status', '--stack', 'prod', '--region', 'eu-west-1'],
      { env: { PATH: process.env.PATH, HOME: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' } },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(noCredentials.stderr).toContain('no AWS credentials');
    expect(noCredentials.stderr).toContain('fix: set AWS_PROFILE');

    const badFile = join(mkdtempSync(join(tmpdir(), 'sfi-bad-')), 'out.json');
    writeFileSync(badFile, JSON.stringify({ 'x-stateful': { JobsQueueUrl: 'q' } }));
    const bad = await promisify(execFile)(process.execPath, ['bin/sfi.ts', 'status', '--outputs', badFile], {
      env: deployedEnv,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(bad.stderr).toContain('lacks the outputs DeadLetterQueueUrl, StateTableName');

    const unknownFlow = await sfi('outputs', 'pause', 'acount-customer');
    expect(unknownFlow.code).toBe(1);
    expect(unknownFlow.stderr).toContain('no flow "acount-customer" in the sync config; the flows are: ');
    const unknownSchedule = await sfi('outputs', 'run-schedule', 'nightly');
    expect(unknownSchedule.stderr).toContain('no schedule "nightly"; the schedules are: salesforce-delta');

    const local = await promisify(execFile)(
      process.execPath,
      ['bin/sfi.ts', 'status', '--url', 'http://127.0.0.1:9'],
      {
        env: { PATH: process.env.PATH },
      },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(local.stderr).toContain('cannot reach sfi local at http://127.0.0.1:9');
    expect(local.stderr).toContain('--stack <prefix> or --outputs');
  });
});

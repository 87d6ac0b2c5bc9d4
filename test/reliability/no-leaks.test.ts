/**
 * Nothing sensitive leaks: the fault scenario of faults.test.ts, smaller (random 5xx/429/524,
 * expired sessions and tokens, duplicated outbound messages, a worker killed mid-batch, permanent
 * failures, refused and accepted webhook requests), with unique secret values and debug logging.
 * Then every log line the handlers wrote, every item of the three tables (failure log, audit,
 * stats, crosswalk, state), the control API's status and every DLQ message are scanned for each
 * secret value: 0 hits. (The config has no "sensitive" field marking to scan for as well.)
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '#local/aws/embedded-aws.ts';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { fakeId, outboundMessage } from '../fixtures/outbound-message.ts';
import { eventually, testConfig } from '../helpers/config.ts';
import { runSchedule, settle, status } from '../helpers/local-stack.ts';
import { postOutbound, postPush, readDeadLetters } from '../helpers/reliability.ts';

const N = 30;
const unique = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;
const config = testConfig();
const secrets = {
  salesforce: { clientSecret: unique('sf-client-secret'), password: unique('sf-password') },
  intacct: { senderPassword: unique('ia-sender-password'), userPassword: unique('ia-user-password') },
};

let stack: LocalStack;
const output: string[] = [];
const writes = { stdout: process.stdout.write, stderr: process.stderr.write };

beforeAll(async () => {
  // Every level, so a secret in a debug line counts too; captured, not echoed.
  process.env.LOG_LEVEL = 'debug';
  for (const name of ['stdout', 'stderr'] as const) {
    process[name].write = ((chunk: string | Uint8Array) => {
      output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof process.stdout.write;
  }
  stack = await startLocalStack({
    config,
    seed: 'empty',
    timers: false,
    runtime: { visibilityTimeoutSeconds: 2 },
    salesforce: { credentials: { orgId: config.salesforce.orgId, ...secrets.salesforce } },
    intacct: { credentials: secrets.intacct },
  });
});
afterAll(async () => {
  await stack?.stop(2000);
  process.stdout.write = writes.stdout;
  process.stderr.write = writes.stderr;
});

/** Every place a secret could end up, as text. */
async function haystacks(): Promise<Record<'logs' | 'tables' | 'status' | 'dlq', string[]>> {
  const ddb = new DynamoDBClient(localClientConfig(stack.runtime.aws.dynamodbEndpoint));
  const tables: string[] = [];
  for (const table of Object.values(stack.runtime.aws.tables)) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await ddb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start as never }));
      for (const item of page.Items ?? []) tables.push(JSON.stringify(item));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
  }
  ddb.destroy();
  const dead = await readDeadLetters(stack);
  return {
    logs: output.join('').split('\n'),
    tables,
    status: [JSON.stringify(await status(stack))],
    dlq: dead.map((d) => JSON.stringify({ body: d.body, attributes: d.attributes })),
  };
}

describe('no secret in logs, tables or the DLQ after the fault scenario', () => {
  it('finds each Salesforce, Intacct and webhook secret value 0 times', async () => {
    const sf = stack.salesforce;
    const ia = stack.intacct;
    // The jobs wait on the queue until the worker is let go below, so that a batch is surely in
    // flight when it crashes (a quick one could start and end between two looks).
    const release = await stack.runtime.holdWorker();
    sf.outbound.configure({ duplicateRate: 0.3, reorder: true });
    sf.setFaults({ errorRate: 0.1, concurrentLimitNext: 2, failNext: { count: 2 } });
    ia.setFaults({ rate429: 0.05, rate5xx: 0.05, rate524: 0.05 });
    ia.injectFaults('429', 'expire-sessions', '524', '429');
    for (let i = 0; i < 2; i++)
      for (const side of ['a', 'b'])
        ia.userCreate('CONTACT', {
          CONTACTNAME: `Leak ${i}${side}`,
          PRINTAS: `Leak ${i}${side}`,
          EMAIL1: `leak${i}@x.example`,
        });
    for (let i = 0; i < 2; i++)
      sf.asUser.create('Contact', { LastName: `Leak ${i}`, Email: `leak${i}@x.example` });
    ia.userCreate('CUSTOMER', {
      CUSTOMERID: 'LEAK-PHONE',
      NAME: 'Leak Phone',
      DISPLAYCONTACT: { PRINTAS: 'Leak Phone', PHONE1: `+1 555 ${'0'.repeat(60)}` },
    });
    for (let i = 0; i < N; i++) {
      sf.asUser.create('Account', { Name: `Leak SF ${i}`, AccountNumber: `LSF-${i}` });
      ia.userCreate('CUSTOMER', {
        CUSTOMERID: `LIA-${i}`,
        NAME: `Leak IA ${i}`,
        DISPLAYCONTACT: { PRINTAS: `Leak IA ${i}` },
      });
    }
    // Webhook traffic carrying the webhook secrets: accepted and refused, header and path.
    const push = JSON.stringify({ object: 'CUSTOMER', id: 'LIA-0' });
    const { intacctSharedSecret, salesforcePathToken } = stack.runtime.webhookSecret;
    expect((await postPush(stack, push)).status).toBe(202);
    const byPath = await fetch(`${stack.runtime.intacctPushUrl}/${intacctSharedSecret}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: push,
    });
    expect(byPath.status).toBe(202);
    expect((await postPush(stack, '{"object":', { secret: intacctSharedSecret })).status).toBe(400);
    const wrongOrg = outboundMessage({
      orgId: '00D000000000009AAA',
      notifications: [{ id: fakeId('04l', 1), fields: { Id: fakeId('001', 1) } }],
    });
    expect((await postOutbound(stack, wrongOrg)).status).toBe(403);
    expect((await postOutbound(stack, '<broken')).status).toBe(400);

    await runSchedule(stack, 'intacct-delta').catch(() => undefined);
    // Slow Intacct answers keep the first batch in flight long enough to be seen.
    ia.setLatency(200);
    release();
    await eventually(
      async () => ((await status(stack)) as unknown as { worker: { inFlight: number } }).worker.inFlight > 0,
      30_000,
      'a batch in flight',
    );
    await stack.runtime.crashWorker();
    ia.setLatency(0);
    sf.expireTokens();
    ia.expireSessions();
    for (let round = 0; round < 2; round++) {
      await runSchedule(stack, 'salesforce-delta').catch(() => undefined);
      await runSchedule(stack, 'intacct-delta').catch(() => undefined);
      await settle(stack, 120_000);
    }
    sf.setFaults({ errorRate: 0 });
    ia.setFaults({ rate429: 0, rate5xx: 0, rate524: 0 });
    sf.outbound.configure({ duplicateRate: 0, reorder: false });
    await runSchedule(stack, 'salesforce-delta');
    await runSchedule(stack, 'intacct-delta');
    await settle(stack, 120_000);

    const found = await haystacks();
    // The scan looked at real material: debug logs, failures with reasons, dead letters.
    expect(found.logs.length).toBeGreaterThan(100);
    expect(found.tables.some((t) => t.includes('AMBIGUOUS_MATCH'))).toBe(true);
    expect(found.dlq.length).toBeGreaterThanOrEqual(3);
    expect(ia.counters().faultsInjected['expire-sessions'] ?? 0).toBeGreaterThanOrEqual(1);

    const values = {
      ...secrets.salesforce,
      ...secrets.intacct,
      salesforcePathToken,
      intacctSharedSecret,
    };
    const hits = Object.entries(values).flatMap(([name, value]) =>
      Object.entries(found).flatMap(([where, lines]) =>
        lines
          .filter((line) => line.includes(value))
          .map((line) => `${name} in ${where}: ${line.slice(0, 300)}`),
      ),
    );
    expect(hits).toEqual([]);
    // And the scan would have seen one: a planted value is found.
    expect(
      [...found.logs, `x${values.userPassword}x`].filter((l) => l.includes(values.userPassword)),
    ).toHaveLength(1);
  }, 300_000);
});

/**
 * The failure digest (DESIGN §9) on the real ledger and digest store in DynamoDB (dynalite), with
 * a clock the test moves and a publisher that records: one message per flow per window, a failure
 * listed once however often the digest runs (concurrently too), and a failed publish sent later.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedAws, localClientConfig, startEmbeddedAws } from '#local/aws/embedded-aws.ts';
import { DynamoLedger } from '#shared/aws/ledger.ts';
import { createLogger } from '#shared/observability/logger.ts';
import { makeFailureDigest } from '#shared/ops/digest.ts';
import type { DigestMessage, DigestPublisher } from '#shared/ops/digest-ports.ts';
import { DynamoDigestStore } from '#shared/ops/digest-store.ts';
import { testConfig } from '../../helpers/config.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-01T10:05:00.000Z');

describe('failure digest', () => {
  let aws: EmbeddedAws;
  let db: DynamoDBDocumentClient;
  let ledger: DynamoLedger;
  beforeAll(async () => {
    aws = await startEmbeddedAws({ config: testConfig(), prefix: 'sfi-digest' });
    db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(aws.dynamodbEndpoint)), {
      marshallOptions: { removeUndefinedValues: true },
    });
    ledger = new DynamoLedger({ db, table: aws.tables.ledger, auditDays: 1, failureDays: 1 });
  });
  afterAll(() => aws.stop());

  /** A digest of one flow with its own clock and publisher (another scheduler instance). */
  function digestOf(flow: string, options: { at?: () => number; publisher?: DigestPublisher } = {}) {
    const sent: DigestMessage[] = [];
    const clock = { now: options.at?.() ?? T0 };
    const run = makeFailureDigest({
      flows: [flow],
      ledger,
      store: new DynamoDigestStore({ db, table: aws.tables.state, markDays: 1 }),
      publisher: options.publisher ?? {
        publish: async (m) => {
          sent.push(m);
          return { messageId: `msg-${sent.length}` };
        },
      },
      digestMinutes: 60,
      maxListed: 50,
      owner: Math.random().toString(36),
      logger: createLogger({ service: 'test', level: 'silent' }),
      now: () => new Date(options.at?.() ?? clock.now),
    });
    return { run, sent, clock };
  }

  const fail = (flow: string, recordId: string, code: string, at: number) =>
    ledger.failure({
      flow,
      id: `m-${recordId}-${at}`,
      at: new Date(at).toISOString(),
      code,
      message: `${code} for ${recordId}`,
      hint: 'fix it, then run sfi redrive',
      retryable: false,
      ids: { recordId, salesforceId: recordId, intacctKey: `K-${recordId}` },
    });

  it('sends one message listing the new failures, then nothing in that window or the next while nothing is new', async () => {
    const d = digestOf('flow-a');
    expect(await d.run()).toEqual([{ flow: 'flow-a', sent: false, reason: 'nothing new' }]);
    await fail('flow-a', '006A', 'ITEM_NOT_IN_INTACCT', T0 - 60_000);
    await fail('flow-a', '006A', 'ITEM_NOT_IN_INTACCT', T0 - 30_000);
    await fail('flow-a', '006B', 'PERIOD_CLOSED', T0 - 20_000);
    expect(await d.run()).toMatchObject([
      { flow: 'flow-a', sent: true, digest: { windowStart: '2026-12-01T10:00:00.000Z', failures: 2 } },
    ]);
    expect(d.sent).toHaveLength(1);
    expect(d.sent[0]?.text).toContain('ITEM_NOT_IN_INTACCT (missing-reference), 2 times');
    expect(d.sent[0]?.text).toContain('record: 006B; Salesforce: 006B; Intacct: K-006B');
    await d.run();
    // A repeat of a listed failure raises its count; it is not news.
    await fail('flow-a', '006A', 'ITEM_NOT_IN_INTACCT', T0 + HOUR);
    d.clock.now = T0 + HOUR;
    expect(await d.run()).toEqual([{ flow: 'flow-a', sent: false, reason: 'nothing new' }]);
    expect(d.sent).toHaveLength(1);
  });

  it('holds a failure that arrives after the window’s digest for the next window', async () => {
    const d = digestOf('flow-b');
    await fail('flow-b', '006C', 'PARENT_NOT_SYNCED', T0);
    await d.run();
    await fail('flow-b', '006D', 'PARENT_NOT_SYNCED', T0 + 60_000);
    d.clock.now = T0 + 20 * 60_000;
    expect(await d.run()).toEqual([{ flow: 'flow-b', sent: false, reason: 'window taken' }]);
    d.clock.now = T0 + HOUR;
    expect(await d.run()).toMatchObject([{ sent: true, digest: { failures: 1 } }]);
    expect(d.sent.map((m) => m.attributes.failures)).toEqual([1, 1]);
    expect(d.sent[1]?.text).toContain('record: 006D');
  });

  it('lists a failure again when the record fails anew after it was resolved', async () => {
    const d = digestOf('flow-c');
    await fail('flow-c', '006E', 'DOCUMENT_LINE_INVALID', T0);
    await d.run();
    await ledger.resolveFailures('flow-c', ['006E'], new Date(T0 + 1000).toISOString());
    await fail('flow-c', '006E', 'DOCUMENT_LINE_INVALID', T0 + 2 * HOUR);
    d.clock.now = T0 + 2 * HOUR;
    await d.run();
    expect(d.sent).toHaveLength(2);
  });

  it('sends one message when two runs race for one window', async () => {
    await fail('flow-d', '006F', 'ITEM_NOT_IN_INTACCT', T0);
    const [a, b] = [digestOf('flow-d'), digestOf('flow-d')];
    await Promise.all([a.run(), b.run()]);
    expect(a.sent.length + b.sent.length).toBe(1);
  });

  it('lists each failure once when runs in two windows race', async () => {
    for (const id of ['0061', '0062', '0063', '0064', '0065', '0066'])
      await fail('flow-e', id, 'ITEM_NOT_IN_INTACCT', T0);
    const a = digestOf('flow-e', { at: () => T0 });
    const b = digestOf('flow-e', { at: () => T0 + HOUR });
    await Promise.all([a.run(), b.run()]);
    const listed = [...a.sent, ...b.sent].flatMap((m) =>
      [...m.text.matchAll(/record: (\d+);/g)].map((x) => x[1]),
    );
    expect(listed.sort()).toEqual(['0061', '0062', '0063', '0064', '0065', '0066']);
  });

  it('sends the failures of a failed publish with the next run', async () => {
    await fail('flow-f', '006G', 'PERIOD_CLOSED', T0);
    const broken = digestOf('flow-f', {
      publisher: {
        publish: async () => {
          throw new Error('SNS unavailable');
        },
      },
    });
    await expect(broken.run()).rejects.toThrow('SNS unavailable');
    const d = digestOf('flow-f');
    expect(await d.run()).toMatchObject([{ sent: true, digest: { failures: 1 } }]);
    expect(d.sent[0]?.text).toContain('record: 006G');
  });
});

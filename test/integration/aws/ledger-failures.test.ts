/**
 * Failures as records (DESIGN §9) on the real ledger adapter and DynamoDB (dynalite): a repeat of
 * one record and code is one failure with a count, a later sync resolves it and keeps it as
 * resolved, and a failure recorded again while it is being resolved stays open.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedAws, localClientConfig, startEmbeddedAws } from '#local/aws/embedded-aws.ts';
import { DynamoLedger, type FailureEntry } from '#shared/aws/ledger.ts';
import { testConfig } from '../../helpers/config.ts';

const entry = (recordId: string, code: string, at: string, id = `m-${at}`): FailureEntry => ({
  flow: 'opportunity-order',
  id,
  at,
  code,
  message: `${code} for ${recordId}`,
  hint: 'fix it, then run sfi redrive',
  retryable: false,
  ids: { recordId, salesforceId: recordId },
});

describe('failures as records', () => {
  let aws: EmbeddedAws;
  let ledger: DynamoLedger;
  beforeAll(async () => {
    aws = await startEmbeddedAws({ config: testConfig(), prefix: 'sfi-ledger' });
    const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(aws.dynamodbEndpoint)), {
      marshallOptions: { removeUndefinedValues: true },
    });
    ledger = new DynamoLedger({ db, table: aws.tables.ledger, auditDays: 1, failureDays: 1 });
  });
  afterAll(() => aws.stop());

  it('counts repeats of one record and code in one open failure, classified, first and last seen kept', async () => {
    await ledger.failure(entry('006A', 'ITEM_NOT_IN_INTACCT', '2026-12-01T10:00:00.000Z'));
    await ledger.failure(entry('006A', 'ITEM_NOT_IN_INTACCT', '2026-12-01T11:00:00.000Z'));
    await ledger.failure(entry('006A', 'PERIOD_CLOSED', '2026-12-01T11:30:00.000Z'));
    const open = await ledger.openFailures('opportunity-order');
    expect(open.map((f) => [f.code, f.count, f.class, f.firstSeen, f.at]).sort()).toEqual([
      ['ITEM_NOT_IN_INTACCT', 2, 'missing-reference', '2026-12-01T10:00:00.000Z', '2026-12-01T11:00:00.000Z'],
      ['PERIOD_CLOSED', 1, 'closed-period', '2026-12-01T11:30:00.000Z', '2026-12-01T11:30:00.000Z'],
    ]);
  });

  it('resolves the open failures of a record that synced, keeps them as resolved, and leaves others open', async () => {
    await ledger.failure(entry('006B', 'DOCUMENT_LINE_INVALID', '2026-12-01T12:00:00.000Z'));
    expect(await ledger.resolveFailures('opportunity-order', ['006A'], '2026-12-01T13:00:00.000Z')).toBe(2);
    const open = await ledger.openFailures('opportunity-order');
    expect(open.map((f) => f.ids.recordId)).toEqual(['006B']);
    const recent = await ledger.recentFailures(10);
    expect(recent.filter((f) => f.ids.recordId === '006A')).toMatchObject([
      { state: 'resolved', resolvedAt: '2026-12-01T13:00:00.000Z' },
      { state: 'resolved', resolvedAt: '2026-12-01T13:00:00.000Z' },
    ]);
    // A new failure of the resolved record opens a new one, counted from 1.
    await ledger.failure(entry('006A', 'ITEM_NOT_IN_INTACCT', '2026-12-01T14:00:00.000Z'));
    expect(
      (await ledger.openFailures('opportunity-order')).find((f) => f.ids.recordId === '006A'),
    ).toMatchObject({
      count: 1,
      state: 'open',
    });
  });

  it('keeps a failure open when it is recorded again between the read and the resolve', async () => {
    await ledger.failure(entry('006C', 'PARENT_NOT_SYNCED', '2026-12-01T15:00:00.000Z'));
    const read = ledger.openFailures.bind(ledger);
    // The record fails again right after the resolver read the open failures.
    ledger.openFailures = async (flow) => {
      const seen = await read(flow);
      await ledger.failure(entry('006C', 'PARENT_NOT_SYNCED', '2026-12-01T15:01:00.000Z'));
      return seen;
    };
    try {
      expect(await ledger.resolveFailures('opportunity-order', ['006C'], '2026-12-01T15:02:00.000Z')).toBe(0);
    } finally {
      ledger.openFailures = read;
    }
    expect(
      (await ledger.openFailures('opportunity-order')).find((f) => f.ids.recordId === '006C'),
    ).toMatchObject({
      count: 2,
      state: 'open',
    });
  });
});

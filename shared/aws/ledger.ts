/**
 * The ledger table: per-flow per-day stats, per-record audit and the failure log (DESIGN §3.7).
 * Keys: stats `pk=stats#<day>` `sk=<flow>`; audit `pk=audit#<flow>#<recordId>` `sk=<at>#<id>`;
 * failures `pk=failure#<flow>` `sk=<at>#<id>` with `kind=failure` for the byKind index.
 */
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';

export const STAT_NAMES = ['received', 'created', 'updated', 'skipped', 'failed'] as const;
export type StatName = (typeof STAT_NAMES)[number];

export interface AuditEntry {
  flow: string;
  recordId: string;
  id: string;
  at: string;
  action: string;
  detail: Record<string, unknown>;
}

export interface FailureEntry {
  flow: string;
  id: string;
  at: string;
  code: string;
  message: string;
  hint?: string;
  retryable: boolean;
  ids: Record<string, string | undefined>;
  job?: unknown;
}

export interface Ledger {
  addStats(flow: string, day: string, counts: Partial<Record<StatName, number>>): Promise<void>;
  audit(entries: readonly AuditEntry[]): Promise<void>;
  failure(entry: FailureEntry): Promise<void>;
  statsForDay(day: string): Promise<Record<string, Record<StatName, number>>>;
  recentFailures(limit: number): Promise<FailureEntry[]>;
  /** Adds Intacct API transactions to the month's total and returns the new total. */
  addIntacctTransactions(month: string, count: number): Promise<number>;
}

const DAY = 86_400;

export class DynamoLedger implements Ledger {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #auditTtlDays: number;
  readonly #failureTtlDays: number;

  constructor(options: {
    db: DynamoDBDocumentClient;
    table: string;
    auditDays: number;
    failureDays: number;
  }) {
    this.#db = options.db;
    this.#table = options.table;
    this.#auditTtlDays = options.auditDays;
    this.#failureTtlDays = options.failureDays;
  }

  async addStats(flow: string, day: string, counts: Partial<Record<StatName, number>>): Promise<void> {
    const names = STAT_NAMES.filter((n) => (counts[n] ?? 0) > 0);
    if (names.length === 0) return;
    await this.#db.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: `stats#${day}`, sk: flow },
        UpdateExpression: `ADD ${names.map((_n, i) => `#n${i} :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#n${i}`, n])),
        ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, counts[n]])),
      }),
    );
  }

  async audit(entries: readonly AuditEntry[]): Promise<void> {
    const expiresAt = Math.floor(Date.now() / 1000) + this.#auditTtlDays * DAY;
    const items = entries.map((e) => ({
      pk: `audit#${e.flow}#${e.recordId}`,
      sk: `${e.at}#${e.id}`,
      kind: 'audit',
      expiresAt,
      ...e,
    }));
    await this.#batchPut(items);
  }

  async failure(entry: FailureEntry): Promise<void> {
    const expiresAt = Math.floor(Date.now() / 1000) + this.#failureTtlDays * DAY;
    await this.#batchPut([
      { pk: `failure#${entry.flow}`, sk: `${entry.at}#${entry.id}`, kind: 'failure', expiresAt, ...entry },
    ]);
  }

  async addIntacctTransactions(month: string, count: number): Promise<number> {
    const out = await this.#db.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: `usage#${month}`, sk: 'intacct' },
        UpdateExpression: 'ADD transactions :n',
        ExpressionAttributeValues: { ':n': count },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.transactions ?? count);
  }

  async statsForDay(day: string): Promise<Record<string, Record<StatName, number>>> {
    const out = await this.#db.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `stats#${day}` },
      }),
    );
    const stats: Record<string, Record<StatName, number>> = {};
    for (const item of out.Items ?? []) {
      stats[String(item.sk)] = Object.fromEntries(STAT_NAMES.map((n) => [n, Number(item[n] ?? 0)])) as Record<
        StatName,
        number
      >;
    }
    return stats;
  }

  async recentFailures(limit: number): Promise<FailureEntry[]> {
    const out = await this.#db.send(
      new QueryCommand({
        TableName: this.#table,
        IndexName: 'byKind',
        KeyConditionExpression: 'kind = :k',
        ExpressionAttributeValues: { ':k': 'failure' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(
      ({ pk: _pk, sk: _sk, kind: _kind, expiresAt: _e, ...rest }) => rest as FailureEntry,
    );
  }

  /** BatchWriteItem takes 25 items; unprocessed items are retried a bounded number of times. */
  async #batchPut(items: Array<Record<string, unknown>>): Promise<void> {
    for (let i = 0; i < items.length; i += 25) {
      let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt === 5)
          throw new Error(`DynamoDB left ${requests.length} audit items unprocessed after 5 attempts`);
        const out = await this.#db.send(new BatchWriteCommand({ RequestItems: { [this.#table]: requests } }));
        requests = (out.UnprocessedItems?.[this.#table] ?? []) as typeof requests;
        if (requests.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
  }
}

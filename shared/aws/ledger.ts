/**
 * The ledger table: per-flow per-day stats, per-record audit and the failures (DESIGN §3.7, §9).
 * Keys: stats `pk=stats#<day>` `sk=<flow>`; audit `pk=audit#<flow>#<recordId>` `sk=<at>#<id>`;
 * failures `pk=failure#<flow>`, open ones `sk=open#<recordId>#<code>` (a repeat of the record and
 * code raises its count), resolved ones `sk=resolved#<recordId>#<code>#<resolvedAt>`; all with
 * `kind=failure` and `at` = last seen for the byKind index. Usage: `pk=usage#<month>` `sk=intacct`
 * (transactions), `pk=usage#salesforce` `sk=api` (the newest Salesforce API use reading).
 */
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { classify, type FailureClass } from '#shared/failure-classes.ts';

/** The last `Sforce-Limit-Info: api-usage=used/limit` the worker saw, and when (ISO). */
export interface SalesforceReading {
  used: number;
  limit: number;
  at: string;
}

const SALESFORCE_USAGE_KEY = { pk: 'usage#salesforce', sk: 'api' };

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
  /** The queue message that failed last. */
  id: string;
  /** When it was last seen. */
  at: string;
  code: string;
  message: string;
  hint?: string;
  retryable: boolean;
  ids: Record<string, string | undefined>;
  job?: unknown;
}

/** A failure as the ledger keeps it: one per record and code while open, with its history. */
export interface FailureRecord extends FailureEntry {
  state: 'open' | 'resolved';
  class: FailureClass;
  /** How many times this record failed with this code while the failure was open. */
  count: number;
  firstSeen: string;
  resolvedAt?: string;
}

export interface Ledger {
  addStats(flow: string, day: string, counts: Partial<Record<StatName, number>>): Promise<void>;
  audit(entries: readonly AuditEntry[]): Promise<void>;
  /** Records a failure: a new open one, or a repeat of the record's open failure with that code. */
  failure(entry: FailureEntry): Promise<void>;
  /** Resolves the open failures of these records (a later sync of theirs succeeded). */
  resolveFailures(flow: string, recordIds: readonly string[], at: string): Promise<number>;
  /** The open failures of a flow. */
  openFailures(flow: string): Promise<FailureRecord[]>;
  statsForDay(day: string): Promise<Record<string, Record<StatName, number>>>;
  /** Failures open and resolved, the last seen first. */
  recentFailures(limit: number): Promise<FailureRecord[]>;
  /** Adds Intacct API transactions to the month's total and returns the new total. */
  addIntacctTransactions(month: string, count: number): Promise<number>;
  /** Keeps the newest Salesforce API use reading (an older one never replaces it). */
  recordSalesforceUsage(reading: SalesforceReading): Promise<void>;
  salesforceUsage(): Promise<SalesforceReading | undefined>;
}

const DAY = 86_400;

function toFailure(item: Record<string, unknown>): FailureRecord {
  const { pk: _pk, sk: _sk, kind: _kind, expiresAt: _e, ...rest } = item;
  const f = rest as unknown as FailureRecord;
  return {
    ...f,
    state: f.state ?? 'open',
    class: f.class ?? classify(f.code),
    count: Number(f.count ?? 1),
    firstSeen: f.firstSeen ?? f.at,
  };
}

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
    const recordId = entry.ids.recordId ?? entry.id;
    const fields: Record<string, unknown> = {
      kind: 'failure',
      state: 'open',
      class: classify(entry.code),
      expiresAt,
      ...entry,
    };
    const names = Object.keys(fields);
    await this.#db.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: `failure#${entry.flow}`, sk: `open#${recordId}#${entry.code}` },
        UpdateExpression: `SET ${names.map((_n, i) => `#f${i} = :f${i}`).join(', ')}, #first = if_not_exists(#first, :at) ADD #count :one`,
        ExpressionAttributeNames: {
          ...Object.fromEntries(names.map((n, i) => [`#f${i}`, n])),
          '#first': 'firstSeen',
          '#count': 'count',
        },
        ExpressionAttributeValues: {
          ...Object.fromEntries(names.map((n, i) => [`:f${i}`, fields[n]])),
          ':at': entry.at,
          ':one': 1,
        },
      }),
    );
  }

  async openFailures(flow: string): Promise<FailureRecord[]> {
    const out: FailureRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :open)',
          ExpressionAttributeValues: { ':pk': `failure#${flow}`, ':open': 'open#' },
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(page.Items ?? []).map(toFailure));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return out;
  }

  /**
   * Moves each open failure of these records to a resolved one. The delete is conditional on the
   * count that was read: a failure recorded again meanwhile stays open (it is newer news).
   */
  async resolveFailures(flow: string, recordIds: readonly string[], at: string): Promise<number> {
    if (recordIds.length === 0) return 0;
    const wanted = new Set(recordIds);
    const open = (await this.openFailures(flow)).filter((f) => wanted.has(f.ids.recordId ?? f.id));
    let resolved = 0;
    for (const f of open) {
      const recordId = f.ids.recordId ?? f.id;
      try {
        await this.#db.send(
          new DeleteCommand({
            TableName: this.#table,
            Key: { pk: `failure#${flow}`, sk: `open#${recordId}#${f.code}` },
            ConditionExpression: '#count = :n',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':n': f.count },
          }),
        );
      } catch (error) {
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') continue;
        throw error;
      }
      await this.#batchPut([
        {
          ...f,
          pk: `failure#${flow}`,
          sk: `resolved#${recordId}#${f.code}#${at}`,
          kind: 'failure',
          state: 'resolved',
          resolvedAt: at,
          at,
          expiresAt: Math.floor(Date.now() / 1000) + this.#failureTtlDays * DAY,
        },
      ]);
      resolved++;
    }
    return resolved;
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

  async recordSalesforceUsage(reading: SalesforceReading): Promise<void> {
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: SALESFORCE_USAGE_KEY,
          UpdateExpression: 'SET used = :u, #limit = :l, #at = :a',
          ConditionExpression: 'attribute_not_exists(#at) OR #at <= :a',
          ExpressionAttributeNames: { '#limit': 'limit', '#at': 'at' },
          ExpressionAttributeValues: { ':u': reading.used, ':l': reading.limit, ':a': reading.at },
        }),
      );
    } catch (error) {
      // Another instance recorded a newer reading meanwhile: keep it.
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  async salesforceUsage(): Promise<SalesforceReading | undefined> {
    const out = await this.#db.send(new GetCommand({ TableName: this.#table, Key: SALESFORCE_USAGE_KEY }));
    const item = out.Item;
    if (item === undefined) return undefined;
    return { used: Number(item.used), limit: Number(item.limit), at: String(item.at) };
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

  async recentFailures(limit: number): Promise<FailureRecord[]> {
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
    return (out.Items ?? []).map(toFailure);
  }

  /**
   * Audit entries of every flow, the newest first (the byKind index, as recentFailures): what the
   * sync wrote where, for the console's recent activity.
   */
  async recentAudit(limit: number): Promise<AuditEntry[]> {
    const out = await this.#db.send(
      new QueryCommand({
        TableName: this.#table,
        IndexName: 'byKind',
        KeyConditionExpression: 'kind = :k',
        ExpressionAttributeValues: { ':k': 'audit' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => {
      const { pk: _pk, sk: _sk, kind: _kind, expiresAt: _e, ...entry } = item;
      return entry as AuditEntry;
    });
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

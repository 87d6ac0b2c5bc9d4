/**
 * The state table: scheduler leases (`pk=lease#<name>`), run records (`pk=run#<name>`) and, for the
 * sync engine, watermarks (`pk=watermark#<flow>#<side>`). Leases use conditional writes so two
 * runs of one schedule never overlap, even across Lambda instances.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';

export interface RunRecord {
  schedule: string;
  startedAt: string;
  finishedAt: string;
  /**
   * `no-task`: the schedule has nothing to run yet — never reported as `ok`. `partial`: the time
   * budget ran out; the next run resumes where this one stopped.
   */
  status: 'ok' | 'partial' | 'failed' | 'skipped' | 'no-task';
  enqueued: number;
  detail?: string;
}

export interface StateStore {
  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, owner: string): Promise<void>;
  recordRun(run: RunRecord): Promise<void>;
  recentRuns(schedule: string, limit: number): Promise<RunRecord[]>;
  /** Where the last delta poll of a flow on one side ended (ISO instant), if it ever ran. */
  getWatermark(flow: string, side: string): Promise<string | undefined>;
  setWatermark(flow: string, side: string, at: string): Promise<void>;
  /** Where an unfinished poll of a flow on one side stands (`pk=poll#<flow>#<side>`), if one is. */
  getPollState<T>(flow: string, side: string): Promise<T | undefined>;
  /** Saves it after each enqueued page; `undefined` clears it (the window is done). */
  setPollState<T>(flow: string, side: string, state: T | undefined): Promise<void>;
  /** The latest report of a kind for a flow (`pk=report#<kind>#<flow>`): the reconciliation's. */
  saveReport(kind: string, flow: string, report: unknown): Promise<void>;
  latestReport<T>(kind: string, flow: string): Promise<T | undefined>;
}

export class DynamoStateStore implements StateStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #now: () => number;

  constructor(options: { db: DynamoDBDocumentClient; table: string; now?: () => number }) {
    this.#db = options.db;
    this.#table = options.table;
    this.#now = options.now ?? Date.now;
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.#now();
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            pk: `lease#${name}`,
            sk: 'lease',
            owner,
            until: now + ttlMs,
            expiresAt: Math.ceil((now + ttlMs) / 1000) + 3600,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #until < :now OR #owner = :owner',
          ExpressionAttributeNames: { '#until': 'until', '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': now, ':owner': owner },
        }),
      );
      return true;
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as Error).name === 'ConditionalCheckFailedException'
      )
        return false;
      throw error;
    }
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    try {
      await this.#db.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { pk: `lease#${name}`, sk: 'lease' },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  async recordRun(run: RunRecord): Promise<void> {
    const expiresAt = Math.floor(this.#now() / 1000) + 30 * 86_400;
    await this.#db.send(
      new PutCommand({
        TableName: this.#table,
        Item: { pk: `run#${run.schedule}`, sk: run.startedAt, expiresAt, ...run },
      }),
    );
  }

  async getWatermark(flow: string, side: string): Promise<string | undefined> {
    const out = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: { pk: `watermark#${flow}#${side}`, sk: 'wm' } }),
    );
    return typeof out.Item?.at === 'string' ? out.Item.at : undefined;
  }

  async setWatermark(flow: string, side: string, at: string): Promise<void> {
    await this.#db.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          pk: `watermark#${flow}#${side}`,
          sk: 'wm',
          at,
          updatedAt: new Date(this.#now()).toISOString(),
        },
      }),
    );
  }

  async getPollState<T>(flow: string, side: string): Promise<T | undefined> {
    const out = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: { pk: `poll#${flow}#${side}`, sk: 'poll' } }),
    );
    return typeof out.Item?.state === 'string' ? (JSON.parse(out.Item.state) as T) : undefined;
  }

  async setPollState<T>(flow: string, side: string, state: T | undefined): Promise<void> {
    const Key = { pk: `poll#${flow}#${side}`, sk: 'poll' };
    if (state === undefined) {
      await this.#db.send(new DeleteCommand({ TableName: this.#table, Key }));
      return;
    }
    await this.#db.send(
      new PutCommand({
        TableName: this.#table,
        Item: { ...Key, state: JSON.stringify(state), updatedAt: new Date(this.#now()).toISOString() },
      }),
    );
  }

  async saveReport(kind: string, flow: string, report: unknown): Promise<void> {
    await this.#db.send(
      new PutCommand({
        TableName: this.#table,
        Item: { pk: `report#${kind}#${flow}`, sk: 'latest', report: JSON.stringify(report) },
      }),
    );
  }

  async latestReport<T>(kind: string, flow: string): Promise<T | undefined> {
    const out = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: { pk: `report#${kind}#${flow}`, sk: 'latest' } }),
    );
    return typeof out.Item?.report === 'string' ? (JSON.parse(out.Item.report) as T) : undefined;
  }

  async recentRuns(schedule: string, limit: number): Promise<RunRecord[]> {
    const out = await this.#db.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `run#${schedule}` },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(({ pk: _pk, sk: _sk, expiresAt: _e, ...run }) => run as RunRecord);
  }
}

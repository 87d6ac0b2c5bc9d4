/**
 * The failure digest's memory in the state table, all under `pk=digest#<flow>`: window claims
 * `sk=window#<start>`, failures already notified `sk=sent#<recordId>#<code>#<firstSeen>`, and the
 * flow's last digest `sk=last`. Claims and marks are conditional puts, so two runs never take the
 * same window or list the same failure.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DigestStore, SentDigest } from './digest-ports.ts';

const DAY = 86_400;
/** Marks written side by side per call (DynamoDB takes them one at a time, conditionally). */
const PARALLEL = 10;

const isConditionFailure = (error: unknown) =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

export class DynamoDigestStore implements DigestStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #markDays: number;
  readonly #now: () => number;

  /**
   * `markDays`: how long a mark is kept (config `retention.failureDays`, as long as the failure
   * records themselves).
   */
  constructor(options: { db: DynamoDBDocumentClient; table: string; markDays: number; now?: () => number }) {
    this.#db = options.db;
    this.#table = options.table;
    this.#markDays = options.markDays;
    this.#now = options.now ?? Date.now;
  }

  async notified(flow: string): Promise<Set<string>> {
    const keys = new Set<string>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sent)',
          ExpressionAttributeValues: { ':pk': `digest#${flow}`, ':sent': 'sent#' },
          ProjectionExpression: 'sk',
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) keys.add(String(item.sk).slice('sent#'.length));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return keys;
  }

  async claimWindow(flow: string, windowStart: string, owner: string): Promise<boolean> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            pk: `digest#${flow}`,
            sk: `window#${windowStart}`,
            owner,
            claimedAt: new Date(this.#now()).toISOString(),
            // A window matters until it is over; a week covers the longest (one day).
            expiresAt: Math.floor(Date.parse(windowStart) / 1000) + 7 * DAY,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async markNotified(flow: string, keys: readonly string[], windowStart: string): Promise<string[]> {
    const expiresAt = Math.floor(this.#now() / 1000) + this.#markDays * DAY;
    const marked: string[] = [];
    for (let i = 0; i < keys.length; i += PARALLEL) {
      await Promise.all(
        keys.slice(i, i + PARALLEL).map(async (key) => {
          try {
            await this.#db.send(
              new PutCommand({
                TableName: this.#table,
                Item: { pk: `digest#${flow}`, sk: `sent#${key}`, windowStart, expiresAt },
                ConditionExpression: 'attribute_not_exists(pk)',
              }),
            );
            marked.push(key);
          } catch (error) {
            if (!isConditionFailure(error)) throw error;
          }
        }),
      );
    }
    return marked;
  }

  async release(flow: string, windowStart: string, owner: string, keys: readonly string[]): Promise<void> {
    // Each delete is conditional on being ours: a mark or claim another run holds stays.
    const ours = async (
      sk: string,
      condition: string,
      values: Record<string, string>,
      names?: Record<string, string>,
    ) => {
      try {
        await this.#db.send(
          new DeleteCommand({
            TableName: this.#table,
            Key: { pk: `digest#${flow}`, sk },
            ConditionExpression: condition,
            ExpressionAttributeValues: values,
            ...(names === undefined ? {} : { ExpressionAttributeNames: names }),
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    };
    for (let i = 0; i < keys.length; i += PARALLEL) {
      await Promise.all(
        keys
          .slice(i, i + PARALLEL)
          .map((key) => ours(`sent#${key}`, 'windowStart = :w', { ':w': windowStart })),
      );
    }
    await ours(`window#${windowStart}`, '#owner = :o', { ':o': owner }, { '#owner': 'owner' });
  }

  async recordSent(digest: SentDigest): Promise<void> {
    await this.#db.send(
      new PutCommand({
        TableName: this.#table,
        Item: { pk: `digest#${digest.flow}`, sk: 'last', ...digest },
      }),
    );
  }

  async lastDigest(flow: string): Promise<SentDigest | undefined> {
    const out = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: { pk: `digest#${flow}`, sk: 'last' } }),
    );
    if (out.Item === undefined) return undefined;
    const { pk: _pk, sk: _sk, ...digest } = out.Item;
    return digest as SentDigest;
  }
}

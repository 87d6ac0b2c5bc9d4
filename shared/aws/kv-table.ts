/**
 * A table of items keyed by (pk, sk) with conditional single-item writes and batched reads: the
 * part of DynamoDB the crosswalk relies on. `DynamoKvTable` is the real one; `MemoryKvTable` applies
 * the same conditions to a Map, so unit tests exercise the crosswalk's logic as DynamoDB would run it.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';

export type Key = { pk: string; sk: string };
export type Item = Key & Record<string, unknown>;

/** A write condition on the stored item (DynamoDB ConditionExpression, structurally). */
export type Condition =
  | { absent: true }
  | { missing: string }
  | { eq: [attribute: string, value: unknown] }
  | { ne: [attribute: string, value: unknown] }
  | { lt: [attribute: string, value: number] }
  | { or: Condition[] }
  | { and: Condition[] };

export interface KvTable {
  /** Items by key (absent keys are left out), in batches of 100. */
  get(keys: readonly Key[]): Promise<Item[]>;
  /** Puts the item if the condition holds; false when it did not (nothing written). */
  put(item: Item, condition?: Condition): Promise<boolean>;
  delete(key: Key, condition?: Condition): Promise<boolean>;
  /** Puts items without conditions, 25 to a request (BatchWriteItem, unprocessed items retried). */
  putMany(items: readonly Item[]): Promise<void>;
  /** Every item whose pk starts with `prefix` and whose sk is `sk`: a paged Scan (reads the whole table). */
  scan(prefix: string, sk: string): AsyncGenerator<Item>;
  /** Requests issued (the bench's DynamoDB figures). */
  readonly counters: { reads: number; writes: number };
}

export class DynamoKvTable implements KvTable {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly counters = { reads: 0, writes: 0 };

  constructor(options: { db: DynamoDBDocumentClient; table: string }) {
    this.#db = options.db;
    this.#table = options.table;
  }

  async *scan(prefix: string, sk: string): AsyncGenerator<Item> {
    let start: Record<string, unknown> | undefined;
    for (let page = 0; page < 100_000; page++) {
      this.counters.reads++;
      const out = await this.#db.send(
        new ScanCommand({
          TableName: this.#table,
          FilterExpression: 'begins_with(pk, :p) AND sk = :sk',
          ExpressionAttributeValues: { ':p': prefix, ':sk': sk },
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      for (const item of out.Items ?? []) yield item as Item;
      start = out.LastEvaluatedKey;
      if (start === undefined) return;
    }
  }

  async get(keys: readonly Key[]): Promise<Item[]> {
    const found: Item[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Array<Record<string, unknown>> = keys.slice(i, i + 100);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt === 5)
          throw new Error(`DynamoDB left ${pending.length} keys unprocessed after 5 attempts`);
        const out = await this.#db.send(
          new BatchGetCommand({ RequestItems: { [this.#table]: { Keys: pending } } }),
        );
        this.counters.reads++;
        found.push(...((out.Responses?.[this.#table] ?? []) as Item[]));
        pending = out.UnprocessedKeys?.[this.#table]?.Keys ?? [];
        if (pending.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
    return found;
  }

  async putMany(items: readonly Item[]): Promise<void> {
    const chunks: Item[][] = [];
    for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
    await Promise.all(chunks.map((chunk) => this.#batchWrite(chunk)));
  }

  async #batchWrite(items: readonly Item[]): Promise<void> {
    let requests: Array<Record<string, unknown>> = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt === 5) throw new Error(`DynamoDB left ${requests.length} items unwritten after 5 attempts`);
      const out = await this.#db.send(
        new BatchWriteCommand({ RequestItems: { [this.#table]: requests as never } }),
      );
      this.counters.writes++;
      requests = (out.UnprocessedItems?.[this.#table] ?? []) as Array<Record<string, unknown>>;
      if (requests.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }

  async put(item: Item, condition?: Condition): Promise<boolean> {
    return this.#conditional(() =>
      this.#db.send(new PutCommand({ TableName: this.#table, Item: item, ...expression(condition) })),
    );
  }

  async delete(key: Key, condition?: Condition): Promise<boolean> {
    return this.#conditional(() =>
      this.#db.send(new DeleteCommand({ TableName: this.#table, Key: key, ...expression(condition) })),
    );
  }

  async #conditional(send: () => Promise<unknown>): Promise<boolean> {
    this.counters.writes++;
    try {
      await send();
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

/** Builds ConditionExpression with placeholder names and values. */
export function expression(condition: Condition | undefined): {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
} {
  if (condition === undefined) return {};
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  let n = 0;
  const name = (attribute: string) => {
    const placeholder = `#a${n++}`;
    names[placeholder] = attribute;
    return placeholder;
  };
  const value = (v: unknown) => {
    const placeholder = `:v${n++}`;
    values[placeholder] = v;
    return placeholder;
  };
  const render = (c: Condition): string => {
    if ('absent' in c) return `attribute_not_exists(${name('pk')})`;
    if ('missing' in c) return `attribute_not_exists(${name(c.missing)})`;
    if ('and' in c) return `(${c.and.map(render).join(' AND ')})`;
    if ('eq' in c) return `${name(c.eq[0])} = ${value(c.eq[1])}`;
    if ('ne' in c) return `${name(c.ne[0])} <> ${value(c.ne[1])}`;
    if ('lt' in c) return `${name(c.lt[0])} < ${value(c.lt[1])}`;
    return `(${c.or.map(render).join(' OR ')})`;
  };
  const text = render(condition);
  return {
    ConditionExpression: text,
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}

/** The same contract on a Map, for unit tests (conditions evaluated as DynamoDB evaluates them). */
export class MemoryKvTable implements KvTable {
  readonly items = new Map<string, Item>();
  readonly counters = { reads: 0, writes: 0 };

  async *scan(prefix: string, sk: string): AsyncGenerator<Item> {
    this.counters.reads++;
    for (const item of [...this.items.values()])
      if (item.pk.startsWith(prefix) && item.sk === sk) yield structuredClone(item);
  }

  async get(keys: readonly Key[]): Promise<Item[]> {
    this.counters.reads += Math.ceil(keys.length / 100);
    return keys.flatMap((k) => {
      const item = this.items.get(id(k));
      return item === undefined ? [] : [structuredClone(item)];
    });
  }

  async put(item: Item, condition?: Condition): Promise<boolean> {
    this.counters.writes++;
    if (!conditionHolds(condition, this.items.get(id(item)))) return false;
    this.items.set(id(item), structuredClone(item));
    return true;
  }

  async putMany(items: readonly Item[]): Promise<void> {
    this.counters.writes += Math.ceil(items.length / 25);
    for (const item of items) this.items.set(id(item), structuredClone(item));
  }

  async delete(key: Key, condition?: Condition): Promise<boolean> {
    this.counters.writes++;
    if (!conditionHolds(condition, this.items.get(id(key)))) return false;
    this.items.delete(id(key));
    return true;
  }
}

const id = (k: Key) => `${k.pk}\u0000${k.sk}`;

/** Whether a write condition holds for the stored item (absent: `undefined`), as DynamoDB decides. */
export function conditionHolds(c: Condition | undefined, item: Item | undefined): boolean {
  if (c === undefined) return true;
  if ('absent' in c) return item === undefined;
  if ('missing' in c) return item === undefined || item[c.missing] === undefined;
  if ('and' in c) return c.and.every((x) => conditionHolds(x, item));
  if ('eq' in c) return item !== undefined && item[c.eq[0]] === c.eq[1];
  // Comparisons with an absent attribute are false (conditions name `missing` for that case).
  if ('ne' in c) return item?.[c.ne[0]] !== undefined && item[c.ne[0]] !== c.ne[1];
  if ('lt' in c) {
    const v = item?.[c.lt[0]];
    return typeof v === 'number' && v < c.lt[1];
  }
  return c.or.some((x) => conditionHolds(x, item));
}

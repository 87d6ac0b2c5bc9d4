/**
 * The ID crosswalk (DESIGN §3): one `link` item per linked pair, keyed by the Salesforce ID, with
 * the last synced version and payload hash in each direction; plus an immutable `ptr` item keyed by
 * the Intacct key that points at it. A change costs one write; a new link two.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface Link {
  flow: string;
  salesforceId: string;
  intacctKey: string;
  intacctRecordNo?: string;
  salesforceVersion?: string;
  intacctVersion?: string;
  /** Hash of the Intacct payload last agreed (what Salesforce's values map to). */
  hashToIntacct?: string;
  /** Hash of the Salesforce payload last agreed (what Intacct's values map to). */
  hashToSalesforce?: string;
  /** The latest audit entry: what was written, when and why. */
  lastAction: string;
  lastAt: string;
  lastReason: string;
  lastCorrelationId?: string;
  /** When the sync last wrote to each side (ISO, our clock). */
  intacctWrittenAt?: string;
  salesforceWrittenAt?: string;
  /** What the last write sent, and to which side. */
  lastWritten?: { to: 'salesforce' | 'intacct'; values: Record<string, string | null> };
  inactive?: boolean;
}

export interface Crosswalk {
  bySalesforceIds(flow: string, ids: readonly string[]): Promise<Map<string, Link>>;
  byIntacctKeys(flow: string, keys: readonly string[]): Promise<Map<string, Link>>;
  /** Writes links (and, for new ones, their pointers) in bulk. */
  putMany(entries: ReadonlyArray<{ link: Link; isNew: boolean }>): Promise<void>;
}

const linkKey = (flow: string, sfId: string) => ({ pk: `${flow}#sf#${sfId}`, sk: 'link' });
const ptrKey = (flow: string, key: string) => ({ pk: `${flow}#ia#${key}`, sk: 'ptr' });

export class DynamoCrosswalk implements Crosswalk {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  /** DynamoDB reads and writes issued (for the budget figures in the bench). */
  readonly counters = { reads: 0, writes: 0 };

  constructor(options: { db: DynamoDBDocumentClient; table: string }) {
    this.#db = options.db;
    this.#table = options.table;
  }

  async bySalesforceIds(flow: string, ids: readonly string[]): Promise<Map<string, Link>> {
    const items = await this.#batchGet([...new Set(ids)].map((id) => linkKey(flow, id)));
    return new Map(items.map((i) => [String(i.salesforceId), strip(i)]));
  }

  async byIntacctKeys(flow: string, keys: readonly string[]): Promise<Map<string, Link>> {
    const ptrs = await this.#batchGet([...new Set(keys)].map((k) => ptrKey(flow, k)));
    const links = await this.bySalesforceIds(
      flow,
      ptrs.map((p) => String(p.salesforceId)),
    );
    const out = new Map<string, Link>();
    for (const p of ptrs) {
      const link = links.get(String(p.salesforceId));
      if (link !== undefined) out.set(String(p.intacctKey), link);
    }
    return out;
  }

  async putMany(entries: ReadonlyArray<{ link: Link; isNew: boolean }>): Promise<void> {
    const items: Array<Record<string, unknown>> = [];
    for (const { link, isNew } of entries) {
      items.push({ ...linkKey(link.flow, link.salesforceId), ...link });
      if (isNew)
        items.push({
          ...ptrKey(link.flow, link.intacctKey),
          salesforceId: link.salesforceId,
          intacctKey: link.intacctKey,
        });
    }
    const chunks: Array<Array<Record<string, unknown>>> = [];
    for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
    await Promise.all(chunks.map((chunk) => this.#batchWrite(chunk)));
  }

  /** BatchWriteItem of up to 25 items, retrying unprocessed ones a bounded number of times. */
  async #batchWrite(items: Array<Record<string, unknown>>): Promise<void> {
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt === 5)
        throw new Error(`DynamoDB left ${requests.length} crosswalk items unwritten after 5 attempts`);
      const out = await this.#db.send(new BatchWriteCommand({ RequestItems: { [this.#table]: requests } }));
      this.counters.writes += requests.length - (out.UnprocessedItems?.[this.#table]?.length ?? 0);
      requests = (out.UnprocessedItems?.[this.#table] ?? []) as typeof requests;
      if (requests.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }

  /** BatchGetItem in chunks of 100, retrying unprocessed keys a bounded number of times. */
  async #batchGet(keys: Array<{ pk: string; sk: string }>): Promise<Array<Record<string, unknown>>> {
    const found: Array<Record<string, unknown>> = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Array<Record<string, unknown>> = keys.slice(i, i + 100);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt === 5)
          throw new Error(`DynamoDB left ${pending.length} crosswalk keys unprocessed after 5 attempts`);
        const out = await this.#db.send(
          new BatchGetCommand({ RequestItems: { [this.#table]: { Keys: pending } } }),
        );
        this.counters.reads++;
        found.push(...(out.Responses?.[this.#table] ?? []));
        pending = out.UnprocessedKeys?.[this.#table]?.Keys ?? [];
        if (pending.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
    return found;
  }
}

function strip(item: Record<string, unknown>): Link {
  const { pk: _pk, sk: _sk, ...link } = item;
  return link as unknown as Link;
}

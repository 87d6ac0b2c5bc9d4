/**
 * The ID crosswalk (DESIGN §3, §5) on one table: a `link` item per linked pair, keyed by the
 * Salesforce ID, with a revision that every write names (conditional puts: two invocations can
 * never both write from the same revision); a `ptr` item per Intacct key naming the Salesforce ID,
 * claimed before its link is written and trusted only while that link still carries the key;
 * `claim` items for one-time actions, expiring by themselves (TTL `expiresAt`); a create towards
 * Intacct claims its key's pointer instead (`claimUntil`, no TTL: the pointer outlives the claim).
 * No transactions needed.
 * Every new link is claimed first (its key's pointer), so a new link has one writer and is put in a
 * batch. A change costs one write; a new link a claim and 1/25 of a batch write.
 */
import { pool } from '#shared/pool.ts';
import type {
  ClaimKey,
  ClaimResult,
  Crosswalk,
  KeyClaimResult,
  Link,
  LinkWrite,
  LinkWriteResult,
} from '#shared/sync/ports.ts';
import { type Condition, DynamoKvTable, type Item, type KvTable } from './kv-table.ts';

export type { Link };

const linkKey = (flow: string, sfId: string) => ({ pk: `${flow}#sf#${sfId}`, sk: 'link' });
const ptrKey = (flow: string, key: string) => ({ pk: `${flow}#ia#${key}`, sk: 'ptr' });
const claimKey = (flow: string, key: string) => ({ pk: `${flow}#claim#${key}`, sk: 'claim' });

/** Puts in flight at once (conditional writes cannot be batched; the SDK's socket pool is 50). */
const PARALLEL_PUTS = 50;

export class TableCrosswalk implements Crosswalk {
  readonly #table: KvTable;
  readonly #now: () => number;

  constructor(table: KvTable, now: () => number = Date.now) {
    this.#table = table;
    this.#now = now;
  }

  async bySalesforceIds(flow: string, ids: readonly string[]): Promise<Map<string, Link>> {
    const items = await this.#table.get([...new Set(ids)].map((id) => linkKey(flow, id)));
    return new Map(items.map((i) => [String(i.salesforceId), strip(i)]));
  }

  async byIntacctKeys(flow: string, keys: readonly string[]): Promise<Map<string, Link>> {
    const ptrs = await this.#table.get([...new Set(keys)].map((k) => ptrKey(flow, k)));
    const links = await this.bySalesforceIds(
      flow,
      ptrs.map((p) => String(p.salesforceId)),
    );
    const out = new Map<string, Link>();
    for (const p of ptrs) {
      const link = links.get(String(p.salesforceId));
      // A pointer left behind by a key change, or by a link write that lost its race, is no answer.
      if (link !== undefined && link.intacctKey === String(p.intacctKey)) out.set(link.intacctKey, link);
    }
    return out;
  }

  async *linksOf(flow: string): AsyncGenerator<Link> {
    for await (const item of this.#table.scan(`${flow}#sf#`, 'link')) yield strip(item);
  }

  async write(entries: readonly LinkWrite[]): Promise<LinkWriteResult[]> {
    const results: LinkWriteResult[] = new Array(entries.length);
    // New links under a claim have one writer: batched, unconditional. The rest, one conditional put each.
    const claimed = entries.flatMap((e, i) => (e.expected === undefined && e.keyClaimed === true ? [i] : []));
    await this.#table.putMany(
      claimed.map((i) => {
        const link: Link = { ...(entries[i] as LinkWrite).link, rev: 1 };
        results[i] = { ok: true, link };
        return { ...linkKey(link.flow, link.salesforceId), ...link };
      }),
    );
    const single = entries.flatMap((_e, i) => (results[i] === undefined ? [i] : []));
    await pool(single, PARALLEL_PUTS, async (i) => {
      results[i] = await this.#writeOne(entries[i] as LinkWrite);
    });
    return results;
  }

  async #writeOne({ link, expected, keyClaimed, pointer }: LinkWrite): Promise<LinkWriteResult> {
    const next: Link = { ...link, rev: (expected?.rev ?? 0) + 1 };
    const keyChanged =
      pointer !== false && (expected === undefined || expected.intacctKey !== link.intacctKey);
    if (keyChanged && keyClaimed !== true) {
      const taken = await this.#pointTo(link.flow, link.intacctKey, link.salesforceId);
      if (taken !== undefined) return { ok: false, reason: 'key-taken', other: taken };
    }
    const written = await this.#table.put(
      { ...linkKey(link.flow, link.salesforceId), ...next },
      expected === undefined ? { absent: true } : revisionOf(expected),
    );
    if (!written) {
      const current = (await this.bySalesforceIds(link.flow, [link.salesforceId])).get(link.salesforceId);
      return { ok: false, reason: 'conflict', current };
    }
    if (expected !== undefined && keyChanged) {
      // The old key's pointer goes (only if it still names us); a leftover one is ignored on read.
      await this.#table.delete(ptrKey(link.flow, expected.intacctKey), {
        eq: ['salesforceId', link.salesforceId],
      });
    }
    return { ok: true, link: next };
  }

  /**
   * Makes the key's pointer name `salesforceId`. Answers the other link when the key is linked to
   * another Salesforce record; a pointer whose link no longer carries the key is taken over.
   */
  async #pointTo(flow: string, key: string, salesforceId: string): Promise<Link | undefined> {
    const item = { ...ptrKey(flow, key), salesforceId, intacctKey: key };
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await this.#table.put(item, { or: [{ absent: true }, { eq: ['salesforceId', salesforceId] }] }))
        return undefined;
      const [ptr] = await this.#table.get([ptrKey(flow, key)]);
      if (ptr === undefined) continue;
      const holder = String(ptr.salesforceId);
      const other = (await this.bySalesforceIds(flow, [holder])).get(holder);
      if (other !== undefined && other.intacctKey === key) return other;
      // Stale: replace it, unless someone else replaced it first (then look again).
      if (await this.#table.put(item, { eq: ['salesforceId', holder] })) return undefined;
    }
    throw new Error(`pointer ${flow} ${key} kept changing; retry`);
  }

  async remove(link: Link): Promise<boolean> {
    const removed = await this.#table.delete(linkKey(link.flow, link.salesforceId), revisionOf(link));
    if (removed)
      await this.#table.delete(ptrKey(link.flow, link.intacctKey), {
        eq: ['salesforceId', link.salesforceId],
      });
    return removed;
  }

  async claimKey(
    flow: string,
    intacctKey: string,
    salesforceId: string,
    owner: string,
    ttlSeconds: number,
    generation = 0,
  ): Promise<KeyClaimResult> {
    const now = this.#now();
    const item = {
      ...ptrKey(flow, intacctKey),
      salesforceId,
      intacctKey,
      owner,
      claimUntil: Math.ceil(now / 1000) + ttlSeconds,
      claimGeneration: generation,
    };
    // A claim binds one create of one generation of the link: the claim of the create that made
    // today's link (an older generation) does not hold up its re-creation.
    const mine: Condition = {
      and: [
        { eq: ['salesforceId', salesforceId] },
        {
          or: [
            { missing: 'owner' },
            { eq: ['owner', owner] },
            { lt: ['claimUntil', Math.floor(now / 1000)] },
            { missing: 'claimGeneration' },
            { ne: ['claimGeneration', generation] },
          ],
        },
      ],
    };
    // The usual case first, with the simplest condition (a new key has no pointer yet).
    if (await this.#table.put(item, { absent: true })) return { held: true };
    if (await this.#table.put(item, mine)) return { held: true };
    const [ptr] = await this.#table.get([ptrKey(flow, intacctKey)]);
    if (ptr !== undefined && String(ptr.salesforceId) !== salesforceId) {
      const holder = String(ptr.salesforceId);
      const other = (await this.bySalesforceIds(flow, [holder])).get(holder);
      if (other !== undefined && other.intacctKey === intacctKey) return { held: false, other };
      // A stale pointer (its link moved on): take it over unless someone else did first.
      if (await this.#table.put(item, { eq: ['salesforceId', holder] })) return { held: true };
    }
    return {
      held: false,
      until: new Date(Number(ptr?.claimUntil ?? Math.ceil(now / 1000)) * 1000).toISOString(),
    };
  }

  async release(flow: string, key: ClaimKey, owner: string): Promise<void> {
    if ('item' in key) {
      await this.#table.delete(claimKey(flow, key.item), { eq: ['owner', owner] });
      return;
    }
    // The pointer stays (it may name a live link); only the claim on it ends.
    const [ptr] = await this.#table.get([ptrKey(flow, key.pointer)]);
    if (ptr === undefined || ptr.owner !== owner) return;
    await this.#table.put({ ...ptr, claimUntil: 0 }, { eq: ['owner', owner] });
  }

  async claim(flow: string, key: string, owner: string, ttlSeconds: number): Promise<ClaimResult> {
    const now = this.#now();
    const expiresAt = Math.ceil(now / 1000) + ttlSeconds;
    const free: Condition = {
      or: [{ eq: ['owner', owner] }, { lt: ['expiresAt', Math.floor(now / 1000)] }],
    };
    const item = { ...claimKey(flow, key), owner, expiresAt };
    if (await this.#table.put(item, { absent: true })) return { held: true };
    if (await this.#table.put(item, free)) return { held: true };
    const [current] = await this.#table.get([claimKey(flow, key)]);
    return {
      held: false,
      until: new Date(Number(current?.expiresAt ?? Math.ceil(now / 1000)) * 1000).toISOString(),
    };
  }
}

/** The crosswalk on a DynamoDB table (the worker's and the local runtime's). */
export function dynamoCrosswalk(options: ConstructorParameters<typeof DynamoKvTable>[0]): TableCrosswalk {
  return new TableCrosswalk(new DynamoKvTable(options));
}

/** The condition "still the revision that was read"; links from before revisions compare lastAt. */
function revisionOf(link: Link): Condition {
  return link.rev === undefined ? { eq: ['lastAt', link.lastAt] } : { eq: ['rev', link.rev] };
}

function strip(item: Item): Link {
  const { pk: _pk, sk: _sk, ...link } = item;
  return link as unknown as Link;
}

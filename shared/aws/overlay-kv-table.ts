/**
 * A table whose writes stay in memory over a real one (the dry run's crosswalk): reads fall through
 * to the base table unless this overlay wrote the key, conditions are judged on what the overlay
 * sees (its own write, else the stored item), and nothing is ever written to the base.
 */
import { type Condition, conditionHolds, type Item, type Key, type KvTable } from './kv-table.ts';

const id = (k: Key) => `${k.pk}\u0000${k.sk}`;

export class OverlayKvTable implements KvTable {
  readonly #base: KvTable;
  /** What the overlay wrote: an item, or `null` for a delete. */
  readonly #written = new Map<string, Item | null>();
  /** Only the base's requests are real; the overlay's writes are counted as if they had been made. */
  readonly counters = { reads: 0, writes: 0 };

  constructor(base: KvTable) {
    this.#base = base;
  }

  /** Keys the overlay wrote (deletes included): what a real run would have changed. */
  get writtenKeys(): number {
    return this.#written.size;
  }

  async get(keys: readonly Key[]): Promise<Item[]> {
    const mine: Item[] = [];
    const rest: Key[] = [];
    for (const key of keys) {
      const written = this.#written.get(id(key));
      if (written === undefined) rest.push(key);
      else if (written !== null) mine.push(structuredClone(written));
    }
    if (rest.length > 0) this.counters.reads += Math.ceil(rest.length / 100);
    return [...mine, ...(rest.length === 0 ? [] : await this.#base.get(rest))];
  }

  async put(item: Item, condition?: Condition): Promise<boolean> {
    this.counters.writes++;
    if (!conditionHolds(condition, await this.#current(item))) return false;
    this.#written.set(id(item), structuredClone(item));
    return true;
  }

  async delete(key: Key, condition?: Condition): Promise<boolean> {
    this.counters.writes++;
    if (!conditionHolds(condition, await this.#current(key))) return false;
    this.#written.set(id(key), null);
    return true;
  }

  async putMany(items: readonly Item[]): Promise<void> {
    this.counters.writes += Math.ceil(items.length / 25);
    for (const item of items) this.#written.set(id(item), structuredClone(item));
  }

  async *scan(prefix: string, sk: string): AsyncGenerator<Item> {
    const seen = new Set<string>();
    for await (const item of this.#base.scan(prefix, sk)) {
      seen.add(id(item));
      const written = this.#written.get(id(item));
      if (written === undefined) yield item;
      else if (written !== null) yield structuredClone(written);
    }
    for (const [key, item] of this.#written)
      if (item !== null && !seen.has(key) && item.pk.startsWith(prefix) && item.sk === sk)
        yield structuredClone(item);
  }

  async #current(key: Key): Promise<Item | undefined> {
    const written = this.#written.get(id(key));
    if (written !== undefined) return written ?? undefined;
    return (await this.#base.get([{ pk: key.pk, sk: key.sk }]))[0];
  }
}

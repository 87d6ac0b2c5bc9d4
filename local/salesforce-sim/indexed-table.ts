import { parseDateTime } from './dates.ts';
import type { SObjectRecord } from './validate.ts';

/** The key a value is indexed under: strings lower-cased (a superset of exact and case-blind equality). */
const valueKey = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);

/**
 * Records by ID, first-write order, and ms of one datetime field, sorted (binary search both ways:
 * a timestamp may be written backwards by a seed or a test clock, so nothing assumes it only grows).
 */
class TimeIndex {
  readonly #entry = new Map<string, { ms: number; at: number; id: string }>();
  /** Sorted by ms, then table position: many rows share a second, and a row is found in log time. */
  readonly #sorted: { ms: number; at: number; id: string }[] = [];
  readonly #positionOf: (id: string) => number;

  constructor(positionOf: (id: string) => number) {
    this.#positionOf = positionOf;
  }

  set(id: string, value: unknown): void {
    this.delete(id);
    const ms = value === null || value === undefined ? Number.NaN : parseDateTime(String(value));
    // A field that is not a datetime never satisfies a range comparison: not indexed.
    if (Number.isNaN(ms)) return;
    const entry = { ms, at: this.#positionOf(id), id };
    this.#entry.set(id, entry);
    this.#sorted.splice(this.#search(entry), 0, entry);
  }

  delete(id: string): void {
    const entry = this.#entry.get(id);
    if (entry === undefined) return;
    this.#entry.delete(id);
    const i = this.#search(entry);
    if (this.#sorted[i] === entry) this.#sorted.splice(i, 1);
  }

  /** IDs whose ms lies in [from, to] (both inclusive: the caller's filter decides the edges). */
  between(from: number, to: number): string[] {
    const out: string[] = [];
    for (let i = this.#lower(from); i < this.#sorted.length; i++) {
      const e = this.#sorted[i];
      if (e === undefined || e.ms > to) break;
      out.push(e.id);
    }
    return out;
  }

  /** The first position whose ms is ≥ ms. */
  #lower(ms: number): number {
    let lo = 0;
    let hi = this.#sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#sorted[mid]?.ms ?? 0) < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Where an entry is, or goes: the first position not before it by (ms, table position). */
  #search(e: { ms: number; at: number }): number {
    let lo = 0;
    let hi = this.#sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.#sorted[mid];
      if (m !== undefined && (m.ms < e.ms || (m.ms === e.ms && m.at < e.at))) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * One object's records by ID, with the indexes queries ask for, kept up to date on every write:
 * values of a field (external IDs, unique fields, child relationships) and ranges of a datetime
 * field (SystemModstamp windows). An index is built the first time a field is looked up, so only
 * fields that are queried cost anything. Lookups give records in the order a scan of the table
 * would (first write of each ID), so a narrowed query returns exactly what the scan returned.
 */
export class IndexedTable {
  readonly #rows = new Map<string, SObjectRecord>();
  /** Position in the Map's iteration order: assigned when an ID is first set, dropped on delete. */
  readonly #position = new Map<string, number>();
  #nextPosition = 0;
  readonly #byValue = new Map<string, Map<unknown, Set<string>>>();
  readonly #byTime = new Map<string, TimeIndex>();

  get(id: string): SObjectRecord | undefined {
    return this.#rows.get(id);
  }

  values(): IterableIterator<SObjectRecord> {
    return this.#rows.values();
  }

  set(id: string, record: SObjectRecord): void {
    const before = this.#rows.get(id);
    if (before === undefined) this.#position.set(id, this.#nextPosition++);
    this.#rows.set(id, record);
    for (const [field, index] of this.#byValue) {
      if (before !== undefined) removeFrom(index, valueKey(before[field]), id);
      addTo(index, valueKey(record[field]), id);
    }
    for (const [field, index] of this.#byTime) index.set(id, record[field]);
  }

  delete(id: string): boolean {
    const before = this.#rows.get(id);
    if (before === undefined) return false;
    for (const [field, index] of this.#byValue) removeFrom(index, valueKey(before[field]), id);
    for (const index of this.#byTime.values()) index.delete(id);
    this.#position.delete(id);
    return this.#rows.delete(id);
  }

  /**
   * Records whose field equals value, strings compared case-blind, deleted ones included, in
   * table order: a superset of any exact or case-blind equality test on that field.
   */
  withValue(field: string, value: unknown): SObjectRecord[] {
    // NaN equals nothing under ===, but a Map key NaN would find NaN
    if (typeof value === 'number' && Number.isNaN(value)) return [];
    return this.inTableOrder(this.#valueIndex(field).get(valueKey(value)) ?? []);
  }

  /** Records whose datetime field lies in [from, to] ms, deleted ones included, in table order. */
  withTimeBetween(field: string, from: number, to: number): SObjectRecord[] {
    let index = this.#byTime.get(field);
    if (index === undefined) {
      index = new TimeIndex((id) => this.#position.get(id) ?? 0);
      for (const [id, r] of this.#rows) index.set(id, r[field]);
      this.#byTime.set(field, index);
    }
    return this.inTableOrder(index.between(from, to));
  }

  /** The records of these IDs that exist, each once, in the order a scan of the table meets them. */
  inTableOrder(ids: Iterable<string>): SObjectRecord[] {
    const found: { at: number; row: SObjectRecord }[] = [];
    for (const id of new Set(ids)) {
      const row = this.#rows.get(id);
      const at = this.#position.get(id);
      if (row !== undefined && at !== undefined) found.push({ at, row });
    }
    return found.sort((a, b) => a.at - b.at).map((f) => f.row);
  }

  #valueIndex(field: string): Map<unknown, Set<string>> {
    let index = this.#byValue.get(field);
    if (index === undefined) {
      index = new Map();
      for (const [id, r] of this.#rows) addTo(index, valueKey(r[field]), id);
      this.#byValue.set(field, index);
    }
    return index;
  }
}

function addTo(index: Map<unknown, Set<string>>, key: unknown, id: string): void {
  const ids = index.get(key);
  if (ids) ids.add(id);
  else index.set(key, new Set([id]));
}

function removeFrom(index: Map<unknown, Set<string>>, key: unknown, id: string): void {
  const ids = index.get(key);
  if (ids === undefined) return;
  ids.delete(id);
  if (ids.size === 0) index.delete(key);
}

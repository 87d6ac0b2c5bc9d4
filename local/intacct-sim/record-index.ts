import { parseIntacctDate, type SimRecord } from './store.ts';

const isNumber = (v: string) => v.trim() !== '' && Number.isFinite(Number(v));

/**
 * The key a value is indexed under: two values a filter's equality (numbers by value, dates by
 * instant, text case-blind or not) or an exact `===` can find equal always share it, so a lookup
 * by key is a superset of either test.
 */
export function equalityKey(value: string): string {
  if (isNumber(value)) return `n:${Number(value)}`;
  const ms = parseIntacctDate(value);
  return Number.isFinite(ms) ? `d:${ms}` : `t:${value.toLowerCase()}`;
}

/** A top-level field as a filter reads it: its text, '' when absent or a nested block. */
const fieldText = (record: SimRecord, field: string): string => {
  const v = record.fields[field];
  return typeof v === 'string' ? v : '';
};

/**
 * One object's records by the values of the fields looked up (natural IDs, relation keys), and
 * their first-put order, which is the order a scan of the object's Map meets them. A field's index
 * is built on its first lookup. Records are edited in place, so the store re-indexes a record on
 * every put and every touch (each edit moves WHENMODIFIED through touch); a lookup is a superset
 * that the caller filters with its own test.
 */
export class RecordIndex {
  readonly #position = new Map<number, number>();
  #next = 0;
  readonly #fields = new Map<string, { byKey: Map<string, Set<number>>; keyOf: Map<number, string> }>();
  readonly #table: Map<number, SimRecord>;

  constructor(table: Map<number, SimRecord>) {
    this.#table = table;
    for (const recordNo of table.keys()) this.#position.set(recordNo, this.#next++);
  }

  /** After a record was put or edited in place. */
  put(record: SimRecord): void {
    if (!this.#position.has(record.recordNo)) this.#position.set(record.recordNo, this.#next++);
    for (const [field, index] of this.#fields) {
      const key = equalityKey(fieldText(record, field));
      const old = index.keyOf.get(record.recordNo);
      if (old === key) continue;
      if (old !== undefined) index.byKey.get(old)?.delete(record.recordNo);
      index.keyOf.set(record.recordNo, key);
      add(index.byKey, key, record.recordNo);
    }
  }

  remove(recordNo: number): void {
    this.#position.delete(recordNo);
    for (const index of this.#fields.values()) {
      const old = index.keyOf.get(recordNo);
      if (old !== undefined) index.byKey.get(old)?.delete(recordNo);
      index.keyOf.delete(recordNo);
    }
  }

  /** Records whose field may equal value (see {@link equalityKey}), in the Map's order. */
  candidates(field: string, value: string): SimRecord[] {
    let index = this.#fields.get(field);
    if (index === undefined) {
      index = { byKey: new Map(), keyOf: new Map() };
      for (const r of this.#table.values()) {
        const key = equalityKey(fieldText(r, field));
        index.keyOf.set(r.recordNo, key);
        add(index.byKey, key, r.recordNo);
      }
      this.#fields.set(field, index);
    }
    const found: { at: number; record: SimRecord }[] = [];
    for (const recordNo of index.byKey.get(equalityKey(value)) ?? []) {
      const record = this.#table.get(recordNo);
      const at = this.#position.get(recordNo);
      if (record !== undefined && at !== undefined) found.push({ at, record });
    }
    return found.sort((a, b) => a.at - b.at).map((f) => f.record);
  }
}

function add(byKey: Map<string, Set<number>>, key: string, recordNo: number): void {
  const set = byKey.get(key);
  if (set) set.add(recordNo);
  else byKey.set(key, new Set([recordNo]));
}

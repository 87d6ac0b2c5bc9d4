import { RecordIndex } from './record-index.ts';
import type { Field, FieldMap } from './xml.ts';

/** One record in the simulated company. */
export interface SimRecord {
  object: string;
  recordNo: number;
  /** Owning entity; '' = top level, shared with every entity. */
  entity: string;
  fields: FieldMap;
}

/** An entity of the multi-entity company (a LOCATION of type entity). */
export interface SimEntity {
  id: string;
  name: string;
  recordNo: number;
  /** The entity's base currency: un-prefixed amounts of its transactions are in it. */
  baseCurrency: string;
  /** Transaction currencies enabled in the entity (always including the base currency). */
  currencies: string[];
}

/** Base and enabled transaction currencies of the top level (a company without entities has only this). */
export interface TopLevelCurrencies {
  baseCurrency: string;
  currencies: string[];
}

/** Formats an instant as Intacct's `MM/DD/YYYY HH:MM:SS` (the simulator keeps company time in UTC). */
export function intacctTimestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** `MM/DD/YYYY` of an instant. */
export function intacctDate(ms: number): string {
  return intacctTimestamp(ms).slice(0, 10);
}

/** Parses `MM/DD/YYYY[ HH:MM:SS]` or `YYYY-MM-DD` to epoch ms (UTC), or NaN. */
export function parseIntacctDate(value: string): number {
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(value.trim());
  if (us) {
    const [, m, d, y, hh, mi, ss] = us;
    return Date.UTC(Number(y), Number(m) - 1, Number(d), Number(hh ?? 0), Number(mi ?? 0), Number(ss ?? 0));
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
  if (iso) return Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]));
  return Number.NaN;
}

/**
 * The in-memory company: records by object, one RECORDNO sequence per object, entities, and the
 * set of function control IDs already executed (for `uniqueid=true`).
 */
export class SimStore {
  records = new Map<string, Map<number, SimRecord>>();
  /** Objects whose map is not in RECORDNO order (a record was put below the highest RECORDNO). */
  unordered = new Set<string>();
  /** The highest RECORDNO put per object (a conservative bound: removals do not lower it). */
  #highest = new Map<string, number>();
  sequences = new Map<string, number>();
  entities: SimEntity[] = [];
  topLevel: TopLevelCurrencies = { baseCurrency: 'USD', currencies: ['USD', 'GBP', 'EUR', 'CAD'] };
  executedControlIds = new Set<string>();
  /** Per transaction definition, the last document number issued. */
  docSequences = new Map<string, number>();
  /** Per object, its lookup index, made on the first lookup (and dropped when records are restored). */
  #indexes = new Map<string, RecordIndex>();

  /** Next RECORDNO of an object (sequences start at a realistic, object-specific value). */
  nextRecordNo(object: string): number {
    const next = (this.sequences.get(object) ?? 0) + 1;
    this.sequences.set(object, next);
    return next;
  }

  all(object: string): SimRecord[] {
    return [...(this.records.get(object)?.values() ?? [])];
  }

  /** Records of an object in RECORDNO order (sorted only when inserts came out of order). */
  inOrder(object: string): SimRecord[] {
    const list = this.all(object);
    return this.unordered.has(object) ? list.sort((a, b) => a.recordNo - b.recordNo) : list;
  }

  get(object: string, recordNo: number): SimRecord | undefined {
    return this.records.get(object)?.get(recordNo);
  }

  put(record: SimRecord): void {
    let table = this.records.get(record.object);
    if (!table) {
      table = new Map();
      this.records.set(record.object, table);
    }
    if (!table.has(record.recordNo)) {
      // Map keeps insertion order; RECORDNOs normally come in ascending, so sorting is rarely needed.
      const last = this.#highest.get(record.object) ?? -Infinity;
      if (record.recordNo < last) this.unordered.add(record.object);
      else this.#highest.set(record.object, record.recordNo);
    }
    table.set(record.recordNo, record);
    this.#indexes.get(record.object)?.put(record);
  }

  /**
   * Re-indexes a record edited in place (its fields changed without a put). touch() calls it;
   * an edit that must not move WHENMODIFIED (a payment applied to an invoice) calls it itself.
   */
  edited(record: SimRecord): void {
    if (this.records.get(record.object)?.get(record.recordNo) === record)
      this.#indexes.get(record.object)?.put(record);
  }

  /**
   * Forgets every lookup index (each is rebuilt on its next lookup). The gateway does this before
   * each request, so an in-place edit that neither touch() nor edited() saw (a simulator helper
   * written later, say) can make lookups stale within one request at most, never across requests.
   */
  dropIndexes(): void {
    this.#indexes.clear();
  }

  remove(object: string, recordNo: number): boolean {
    this.#indexes.get(object)?.remove(recordNo);
    return this.records.get(object)?.delete(recordNo) ?? false;
  }

  /** Finds a record by a top-level field value (natural IDs): the first the Map's order meets. */
  findBy(object: string, field: string, value: string): SimRecord | undefined {
    return this.candidates(object, field, value).find((r) => r.fields[field] === value);
  }

  /**
   * Records whose top-level field may equal value as a filter or `===` compares it (a superset,
   * in the order a scan of the object meets them): the caller applies its own test to them.
   */
  candidates(object: string, field: string, value: string): SimRecord[] {
    const table = this.records.get(object);
    if (table === undefined) return [];
    let index = this.#indexes.get(object);
    if (index === undefined) {
      index = new RecordIndex(table);
      this.#indexes.set(object, index);
    }
    return index.candidates(field, value);
  }

  /** A deep copy, for `transaction=true` rollback. */
  snapshot(): SimStore {
    const copy = new SimStore();
    copy.records = new Map(
      [...this.records].map(([k, t]) => [k, new Map([...t].map(([n, r]) => [n, structuredClone(r)]))]),
    );
    copy.sequences = new Map(this.sequences);
    copy.unordered = new Set(this.unordered);
    copy.#highest = new Map(this.#highest);
    copy.entities = structuredClone(this.entities);
    copy.topLevel = structuredClone(this.topLevel);
    copy.executedControlIds = new Set(this.executedControlIds);
    copy.docSequences = new Map(this.docSequences);
    return copy;
  }

  /** Restores a snapshot taken by {@link snapshot}. */
  restore(from: SimStore): void {
    this.records = from.records;
    this.#indexes = new Map();
    this.sequences = from.sequences;
    this.unordered = from.unordered;
    this.#highest = from.#highest;
    this.entities = from.entities;
    this.topLevel = from.topLevel;
    this.executedControlIds = from.executedControlIds;
    this.docSequences = from.docSequences;
  }
}

/** Reads a dotted path (`DISPLAYCONTACT.EMAIL1`) inside a field map. */
export function getPath(fields: FieldMap, path: string): Field | undefined {
  let cur: Field | undefined = fields;
  for (const part of path.split('.')) {
    if (cur === undefined || typeof cur === 'string' || Array.isArray(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/**
 * What a dry run keeps instead of writing: every write it would have made (with the field diff
 * against what was last read), the records those writes would have left behind (so later reads in
 * the same run see them, as they would after a real write), and the API calls the writes would
 * have cost, batched as the real clients batch them.
 */
import type { Values } from '../mapping.ts';
import type { SideRecord } from '../ports.ts';

export type System = 'salesforce' | 'intacct';

/** IDs a dry run makes up for records it did not create; never shown as known IDs. */
export const FABRICATED = 'DRYRUN';

export const isFabricated = (id: string | undefined) => id?.startsWith(FABRICATED) === true;

/** One write the real run would make. `ref` is the source record the write is for. */
export interface PlannedWrite {
  system: System;
  object: string;
  kind: 'create' | 'update';
  ref: string;
  id?: string;
  diff: Record<string, { from: string | null; to: string | null }>;
}

/** Records per Salesforce collection call (sObject Collections' limit, as the client sends them). */
const COLLECTION = 200;

/**
 * Counts Intacct requests as the client packs functions: per entity, what is queued in the same
 * macrotask goes out together, up to `functionsPerRequest` to a request.
 */
class RequestBatcher {
  readonly #max: number;
  readonly #queues = new Map<string, { count: number; timer?: NodeJS.Timeout; waiters: Array<() => void> }>();
  requests = 0;

  constructor(max: number) {
    this.#max = Math.max(1, max);
  }

  send(entity: string): Promise<void> {
    return new Promise((resolve) => {
      const queue = this.#queues.get(entity) ?? { count: 0, waiters: [] };
      this.#queues.set(entity, queue);
      queue.count++;
      queue.waiters.push(resolve);
      if (queue.count >= this.#max) this.#flush(entity);
      else queue.timer ??= setTimeout(() => this.#flush(entity), 0);
    });
  }

  #flush(entity: string) {
    const queue = this.#queues.get(entity);
    if (queue === undefined) return;
    if (queue.timer) clearTimeout(queue.timer);
    this.#queues.delete(entity);
    this.requests++;
    for (const resolve of queue.waiters) resolve();
  }
}

export class DryRunRecorder {
  #writes: PlannedWrite[] = [];
  readonly cost = { intacctTransactions: 0, salesforceCalls: 0 };
  readonly #batcher: RequestBatcher;
  /** Records as the writes of this run left them, per system and object. */
  readonly #virtual = new Map<string, Map<string, SideRecord>>();
  /** The records this run created (reads that cannot find them in the real system add them). */
  readonly #created = new Set<string>();
  /** What was last read of each record (the `from` of a diff); cleared per batch. */
  #read = new Map<string, Values>();
  #next = 0;

  constructor(options: { functionsPerRequest: number }) {
    this.#batcher = new RequestBatcher(options.functionsPerRequest);
  }

  get intacctRequests(): number {
    return this.#batcher.requests;
  }

  /** A made-up ID: Salesforce's 18 characters, or Intacct's free-form keys. */
  fabricate(system: System): string {
    this.#next++;
    return system === 'salesforce'
      ? `${FABRICATED}${String(this.#next).padStart(12, '0')}`
      : `${FABRICATED}-${this.#next}`;
  }

  /** One Intacct function that would have been sent (one transaction, as each record write bills). */
  async intacctWrite(entity: string): Promise<void> {
    this.cost.intacctTransactions++;
    await this.#batcher.send(entity);
  }

  /** A Salesforce collection write of `records` records: one call per 200. */
  salesforceWrite(records: number): void {
    this.cost.salesforceCalls += Math.ceil(records / COLLECTION);
  }

  /** Records what a real read returned, overlaid with what this run wrote to those records. */
  seen(
    system: System,
    object: string,
    records: Iterable<SideRecord>,
    fields: readonly string[],
  ): SideRecord[] {
    const out: SideRecord[] = [];
    for (const record of records) {
      const merged = this.#overlay(system, object, record, fields);
      this.#read.set(key(system, object, merged.id), merged.values);
      out.push(merged);
    }
    return out;
  }

  /** Records this run created or changed with these IDs that a real read did not return. */
  virtualOnly(system: System, object: string, ids: readonly string[], returned: ReadonlySet<string>) {
    const table = this.#virtual.get(table_(system, object));
    return ids.flatMap((id) => {
      const record = returned.has(id) ? undefined : table?.get(id);
      return record === undefined || !this.#created.has(key(system, object, id))
        ? []
        : [structuredClone(record)];
    });
  }

  /** Records this run created whose `field` has one of `values`. */
  createdWhere(system: System, object: string, field: string, values: readonly string[]): SideRecord[] {
    const wanted = new Set(values);
    return [...(this.#virtual.get(table_(system, object))?.values() ?? [])].filter(
      (r) => this.#created.has(key(system, object, r.id)) && wanted.has(String(r.values[field] ?? '')),
    );
  }

  /**
   * Logs a write and applies it to the records as this run leaves them; `defaults` are what the
   * system sets on a created record by itself (not part of the diff).
   */
  wrote(
    system: System,
    object: string,
    write: { kind: 'create' | 'update'; ref: string; id: string; recordNo?: string; values: Values },
    defaults: Values = {},
  ): void {
    const before = write.kind === 'update' ? this.#read.get(key(system, object, write.id)) : undefined;
    const diff: PlannedWrite['diff'] = {};
    for (const [field, to] of Object.entries(write.values)) {
      const from = before?.[field] ?? null;
      if (from !== to || write.kind === 'create') diff[`${object}.${field}`] = { from, to };
    }
    this.#writes.push({ system, object, kind: write.kind, ref: write.ref, id: write.id, diff });
    const tableKey = table_(system, object);
    const table = this.#virtual.get(tableKey) ?? new Map<string, SideRecord>();
    this.#virtual.set(tableKey, table);
    const current = table.get(write.id);
    table.set(write.id, {
      id: write.id,
      version: new Date().toISOString(),
      ...(write.recordNo === undefined ? {} : { recordNo: write.recordNo }),
      values: { ...defaults, ...(current?.values ?? before), ...write.values },
    });
    if (write.kind === 'create') this.#created.add(key(system, object, write.id));
  }

  /**
   * Ends a batch: answers its writes and forgets them and what was read (a new batch reads
   * again); the records as the writes left them stay.
   */
  endBatch(): PlannedWrite[] {
    const writes = this.#writes;
    this.#writes = [];
    this.#read = new Map();
    return writes;
  }

  #overlay(system: System, object: string, record: SideRecord, fields: readonly string[]): SideRecord {
    const written = this.#virtual.get(table_(system, object))?.get(record.id);
    if (written === undefined) return record;
    const values = { ...record.values };
    for (const field of fields) if (field in written.values) values[field] = written.values[field] ?? null;
    return { ...record, values, version: written.version };
  }
}

const key = (system: System, object: string, id: string) => `${system}\u0000${object}\u0000${id}`;
const table_ = (system: System, object: string) => `${system}\u0000${object}`;

import type { SalesforceConfig } from './config.ts';
import {
  type DeltaOptions,
  getDeleted,
  type QueryOptions,
  queryAllRecords,
  queryByIds,
  queryChangedPage,
  queryChangedSince,
  queryMore,
  queryPages,
  type SfRecord,
} from './reads.ts';
import { SalesforceSession, type SalesforceStats, type SessionOptions } from './session.ts';
import { soqlDateTime, soqlName } from './soql.ts';
import {
  createRecords,
  deleteRecords,
  type LockRetryOptions,
  updateRecords,
  upsertRecords,
  type WriteResult,
} from './writes.ts';

/** Options of {@link SalesforceClient}; everything but `config` has a default. */
export type SalesforceClientOptions = SessionOptions &
  LockRetryOptions & { config: SalesforceConfig; queryBatchSize?: number };

/**
 * The Salesforce adapter the sync uses: jsforce core underneath, our own auth with a capped
 * refresh, explicit query paging, chunked `IN` reads, delta and deletion reads, and batched
 * collection writes with per-record results. Build it once per container (module scope).
 */
export class SalesforceClient {
  readonly #session: SalesforceSession;
  readonly #writeOptions: LockRetryOptions;
  readonly #batchSize: number | undefined;

  constructor(options: SalesforceClientOptions) {
    this.#session = new SalesforceSession(options.config, options);
    this.#writeOptions = options;
    this.#batchSize = options.queryBatchSize;
  }

  #q(options: QueryOptions = {}): QueryOptions {
    return { ...(this.#batchSize === undefined ? {} : { batchSize: this.#batchSize }), ...options };
  }

  /** API cost so far: calls, per-operation counts, token requests, refreshes, org usage header. */
  stats(): SalesforceStats {
    const s = this.#session.stats;
    return { ...s, byOperation: { ...s.byOperation } };
  }

  /** Pages of a query, one API call each; stop iterating to stop reading. */
  queryPages(soql: string, options?: QueryOptions): AsyncGenerator<SfRecord[]> {
    return queryPages(this.#session, soql, this.#q(options));
  }

  /** Every record of a query (all pages). */
  query(soql: string, options?: QueryOptions & { maxRecords?: number }): Promise<SfRecord[]> {
    return queryAllRecords(this.#session, soql, this.#q(options));
  }

  /** The page behind a `nextRecordsUrl` (a long child relationship's rows). */
  queryMore(nextRecordsUrl: string) {
    return queryMore(this.#session, nextRecordsUrl);
  }

  /** Records by ID (or another unique field), `IN` lists chunked under the URI limit. */
  queryByIds(
    object: string,
    fields: readonly string[],
    ids: readonly string[],
    options?: QueryOptions & { idField?: string },
  ) {
    return queryByIds(this.#session, object, fields, ids, this.#q(options));
  }

  /** Records changed since a watermark (SystemModstamp, with an overlap window). */
  queryChangedSince(object: string, fields: readonly string[], since: Date, options?: DeltaOptions) {
    return queryChangedSince(this.#session, object, fields, since, this.#q(options));
  }

  /** One keyset page of records changed in a window (see reads.ts `queryChangedPage`). */
  queryChangedPage(
    object: string,
    fields: readonly string[],
    window: Parameters<typeof queryChangedPage>[3],
    options?: QueryOptions,
  ) {
    return queryChangedPage(this.#session, object, fields, window, this.#q(options));
  }

  /** IDs and SystemModstamps of records deleted since `since` (queryAll; Recycle Bin rows). */
  /** Deleted records with `since ≤ SystemModstamp < until` (no upper bound without `until`). */
  async queryDeletedSince(
    object: string,
    since: Date,
    until?: Date,
  ): Promise<Array<{ id: string; deletedAt: string }>> {
    const upper = until === undefined ? '' : ` AND SystemModstamp < ${soqlDateTime(until).text}`;
    const q = `SELECT Id, SystemModstamp FROM ${soqlName(object).text} WHERE IsDeleted = true AND SystemModstamp >= ${soqlDateTime(since).text}${upper} ORDER BY SystemModstamp ASC, Id ASC`;
    const rows = await queryAllRecords(this.#session, q, this.#q({ includeDeleted: true }));
    return rows.map((r) => ({ id: String(r.Id), deletedAt: String(r.SystemModstamp) }));
  }

  /** Deleted records from the replication API (`getDeleted`), for windows within the last 15 days. */
  getDeleted(object: string, start: Date, end: Date) {
    return getDeleted(this.#session, object, start, end);
  }

  create(object: string, records: Array<Record<string, unknown>>): Promise<WriteResult[]> {
    return createRecords(this.#session, object, records, this.#writeOptions);
  }

  update(object: string, records: Array<Record<string, unknown>>): Promise<WriteResult[]> {
    return updateRecords(this.#session, object, records, this.#writeOptions);
  }

  upsert(
    object: string,
    externalIdField: string,
    records: Array<Record<string, unknown>>,
  ): Promise<WriteResult[]> {
    return upsertRecords(this.#session, object, externalIdField, records, this.#writeOptions);
  }

  /** Deletes records by ID (collections of 200), a result per ID in order. */
  delete(object: string, ids: readonly string[]): Promise<WriteResult[]> {
    return deleteRecords(this.#session, object, ids, this.#writeOptions);
  }

  /** Field metadata of an object (validate the sync config's fields at start-up). */
  describe(object: string) {
    return this.#session.call('describe', (c) => c.describe(soqlName(object).text));
  }

  /** The org's limits (`DailyApiRequests` …). */
  limits() {
    return this.#session.call('limits', (c) => c.limits());
  }
}

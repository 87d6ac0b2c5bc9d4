import type { SalesforceSession } from './session.ts';
import { chunkForInClause, soqlDateTime, soqlName, soqlValue } from './soql.ts';

/** A record as the REST API returns it. */
export type SfRecord = { attributes?: { type: string; url: string }; Id?: string; [field: string]: unknown };

export type QueryResult = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: SfRecord[] };

/** Paging options: batch size asked of Salesforce (200..2000) and queryAll for Recycle Bin rows. */
export type QueryOptions = { batchSize?: number; includeDeleted?: boolean };

/**
 * Yields one page of records at a time, following `nextRecordsUrl` until `done`: no silent cap
 * (jsforce's autoFetch stops at 10,000). Each page is one API call.
 */
export async function* queryPages(
  session: SalesforceSession,
  soql: string,
  options: QueryOptions = {},
): AsyncGenerator<SfRecord[]> {
  const batchSize = Math.min(2000, Math.max(200, options.batchSize ?? 2000));
  const headers = { 'Sforce-Query-Options': `batchSize=${batchSize}` };
  const resource = options.includeDeleted ? 'queryAll' : 'query';
  let page = await session.call('query', (c) =>
    c.request<QueryResult>({ method: 'GET', url: `/${resource}?q=${encodeURIComponent(soql)}`, headers }),
  );
  yield page.records;
  // Bounded by Salesforce's totalSize: a server that never says done cannot loop forever.
  let pages = 1;
  const maxPages = Math.ceil(page.totalSize / 200) + 1;
  while (!page.done && page.nextRecordsUrl) {
    if (++pages > maxPages) throw new Error(`query paging did not finish after ${maxPages} pages`);
    const next: string = page.nextRecordsUrl;
    page = await session.call('queryMore', (c) =>
      c.request<QueryResult>({ method: 'GET', url: next, headers }),
    );
    yield page.records;
  }
}

/**
 * The next page of a result (a child relationship's rows past the first batch carry their own
 * `nextRecordsUrl`), one API call.
 */
export function queryMore(session: SalesforceSession, nextRecordsUrl: string): Promise<QueryResult> {
  return session.call('queryMore', (c) => c.request<QueryResult>({ method: 'GET', url: nextRecordsUrl }));
}

/** All records of a query, every page read; `maxRecords` turns a runaway query into an error. */
export async function queryAllRecords(
  session: SalesforceSession,
  soql: string,
  options: QueryOptions & { maxRecords?: number } = {},
): Promise<SfRecord[]> {
  const out: SfRecord[] = [];
  for await (const page of queryPages(session, soql, options)) {
    out.push(...page);
    if (options.maxRecords !== undefined && out.length > options.maxRecords) {
      throw new Error(
        `query returned more than ${options.maxRecords} records; narrow it or page with queryPages`,
      );
    }
  }
  return out;
}

/**
 * Reads records by ID with `Id IN (…)` lists chunked so every query URL stays under the URI limit.
 * Returns records in no particular order; IDs not found are simply absent.
 */
export async function queryByIds(
  session: SalesforceSession,
  object: string,
  fields: readonly string[],
  ids: readonly string[],
  options: QueryOptions & { idField?: string } = {},
): Promise<SfRecord[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const select = `SELECT ${fields.map((f) => soqlName(f).text).join(', ')} FROM ${soqlName(object).text}`;
  const where = ` WHERE ${soqlName(options.idField ?? 'Id').text} IN `;
  const out: SfRecord[] = [];
  for (const chunk of chunkForInClause(unique, { baseQuery: select + where })) {
    out.push(...(await queryAllRecords(session, select + where + soqlValue(chunk), options)));
  }
  return out;
}

/** Options of a delta read. */
export type DeltaOptions = QueryOptions & {
  /** Re-read this much before the watermark, for transactions that commit late (default 5 minutes). */
  overlapMs?: number;
  /** Upper bound (exclusive) of the window; default open. */
  until?: Date;
  /** Extra SOQL condition (already escaped, e.g. built with `soql`). */
  where?: string;
};

/**
 * Records changed since a watermark, by SystemModstamp with an overlap window, ordered by
 * SystemModstamp then Id. Returns the new watermark (the highest SystemModstamp seen, or the old one).
 * Callers dedupe on Id + SystemModstamp, since the overlap re-reads recent records.
 */
export async function queryChangedSince(
  session: SalesforceSession,
  object: string,
  fields: readonly string[],
  since: Date,
  options: DeltaOptions = {},
): Promise<{ records: SfRecord[]; watermark: Date }> {
  const from = new Date(since.getTime() - (options.overlapMs ?? 5 * 60_000));
  const names = [...new Set(['Id', 'SystemModstamp', ...fields])].map((f) => soqlName(f).text);
  const conditions = [`SystemModstamp > ${soqlDateTime(from).text}`];
  if (options.until) conditions.push(`SystemModstamp < ${soqlDateTime(options.until).text}`);
  if (options.where) conditions.push(`(${options.where})`);
  const q = `SELECT ${names.join(', ')} FROM ${soqlName(object).text} WHERE ${conditions.join(' AND ')} ORDER BY SystemModstamp ASC, Id ASC`;
  const records = await queryAllRecords(session, q, options);
  let watermark = since;
  for (const r of records) {
    const ms = Date.parse(String(r.SystemModstamp).replace(/\+0000$/, 'Z'));
    if (ms > watermark.getTime()) watermark = new Date(ms);
  }
  return { records, watermark };
}

/** Where a keyset scan by (SystemModstamp, Id) stands: the last row read. */
export interface ModstampCursor {
  modstamp: string;
  id: string;
}

/**
 * One page of records changed in `[from, until)`, ordered by SystemModstamp then Id, after
 * `after`: keyset paging, so a record changed while the scan runs moves behind the cursor and
 * shifts nothing not yet read. `next` is absent when the window is read to its end.
 */
export async function queryChangedPage(
  session: SalesforceSession,
  object: string,
  fields: readonly string[],
  window: { from: Date; until: Date; after?: ModstampCursor; where?: string; limit?: number },
  options: QueryOptions = {},
): Promise<{ records: SfRecord[]; next?: ModstampCursor }> {
  const limit = window.limit ?? 2000;
  const names = [...new Set(['Id', 'SystemModstamp', ...fields])].map((f) => soqlName(f).text);
  // From the watermark's second itself: a record saved in that second after the last read has the
  // same SystemModstamp (whole seconds), and re-reading one second costs nothing downstream.
  const conditions = [
    `SystemModstamp >= ${soqlDateTime(window.from).text}`,
    `SystemModstamp < ${soqlDateTime(window.until).text}`,
  ];
  if (window.after !== undefined) {
    const ts = soqlDateTime(new Date(window.after.modstamp.replace(/\+0000$/, 'Z'))).text;
    conditions.push(
      `(SystemModstamp > ${ts} OR (SystemModstamp = ${ts} AND Id > ${soqlValue(window.after.id)}))`,
    );
  }
  if (window.where) conditions.push(`(${window.where})`);
  const q = `SELECT ${names.join(', ')} FROM ${soqlName(object).text} WHERE ${conditions.join(' AND ')} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${limit}`;
  const records = await queryAllRecords(session, q, options);
  const last = records.at(-1);
  if (records.length < limit || last === undefined) return { records };
  return { records, next: { modstamp: String(last.SystemModstamp), id: String(last.Id) } };
}

/** Deleted records from the replication API (`/sobjects/{T}/deleted`): last 15 days at most. */
export async function getDeleted(
  session: SalesforceSession,
  object: string,
  start: Date,
  end: Date,
): Promise<{
  deletedRecords: Array<{ id: string; deletedDate: string }>;
  earliestDateAvailable: string;
  latestDateCovered: string;
}> {
  return session.call('getDeleted', (c) => c.sobject(soqlName(object).text).deleted(start, end));
}

import type { IncomingMessage } from 'node:http';
import { ApiError } from '../api-error.ts';
import type { SimContext } from '../context.ts';
import type { IdFactory } from '../ids.ts';
import { executeQuery } from '../soql/execute.ts';
import { parseSoql } from '../soql/parser.ts';
import type { SObjectRecord } from '../validate.ts';

type Cursor = { records: SObjectRecord[]; totalSize: number };

/** Batch size from `Sforce-Query-Options: batchSize=N` (Salesforce clamps to 200..2000; default 2000). */
export function batchSizeOf(req: IncomingMessage): number {
  const header = req.headers['sforce-query-options'];
  const m = /batchSize\s*=\s*(\d+)/i.exec(Array.isArray(header) ? header.join(',') : (header ?? ''));
  if (!m) return 2000;
  return Math.min(2000, Math.max(200, Number(m[1])));
}

/**
 * Query results and their locators. A result is computed once; later pages are served from the
 * cursor, as Salesforce keeps a server-side cursor (changes after the first call are not seen).
 */
export class QueryCursors {
  readonly #cursors = new Map<string, Cursor>();
  readonly #ids: IdFactory;

  constructor(ids: IdFactory) {
    this.#ids = ids;
  }

  run(ctx: SimContext, version: string, soql: string | null, includeDeleted: boolean, batchSize: number) {
    if (!soql) throw new ApiError(400, 'MALFORMED_QUERY', 'q parameter is required');
    const result = executeQuery(
      { store: ctx.store, version, includeDeleted, now: ctx.now() },
      parseSoql(soql),
    );
    // an aggregate result is one batch whatever its size (it has no query locator)
    const size = result.aggregate ? Math.max(batchSize, result.records.length) : batchSize;
    const locator = result.records.length > size ? this.#ids.next('0r8') : undefined;
    if (locator) this.#cursors.set(locator, result);
    return this.#page(version, locator, result, 0, size);
  }

  more(version: string, locatorPath: string, batchSize: number) {
    const m = /^([a-zA-Z0-9]{15,18})-(\d+)$/.exec(locatorPath);
    const cursor = m?.[1] ? this.#cursors.get(m[1]) : undefined;
    if (!m || !cursor) throw new ApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return this.#page(version, m[1], cursor, Number(m[2]), batchSize);
  }

  #page(version: string, locator: string | undefined, cursor: Cursor, offset: number, batchSize: number) {
    const records = cursor.records.slice(offset, offset + batchSize);
    const next = offset + batchSize;
    const done = next >= cursor.records.length;
    if (done && locator) this.#cursors.delete(locator);
    return {
      totalSize: cursor.totalSize,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${locator}-${next}` }),
      records,
    };
  }
}

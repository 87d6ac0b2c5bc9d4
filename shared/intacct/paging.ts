import type { ExecuteOptions, IntacctClient } from './client.ts';
import { type QueryFilter, where } from './functions/filter.ts';
import { type QuerySpec, query, type ReadByQuerySpec, readByQuery, readMore } from './functions/generic.ts';

/** Upper bound on pages fetched by one helper call, so a changing data set cannot loop forever. */
const MAX_PAGES = 10_000;

/**
 * Pages through `query` by offset (default 2000 rows a page, the cheapest in API transactions).
 * Needs an orderBy: offset paging is only stable with a deterministic order, and for delta syncs a
 * bounded WHENMODIFIED window in the filter.
 */
export async function* queryAll(
  client: IntacctClient,
  spec: QuerySpec,
  options: ExecuteOptions = {},
): AsyncGenerator<Record<string, unknown>> {
  if (!spec.orderBy?.length) throw new Error('queryAll needs orderBy so offset paging is stable');
  let offset = spec.offset ?? 0;
  const pagesize = spec.pagesize ?? 2000;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await client.execute(query({ ...spec, pagesize, offset }), options);
    yield* result.rows;
    if (result.numRemaining <= 0 || result.rows.length === 0) return;
    offset += result.rows.length;
  }
}

/** Where a keyset scan stands: the last row read, by (version field, RECORDNO). */
export interface KeysetCursor {
  version: string;
  recordNo: string;
}

export type KeysetSpec = Omit<QuerySpec, 'orderBy' | 'offset'> & { versionField: string };

/**
 * One page of a keyset scan: ordered by (`versionField`, RECORDNO), the rows after `after`. A row
 * that changes during the scan moves behind the cursor without shifting the rows not yet read, so
 * no row of the window goes unread (offset paging would skip one). `next` is the cursor to go on
 * from, absent when the scan is complete. Rows changed during the scan may come again.
 */
export async function queryKeysetPage(
  client: IntacctClient,
  spec: KeysetSpec,
  after: KeysetCursor | undefined,
  options: ExecuteOptions = {},
): Promise<{ rows: Array<Record<string, unknown>>; next?: KeysetCursor }> {
  const { versionField, ...rest } = spec;
  const select = [...new Set([...rest.select, versionField, 'RECORDNO'])];
  const cursor =
    after === undefined
      ? undefined
      : where.or(
          where.gt(versionField, after.version),
          where.and(where.eq(versionField, after.version), where.gt('RECORDNO', after.recordNo)),
        );
  const filters = [rest.filter, cursor].filter((f): f is QueryFilter => f !== undefined);
  const result = await client.execute(
    query({
      ...rest,
      select,
      pagesize: spec.pagesize ?? 2000,
      offset: 0,
      orderBy: [{ field: versionField }, { field: 'RECORDNO' }],
      ...(filters.length === 0 ? {} : { filter: filters.length === 1 ? filters[0] : where.and(...filters) }),
    }),
    options,
  );
  const last = result.rows.at(-1);
  if (result.numRemaining <= 0 || last === undefined) return { rows: result.rows };
  return {
    rows: result.rows,
    next: { version: String(last[versionField] ?? ''), recordNo: String(last.RECORDNO ?? '') },
  };
}

/** Every row of a keyset scan, page by page (see {@link queryKeysetPage}). */
export async function* queryByKeyset(
  client: IntacctClient,
  spec: KeysetSpec,
  options: ExecuteOptions = {},
): AsyncGenerator<Record<string, unknown>> {
  let after: KeysetCursor | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { rows, next } = await queryKeysetPage(client, spec, after, options);
    yield* rows;
    if (next === undefined) return;
    after = next;
  }
}

/** readByQuery then readMore by resultId until numremaining is 0. */
export async function* readByQueryAll(
  client: IntacctClient,
  spec: ReadByQuerySpec,
  options: ExecuteOptions = {},
): AsyncGenerator<Record<string, unknown>> {
  let result = await client.execute(readByQuery({ pagesize: 1000, ...spec }), options);
  yield* result.rows;
  for (let page = 0; page < MAX_PAGES && result.numRemaining > 0 && result.resultId; page++) {
    result = await client.execute(readMore({ resultId: result.resultId }), options);
    yield* result.rows;
  }
}

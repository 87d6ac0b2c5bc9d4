import type { ExecuteOptions, IntacctClient } from './client.ts';
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

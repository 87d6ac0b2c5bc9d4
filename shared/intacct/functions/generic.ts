import { ValidationError } from '#shared/errors.ts';
import { cleanRow, type ParsedResult } from '../response.ts';
import type { XmlObject } from '../xml.ts';
import { filterToXml, type QueryFilter } from './filter.ts';
import type { IntacctFunction, Page, WriteOptions } from './types.ts';

/** A record to create or update: the object name and its fields (upper-case integration names). */
export interface RecordInput {
  object: string;
  /** Field elements; `null` sends an empty element, which clears the field on update. */
  fields: XmlObject;
}

/** What a generic create/update wrote: one entry per record with RECORDNO and the object's ID field. */
export interface WriteResult {
  records: Array<{ object: string } & Record<string, unknown>>;
}

const rowsOf = (r: ParsedResult) => (r.data?.rows ?? []).map((row) => cleanRow(row.value));
const writtenOf = (r: ParsedResult) =>
  (r.data?.rows ?? []).map((row) => ({ object: row.tag.toUpperCase(), ...cleanRow(row.value) }));
const one = () => 1;

function write(
  name: 'create' | 'update',
  records: RecordInput[],
  options: WriteOptions,
): IntacctFunction<WriteResult> {
  if (records.length === 0) throw new ValidationError(`${name} needs at least one record`);
  const body: Record<string, XmlObject[]> = {};
  for (const r of records) {
    const list = body[r.object] ?? [];
    list.push(r.fields);
    body[r.object] = list;
  }
  return {
    name,
    body,
    write: true,
    controlId: options.controlId,
    written: writtenOf,
    // billing: every record written is one transaction, batched or not
    transactions: (r) => r.data?.rows.length ?? records.length,
    parse: (r) => ({ records: writtenOf(r) }),
  };
}

/** Generic `create` of one or more records (mixed objects allowed); partial success is reported. */
export function create(
  records: RecordInput | RecordInput[],
  options: WriteOptions,
): IntacctFunction<WriteResult> {
  return write('create', Array.isArray(records) ? records : [records], options);
}

/** Generic `update`; each record carries RECORDNO or its ID field, and only the fields to change. */
export function update(
  records: RecordInput | RecordInput[],
  options: WriteOptions,
): IntacctFunction<WriteResult> {
  return write('update', Array.isArray(records) ? records : [records], options);
}

/** Generic `delete` by RECORDNO keys. */
export function deleteRecords(object: string, keys: string[], options: WriteOptions): IntacctFunction<void> {
  return {
    name: 'delete',
    body: { object, keys: keys.join(',') },
    write: true,
    controlId: options.controlId,
    transactions: () => keys.length,
    parse: () => undefined,
  };
}

/** Options of `read` and `readByName`. */
export interface ReadSpec {
  object: string;
  /** RECORDNOs for read, natural IDs for readByName; at most 100. */
  keys: string[];
  fields?: string[];
  docparid?: string;
}

function readLike(name: 'read' | 'readByName', spec: ReadSpec): IntacctFunction<Record<string, unknown>[]> {
  if (spec.keys.length > 100)
    throw new ValidationError(`${name} takes at most 100 keys, got ${spec.keys.length}`);
  return {
    name,
    body: {
      object: spec.object,
      keys: spec.keys.join(','),
      fields: spec.fields?.join(',') ?? '*',
      returnFormat: 'xml',
      docparid: spec.docparid,
    },
    write: false,
    transactions: one,
    parse: rowsOf,
  };
}

/** `read` by RECORDNO; rows come back upper-case with owned sub-records nested. */
export const read = (spec: ReadSpec) => readLike('read', spec);
/** `readByName` by natural ID (CUSTOMERID, ITEMID, …). */
export const readByName = (spec: ReadSpec) => readLike('readByName', spec);

function pageOf(r: ParsedResult): Page {
  const a = r.data?.attributes ?? {};
  const n = (v: string | undefined) => (v === undefined || v === '' ? 0 : Number(v));
  return {
    listType: a.listtype ?? '',
    rows: rowsOf(r),
    count: n(a.count),
    totalCount: n(a.totalcount),
    numRemaining: n(a.numremaining),
    resultId: a.resultId,
    offset: a.offset === undefined ? undefined : n(a.offset),
  };
}

/** Options of `readByQuery`. */
export interface ReadByQuerySpec {
  object: string;
  fields?: string[];
  /** SQL-like filter on stored codes; quotes escaped with backslash. Empty = all. */
  query?: string;
  /** 1–1000, default 100. */
  pagesize?: number;
  docparid?: string;
}

/** `readByQuery`; continue with {@link readMore} on the returned resultId until numRemaining is 0. */
export function readByQuery(spec: ReadByQuerySpec): IntacctFunction<Page> {
  const pagesize = spec.pagesize ?? 100;
  if (pagesize < 1 || pagesize > 1000)
    throw new ValidationError(`readByQuery pagesize must be 1–1000, got ${pagesize}`);
  return {
    name: 'readByQuery',
    body: {
      object: spec.object,
      fields: spec.fields?.join(',') ?? '*',
      query: spec.query ?? '',
      pagesize,
      returnFormat: 'xml',
      docparid: spec.docparid,
    },
    write: false,
    transactions: one,
    parse: pageOf,
  };
}

/** `readMore` by resultId (preferred) or by object (continues the last query on that object). */
export function readMore(from: { resultId: string } | { object: string }): IntacctFunction<Page> {
  return { name: 'readMore', body: { ...from }, write: false, transactions: one, parse: pageOf };
}

/** Options of the `query` function. */
export interface QuerySpec {
  object: string;
  /** Field names, dotted for related objects; `*` is not allowed. */
  select: string[];
  /** Aggregates, e.g. `{ count: ['RECORDNO'] }`. */
  aggregates?: Partial<Record<'count' | 'sum' | 'avg' | 'min' | 'max', string[]>>;
  filter?: QueryFilter;
  orderBy?: Array<{ field: string; descending?: boolean }>;
  /** 1–2000, default 100. */
  pagesize?: number;
  offset?: number;
  showPrivate?: boolean;
  caseInsensitive?: boolean;
  docparid?: string;
}

/** The `query` function: flat dotted columns, offset paging; always give orderBy when paging. */
export function query(spec: QuerySpec): IntacctFunction<Page> {
  if (spec.select.length === 0 || spec.select.includes('*')) {
    throw new ValidationError('query needs an explicit select list (no *)');
  }
  const pagesize = spec.pagesize ?? 100;
  if (pagesize < 1 || pagesize > 2000)
    throw new ValidationError(`query pagesize must be 1–2000, got ${pagesize}`);
  if ((spec.offset ?? 0) < 0) throw new ValidationError('query offset must be ≥ 0');
  const select: XmlObject = { field: spec.select };
  for (const [agg, fields] of Object.entries(spec.aggregates ?? {})) select[agg] = fields;
  const options: XmlObject = {
    caseinsensitive: spec.caseInsensitive,
    showprivate: spec.showPrivate,
  };
  return {
    name: 'query',
    body: {
      object: spec.object,
      select,
      docparid: spec.docparid,
      filter: spec.filter ? filterToXml(spec.filter) : undefined,
      orderby: spec.orderBy?.length
        ? {
            order: spec.orderBy.map((o) => ({
              field: o.field,
              [o.descending ? 'descending' : 'ascending']: '',
            })),
          }
        : undefined,
      options: spec.showPrivate !== undefined || spec.caseInsensitive !== undefined ? options : undefined,
      pagesize,
      offset: spec.offset ?? 0,
    },
    write: false,
    transactions: one,
    parse: pageOf,
  };
}

/** `lookup`: the object's fields and relationships as usable in `query` (raw parsed data). */
export function lookup(object: string, docparid?: string): IntacctFunction<Record<string, unknown>[]> {
  return { name: 'lookup', body: { object, docparid }, write: false, transactions: one, parse: rowsOf };
}

/** `inspect`: fields of one object, or every object with `*`. */
export function inspect(object: string, detail = false): IntacctFunction<Record<string, unknown>[]> {
  return {
    name: 'inspect',
    body: { '@_detail': detail ? '1' : '0', object },
    write: false,
    transactions: one,
    parse: rowsOf,
  };
}

/** An API session as getAPISession returns it. */
export interface ApiSession {
  sessionId: string;
  endpoint: string;
  locationId: string;
}

/** `getAPISession`; send it alone in its own request. `locationId` '' returns to top level. */
export function getAPISession(locationId?: string): IntacctFunction<ApiSession> {
  return {
    name: 'getAPISession',
    body: locationId === undefined ? {} : { locationid: locationId },
    write: false,
    transactions: () => 0,
    parse: (r) => {
      const api = r.data?.rows.find((row) => row.tag === 'api')?.value ?? {};
      const text = (v: unknown) => (typeof v === 'string' ? v : '');
      return {
        sessionId: text(api.sessionid),
        endpoint: text(api.endpoint),
        locationId: text(api.locationid),
      };
    },
  };
}

import { ApiError } from '../api-error.ts';
import type { SObjectRecord } from '../validate.ts';
import { isAggregateQuery, runAggregate } from './aggregate.ts';
import { AGGREGATE_FNS, type Condition, type DateFn, type SelectItem, type SoqlQuery } from './ast.ts';
import { compileCondition, type OperandOf } from './conditions.ts';
import { applyDateFn, dateFnDef } from './functions.ts';
import { narrow } from './narrow.ts';
import { follow, type QueryContext, read, resolve } from './resolve.ts';
import { storedComparable } from './values.ts';

export type { QueryContext } from './resolve.ts';

/**
 * WHERE predicates compiled once per condition and execution: a child subquery runs once per
 * parent record and reuses its predicate instead of compiling it again.
 */
const compiledWhere = new WeakMap<Condition, { ctx: QueryContext; test: (rec: SObjectRecord) => boolean }>();

function wherePredicate(ctx: QueryContext, object: string, cond: Condition) {
  const known = compiledWhere.get(cond);
  if (known !== undefined && known.ctx === ctx) return known.test;
  const operand: OperandOf<SObjectRecord> = (left) => {
    if (left.fn !== undefined && AGGREGATE_FNS.has(left.fn))
      throw new ApiError(400, 'MALFORMED_QUERY', 'Aggregate functions are not allowed in a WHERE clause');
    const r = resolve(ctx, object, left.path);
    if (left.fn === undefined) return { def: r.field, get: (rec) => read(ctx, rec, r) };
    const fn = left.fn as DateFn;
    return { def: dateFnDef(fn, r.field), get: (rec) => applyDateFn(fn, read(ctx, rec, r)) };
  };
  const test = compileCondition(cond, operand, ctx.now);
  compiledWhere.set(cond, { ctx, test });
  return test;
}

const attributes = (ctx: QueryContext, type: string, id: unknown) => ({
  type,
  url: `/services/data/v${ctx.version}/sobjects/${type}/${String(id)}`,
});

function project(ctx: QueryContext, object: string, rec: SObjectRecord, select: SelectItem[]): SObjectRecord {
  const out: SObjectRecord = { attributes: attributes(ctx, object, rec.Id) };
  for (const item of select) {
    if (item.kind === 'subquery') {
      const rel = ctx.store.schema.childRelationship(object, item.query.from);
      if (!rel) {
        throw new ApiError(
          400,
          'INVALID_TYPE',
          `Didn't understand relationship '${item.query.from}' in FROM part of query call.`,
        );
      }
      const child = run(
        ctx,
        { ...item.query, from: rel.childSObject },
        {
          field: rel.field,
          value: rec.Id,
        },
      );
      out[rel.relationshipName] =
        child.records.length === 0
          ? null
          : { totalSize: child.totalSize, done: true, records: child.records };
      continue;
    }
    if (item.kind !== 'field')
      throw new ApiError(400, 'MALFORMED_QUERY', 'Functions in SELECT need an aggregate query (GROUP BY)');
    const r = resolve(ctx, object, item.path);
    let target = out;
    let source: SObjectRecord | undefined = rec;
    for (const hop of r.hops) {
      source = follow(ctx, source, hop);
      const key = hop.relationshipName ?? hop.name;
      if (!source) {
        target[key] = null;
        target = {};
        continue;
      }
      const existing = target[key];
      if (existing === null || typeof existing !== 'object') {
        const type = ctx.store.schema.referenceTargetOf(hop, String(source.Id)) ?? hop.referenceTo ?? '';
        target[key] = { attributes: attributes(ctx, type, source.Id) };
      }
      target = target[key] as SObjectRecord;
    }
    if (source) target[r.field.name] = source[r.field.name] ?? null;
  }
  return out;
}

function sortRecords(ctx: QueryContext, object: string, rows: SObjectRecord[], q: SoqlQuery): void {
  if (q.orderBy.some((o) => o.fn !== undefined))
    throw new ApiError(400, 'MALFORMED_QUERY', 'ORDER BY a function needs an aggregate query (GROUP BY)');
  if (q.orderBy.length === 0) return;
  const keys = q.orderBy.map((o) => ({ o, r: resolve(ctx, object, o.path) }));
  // each row's sort values worked out once (a datetime is parsed once, not once per comparison)
  const keyed = rows.map((row) => ({
    row,
    values: keys.map(({ r }) => storedComparable(r.field, read(ctx, row, r))),
  }));
  keyed.sort((a, b) => {
    for (const [i, { o }] of keys.entries()) {
      const va = a.values[i] ?? null;
      const vb = b.values[i] ?? null;
      if (va === vb) continue;
      if (va === null) return o.nullsLast ? 1 : -1;
      if (vb === null) return o.nullsLast ? -1 : 1;
      const cmp = va < vb ? -1 : 1;
      return o.desc ? -cmp : cmp;
    }
    return 0;
  });
  for (const [i, k] of keyed.entries()) rows[i] = k.row;
}

/**
 * The rows a query starts from, in table order: those an index narrows it to (a child subquery's
 * parent link, or a WHERE condition every match must meet), else the whole table.
 */
function startRows(ctx: QueryContext, object: string, where: Condition | undefined, parent?: ParentLink) {
  const table = ctx.store.table(object);
  const candidates =
    parent !== undefined
      ? table.withValue(parent.field, parent.value)
      : where !== undefined
        ? narrow(ctx, object, table, where)
        : undefined;
  if (candidates === undefined) return ctx.store.list(object, ctx.includeDeleted);
  return ctx.includeDeleted ? candidates : candidates.filter((r) => r.IsDeleted !== true);
}

/** A child subquery's link to its parent row: the child's field that must hold the parent's ID. */
type ParentLink = { field: string; value: unknown };

function run(ctx: QueryContext, q: SoqlQuery, parent?: ParentLink) {
  const def = ctx.store.schema.object(q.from);
  if (!def) throw new ApiError(400, 'INVALID_TYPE', `sObject type '${q.from}' is not supported.`);
  const object = def.name;
  for (const item of q.select) if (item.kind !== 'subquery') resolve(ctx, object, item.path);
  const where = q.where;
  // compiled before the rows are narrowed, so a bad filter fails the same way on any data
  const test = where === undefined ? undefined : wherePredicate(ctx, object, where);
  let rows = startRows(ctx, object, where, parent);
  if (parent !== undefined) rows = rows.filter((c) => c[parent.field] === parent.value);
  if (test !== undefined) rows = rows.filter(test);
  if (q.count) {
    if (q.groupBy.length > 0 || q.orderBy.length > 0)
      throw new ApiError(
        400,
        'MALFORMED_QUERY',
        'COUNT() cannot be used with GROUP BY or ORDER BY: use COUNT(fieldName) instead',
      );
  } else if (isAggregateQuery(q)) {
    const records = runAggregate(ctx, object, rows, q);
    return { totalSize: records.length, records, aggregate: true };
  }
  if (q.having) throw new ApiError(400, 'MALFORMED_QUERY', 'HAVING needs a GROUP BY clause');
  sortRecords(ctx, object, rows, q);
  const offset = q.offset ?? 0;
  if (offset > 2000)
    throw new ApiError(400, 'NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000');
  rows = rows.slice(offset, q.limit === undefined ? undefined : offset + q.limit);
  if (q.count) return { totalSize: rows.length, records: [] as SObjectRecord[], aggregate: false };
  return {
    totalSize: rows.length,
    records: rows.map((r) => project(ctx, object, r, q.select)),
    aggregate: false,
  };
}

/**
 * Runs a parsed query: the full ordered result (paging into batches is the caller's job, except
 * that an aggregate result, `aggregate: true`, is always one batch: it has no query locator).
 */
export function executeQuery(
  ctx: QueryContext,
  q: SoqlQuery,
): { totalSize: number; records: SObjectRecord[]; aggregate: boolean } {
  if (q.select.length === 0 && !q.count) throw new ApiError(400, 'MALFORMED_QUERY', 'no fields selected');
  return run(ctx, q);
}

import { ApiError } from '../api-error.ts';
import type { FieldDef } from '../schema/types.ts';
import type { RecordStore } from '../store.ts';
import type { SObjectRecord } from '../validate.ts';
import type { Condition, SelectItem, SoqlQuery } from './ast.ts';
import { compare, storedComparable, toComparable } from './values.ts';

/** A resolved dot path: the reference fields to follow, then the field to read. */
type Resolved = { hops: FieldDef[]; field: FieldDef };

/** Where a query runs: the store, the API version (for record URLs), and options. */
export type QueryContext = { store: RecordStore; version: string; includeDeleted: boolean; now: number };

function resolve(ctx: QueryContext, object: string, path: string[]): Resolved {
  const schema = ctx.store.schema;
  const hops: FieldDef[] = [];
  let current = object;
  for (const [i, part] of path.entries()) {
    if (i === path.length - 1) {
      const field = schema.field(current, part);
      if (!field) {
        throw new ApiError(
          400,
          'INVALID_FIELD',
          `No such column '${part}' on entity '${current}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`,
        );
      }
      return { hops, field };
    }
    const rel = schema.relationship(current, part);
    if (!rel?.referenceTo) {
      throw new ApiError(400, 'INVALID_FIELD', `Didn't understand relationship '${part}' in field path.`);
    }
    hops.push(rel);
    current = rel.referenceTo;
  }
  throw new ApiError(400, 'MALFORMED_QUERY', 'empty field path');
}

function follow(ctx: QueryContext, rec: SObjectRecord | undefined, hop: FieldDef): SObjectRecord | undefined {
  const id = rec?.[hop.name];
  const target = typeof id === 'string' ? ctx.store.schema.referenceTargetOf(hop, id) : undefined;
  return typeof id === 'string' && target !== undefined ? ctx.store.get(target, id, true) : undefined;
}

function read(ctx: QueryContext, rec: SObjectRecord, r: Resolved): unknown {
  let cur: SObjectRecord | undefined = rec;
  for (const hop of r.hops) cur = follow(ctx, cur, hop);
  return cur?.[r.field.name] ?? null;
}

function matches(ctx: QueryContext, object: string, rec: SObjectRecord, cond: Condition): boolean {
  switch (cond.kind) {
    case 'and':
      return matches(ctx, object, rec, cond.left) && matches(ctx, object, rec, cond.right);
    case 'or':
      return matches(ctx, object, rec, cond.left) || matches(ctx, object, rec, cond.right);
    case 'not':
      return !matches(ctx, object, rec, cond.cond);
    case 'cmp': {
      const r = resolve(ctx, object, cond.path);
      return compare(r.field, read(ctx, rec, r), cond.op, toComparable(r.field, cond.value, ctx.now));
    }
    case 'in': {
      const { r, hit } = inList(ctx, object, cond);
      const value = read(ctx, rec, r);
      const found = hit(value);
      return cond.negated ? !found && value !== null : found;
    }
  }
}

type InCondition = Extract<Condition, { kind: 'in' }>;
const inLists = new WeakMap<
  InCondition,
  { ctx: QueryContext; r: Resolved; hit: (value: unknown) => boolean }
>();

/**
 * An IN list compiled once per query, not once per record: its literals' comparables in a set
 * (scalar `=` is `===` on the comparable), ranges (relative dates) tested one by one.
 */
function inList(ctx: QueryContext, object: string, cond: InCondition) {
  let compiled = inLists.get(cond);
  // Per execution: relative dates (LAST_N_DAYS) depend on the query's clock.
  if (compiled === undefined || compiled.ctx !== ctx) {
    const r = resolve(ctx, object, cond.path);
    const targets = cond.values.map((lit) => toComparable(r.field, lit, ctx.now));
    const scalars = new Set(targets.flatMap((t) => (t.kind === 'scalar' ? [t.v] : [])));
    const ranges = targets.filter((t) => t.kind === 'range');
    compiled = {
      ctx,
      r,
      hit: (value) =>
        scalars.has(storedComparable(r.field, value)) || ranges.some((t) => compare(r.field, value, '=', t)),
    };
    inLists.set(cond, compiled);
  }
  return compiled;
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
      const child = run(ctx, { ...item.query, from: rel.childSObject }, (c) => c[rel.field] === rec.Id);
      out[rel.relationshipName] =
        child.records.length === 0
          ? null
          : { totalSize: child.totalSize, done: true, records: child.records };
      continue;
    }
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
  const keys = q.orderBy.map((o) => ({ o, r: resolve(ctx, object, o.path) }));
  rows.sort((a, b) => {
    for (const { o, r } of keys) {
      const va = storedComparable(r.field, read(ctx, a, r));
      const vb = storedComparable(r.field, read(ctx, b, r));
      if (va === vb) continue;
      if (va === null) return o.nullsLast ? 1 : -1;
      if (vb === null) return o.nullsLast ? -1 : 1;
      const cmp = va < vb ? -1 : 1;
      return o.desc ? -cmp : cmp;
    }
    return 0;
  });
}

function run(ctx: QueryContext, q: SoqlQuery, extra?: (r: SObjectRecord) => boolean) {
  const def = ctx.store.schema.object(q.from);
  if (!def) throw new ApiError(400, 'INVALID_TYPE', `sObject type '${q.from}' is not supported.`);
  const object = def.name;
  for (const item of q.select) if (item.kind === 'field') resolve(ctx, object, item.path);
  let rows = ctx.store.list(object, ctx.includeDeleted);
  if (extra) rows = rows.filter(extra);
  const where = q.where;
  if (where) rows = rows.filter((r) => matches(ctx, object, r, where));
  sortRecords(ctx, object, rows, q);
  const offset = q.offset ?? 0;
  if (offset > 2000)
    throw new ApiError(400, 'NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000');
  rows = rows.slice(offset, q.limit === undefined ? undefined : offset + q.limit);
  if (q.count) return { totalSize: rows.length, records: [] as SObjectRecord[] };
  return { totalSize: rows.length, records: rows.map((r) => project(ctx, object, r, q.select)) };
}

/** Runs a parsed query: the full ordered result (paging into batches is the caller's job). */
export function executeQuery(
  ctx: QueryContext,
  q: SoqlQuery,
): { totalSize: number; records: SObjectRecord[] } {
  if (q.select.length === 0 && !q.count) throw new ApiError(400, 'MALFORMED_QUERY', 'no fields selected');
  return run(ctx, q);
}

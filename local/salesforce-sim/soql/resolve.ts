import { ApiError } from '../api-error.ts';
import type { FieldDef } from '../schema/types.ts';
import type { RecordStore } from '../store.ts';
import type { SObjectRecord } from '../validate.ts';

/** Where a query runs: the store, the API version (for record URLs), and options. */
export type QueryContext = { store: RecordStore; version: string; includeDeleted: boolean; now: number };

/** A resolved dot path: the reference fields to follow, then the field to read. */
export type Resolved = { hops: FieldDef[]; field: FieldDef };

/** Resolves a dot path against the schema once, so rows are read without looking names up again. */
export function resolve(ctx: QueryContext, object: string, path: string[]): Resolved {
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

/** The record a reference field points to (any type, deleted ones included), or undefined. */
export function follow(
  ctx: QueryContext,
  rec: SObjectRecord | undefined,
  hop: FieldDef,
): SObjectRecord | undefined {
  const id = rec?.[hop.name];
  const target = typeof id === 'string' ? ctx.store.schema.referenceTargetOf(hop, id) : undefined;
  return typeof id === 'string' && target !== undefined ? ctx.store.get(target, id, true) : undefined;
}

/** The value a resolved path reads on a record (null when a hop or the field is empty). */
export function read(ctx: QueryContext, rec: SObjectRecord, r: Resolved): unknown {
  let cur: SObjectRecord | undefined = rec;
  for (const hop of r.hops) cur = follow(ctx, cur, hop);
  return cur?.[r.field.name] ?? null;
}

import { canonicalId } from '../ids.ts';
import type { IndexedTable } from '../indexed-table.ts';
import type { Condition } from './ast.ts';
import { type QueryContext, resolve } from './resolve.ts';

/**
 * The rows a WHERE clause can only match among, found by the table's indexes, or undefined when
 * its shape allows no index (then the caller scans). Only a condition every match must satisfy
 * narrows: one of the AND-ed conditions at the top, on a field of the object itself, with no
 * function: `Id = …` or `Id IN (…)` (by key), else comparisons of one datetime field with a
 * datetime literal (a range, bounds inclusive). The result is a superset of the matches in table
 * order, deleted rows included: the caller still applies the whole WHERE clause (and the
 * IsDeleted rule) to it, so the query answers exactly what the scan would.
 */
export function narrow(ctx: QueryContext, object: string, table: IndexedTable, where: Condition) {
  const conjuncts = andParts(where);
  for (const c of conjuncts) {
    const ids = idValues(ctx, object, c);
    if (ids !== undefined) return table.inTableOrder(ids.map((v) => canonicalId(v) ?? v));
  }
  for (const c of conjuncts) {
    const field = timeField(ctx, object, c);
    if (field === undefined) continue;
    let from = Number.NEGATIVE_INFINITY;
    let to = Number.POSITIVE_INFINITY;
    for (const other of conjuncts) {
      if (timeField(ctx, object, other) !== field || other.kind !== 'cmp' || other.value.kind !== 'datetime')
        continue;
      const ms = other.value.ms;
      if (other.op === '>' || other.op === '>=' || other.op === '=') from = Math.max(from, ms);
      if (other.op === '<' || other.op === '<=' || other.op === '=') to = Math.min(to, ms);
    }
    if (from === Number.NEGATIVE_INFINITY && to === Number.POSITIVE_INFINITY) continue;
    return table.withTimeBetween(field, from, to);
  }
  return undefined;
}

function andParts(c: Condition): Condition[] {
  return c.kind === 'and' ? [...andParts(c.left), ...andParts(c.right)] : [c];
}

/** The literal IDs of `Id = 'x'` or `Id IN ('x', …)`, else undefined. */
function idValues(ctx: QueryContext, object: string, c: Condition): string[] | undefined {
  if (c.kind === 'cmp' && c.op === '=' && c.value.kind === 'string' && isIdField(ctx, object, c))
    return [c.value.value];
  if (c.kind === 'in' && !c.negated && isIdField(ctx, object, c)) {
    const values: string[] = [];
    for (const v of c.values) {
      if (v.kind !== 'string') return undefined;
      values.push(v.value);
    }
    return values;
  }
  return undefined;
}

function isIdField(ctx: QueryContext, object: string, c: { path: string[]; fn?: unknown }): boolean {
  return c.fn === undefined && c.path.length === 1 && resolve(ctx, object, c.path).field.type === 'id';
}

/** The datetime field a range comparison (< <= > >= = with a datetime literal) is on, else undefined. */
function timeField(ctx: QueryContext, object: string, c: Condition): string | undefined {
  if (c.kind !== 'cmp' || c.fn !== undefined || c.path.length !== 1 || c.value.kind !== 'datetime')
    return undefined;
  if (c.op === '!=' || c.op === 'LIKE') return undefined;
  const field = resolve(ctx, object, c.path).field;
  return field.type === 'datetime' ? field.name : undefined;
}

import { ApiError } from '../api-error.ts';
import { parseDateTime } from '../dates.ts';
import { canonicalId } from '../ids.ts';
import type { FieldDef } from '../schema/types.ts';
import type { Literal, Operator } from './ast.ts';

const DAY = 86_400_000;

/** A filter value turned into something comparable with a stored field value. */
type Comparable =
  | { kind: 'scalar'; v: string | number | boolean | null }
  | { kind: 'range'; start: number; end: number };

const isTemporal = (def: FieldDef) => def.type === 'date' || def.type === 'datetime';
const isNumeric = (def: FieldDef) => ['double', 'currency', 'percent', 'int'].includes(def.type);

function filterError(def: FieldDef, lit: Literal): ApiError {
  const shown = lit.kind === 'string' ? `'${lit.value}'` : lit.kind;
  return new ApiError(
    400,
    'INVALID_QUERY_FILTER_OPERATOR',
    `value of filter criterion for field '${def.name}' must be of type ${def.type} and should not be enclosed in quotes: ${shown}`,
  );
}

function relativeRange(
  lit: Extract<Literal, { kind: 'relative' }>,
  now: number,
): { start: number; end: number } {
  const today = Math.floor(now / DAY) * DAY;
  const n = lit.n ?? 0;
  switch (lit.name) {
    case 'TODAY':
      return { start: today, end: today + DAY };
    case 'YESTERDAY':
      return { start: today - DAY, end: today };
    case 'TOMORROW':
      return { start: today + DAY, end: today + 2 * DAY };
    case 'LAST_N_DAYS':
      return { start: today - n * DAY, end: today + DAY };
    case 'NEXT_N_DAYS':
      return { start: today + DAY, end: today + (n + 1) * DAY };
    default:
      return { start: today - n * DAY, end: today - n * DAY + DAY };
  }
}

/** Checks that a literal suits the field (Salesforce rejects quoted dates, dates on datetimes …). */
export function toComparable(def: FieldDef, lit: Literal, now: number): Comparable {
  if (lit.kind === 'null') return { kind: 'scalar', v: null };
  if (lit.kind === 'relative') {
    if (!isTemporal(def)) throw filterError(def, lit);
    return { kind: 'range', ...relativeRange(lit, now) };
  }
  if (def.type === 'datetime') {
    if (lit.kind !== 'datetime') throw filterError(def, lit);
    return { kind: 'scalar', v: lit.ms };
  }
  if (def.type === 'date') {
    if (lit.kind !== 'date') throw filterError(def, lit);
    return { kind: 'scalar', v: Date.parse(`${lit.value}T00:00:00Z`) };
  }
  if (def.type === 'boolean') {
    if (lit.kind !== 'boolean') throw filterError(def, lit);
    return { kind: 'scalar', v: lit.value };
  }
  if (isNumeric(def)) {
    if (lit.kind !== 'number') throw filterError(def, lit);
    return { kind: 'scalar', v: lit.value };
  }
  if (lit.kind !== 'string') throw filterError(def, lit);
  if (def.type === 'id' || def.type === 'reference')
    return { kind: 'scalar', v: canonicalId(lit.value) ?? lit.value };
  return { kind: 'scalar', v: lit.value.toLowerCase() };
}

/** A stored value in the same space as `toComparable` (ms for temporals, lower case for text). */
export function storedComparable(def: FieldDef, value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (def.type === 'datetime') return parseDateTime(String(value));
  if (def.type === 'date') return Date.parse(`${String(value)}T00:00:00Z`);
  if (typeof value === 'string' && def.type !== 'id' && def.type !== 'reference') return value.toLowerCase();
  return value as string | number | boolean;
}

function likeToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\' && (pattern.charAt(i + 1) === '%' || pattern.charAt(i + 1) === '_')) {
      re += pattern.charAt(++i);
    } else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}

/** Applies a comparison operator; SOQL's null semantics: only = and != match nulls. */
export function compare(def: FieldDef, stored: unknown, op: Operator, target: Comparable): boolean {
  const v = storedComparable(def, stored);
  if (target.kind === 'range') {
    if (v === null || typeof v !== 'number') return false;
    switch (op) {
      case '=':
        return v >= target.start && v < target.end;
      case '!=':
        return v < target.start || v >= target.end;
      case '<':
        return v < target.start;
      case '<=':
        return v < target.end;
      case '>':
        return v >= target.end;
      case '>=':
        return v >= target.start;
      default:
        return false;
    }
  }
  const t = target.v;
  if (op === '=') return v === t;
  if (op === '!=') return v !== t;
  if (v === null || t === null) return false;
  if (op === 'LIKE') return typeof v === 'string' && typeof t === 'string' && likeToRegExp(t).test(v);
  switch (op) {
    case '<':
      return v < t;
    case '<=':
      return v <= t;
    case '>':
      return v > t;
    default:
      return v >= t;
  }
}

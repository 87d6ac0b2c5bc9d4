import { parseIntacctDate } from './store.ts';

/** Reads one field of a row for a filter: the value(s) it may match (display value and stored code). */
export type FieldReader = (field: string) => { value: string | undefined; code?: string };

/** Orders two values the way a database would here: numbers, then dates, then text. */
export function compareValues(a: string, b: string, caseInsensitive = false): number {
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  const da = parseIntacctDate(a);
  const db = parseIntacctDate(b);
  if (Number.isFinite(da) && Number.isFinite(db)) return da - db;
  const x = caseInsensitive ? a.toLowerCase() : a;
  const y = caseInsensitive ? b.toLowerCase() : b;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** SQL LIKE with `%` and `_`. */
export function likeMatches(value: string, pattern: string, caseInsensitive = false): boolean {
  const re = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${re}$`, caseInsensitive ? 'is' : 's').test(value);
}

/** A comparison operator shared by readByQuery and query. */
export type CompareOp = '=' | '<>' | '<' | '>' | '<=' | '>=';

/** Applies one comparison; either the display value or the stored code may match. */
export function applyCompare(
  read: ReturnType<FieldReader>,
  op: CompareOp,
  literal: string,
  caseInsensitive = false,
): boolean {
  const candidates = [read.value ?? '', ...(read.code === undefined ? [] : [read.code])];
  const test = (v: string) => {
    const c = compareValues(v, literal, caseInsensitive);
    switch (op) {
      case '=':
        return c === 0;
      case '<>':
        return c !== 0;
      case '<':
        return c < 0;
      case '>':
        return c > 0;
      case '<=':
        return c <= 0;
      case '>=':
        return c >= 0;
    }
  };
  return op === '<>' ? candidates.every(test) : candidates.some(test);
}

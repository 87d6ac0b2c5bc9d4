/** A literal that is inserted into SOQL as is (already formatted: dates, datetimes, raw fragments). */
export class SoqlLiteral {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

const STRING_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** Escapes text for a SOQL string literal: backslash first-class, quotes, and control escapes. */
export function escapeSoqlString(value: string): string {
  return value.replace(/[\\'"\n\r\t\b\f]/g, (c) => STRING_ESCAPES[c] ?? c);
}

/** Escapes LIKE wildcards too, for patterns built from user data (`%` and `_` match literally). */
export function escapeSoqlLike(value: string): string {
  return escapeSoqlString(value).replace(/[%_]/g, (c) => `\\${c}`);
}

/** A dateTime literal `2026-01-31T23:59:59Z` (unquoted; fractional seconds are not allowed). */
export function soqlDateTime(value: Date | number | string): SoqlLiteral {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new Error(`not a valid datetime: ${String(value)}`);
  return new SoqlLiteral(d.toISOString().replace(/\.\d{3}Z$/, 'Z'));
}

/** A date literal `2026-01-31` (unquoted). */
export function soqlDate(value: Date | number | string): SoqlLiteral {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new SoqlLiteral(value);
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new Error(`not a valid date: ${String(value)}`);
  return new SoqlLiteral(d.toISOString().slice(0, 10));
}

/** Validates a field path or object name before it is put into a query (names cannot be escaped). */
export function soqlName(name: string): SoqlLiteral {
  if (!/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/.test(name))
    throw new Error(`not a valid SOQL name: ${name}`);
  return new SoqlLiteral(name);
}

/** A SOQL value: strings quoted and escaped, Dates as dateTime literals, arrays as `(a, b)`. */
export type SoqlValue = string | number | boolean | null | Date | SoqlLiteral | readonly SoqlValue[];

/** Formats one value for SOQL. */
export function soqlValue(value: SoqlValue): string {
  if (value === null) return 'null';
  if (value instanceof SoqlLiteral) return value.text;
  if (value instanceof Date) return soqlDateTime(value).text;
  if (Array.isArray(value)) {
    if (value.length === 0) throw new Error('an IN list needs at least one value');
    return `(${value.map(soqlValue).join(', ')})`;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `'${escapeSoqlString(String(value))}'`;
}

/**
 * Tagged template that escapes every interpolated value:
 * `soql\`SELECT Id FROM Account WHERE Name = ${name} AND SystemModstamp > ${since}\``.
 * Use {@link soqlName} for interpolated field or object names.
 */
export function soql(strings: TemplateStringsArray, ...values: SoqlValue[]): string {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += soqlValue(v) + (strings[i + 1] ?? '');
  });
  return out;
}

/** Room a query URL may use: Salesforce caps URI + headers at 16,384 bytes; leave headroom for headers. */
export const DEFAULT_URI_BUDGET = 12_000;

/**
 * Splits values for `IN (…)` lists so that each query, URL-encoded, stays under the URI limit
 * (and at most `maxPerChunk` values). `baseQuery` is the query text without the list.
 */
export function chunkForInClause<T extends string>(
  values: readonly T[],
  options: { baseQuery?: string; uriBudget?: number; maxPerChunk?: number } = {},
): T[][] {
  const budget =
    (options.uriBudget ?? DEFAULT_URI_BUDGET) - encodeURIComponent(options.baseQuery ?? '').length - 200;
  const maxPerChunk = options.maxPerChunk ?? 500;
  if (budget <= 0) throw new Error('the base query alone exceeds the URI budget');
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const v of values) {
    const cost = encodeURIComponent(`${soqlValue(v)}, `).length;
    if (cost > budget) throw new Error('a single IN value exceeds the URI budget');
    if (current.length > 0 && (size + cost > budget || current.length >= maxPerChunk)) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(v);
    size += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

import { ApiError } from '../api-error.ts';
import { parseDateTime } from '../dates.ts';
import type { FieldDef } from '../schema/types.ts';
import type { AggregateFn, DateFn } from './ast.ts';
import { storedComparable } from './values.ts';

const NUMERIC = new Set(['double', 'currency', 'percent', 'int']);

/** The type a date function yields: DAY_ONLY a date, the others a number. */
export function dateFnDef(fn: DateFn, source: FieldDef): FieldDef {
  if (source.type !== 'date' && source.type !== 'datetime') {
    throw new ApiError(
      400,
      'MALFORMED_QUERY',
      `${fn}() takes a date or dateTime field; '${source.name}' is of type ${source.type}`,
    );
  }
  if (fn === 'DAY_ONLY' && source.type !== 'datetime')
    throw new ApiError(
      400,
      'MALFORMED_QUERY',
      `DAY_ONLY() takes a dateTime field; '${source.name}' is a date`,
    );
  return { name: fn, type: fn === 'DAY_ONLY' ? 'date' : 'int' };
}

/**
 * A date function of a stored date (`YYYY-MM-DD`) or dateTime. A dateTime is read in UTC, as SOQL
 * does without convertTimezone() (which the simulator does not support).
 */
export function applyDateFn(fn: DateFn, value: unknown): number | string | null {
  if (typeof value !== 'string') return null;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : parseDateTime(value);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms);
  const month = d.getUTCMonth() + 1;
  switch (fn) {
    case 'CALENDAR_MONTH':
      return month;
    case 'CALENDAR_QUARTER':
      return Math.ceil(month / 3);
    case 'CALENDAR_YEAR':
      return d.getUTCFullYear();
    case 'DAY_IN_MONTH':
      return d.getUTCDate();
    case 'DAY_IN_WEEK':
      return d.getUTCDay() + 1;
    case 'DAY_IN_YEAR':
      return Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
    case 'DAY_ONLY':
      return d.toISOString().slice(0, 10);
    case 'HOUR_IN_DAY':
      return d.getUTCHours();
  }
}

/**
 * Sums decimals exactly (as integer units at the largest scale seen), so currency sums do not
 * pick up binary floating-point error (0.1 + 0.2 is 0.3).
 */
export class DecimalSum {
  #units = 0n;
  #scale = 0;
  #count = 0;

  add(n: number): void {
    const text = String(n);
    const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
    if (!m) {
      // exponent notation (very large or tiny numbers): exact decimals are not kept there
      this.add(Number(n.toFixed(10)));
      return;
    }
    const decimals = m[3] ?? '';
    if (decimals.length > this.#scale) {
      this.#units *= 10n ** BigInt(decimals.length - this.#scale);
      this.#scale = decimals.length;
    }
    const units = BigInt(`${m[2]}${decimals.padEnd(this.#scale, '0')}`);
    this.#units += m[1] === '-' ? -units : units;
    this.#count++;
  }

  get count(): number {
    return this.#count;
  }

  /** The sum, or null when nothing was added. */
  value(): number | null {
    if (this.#count === 0) return null;
    const negative = this.#units < 0n;
    const digits = (negative ? -this.#units : this.#units).toString().padStart(this.#scale + 1, '0');
    const whole = digits.slice(0, digits.length - this.#scale);
    const frac = this.#scale ? `.${digits.slice(digits.length - this.#scale)}` : '';
    return Number(`${negative ? '-' : ''}${whole}${frac}`);
  }
}

/** One aggregate over a group's rows: values go in one by one, the result comes out once. */
export interface Accumulator {
  add(value: unknown): void;
  result(): unknown;
}

/** The type an aggregate yields (for HAVING comparisons): COUNT an int, AVG a double, else the field's. */
export function aggregateDef(fn: AggregateFn, field: FieldDef): FieldDef {
  const numericOnly = fn === 'SUM' || fn === 'AVG';
  if (numericOnly && !NUMERIC.has(field.type)) {
    throw new ApiError(
      400,
      'MALFORMED_QUERY',
      `field ${field.name} does not support aggregate operator ${fn}`,
    );
  }
  if ((fn === 'MIN' || fn === 'MAX') && field.type === 'boolean') {
    throw new ApiError(
      400,
      'MALFORMED_QUERY',
      `field ${field.name} does not support aggregate operator ${fn}`,
    );
  }
  if (fn === 'COUNT' || fn === 'COUNT_DISTINCT') return { name: fn, type: 'int' };
  if (fn === 'AVG') return { name: fn, type: 'double' };
  return field;
}

/** A fresh accumulator; nulls are skipped, as SQL aggregates skip them. */
export function accumulator(fn: AggregateFn, field: FieldDef): Accumulator {
  switch (fn) {
    case 'COUNT': {
      let n = 0;
      return { add: (v) => void (v !== null && v !== undefined && n++), result: () => n };
    }
    case 'COUNT_DISTINCT': {
      const seen = new Set<unknown>();
      return {
        add: (v) => void (v !== null && v !== undefined && seen.add(storedComparable(field, v))),
        result: () => seen.size,
      };
    }
    case 'SUM':
    case 'AVG': {
      const sum = new DecimalSum();
      return {
        add: (v) => void (typeof v === 'number' && sum.add(v)),
        result: () => {
          const total = sum.value();
          return fn === 'SUM' || total === null ? total : total / sum.count;
        },
      };
    }
    case 'MIN':
    case 'MAX': {
      let best: unknown = null;
      let bestKey: string | number | boolean | null = null;
      return {
        add: (v) => {
          const key = storedComparable(field, v);
          if (key === null) return;
          if (bestKey === null || (fn === 'MIN' ? key < bestKey : key > bestKey)) {
            best = v;
            bestKey = key;
          }
        },
        result: () => best,
      };
    }
  }
}

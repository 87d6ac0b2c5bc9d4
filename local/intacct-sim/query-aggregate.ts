import { compareValues } from './compare.ts';
import type { OpContext } from './context.ts';
import { businessError } from './errors.ts';
import { readField } from './records.ts';
import type { SimRecord } from './store.ts';
import { childText, type XNode } from './xml.ts';

/** The aggregate elements `query` takes in `<select>` (the XSD's choice). */
const FUNCTIONS = new Set(['count', 'sum', 'avg', 'min', 'max']);

/**
 * Sums decimal strings exactly (integer units at the largest scale seen) and prints the result
 * without trailing zeros, as the docs' example response does (`<TOTALDUE>205375</TOTALDUE>`,
 * `1679615.93`).
 */
class DecimalText {
  #units = 0n;
  #scale = 0;
  count = 0;

  add(value: string): void {
    const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(value);
    if (!m || `${m[2]}${m[3] ?? ''}` === '') return;
    const decimals = m[3] ?? '';
    if (decimals.length > this.#scale) {
      this.#units *= 10n ** BigInt(decimals.length - this.#scale);
      this.#scale = decimals.length;
    }
    const units = BigInt(`${m[2] || '0'}${decimals.padEnd(this.#scale, '0')}`);
    this.#units += m[1] === '-' ? -units : units;
    this.count++;
  }

  /** The sum as text, or '' when no number was added (SQL's NULL). */
  sum(): string {
    if (this.count === 0) return '';
    return trim(this.#units, this.#scale);
  }

  /** The mean to 10 decimals, trailing zeros dropped; the precision Intacct uses is [unverified]. */
  mean(): string {
    if (this.count === 0) return '';
    const scale = 10;
    const scaled = this.#units * 10n ** BigInt(scale);
    const divisor = BigInt(this.count) * 10n ** BigInt(this.#scale);
    const half = divisor / 2n;
    const q = scaled >= 0n ? (scaled + half) / divisor : (scaled - half) / divisor;
    return trim(q, scale);
  }
}

function trim(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative && (whole !== '0' || frac) ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

interface Accumulator {
  add(value: string): void;
  result(): string;
}

function accumulator(fn: string, ci: boolean): Accumulator {
  if (fn === 'count') {
    let n = 0;
    return { add: (v) => void (v !== '' && n++), result: () => String(n) };
  }
  if (fn === 'sum' || fn === 'avg') {
    const d = new DecimalText();
    return { add: (v) => d.add(v), result: () => (fn === 'sum' ? d.sum() : d.mean()) };
  }
  let best: string | undefined;
  return {
    add: (v) => {
      if (v === '') return;
      const c = best === undefined ? 0 : compareValues(v, best, ci);
      if (best === undefined || (fn === 'min' ? c < 0 : c > 0)) best = v;
    },
    result: () => best ?? '',
  };
}

/** How an aggregate is tagged in the response: `COUNT.RECORDNO` (default) or the bare field name. */
export function aggregateTag(ctx: OpContext, fn: string, field: string): string {
  return ctx.settings.aggregateTags === 'plain' ? field : `${fn.toUpperCase()}.${field}`;
}

/**
 * A `query` with `<count>`, `<sum>`, `<avg>`, `<min>` or `<max>` in its select: the plain
 * `<field>`s group the rows (the docs: "the fields in the select element are used to group the
 * results"), one pass over the filtered records feeds each group's aggregates, and paging
 * (`offset`, `pagesize`) and `totalcount` count groups, as the docs' example responses do.
 *
 * Verified by the docs: the grouping, `totalcount` as the number of groups, and
 * `<COUNT.RECORDNO>` for a count. [unverified]: the docs' sum example shows the total under the
 * bare field name (`<TOTALDUE>`), so the tag style is the `aggregateTags` setting ('prefixed',
 * default: `SUM.TOTALDUE`; 'plain': `TOTALDUE`); the form of an average; that empty values are
 * skipped (SQL semantics); that with no `<field>` an empty match still gives one row (COUNT 0,
 * others empty); and ordering (by a selected field or an aggregate's tag; otherwise groups come in
 * the order of their first record).
 */
export function aggregateRows(
  ctx: OpContext,
  records: SimRecord[],
  fields: string[],
  aggregates: XNode[],
  orders: XNode[],
  ci: boolean,
): Record<string, string>[] {
  for (const a of aggregates) {
    if (!FUNCTIONS.has(a.name)) throw businessError(`Unknown select element '${a.name}'.`);
  }
  const specs = aggregates.map((a) => ({
    fn: a.name,
    field: a.text,
    tag: aggregateTag(ctx, a.name, a.text),
  }));
  const groups = new Map<string, { keys: string[]; acc: Accumulator[] }>();
  for (const r of records) {
    const keys = fields.map((f) => readField(ctx, r, f) ?? '');
    const id = JSON.stringify(keys);
    let group = groups.get(id);
    if (group === undefined) {
      group = { keys, acc: specs.map((s) => accumulator(s.fn, ci)) };
      groups.set(id, group);
    }
    for (const [i, s] of specs.entries()) group.acc[i]?.add(readField(ctx, r, s.field) ?? '');
  }
  if (fields.length === 0 && groups.size === 0)
    groups.set('', { keys: [], acc: specs.map((s) => accumulator(s.fn, ci)) });
  const rows = [...groups.values()].map((g) => {
    const row: Record<string, string> = {};
    for (const [i, f] of fields.entries()) row[f] = g.keys[i] ?? '';
    for (const [i, s] of specs.entries()) row[s.tag] = g.acc[i]?.result() ?? '';
    return row;
  });
  if (orders.length === 0) return rows;
  const keys = orders.map((o) => {
    const field = childText(o, 'field') ?? '';
    if (!fields.includes(field) && !specs.some((s) => s.tag === field))
      throw businessError(
        `Cannot order an aggregate query by '${field}'.`,
        'Order by a selected field or an aggregate as it is tagged in the response (SUM.AMOUNT).',
      );
    return { field, desc: o.children.some((c) => c.name === 'descending') };
  });
  return rows.sort((a, b) => {
    for (const k of keys) {
      const c = compareValues(a[k.field] ?? '', b[k.field] ?? '', ci);
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  });
}

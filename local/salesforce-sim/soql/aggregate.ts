import { ApiError } from '../api-error.ts';
import type { FieldDef } from '../schema/types.ts';
import type { SObjectRecord } from '../validate.ts';
import { type Condition, exprKey, exprOf, type GroupExpr, type RowExpr, type SoqlQuery } from './ast.ts';
import { compileCondition, type OperandOf } from './conditions.ts';
import { type Accumulator, accumulator, aggregateDef, applyDateFn, dateFnDef } from './functions.ts';
import { type QueryContext, read, resolve } from './resolve.ts';
import { storedComparable } from './values.ts';

/** Salesforce answers at most one batch for an aggregate query: no query locator (the REST docs). */
const MAX_GROUPS = 2000;

const malformed = (message: string) => new ApiError(400, 'MALFORMED_QUERY', message);

/** True when a query aggregates: a GROUP BY, or an aggregate function in the SELECT list. */
export function isAggregateQuery(q: SoqlQuery): boolean {
  return q.groupBy.length > 0 || q.select.some((s) => s.kind === 'aggregate');
}

type RowOperand = { def: FieldDef; get: (rec: SObjectRecord) => unknown };
type Group = { keyValues: unknown[]; accumulators: Accumulator[] };
/** A finished group: every expression's value by {@link exprKey}. */
type GroupRow = Map<string, unknown>;

function rowOperand(ctx: QueryContext, object: string, e: RowExpr | GroupExpr): RowOperand {
  const r = resolve(ctx, object, e.path);
  const get = (rec: SObjectRecord) => read(ctx, rec, r);
  if (e.kind === 'date') {
    const fn = e.fn;
    return { def: dateFnDef(fn, r.field), get: (rec) => applyDateFn(fn, get(rec)) };
  }
  return { def: r.field, get };
}

/** Aggregates HAVING and ORDER BY use, beside the SELECT list's (computed once each). */
function conditionExprs(cond: Condition | undefined, out: GroupExpr[]): void {
  if (!cond) return;
  switch (cond.kind) {
    case 'and':
    case 'or':
      conditionExprs(cond.left, out);
      conditionExprs(cond.right, out);
      return;
    case 'not':
      conditionExprs(cond.cond, out);
      return;
    default:
      out.push(exprOf(cond));
  }
}

/**
 * Runs an aggregate query over the rows WHERE kept: one pass groups them by the GROUP BY values
 * (text compared case-insensitively, as SOQL compares it; a group shows its first row's value)
 * and feeds each group's accumulators; then HAVING, ORDER BY, OFFSET and LIMIT work on groups.
 * Without GROUP BY there is exactly one group, even over no rows (COUNT 0, SUM null). Groups come
 * in the order their first row was stored unless ORDER BY says otherwise. Records are
 * `{ attributes: { type: 'AggregateResult' }, … }`: a grouped field under its own name (the last
 * segment of a relationship path: `Account.Name` is `Name`), an alias where given, and
 * `expr0`, `expr1` … for unaliased aggregates and date functions in SELECT order.
 */
export function runAggregate(
  ctx: QueryContext,
  object: string,
  rows: SObjectRecord[],
  q: SoqlQuery,
): SObjectRecord[] {
  if (q.select.some((s) => s.kind === 'subquery'))
    throw malformed('Child relationship queries are not allowed in an aggregate query');
  if (q.groupBy.length === 0 && q.limit !== undefined)
    throw malformed('An aggregate query with LIMIT needs a GROUP BY clause');
  const grouped = new Map(q.groupBy.map((g, i) => [exprKey(g), i]));
  const selected: GroupExpr[] = [];
  for (const item of q.select) {
    if (item.kind === 'subquery') continue;
    const e: GroupExpr = item;
    if (e.kind !== 'aggregate' && !grouped.has(exprKey(e)))
      throw malformed(`Field must be grouped or aggregated: ${e.path.join('.')}`);
    selected.push(e);
  }
  const extra: GroupExpr[] = [];
  conditionExprs(q.having, extra);
  for (const o of q.orderBy) extra.push(exprOf(o));
  const aggregates = new Map<string, { index: number; e: Extract<GroupExpr, { kind: 'aggregate' }> }>();
  const defs = new Map<string, FieldDef>();
  const groupOperands = q.groupBy.map((g) => rowOperand(ctx, object, g));
  for (const [i, g] of q.groupBy.entries()) defs.set(exprKey(g), (groupOperands[i] as RowOperand).def);
  const aggOperands: RowOperand[] = [];
  for (const e of [...selected, ...extra]) {
    const key = exprKey(e);
    if (e.kind !== 'aggregate') {
      if (!grouped.has(key)) throw malformed(`Field must be grouped or aggregated: ${e.path.join('.')}`);
      continue;
    }
    if (aggregates.has(key)) continue;
    const operand = rowOperand(ctx, object, { kind: 'field', path: e.path });
    defs.set(key, aggregateDef(e.fn, operand.def));
    aggregates.set(key, { index: aggOperands.length, e });
    aggOperands.push(operand);
  }
  const aggList = [...aggregates.values()];
  // With GROUP BY or HAVING, a multi-currency org returns currency aggregates in the corporate
  // currency (SOQL guide, convertCurrency(), "Considerations"): each value is converted at its
  // record's CurrencyType rate before it is added.
  const rates =
    q.groupBy.length > 0 || q.having !== undefined ? corporateRates(ctx) : new Map<string, number>();
  const toCorporate = (operand: RowOperand, rec: SObjectRecord, value: unknown): unknown => {
    if (operand.def.type !== 'currency' || rates.size === 0 || typeof value !== 'number') return value;
    const rate = rates.get(String(rec.CurrencyIsoCode ?? ''));
    return rate === undefined || rate === 1 ? value : Number((value / rate).toFixed(2));
  };
  const newGroup = (keyValues: unknown[]): Group => ({
    keyValues,
    accumulators: aggList.map(({ e }, i) => accumulator(e.fn, (aggOperands[i] as RowOperand).def)),
  });

  const groups = new Map<string, Group>();
  for (const rec of rows) {
    const values = groupOperands.map((g) => g.get(rec));
    const key = JSON.stringify(
      values.map((v, i) => storedComparable((groupOperands[i] as RowOperand).def, v)),
    );
    let group = groups.get(key);
    if (group === undefined) {
      group = newGroup(values);
      groups.set(key, group);
    }
    for (const [i, a] of aggOperands.entries()) group.accumulators[i]?.add(toCorporate(a, rec, a.get(rec)));
  }
  if (q.groupBy.length === 0 && groups.size === 0) groups.set('', newGroup([]));

  let results: GroupRow[] = [...groups.values()].map((g) => {
    const row: GroupRow = new Map();
    for (const [i, e] of q.groupBy.entries()) row.set(exprKey(e), g.keyValues[i] ?? null);
    for (const [i, { e }] of aggList.entries()) row.set(exprKey(e), g.accumulators[i]?.result() ?? null);
    return row;
  });
  const operandOf: OperandOf<GroupRow> = (left) => {
    const key = exprKey(exprOf(left));
    const def = defs.get(key);
    if (!def) throw malformed(`Field must be grouped or aggregated: ${left.path.join('.')}`);
    return { def, get: (row: GroupRow) => row.get(key) ?? null };
  };
  if (q.having) {
    const keep = compileCondition<GroupRow>(q.having, operandOf, ctx.now);
    results = results.filter(keep);
  }
  sortGroups(results, q, defs);
  const offset = q.offset ?? 0;
  results = results.slice(offset, q.limit === undefined ? undefined : offset + q.limit);
  if (results.length > MAX_GROUPS) {
    // The error Salesforce gives here is [unverified]; Apex reports it in these words.
    throw malformed(
      'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch',
    );
  }
  return results.map((row) => project(q, row));
}

function sortGroups(results: GroupRow[], q: SoqlQuery, defs: Map<string, FieldDef>): void {
  if (q.orderBy.length === 0) return;
  const keys = q.orderBy.map((o) => {
    const key = exprKey(exprOf(o));
    return { o, key, def: defs.get(key) as FieldDef };
  });
  results.sort((a, b) => {
    for (const { o, key, def } of keys) {
      const va = storedComparable(def, a.get(key));
      const vb = storedComparable(def, b.get(key));
      if (va === vb) continue;
      if (va === null) return o.nullsLast ? 1 : -1;
      if (vb === null) return o.nullsLast ? -1 : 1;
      const cmp = va < vb ? -1 : 1;
      return o.desc ? -cmp : cmp;
    }
    return 0;
  });
}

function project(q: SoqlQuery, row: GroupRow): SObjectRecord {
  const out: SObjectRecord = { attributes: { type: 'AggregateResult' } };
  let expr = 0;
  for (const item of q.select) {
    if (item.kind === 'subquery') continue;
    const name =
      item.alias ?? (item.kind === 'field' ? (item.path[item.path.length - 1] as string) : `expr${expr++}`);
    out[name] = row.get(exprKey(item)) ?? null;
  }
  return out;
}

/** Active currencies' rates (units per corporate unit) in a multi-currency org; empty otherwise. */
function corporateRates(ctx: QueryContext): Map<string, number> {
  if (ctx.store.schema.object('CurrencyType') === undefined) return new Map();
  return new Map(
    ctx.store
      .list('CurrencyType')
      .filter((t) => t.IsActive === true && typeof t.ConversionRate === 'number')
      .map((t) => [String(t.IsoCode), t.IsCorporate === true ? 1 : Number(t.ConversionRate)]),
  );
}

/** Parsed SOQL, the subset the simulator understands. */

/** Aggregate functions (`COUNT()` alone is the separate `count` form of a query). */
export type AggregateFn = 'SUM' | 'COUNT' | 'COUNT_DISTINCT' | 'MIN' | 'MAX' | 'AVG';

/** Date functions; on datetime fields they read the UTC date (convertTimezone() is not supported). */
export type DateFn =
  | 'CALENDAR_MONTH'
  | 'CALENDAR_QUARTER'
  | 'CALENDAR_YEAR'
  | 'DAY_IN_MONTH'
  | 'DAY_IN_WEEK'
  | 'DAY_IN_YEAR'
  | 'DAY_ONLY'
  | 'HOUR_IN_DAY';

/** A value a row yields: a field path, or a date function over one. */
export type RowExpr = { kind: 'field'; path: string[] } | { kind: 'date'; fn: DateFn; path: string[] };

/** A value a group yields: a grouped expression, or an aggregate over the group's rows. */
export type GroupExpr = RowExpr | { kind: 'aggregate'; fn: AggregateFn; path: string[] };

export type SelectItem =
  | { kind: 'field'; path: string[]; alias?: string }
  | { kind: 'date'; fn: DateFn; path: string[]; alias?: string }
  | { kind: 'aggregate'; fn: AggregateFn; path: string[]; alias?: string }
  | { kind: 'subquery'; query: SoqlQuery };

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; ms: number }
  | { kind: 'relative'; name: string; n: number | undefined };

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE';

/**
 * A WHERE or HAVING condition. `fn` (absent for a plain field) applies a date function, or in
 * HAVING an aggregate, to the path before comparing.
 */
export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; cond: Condition }
  | { kind: 'cmp'; path: string[]; fn?: DateFn | AggregateFn; op: Operator; value: Literal }
  | { kind: 'in'; path: string[]; fn?: DateFn | AggregateFn; negated: boolean; values: Literal[] };

export type OrderItem = { path: string[]; fn?: DateFn | AggregateFn; desc: boolean; nullsLast: boolean };

/** A GROUP BY item: a field path or a date function over one. */
export type GroupItem = RowExpr;

export type SoqlQuery = {
  select: SelectItem[];
  count: boolean;
  from: string;
  where: Condition | undefined;
  groupBy: GroupItem[];
  having: Condition | undefined;
  orderBy: OrderItem[];
  limit: number | undefined;
  offset: number | undefined;
};

export const AGGREGATE_FNS: ReadonlySet<string> = new Set<AggregateFn>([
  'SUM',
  'COUNT',
  'COUNT_DISTINCT',
  'MIN',
  'MAX',
  'AVG',
]);

export const DATE_FNS: ReadonlySet<string> = new Set<DateFn>([
  'CALENDAR_MONTH',
  'CALENDAR_QUARTER',
  'CALENDAR_YEAR',
  'DAY_IN_MONTH',
  'DAY_IN_WEEK',
  'DAY_IN_YEAR',
  'DAY_ONLY',
  'HOUR_IN_DAY',
]);

/** The expression a condition or order item names: its function (if any) over its path. */
export function exprOf(item: { path: string[]; fn?: DateFn | AggregateFn }): GroupExpr {
  if (item.fn === undefined) return { kind: 'field', path: item.path };
  return AGGREGATE_FNS.has(item.fn)
    ? { kind: 'aggregate', fn: item.fn as AggregateFn, path: item.path }
    : { kind: 'date', fn: item.fn as DateFn, path: item.path };
}

/** A stable key for an expression, to match SELECT, GROUP BY, HAVING and ORDER BY items. */
export function exprKey(e: GroupExpr): string {
  const path = e.path.join('.').toLowerCase();
  return e.kind === 'field' ? path : `${e.fn}(${path})`;
}

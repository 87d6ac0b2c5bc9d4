/** Parsed SOQL, the subset the simulator understands. */
export type SelectItem = { kind: 'field'; path: string[] } | { kind: 'subquery'; query: SoqlQuery };

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; ms: number }
  | { kind: 'relative'; name: string; n: number | undefined };

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE';

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; cond: Condition }
  | { kind: 'cmp'; path: string[]; op: Operator; value: Literal }
  | { kind: 'in'; path: string[]; negated: boolean; values: Literal[] };

export type OrderItem = { path: string[]; desc: boolean; nullsLast: boolean };

export type SoqlQuery = {
  select: SelectItem[];
  count: boolean;
  from: string;
  where: Condition | undefined;
  orderBy: OrderItem[];
  limit: number | undefined;
  offset: number | undefined;
};

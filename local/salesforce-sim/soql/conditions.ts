import type { FieldDef } from '../schema/types.ts';
import type { AggregateFn, Condition, DateFn } from './ast.ts';
import { compare, storedComparable, toComparable } from './values.ts';

/** What a condition compares: the value's type (for literal checks) and how to read it from an item. */
export type Operand<T> = { def: FieldDef; get: (item: T) => unknown };

/** Resolves the left side of a comparison (a path, with a date or aggregate function or not). */
export type OperandOf<T> = (left: { path: string[]; fn?: DateFn | AggregateFn }) => Operand<T>;

/**
 * Compiles a WHERE or HAVING condition into a predicate, once per query: paths are resolved and
 * literals converted here, so testing a row does no name lookups and no parsing. IN lists become
 * a set of comparables (scalar `=` is `===` on the comparable); relative-date ranges are tested
 * one by one. Relative dates (LAST_N_DAYS) are fixed against `now`.
 */
export function compileCondition<T>(
  cond: Condition,
  operand: OperandOf<T>,
  now: number,
): (item: T) => boolean {
  switch (cond.kind) {
    case 'and': {
      const left = compileCondition(cond.left, operand, now);
      const right = compileCondition(cond.right, operand, now);
      return (item) => left(item) && right(item);
    }
    case 'or': {
      const left = compileCondition(cond.left, operand, now);
      const right = compileCondition(cond.right, operand, now);
      return (item) => left(item) || right(item);
    }
    case 'not': {
      const inner = compileCondition(cond.cond, operand, now);
      return (item) => !inner(item);
    }
    case 'cmp': {
      const { def, get } = operand(cond);
      const target = toComparable(def, cond.value, now);
      const op = cond.op;
      return (item) => compare(def, get(item), op, target);
    }
    case 'in': {
      const { def, get } = operand(cond);
      const targets = cond.values.map((lit) => toComparable(def, lit, now));
      const scalars = new Set(targets.flatMap((t) => (t.kind === 'scalar' ? [t.v] : [])));
      const ranges = targets.filter((t) => t.kind === 'range');
      const negated = cond.negated;
      return (item) => {
        const value = get(item);
        const found =
          scalars.has(storedComparable(def, value)) || ranges.some((t) => compare(def, value, '=', t));
        return negated ? !found && value !== null : found;
      };
    }
  }
}

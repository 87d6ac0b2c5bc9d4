import { type CompareOp, compileCompare, equalsAny, type FieldReader, likeMatches } from './compare.ts';
import { businessError } from './errors.ts';
import type { Predicate } from './query-string.ts';
import { childrenNamed, childText, type XNode } from './xml.ts';

const COMPARISONS: Record<string, CompareOp> = {
  equalto: '=',
  notequalto: '<>',
  lessthan: '<',
  lessthanorequalto: '<=',
  greaterthan: '>',
  greaterthanorequalto: '>=',
};

/** Compiles a `query` `<filter>` element's single child operator into a predicate. */
export function compileFilter(filter: XNode | undefined, caseInsensitive: boolean): Predicate {
  if (!filter || filter.children.length === 0) return () => true;
  const [top] = filter.children;
  if (filter.children.length !== 1 || !top)
    throw businessError('filter takes exactly one top-level operator');
  return compileNode(top, caseInsensitive);
}

function compileNode(node: XNode, ci: boolean): Predicate {
  const field = childText(node, 'field');
  const values = childrenNamed(node, 'value').map((v) => v.text);
  const needField = () => {
    if (!field) throw businessError(`filter operator '${node.name}' needs a <field>`);
    return field;
  };
  switch (node.name) {
    case 'and':
    case 'or': {
      if (node.children.length < 2) throw businessError(`'${node.name}' needs at least two conditions`);
      const parts = node.children.map((c) => compileNode(c, ci));
      return node.name === 'and' ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r));
    }
    case 'like':
    case 'notlike': {
      const f = needField();
      const pattern = values[0] ?? '';
      return (r: FieldReader) => likeMatches(r(f).value ?? '', pattern, ci) === (node.name === 'like');
    }
    case 'between': {
      const f = needField();
      const [from, to] = values;
      if (from === undefined || to === undefined || values.length !== 2)
        throw businessError('between takes two values');
      const atLeast = compileCompare('>=', from, ci);
      const atMost = compileCompare('<=', to, ci);
      return (r) => {
        const read = r(f);
        return atLeast(read) && atMost(read);
      };
    }
    case 'in':
    case 'notin': {
      const f = needField();
      if (values.length < 1 || values.length > 1000)
        throw businessError(`${node.name} takes 1 to 1000 values`);
      const matches = equalsAny(values, ci);
      return (r) => {
        const read = r(f);
        const hit = matches(read.value ?? '') || (read.code !== undefined && matches(read.code));
        return hit === (node.name === 'in');
      };
    }
    case 'isnull':
    case 'isnotnull': {
      const f = needField();
      return (r) => {
        const v = r(f).value;
        return (v === undefined || v === '') === (node.name === 'isnull');
      };
    }
    default: {
      const op = COMPARISONS[node.name];
      if (!op) throw businessError(`unknown filter operator '${node.name}'`);
      const f = needField();
      const value = values[0] ?? '';
      const test = compileCompare(op, value, ci);
      return (r) => test(r(f));
    }
  }
}

import { ValidationError } from '#shared/errors.ts';
import type { XmlObject } from '../xml.ts';

type Comparison =
  | 'equalto'
  | 'notequalto'
  | 'lessthan'
  | 'lessthanorequalto'
  | 'greaterthan'
  | 'greaterthanorequalto'
  | 'like'
  | 'notlike';

/** The `query` function's filter tree. */
export type QueryFilter =
  | { op: 'and' | 'or'; filters: QueryFilter[] }
  | { op: Comparison; field: string; value: string }
  | { op: 'between'; field: string; values: [string, string] }
  | { op: 'in' | 'notin'; field: string; values: string[] }
  | { op: 'isnull' | 'isnotnull'; field: string };

/** Small constructors so call sites read like the filter they build. */
export const where = {
  and: (...filters: QueryFilter[]): QueryFilter => ({ op: 'and', filters }),
  or: (...filters: QueryFilter[]): QueryFilter => ({ op: 'or', filters }),
  eq: (field: string, value: string): QueryFilter => ({ op: 'equalto', field, value }),
  ne: (field: string, value: string): QueryFilter => ({ op: 'notequalto', field, value }),
  lt: (field: string, value: string): QueryFilter => ({ op: 'lessthan', field, value }),
  le: (field: string, value: string): QueryFilter => ({ op: 'lessthanorequalto', field, value }),
  gt: (field: string, value: string): QueryFilter => ({ op: 'greaterthan', field, value }),
  ge: (field: string, value: string): QueryFilter => ({ op: 'greaterthanorequalto', field, value }),
  like: (field: string, value: string): QueryFilter => ({ op: 'like', field, value }),
  notLike: (field: string, value: string): QueryFilter => ({ op: 'notlike', field, value }),
  between: (field: string, from: string, to: string): QueryFilter => ({
    op: 'between',
    field,
    values: [from, to],
  }),
  in: (field: string, values: string[]): QueryFilter => ({ op: 'in', field, values }),
  notIn: (field: string, values: string[]): QueryFilter => ({ op: 'notin', field, values }),
  isNull: (field: string): QueryFilter => ({ op: 'isnull', field }),
  isNotNull: (field: string): QueryFilter => ({ op: 'isnotnull', field }),
};

/**
 * Renders a filter as `<filter>` children. `and`/`or` need two or more children on the wire, so a
 * single child is unwrapped and an empty one is refused; `in` takes 1–1000 values.
 */
export function filterToXml(filter: QueryFilter): XmlObject {
  switch (filter.op) {
    case 'and':
    case 'or': {
      if (filter.filters.length === 0)
        throw new ValidationError(`query filter '${filter.op}' has no children`);
      const [only] = filter.filters;
      if (filter.filters.length === 1 && only) return filterToXml(only);
      const children: Record<string, XmlObject[]> = {};
      for (const child of filter.filters) {
        for (const [name, value] of Object.entries(filterToXml(child))) {
          const list = children[name] ?? [];
          list.push(value as XmlObject);
          children[name] = list;
        }
      }
      return { [filter.op]: children };
    }
    case 'between':
      return { between: { field: filter.field, value: [...filter.values] } };
    case 'in':
    case 'notin':
      if (filter.values.length < 1 || filter.values.length > 1000) {
        throw new ValidationError(
          `query filter '${filter.op}' takes 1 to 1000 values, got ${filter.values.length}`,
        );
      }
      return { [filter.op]: { field: filter.field, value: [...filter.values] } };
    case 'isnull':
    case 'isnotnull':
      return { [filter.op]: { field: filter.field } };
    default:
      return { [filter.op]: { field: filter.field, value: filter.value } };
  }
}

/**
 * Cross-flow checks of a `document` flow, beyond its own schema: the flows it resolves customers
 * and items through, the object its function writes, what `afterCreate` can do with it, and the
 * entities and currencies its routing names.
 */
import type { DocumentFlow, FlowConfig } from '#shared/sync/flow-schema.ts';

export interface Problem {
  path: Array<string | number>;
  message: string;
}

const OBJECT_OF = { create_sotransaction: 'SODOCUMENT', create_invoice: 'ARINVOICE' } as const;

export function documentProblems(flow: DocumentFlow, flows: readonly FlowConfig[]): Problem[] {
  const problems: Problem[] = [];
  const mirror = (name: string, path: Array<string | number>, what: string) => {
    const other = flows.find((f) => f.name === name);
    if (other === undefined)
      problems.push({
        path,
        message: `flow "${name}" (${what}) is not configured or is switched off; use one of: ${flows
          .filter((f) => f.kind === 'mirror')
          .map((f) => f.name)
          .join(', ')}`,
      });
    else if (other.kind !== 'mirror')
      problems.push({
        path,
        message: `"${name}" is a ${other.kind} flow; ${what} resolve through a mirror flow`,
      });
  };
  if (flows.some((f) => f.name === flow.customer.via))
    mirror(flow.customer.via, ['customer', 'via'], 'customers');
  mirror(flow.lines.item.via, ['lines', 'item', 'via'], 'items');
  const expected = OBJECT_OF[flow.target.function];
  if (flow.intacctObject !== expected)
    problems.push({
      path: ['intacctObject'],
      message: `${flow.target.function} writes ${expected}; set intacctObject to ${expected}`,
    });
  if (flow.afterCreate === 'update' && flow.target.function !== 'create_sotransaction')
    problems.push({
      path: ['afterCreate'],
      message:
        'only sales transactions can be updated after creation; use "ignore" or "fail" for AR invoices',
    });
  const entities = flow.routing.entities;
  if (entities !== undefined) {
    const known = Object.keys(entities);
    const entity = (id: string, path: Array<string | number>, currency?: string) => {
      // The top level ('') needs no entry unless its currencies are to be checked.
      if (id === '' && !known.includes('')) return;
      if (!known.includes(id))
        problems.push({
          path,
          message: `entity "${id}" is not listed in routing.entities; add it (with its currencies) or use one of: ${known.join(', ')}`,
        });
      else if (currency !== undefined && !entities[id]?.currencies.includes(currency))
        problems.push({
          path,
          message: `currency ${currency} is not enabled for entity ${id} in routing.entities; enable it there (and in Intacct)`,
        });
    };
    entity(flow.routing.default, ['routing', 'default']);
    for (const [j, rule] of flow.routing.rules.entries())
      entity(rule.entity, ['routing', 'rules', j, 'entity'], rule.currency);
  }
  return problems;
}

/**
 * Which flows a change of one object on one side goes to (DESIGN §4: several flows may share an
 * object). A flow takes a change when its direction carries changes from that side. Also the order
 * in which a batch's flows run: referenced flows first, so a parent in the same batch is linked
 * before its children are planned. Pure and schema-free: the webhook bundle imports it.
 */
export interface RoutableFlow {
  name: string;
  salesforceObject: string;
  intacctObject: string;
  direction?: 'both' | 'toIntacct' | 'toSalesforce';
  parent?: { flow: string };
  /** Further flows whose links it reads (a records projection's lookups): they run first too. */
  references?: readonly string[];
}

export type Routes = {
  /** Flow names per object; `undefined` when no flow names the object at all. */
  flowsFor(side: 'salesforce' | 'intacct', object: string): string[] | undefined;
};

export function routes(flows: readonly RoutableFlow[]): Routes {
  const table = { salesforce: new Map<string, string[]>(), intacct: new Map<string, string[]>() };
  for (const f of flows) {
    for (const side of ['salesforce', 'intacct'] as const) {
      const object = side === 'salesforce' ? f.salesforceObject : f.intacctObject;
      const list = table[side].get(object) ?? [];
      const takes = side === 'salesforce' ? f.direction !== 'toSalesforce' : f.direction !== 'toIntacct';
      if (takes) list.push(f.name);
      table[side].set(object, list);
    }
  }
  return { flowsFor: (side, object) => table[side].get(object) };
}

/** Flow names with every referenced flow before the flows that reference it (config order otherwise). */
export function dependencyOrder(
  flows: ReadonlyArray<{ name: string; parent?: { flow: string }; references?: readonly string[] }>,
): string[] {
  const byName = new Map(flows.map((f) => [f.name, f]));
  const out: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (out.includes(name) || visiting.has(name)) return;
    visiting.add(name);
    const flow = byName.get(name);
    for (const other of [flow?.parent?.flow, ...(flow?.references ?? [])])
      if (other !== undefined && byName.has(other)) visit(other);
    visiting.delete(name);
    out.push(name);
  };
  for (const f of flows) visit(f.name);
  return out;
}

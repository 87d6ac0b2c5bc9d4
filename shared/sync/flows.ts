/**
 * What the rest of the system asks of any flow, whatever its kind: which side's changes it takes,
 * the Intacct field that names its records, the flows it references, its routing shape.
 */
import { ValidationError } from '#shared/errors.ts';
import type { DocumentFlow, FlowConfig, MirrorFlow } from './flow-schema.ts';
import type { Side } from './mapping.ts';
import type { RoutableFlow } from './routing.ts';

/** True when the flow syncs changes made on `side`. */
export function takesFrom(flow: FlowConfig, side: Side): boolean {
  if (flow.kind === 'projection' || flow.kind === 'alert') return side === 'intacct';
  if (flow.kind === 'document') return side === 'salesforce';
  return (
    flow.direction === 'both' || flow.direction === (side === 'salesforce' ? 'toIntacct' : 'toSalesforce')
  );
}

/** The Intacct field whose value is a record's ID in jobs and links (CUSTOMERID, ITEMID …). */
export function intacctKeyField(flow: FlowConfig): string {
  if (flow.kind === 'document') return documentKeyField(flow);
  return flow.kind === 'projection' || flow.kind === 'alert'
    ? flow.intacctKeyField
    : (flow.intacctKey?.field ?? 'RECORDNO');
}

/** A sales transaction is named by its DOCID (`Sales Order-SO-0001`), an AR invoice by its RECORDNO. */
export function documentKeyField(flow: DocumentFlow): string {
  return flow.target.function === 'create_sotransaction' ? 'DOCID' : 'RECORDNO';
}

/** The flow another one resolves references through (a contact's account, a price's product). */
export function referencedFlow(flow: FlowConfig): string | undefined {
  if (flow.kind === 'document') return flow.customer.via;
  return flow.kind === 'projection' || flow.kind === 'alert' ? flow.via : flow.parent?.flow;
}

/** Every flow whose links this one reads (its reference, and a records projection's lookups). */
export function lookupFlows(flow: FlowConfig): string[] {
  const lookups =
    flow.kind === 'projection' && flow.target.type === 'records' ? flow.target.lookups.map((l) => l.via) : [];
  return [...new Set(lookups)];
}

export function routable(flow: FlowConfig): RoutableFlow {
  const parent = referencedFlow(flow);
  const references = lookupFlows(flow);
  return {
    name: flow.name,
    salesforceObject: flow.salesforceObject,
    intacctObject: flow.intacctObject,
    direction:
      flow.kind === 'projection' || flow.kind === 'alert'
        ? 'toSalesforce'
        : flow.kind === 'document'
          ? 'toIntacct'
          : flow.direction,
    ...(parent === undefined ? {} : { parent: { flow: parent } }),
    ...(references.length === 0 ? {} : { references }),
  };
}

/** The mirror flow of that name; anything else is a config error that names the flow. */
export function mirrorFlow(flows: readonly FlowConfig[], name: string): MirrorFlow {
  const flow = flows.find((f) => f.name === name);
  if (flow?.kind !== 'mirror')
    throw new ValidationError(
      `flow "${name}" is ${flow === undefined ? 'not configured' : `a ${flow.kind}`}`,
      {
        code: 'CONFIG_INVALID',
        hint: `configure "${name}" as a mirror flow in the sync config`,
      },
    );
  return flow;
}

/** The Salesforce field a mirror flow maps from Intacct's STATUS (activeFlag), if Intacct may write it. */
export function activeFlagField(flow: MirrorFlow): string | undefined {
  return flow.fields.find((f) => f.transform === 'activeFlag' && f.owner !== 'salesforce')?.salesforce;
}

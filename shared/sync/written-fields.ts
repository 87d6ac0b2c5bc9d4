/**
 * Every field a flow writes, per side and object (DESIGN §4: no two flows write one field): the
 * mapped fields the other system may write, keys and write-backs, references, the status a delete
 * sets. The config's cross-flow check uses it.
 */
import type { FlowConfig } from './flow-schema.ts';

export interface WrittenField {
  flow: string;
  side: 'salesforce' | 'intacct';
  object: string;
  field: string;
  /** Where in the flow's config the field is named (for the error path). */
  path: Array<string | number>;
  /**
   * A `records` target writes only the records it upserts on its own external ID (vendor
   * Accounts on Intacct_Vendor_Id__c): its writes meet another flow's only on those records.
   */
  records?: string;
}

/** What a price-book projection writes on each PricebookEntry. */
export const PRICE_BOOK_ENTRY_FIELDS = [
  'Pricebook2Id',
  'Product2Id',
  'CurrencyIsoCode',
  'UnitPrice',
  'IsActive',
];

export function writtenFields(flows: readonly FlowConfig[]): WrittenField[] {
  const out: WrittenField[] = [];
  for (const flow of flows) {
    if (flow.kind === 'projection') {
      const sf = (field: string, path: Array<string | number>) =>
        out.push({ flow: flow.name, side: 'salesforce', object: flow.salesforceObject, field, path });
      const t = flow.target;
      if (t.type === 'fields')
        for (const [j, f] of t.fields.entries()) sf(f.salesforce, ['target', 'fields', j, 'salesforce']);
      else if (t.type === 'records') {
        const own = (field: string, path: Array<string | number>) =>
          out.push({
            flow: flow.name,
            side: 'salesforce',
            object: flow.salesforceObject,
            field,
            path,
            records: t.externalId,
          });
        for (const [j, f] of t.fields.entries()) own(f.salesforce, ['target', 'fields', j, 'salesforce']);
        for (const [j, l] of t.lookups.entries()) own(l.salesforce, ['target', 'lookups', j, 'salesforce']);
        for (const [j, c] of t.constants.entries())
          own(c.salesforce, ['target', 'constants', j, 'salesforce']);
        for (const [j, m] of t.summaries.entries())
          own(m.salesforce, ['target', 'summaries', j, 'salesforce']);
        own(t.externalId, ['target', 'externalId']);
        own('Name', ['target', 'name']);
        for (const [j, r] of t.rollups.entries())
          for (const [k, f] of r.fields.entries())
            out.push({
              flow: flow.name,
              side: 'salesforce',
              object: r.parent,
              field: f.salesforce,
              path: ['target', 'rollups', j, 'fields', k, 'salesforce'],
            });
      } else for (const field of PRICE_BOOK_ENTRY_FIELDS) sf(field, ['target', 'entries']);
      continue;
    }
    if (flow.kind === 'alert') {
      out.push({
        flow: flow.name,
        side: 'salesforce',
        object: flow.salesforceObject,
        field: flow.statusField,
        path: ['statusField'],
      });
      continue;
    }
    if (flow.kind === 'document') {
      // It creates Intacct documents (no shared fields there) and writes their IDs back.
      for (const [key, field] of Object.entries(flow.writeBack))
        if (field !== undefined)
          out.push({
            flow: flow.name,
            side: 'salesforce',
            object: flow.salesforceObject,
            field,
            path: ['writeBack', key],
          });
      continue;
    }
    const toSalesforce = flow.direction !== 'toIntacct';
    const toIntacct = flow.direction !== 'toSalesforce';
    const sf = (field: string, path: Array<string | number>) =>
      out.push({ flow: flow.name, side: 'salesforce', object: flow.salesforceObject, field, path });
    const ia = (field: string, path: Array<string | number>) =>
      out.push({ flow: flow.name, side: 'intacct', object: flow.intacctObject, field, path });
    for (const [j, f] of flow.fields.entries()) {
      if (toSalesforce && f.owner !== 'salesforce') sf(f.salesforce, ['fields', j, 'salesforce']);
      if (toIntacct && f.owner !== 'intacct') ia(f.intacct, ['fields', j, 'intacct']);
    }
    if (flow.salesforceKeyField !== undefined) sf(flow.salesforceKeyField, ['salesforceKeyField']);
    if (flow.intacctKey !== undefined && toIntacct) ia(flow.intacctKey.field, ['intacctKey', 'field']);
    if (flow.parent !== undefined && toIntacct) ia(flow.parent.intacctField, ['parent', 'intacctField']);
  }
  // A field mapped twice within one flow (PRINTAS from Name, say) is that flow's own business.
  return out.filter(
    (w, i) =>
      out.findIndex(
        (x) => x.flow === w.flow && x.side === w.side && x.object === w.object && x.field === w.field,
      ) === i,
  );
}

/**
 * Every Salesforce field a flow names, with what the flow needs of it (DESIGN §4: every field
 * named exists in the metadata of §10 or the standard schema). The org check of
 * `sfi config validate` resolves each one against a schema.
 */
import type { FlowConfig } from '#shared/sync/flow-schema.ts';
import { REPORT_FIELDS } from '#shared/sync/kinds/report/fields.ts';
import type { ReportConfig } from '#shared/sync/report-schema.ts';

/** What a flow needs of a field: its kind of value, or a unique external ID for keys. */
export type FieldNeed = 'key' | 'boolean' | 'number' | 'date' | 'text' | 'reference' | 'any';

export interface NamedField {
  flow: string;
  /** The object the field is on (a line field is on the child object of `relationship`). */
  object: string;
  /** Set when the field is on the child records of `object` through this relationship. */
  relationship?: string;
  /** As written in the config: `Name`, or a path through a relationship, `Account.BillingCountry`. */
  field: string;
  need: FieldNeed;
  path: Array<string | number>;
}

const TRANSFORM_NEEDS: Record<string, FieldNeed> = {
  boolean: 'boolean',
  activeFlag: 'boolean',
  number: 'number',
  date: 'date',
  lower: 'text',
  upper: 'text',
};

/** What a report writes (its row object) and reads (the bookings object). */
function reportFields(report: ReportConfig): NamedField[] {
  const F = REPORT_FIELDS;
  const row = (field: string, need: FieldNeed) => ({
    flow: report.name,
    object: report.salesforceObject,
    field,
    need,
    path: ['salesforceObject'],
  });
  const b = report.bookings;
  const booking = (field: string, need: FieldNeed, key: 'account' | 'amount' | 'date') => ({
    flow: report.name,
    object: b.object,
    field,
    need,
    path: ['bookings', key],
  });
  return [
    row(F.key, 'key'),
    ...[F.period, F.customer, F.currency, F.sources].map((f) => row(f, 'text')),
    row(F.periodStart, 'date'),
    row(F.account, 'reference'),
    ...[F.booked, F.recognised, F.variance, F.variancePercent].map((f) => row(f, 'number')),
    row(F.total, 'boolean'),
    booking(b.account, 'reference', 'account'),
    booking(b.amount, 'number', 'amount'),
    booking(b.date, 'date', 'date'),
  ];
}

/** The fields of one flow or report (switched-off ones included: their fields must exist when switched on). */
export function salesforceFields(flow: FlowConfig | ReportConfig): NamedField[] {
  if (flow.kind === 'report') return reportFields(flow);
  const out: NamedField[] = [];
  const at = (field: string, need: FieldNeed, path: Array<string | number>, relationship?: string) =>
    out.push({
      flow: flow.name,
      object: flow.salesforceObject,
      field,
      need,
      path,
      ...(relationship ? { relationship } : {}),
    });
  if (flow.kind === 'mirror') {
    if (flow.salesforceKeyField !== undefined) at(flow.salesforceKeyField, 'key', ['salesforceKeyField']);
    if (flow.intacctKey?.fromSalesforce !== undefined)
      at(flow.intacctKey.fromSalesforce, 'any', ['intacctKey', 'fromSalesforce']);
    for (const [j, m] of flow.matchKeys.entries()) at(m.salesforce, 'any', ['matchKeys', j, 'salesforce']);
    for (const [j, f] of flow.fields.entries())
      at(f.salesforce, f.values ? 'text' : (TRANSFORM_NEEDS[f.transform] ?? 'any'), [
        'fields',
        j,
        'salesforce',
      ]);
    if (flow.parent !== undefined)
      at(flow.parent.salesforceField, 'reference', ['parent', 'salesforceField']);
    return out;
  }
  if (flow.kind === 'projection') {
    const t = flow.target;
    if (t.type === 'fields' || t.type === 'records')
      for (const [j, f] of t.fields.entries())
        at(f.salesforce, TRANSFORM_NEEDS[f.transform] ?? 'any', ['target', 'fields', j, 'salesforce']);
    if (t.type === 'records') {
      at(t.externalId, 'key', ['target', 'externalId']);
      for (const [j, l] of t.lookups.entries())
        at(l.salesforce, 'reference', ['target', 'lookups', j, 'salesforce']);
      for (const [j, c] of t.constants.entries())
        at(c.salesforce, 'any', ['target', 'constants', j, 'salesforce']);
      for (const [j, m] of t.summaries.entries())
        at(m.salesforce, 'text', ['target', 'summaries', j, 'salesforce']);
    }
    return out;
  }
  if (flow.kind === 'alert') {
    at(flow.statusField, 'text', ['statusField']);
    return out;
  }
  for (const [j, c] of flow.when.entries()) at(c.field, 'any', ['when', j, 'field']);
  at(flow.customer.field, 'reference', ['customer', 'field']);
  const h = flow.header;
  at(h.date, 'date', ['header', 'date']);
  if (h.dueDate !== undefined) at(h.dueDate, 'date', ['header', 'dueDate']);
  if (h.message !== undefined) at(h.message, 'text', ['header', 'message']);
  if (h.customerPoNumber !== undefined) at(h.customerPoNumber, 'text', ['header', 'customerPoNumber']);
  if (h.currency !== undefined) at(h.currency, 'text', ['header', 'currency']);
  const l = flow.lines;
  const line = (field: string, need: FieldNeed, path: Array<string | number>) =>
    at(field, need, ['lines', ...path], l.relationship);
  line(l.item.field, 'reference', ['item', 'field']);
  line(l.item.codeField, 'text', ['item', 'codeField']);
  line(l.item.nameField, 'text', ['item', 'nameField']);
  line(l.quantity, 'number', ['quantity']);
  line(l.price, 'number', ['price']);
  if (l.discount !== undefined) line(l.discount, 'number', ['discount']);
  if (l.description !== undefined) line(l.description, 'text', ['description']);
  for (const [j, d] of l.dimensions.entries()) {
    if (d.field?.startsWith('header.')) at(d.field.slice(7), 'any', ['lines', 'dimensions', j, 'field']);
    else if (d.field !== undefined) line(d.field, 'any', ['dimensions', j, 'field']);
    for (const [k, r] of d.rules.entries())
      for (const [m, c] of r.when.entries())
        at(c.field, 'any', ['lines', 'dimensions', j, 'rules', k, 'when', m, 'field']);
  }
  if (l.whenEmpty !== 'fail') at(l.whenEmpty.amount, 'number', ['lines', 'whenEmpty', 'amount']);
  for (const [j, r] of flow.routing.rules.entries())
    for (const [k, c] of r.when.entries()) at(c.field, 'any', ['routing', 'rules', j, 'when', k, 'field']);
  at(flow.writeBack.documentId, 'key', ['writeBack', 'documentId']);
  if (flow.writeBack.recordNo !== undefined) at(flow.writeBack.recordNo, 'text', ['writeBack', 'recordNo']);
  if (flow.writeBack.state !== undefined) at(flow.writeBack.state, 'text', ['writeBack', 'state']);
  return out;
}

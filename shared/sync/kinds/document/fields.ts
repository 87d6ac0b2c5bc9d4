/**
 * What a document flow reads from Salesforce: the header fields (polls read these) and the line
 * fields of its child relationship (the worker reads both in one query).
 */
import { conditionFields } from '../../conditions.ts';
import type { DocumentFlow } from '../../document-schema.ts';

const HEADER_PREFIX = 'header.';

/** A dimension's `field`: a line field, or the header's when prefixed `header.`. */
export function dimensionSource(field: string): { on: 'header' | 'line'; field: string } {
  return field.startsWith(HEADER_PREFIX)
    ? { on: 'header', field: field.slice(HEADER_PREFIX.length) }
    : { on: 'line', field };
}

export function headerFields(flow: DocumentFlow): string[] {
  const h = flow.header;
  const fields = [
    flow.customer.field,
    h.date,
    h.dueDate,
    h.message,
    h.customerPoNumber,
    h.currency,
    flow.lines.whenEmpty === 'fail' ? undefined : flow.lines.whenEmpty.amount,
    ...conditionFields(flow.when),
    ...flow.routing.rules.flatMap((r) => conditionFields(r.when)),
    ...flow.lines.dimensions.flatMap((d) => [
      ...(d.field !== undefined && dimensionSource(d.field).on === 'header'
        ? [dimensionSource(d.field).field]
        : []),
      ...d.rules.flatMap((r) => conditionFields(r.when)),
    ]),
  ];
  return [...new Set(fields.filter((f): f is string => f !== undefined))];
}

export function lineFields(flow: DocumentFlow): string[] {
  const l = flow.lines;
  const fields = [
    'Id',
    l.item.field,
    l.item.codeField,
    l.item.nameField,
    l.quantity,
    l.price,
    l.discount,
    l.description,
    ...l.dimensions.flatMap((d) =>
      d.field !== undefined && dimensionSource(d.field).on === 'line' ? [d.field] : [],
    ),
  ];
  return [...new Set(fields.filter((f): f is string => f !== undefined))];
}

/**
 * Assembles a document from its source record and lines (DESIGN §4): header, currency, entity,
 * one line per child row with its item, quantity, price, discount and dimensions. Bad input —
 * a quantity that is not positive, a price that is not a number, a date that is not one — is a
 * permanent failure that names the line and the field; nothing is written.
 */
import type { DocumentDraft, DraftLine } from '../../document-ports.ts';
import type { DocumentFlow } from '../../document-schema.ts';
import { payloadHash, type Values } from '../../mapping.ts';
import { type DocumentItem, refuse } from './item.ts';
import { dimensionsOf, route } from './routing.ts';

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A Salesforce number as a canonical decimal string, or undefined when it is not one. */
function decimal(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  return DECIMAL.test(text) ? String(Number(text)) : undefined;
}

/** Sets `draft` and `hash`, or refuses the item. Needs `source`, `rows`, `customerId` and `itemIds`. */
export function assemble(flow: DocumentFlow, item: DocumentItem): void {
  const source = item.source;
  const rows = item.rows;
  if (
    source === undefined ||
    rows === undefined ||
    item.customerId === undefined ||
    item.itemIds === undefined
  )
    return;
  const header = source.values;
  const label = `${flow.salesforceObject} ${item.id}`;
  const date = header[flow.header.date] ?? '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    refuse(
      flow,
      item,
      'DOCUMENT_DATE_MISSING',
      `${label} has no ${flow.header.date} (got "${date}")`,
      `fill ${flow.header.date} on the record (or map header.date to another date field), then run sfi redrive`,
    );
    return;
  }
  const { entity, currency } = route(flow, header);
  const lines: DraftLine[] = [];
  for (const [i, row] of rows.entries()) {
    const n = i + 1;
    const quantity = decimal(row[flow.lines.quantity]);
    if (quantity === undefined || Number(quantity) <= 0) {
      refuse(
        flow,
        item,
        'DOCUMENT_LINE_INVALID',
        `${label} line ${n}: quantity "${row[flow.lines.quantity] ?? ''}" is not a positive number`,
        'correct the quantity in Salesforce (returns and credits belong on a credit memo), then run sfi redrive',
        { line: n, field: flow.lines.quantity },
      );
      return;
    }
    const rawPrice = row[flow.lines.price];
    const price = decimal(rawPrice);
    if ((rawPrice !== null && rawPrice !== undefined && price === undefined) || Number(price) < 0) {
      refuse(
        flow,
        item,
        'DOCUMENT_LINE_INVALID',
        `${label} line ${n}: price "${rawPrice ?? ''}" is not a number of zero or more`,
        'correct the sales price in Salesforce, then run sfi redrive',
        { line: n, field: flow.lines.price },
      );
      return;
    }
    const discountField = flow.lines.discount;
    const discount = discountField === undefined ? undefined : decimal(row[discountField]);
    if (discount !== undefined && (Number(discount) < 0 || Number(discount) > 100)) {
      refuse(
        flow,
        item,
        'DOCUMENT_LINE_INVALID',
        `${label} line ${n}: discount ${discount}% is not between 0 and 100`,
        'correct the discount in Salesforce, then run sfi redrive',
        { line: n, field: discountField },
      );
      return;
    }
    const dims = dimensionsOf(flow, header, row);
    if (dims.missing.length > 0) {
      refuse(
        flow,
        item,
        'DIMENSION_MISSING',
        `${label} line ${n}: ${dims.missing.join(', ')} is required and has no value`,
        `give the line a ${dims.missing.join(', ')} (the field or rule in lines.dimensions of flow ${flow.name}), then run sfi redrive`,
        { line: n, dimensions: dims.missing },
      );
      return;
    }
    const description = flow.lines.description === undefined ? undefined : row[flow.lines.description];
    lines.push({
      source: row.Id ?? '',
      itemId: item.itemIds[i] ?? '',
      quantity,
      ...(price === undefined ? {} : { price }),
      ...(discount === undefined || Number(discount) === 0 ? {} : { discountPercent: discount }),
      ...(description ? { description } : {}),
      ...(flow.lines.unit === undefined ? {} : { unit: flow.lines.unit }),
      dimensions: dims.values,
    });
  }
  const text = (field: string | undefined) =>
    field === undefined ? undefined : (header[field] ?? undefined);
  const draft: DocumentDraft = {
    reference: item.id,
    entity,
    customerId: item.customerId,
    date,
    ...defined({
      dueDate: text(flow.header.dueDate),
      termName: flow.header.termName,
      message: text(flow.header.message),
      customerPoNumber: text(flow.header.customerPoNumber),
      currency,
      exchangeRateType: flow.header.exchangeRateType,
    }),
    lines,
  };
  item.draft = draft;
  item.hash = payloadHash(flatDraft(draft));
}

/** The rows that become lines: the child rows, or the one `whenEmpty` line for the header's amount. */
export function linesOf(flow: DocumentFlow, rows: readonly Values[], header: Values): Values[] {
  if (rows.length > 0 || flow.lines.whenEmpty === 'fail') return [...rows];
  const { item, amount } = flow.lines.whenEmpty;
  return [
    {
      Id: '',
      [flow.lines.item.codeField]: item,
      [flow.lines.quantity]: '1',
      [flow.lines.price]: header[amount] ?? null,
    },
  ];
}

/** A draft as flat values (`line.2.quantity`): what a link records, and what an update diffs. */
export function flatDraft(draft: DocumentDraft): Record<string, string | null> {
  const { lines, ...head } = draft;
  const out: Record<string, string | null> = { ...head };
  for (const [i, line] of lines.entries()) {
    const { dimensions, ...rest } = line;
    for (const [k, v] of Object.entries(rest)) out[`line.${i + 1}.${k}`] = v ?? null;
    for (const [k, v] of Object.entries(dimensions)) out[`line.${i + 1}.dim.${k}`] = v;
  }
  return out;
}

function defined<T extends Record<string, string | undefined>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

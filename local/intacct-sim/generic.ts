import { createApBill } from './ap-bills.ts';
import { createApPayment } from './ap-payments.ts';
import { createArPayment } from './ar-payments.ts';
import type { OpContext } from './context.ts';
import { businessError, type SimErrorDetail, SimFunctionError, SimPartialFailure } from './errors.ts';
import type { Handler, HandlerResult } from './handler.ts';
import { assertCustomerUnused } from './legacy.ts';
import { checkStatus, createDisplayContact, prepareMasterData } from './master-data.ts';
import { objectDef } from './objects.ts';
import { assertPayablesDeletable } from './payables-rules.ts';
import { deleteRecord, findVisible, insert, mergeFields, touch } from './records.ts';
import type { SimRecord } from './store.ts';
import { childText, nodeToFields, type XNode } from './xml.ts';

function writeRows(rows: Array<{ object: string; row: Record<string, string> }>): Record<string, unknown> {
  const data: Record<string, unknown> = { '@_listtype': 'objects', '@_count': String(rows.length) };
  for (const { object, row } of rows) {
    const tag = object.toLowerCase();
    const list = (data[tag] as unknown[] | undefined) ?? [];
    list.push(row);
    data[tag] = list;
  }
  return data;
}

function createOne(ctx: OpContext, node: XNode): Record<string, string> {
  const def = objectDef(node.name);
  if (!def) throw businessError(`Object definition ${node.name} not found`, undefined, 'BL01001973');
  if (!def.genericCreate) {
    throw businessError(
      `${def.label} (${def.name}) cannot be created with the generic create function.`,
      "Use the object's legacy create function.",
    );
  }
  const fields = nodeToFields(node);
  let record: SimRecord;
  if (def.name === 'ARPYMT') record = createArPayment(ctx, fields);
  else if (def.name === 'APBILL') record = createApBill(ctx, fields);
  else if (def.name === 'APPYMT') record = createApPayment(ctx, fields);
  else {
    const prepared = prepareMasterData(ctx, def, fields);
    if (def.name === 'CUSTOMER' || def.name === 'VENDOR') createDisplayContact(ctx, prepared);
    record = insert(ctx, def.name, prepared);
  }
  const row: Record<string, string> = { RECORDNO: String(record.recordNo) };
  if (def.idField) row[def.idField] = String(record.fields[def.idField] ?? '');
  return row;
}

function updateOne(ctx: OpContext, node: XNode): Record<string, string> {
  const def = objectDef(node.name);
  if (!def) throw businessError(`Object definition ${node.name} not found`);
  const fields = nodeToFields(node);
  const recordNo = typeof fields.RECORDNO === 'string' && fields.RECORDNO ? fields.RECORDNO : undefined;
  const id = def.idField ? fields[def.idField] : undefined;
  const record = findVisible(ctx, def.name, { recordNo, id: typeof id === 'string' ? id : undefined });
  if (!record) {
    const which = recordNo ? `RECORDNO=${recordNo}` : `${def.idField ?? 'key'}=${String(id ?? '')}`;
    throw businessError(`Cannot update non-existing ${def.name} with ${which}.`);
  }
  if ((def.name === 'ARPYMT' || def.name === 'APPYMT') && record.fields.STATE !== 'Draft') {
    throw businessError('Only draft payments can be updated.');
  }
  if (!def.genericCreate)
    throw businessError(`${def.label} cannot be updated with the generic update function.`);
  if (def.name === 'APBILL' && fields.APBILLITEMS !== undefined)
    throw businessError(
      'Updating bill lines is not supported by the simulator.',
      'Update header fields only.',
    );
  const idValue = def.idField ? record.fields[def.idField] : undefined;
  if (def.idField && id !== undefined && recordNo && id !== idValue) {
    const clash = ctx.store.findBy(def.name, def.idField, String(id));
    if (clash && clash.recordNo !== record.recordNo)
      throw businessError(
        `Another ${def.label} with the given value(s) ${String(id)} already exists`,
        undefined,
        'BL34000061',
      );
  }
  checkStatus(fields);
  mergeFields(record.fields, fields, def.readOnly);
  touch(ctx, record, false);
  const row: Record<string, string> = { RECORDNO: String(record.recordNo) };
  if (def.idField) row[def.idField] = String(record.fields[def.idField] ?? '');
  return row;
}

/** create/update: each record stands alone, so one bad record leaves the others written (partial success). */
function writeHandler(one: (ctx: OpContext, node: XNode) => Record<string, string>): Handler {
  return (fn, ctx): HandlerResult => {
    if (fn.children.length === 0) throw businessError(`${fn.name} needs at least one object element`);
    const rows: Array<{ object: string; row: Record<string, string> }> = [];
    const errors: SimErrorDetail[] = [];
    for (const node of fn.children) {
      try {
        rows.push({ object: node.name, row: one(ctx, node) });
      } catch (error) {
        if (!(error instanceof SimFunctionError)) throw error;
        errors.push(...error.errors);
      }
    }
    if (errors.length) throw new SimPartialFailure(errors, writeRows(rows), rows.length);
    return { data: writeRows(rows), transactions: rows.length };
  };
}

const deleteHandler: Handler = (fn, ctx) => {
  const object = (childText(fn, 'object') ?? '').toUpperCase();
  const def = objectDef(object);
  if (!def) throw businessError(`Object definition ${object} not found`);
  const keys = (childText(fn, 'keys') ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (keys.length === 0) throw businessError('delete needs keys');
  for (const key of keys) {
    const record = findVisible(ctx, object, { recordNo: key });
    if (!record) throw businessError(`Cannot find ${def.label.toLowerCase()} with key '${key}' to delete.`);
    if (object === 'CUSTOMER') assertCustomerUnused(ctx, String(record.fields.CUSTOMERID));
    if ((object === 'ARPYMT' || object === 'APPYMT') && record.fields.STATE !== 'Draft')
      throw businessError('Only draft payments can be deleted.');
    assertPayablesDeletable(ctx, record);
    deleteRecord(ctx, record, 'api');
  }
  return { transactions: keys.length };
};

/** Generic write functions. */
export const WRITE_HANDLERS: Record<string, Handler> = {
  create: writeHandler(createOne),
  update: writeHandler(updateOne),
  delete: deleteHandler,
};

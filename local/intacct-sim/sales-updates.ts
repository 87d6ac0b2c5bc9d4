import { dateText, requireCustomer } from './ar-ap.ts';
import type { OpContext } from './context.ts';
import { businessError } from './errors.ts';
import type { Handler } from './handler.ts';
import { checkDimensions, findVisible, touch, visible } from './records.ts';
import { DEFINITIONS, dateOf, documentDate, linkInvoice, settableState } from './sales-documents.ts';
import { buildLine, entriesOf, lineInput, setEntries, updatedLine } from './sales-lines.ts';
import type { SimRecord } from './store.ts';
import { child, childrenNamed, childText, type FieldMap, type XNode } from './xml.ts';

/** States in which update_sotransaction refuses (docs, "Update Order Entry Transaction (Legacy)"). */
const LOCKED_STATES = ['In Progress', 'Converted', 'Partially Converted'];

/**
 * The document `update_sotransaction` names: by DOCID, or by EXTERNALID with `externalkey="true"`.
 * EXTERNALID is not unique in the simulator; the first visible match wins [unverified].
 */
function documentToUpdate(ctx: OpContext, fn: XNode): SimRecord {
  const key = fn.attrs.key ?? '';
  const doc =
    fn.attrs.externalkey === 'true'
      ? visible(ctx, 'SODOCUMENT').find((r) => key !== '' && r.fields.EXTERNALID === key)
      : findVisible(ctx, 'SODOCUMENT', { id: key });
  if (!doc) throw businessError(`Cannot find Sales Transaction with key '${key}'.`);
  const state = String(doc.fields.STATE);
  if (LOCKED_STATES.includes(state))
    throw businessError(
      `You cannot update an order entry transaction or order entry transaction items if the state is In Progress, Converted, or Partially Converted. '${String(doc.fields.DOCID)}' is ${state}.`,
      'Change the downstream transaction instead, or delete it to reopen this one.',
    );
  return doc;
}

/**
 * `update_sotransaction`: header fields the DTD allows and the simulator stores, changed lines
 * (1-based `line_num`) and appended lines; validated in full before anything changes.
 */
export const updateSoTransaction: Handler = (fn, ctx) => {
  const doc = documentToUpdate(ctx, fn);
  const def = DEFINITIONS[String(doc.fields.DOCPARID)];
  const rate = Number(doc.fields.EXCHANGE_RATE ?? 1);
  const header: FieldMap = {};
  const created = dateOf(child(fn, 'datecreated'));
  if (created) header.WHENCREATED = documentDate(ctx, def?.createsInvoice ?? false, created);
  const due = dateOf(child(fn, 'datedue'));
  if (due) header.WHENDUE = dateText(due);
  for (const [el, field] of [
    ['referenceno', 'REFERENCENO'],
    ['message', 'MESSAGE'],
    ['customerponumber', 'PONUMBER'],
    ['externalid', 'EXTERNALID'],
  ] as const) {
    const v = childText(fn, el);
    if (v !== undefined) header[field] = v;
  }
  const state = settableState(childText(fn, 'state'));
  if (state !== undefined) header.STATE = state;
  const lines = entriesOf(doc).map((l) => ({ ...l }));
  const updates = child(fn, 'updatesotransitems');
  for (const u of childrenNamed(updates, 'updatesotransitem')) {
    const index = Number(u.attrs.line_num) - 1;
    const line = lines[index];
    if (!line)
      throw businessError(
        `Invalid line_num ${u.attrs.line_num ?? ''}: the document has ${lines.length} lines (line_num is 1-based).`,
      );
    lines[index] = updatedLine(line, lineInput(u), index, rate);
  }
  const added = childrenNamed(updates, 'sotransitem').map((n, i) =>
    buildLine(ctx, lineInput(n), lines.length + i, rate),
  );
  const all = [...lines, ...added];
  checkDimensions(ctx, all, false);
  const oldInvoice = doc.fields.PRRECORDKEY
    ? ctx.store.get('ARINVOICE', Number(doc.fields.PRRECORDKEY))
    : undefined;
  if (oldInvoice && Number(oldInvoice.fields.TOTALPAID) > 0)
    throw businessError('The linked AR invoice has payments applied and cannot be recreated.');
  Object.assign(doc.fields, header);
  setEntries(doc, all);
  touch(ctx, doc, false);
  if (oldInvoice) {
    // Intacct deletes and recreates the linked AR invoice under a new RECORDNO
    ctx.store.remove('ARINVOICE', oldInvoice.recordNo);
    linkInvoice(ctx, doc, requireCustomer(ctx, String(doc.fields.CUSTVENDID)));
  }
  return { key: String(doc.fields.DOCID), transactions: 1 };
};

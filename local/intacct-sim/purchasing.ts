/**
 * Purchasing transactions (PODOCUMENT): legacy `create_potransaction` (the only create the docs
 * give, reference §5.8) and a user's document. Facts: DOCS-MD `purchasing-purchasing-transactions.md`
 * (elements, `<state>` Draft/Pending/Closed, STATE codes, PRRECORDKEY to the AP bill a Vendor
 * Invoice makes). The simulator's choices: three definitions (Purchase Requisition, Purchase
 * Order, Vendor Invoice), document numbers PR-/PO-/VI-0001…, a line price defaulting to the
 * item's BASEPRICE, Vendor Invoice bills on account 5000; conversion (`createdfrom`) is not supported.
 */
import { createBill, requireVendor } from './ap-bills.ts';
import { type DateParts, dateText, postingDate } from './ar-ap.ts';
import type { OpContext } from './context.ts';
import { documentCurrency } from './entities.ts';
import { businessError } from './errors.ts';
import type { Handler } from './handler.ts';
import { checkDimensions, insert, linesOf, money } from './records.ts';
import { dateOf, settableState } from './sales-documents.ts';
import { buildLine, type LineInput, lineInput } from './sales-lines.ts';
import { intacctDate, parseIntacctDate, type SimRecord } from './store.ts';
import { child, childrenNamed, childText, type FieldMap } from './xml.ts';

export const PO_DEFINITIONS: Record<string, { prefix: string; createsBill: boolean; state: string }> = {
  'Purchase Requisition': { prefix: 'PR', createsBill: false, state: 'Pending' },
  'Purchase Order': { prefix: 'PO', createsBill: false, state: 'Pending' },
  'Vendor Invoice': { prefix: 'VI', createsBill: true, state: 'Closed' },
};

/** A purchasing document to create. */
export interface PoInput {
  type: string;
  created: DateParts | undefined;
  vendorId?: string;
  documentNo?: string;
  referenceNo?: string;
  vendorDocNo?: string;
  message?: string;
  externalId?: string;
  state?: string;
  due?: DateParts;
  currency: { currency?: string; baseCurrency?: string; exchangeRate?: string };
  lines: LineInput[];
}

/** Creates a purchasing document: everything is checked before anything is written. */
export function createPurchaseDocument(ctx: OpContext, input: PoInput): SimRecord {
  const def = PO_DEFINITIONS[input.type];
  if (!def)
    throw businessError(
      `Invalid transaction definition '${input.type}'.`,
      `Use one of: ${Object.keys(PO_DEFINITIONS).join(', ')}.`,
    );
  const vendor = requireVendor(ctx, input.vendorId);
  const whenCreated = def.createsBill ? postingDate(ctx, input.created) : dateText(input.created);
  const currency = documentCurrency(ctx, input.currency);
  const state = settableState(input.state) ?? def.state;
  if (input.lines.length === 0) throw businessError('A purchasing transaction needs at least one line.');
  const lines = input.lines.map((l, i) => buildLine(ctx, l, i, currency.rate, 'PODOCUMENTENTRY'));
  checkDimensions(ctx, lines, false);
  const seq = (ctx.store.docSequences.get(input.type) ?? 0) + 1;
  const docNo = input.documentNo ?? `${def.prefix}-${String(seq).padStart(4, '0')}`;
  const docId = `${input.type}-${docNo}`;
  if (ctx.store.findBy('PODOCUMENT', 'DOCID', docId))
    throw businessError(
      `Another Purchasing Transaction with document number ${docNo} already exists`,
      undefined,
      'BL34000061',
    );
  ctx.store.docSequences.set(input.type, seq);
  const total = lines.reduce((s, l) => s + Number(l.TRX_VALUE), 0);
  const doc = insert(ctx, 'PODOCUMENT', {
    DOCNO: docNo,
    DOCID: docId,
    DOCPARID: input.type,
    STATE: state,
    CREATEDFROM: '',
    CUSTVENDID: String(vendor.fields.VENDORID),
    CUSTVENDNAME: String(vendor.fields.NAME ?? ''),
    WHENDUE: input.due ? dateText(input.due) : '',
    REFERENCENO: input.referenceNo ?? '',
    VENDORDOCNO: input.vendorDocNo ?? '',
    MESSAGE: input.message ?? '',
    EXTERNALID: input.externalId ?? '',
    CURRENCY: currency.currency,
    BASECURR: currency.base,
    EXCHANGE_RATE: String(currency.rate),
    TRX_SUBTOTAL: money(total),
    TRX_TOTAL: money(total),
    SUBTOTAL: money(total * currency.rate),
    TOTAL: money(total * currency.rate),
    PRRECORDKEY: '',
  });
  doc.fields.WHENCREATED = whenCreated;
  doc.fields.PODOCUMENTENTRIES = {
    podocumententry: lines.map((l) => ({ ...l, DOCHDRNO: String(doc.recordNo), DOCHDRID: docId })),
  };
  if (def.createsBill) {
    const bill = createBill(ctx, {
      vendor,
      whenCreated,
      whenDue: String(doc.fields.WHENDUE || whenCreated),
      recordId: docNo,
      docNumber: input.vendorDocNo,
      description: input.message,
      currency,
      moduleKey: '9.PO',
      lines: lines.map((l) => ({
        accountNo: '5000',
        amount: Number(l.TRX_VALUE),
        memo: String(l.MEMO ?? ''),
        locationId: String(l.LOCATIONID ?? ''),
        departmentId: String(l.DEPARTMENTID ?? ''),
        itemId: String(l.ITEMID ?? ''),
      })),
    });
    doc.fields.PRRECORDKEY = String(bill.recordNo);
  }
  ctx.store.edited(doc);
  return doc;
}

/** `create_potransaction`; the key returned is the DOCID (`Purchase Order-PO-0001`), as for sales. */
export const createPoTransaction: Handler = (fn, ctx) => {
  const t = (name: string) => childText(fn, name);
  if (t('createdfrom')) throw businessError('createdfrom (conversion) is not supported by the simulator.');
  const doc = createPurchaseDocument(ctx, {
    type: t('transactiontype') ?? '',
    created: dateOf(child(fn, 'datecreated')),
    vendorId: t('vendorid'),
    documentNo: t('documentno'),
    referenceNo: t('referenceno'),
    vendorDocNo: t('vendordocno'),
    message: t('message'),
    externalId: t('externalid'),
    state: t('state'),
    due: dateOf(child(fn, 'datedue')),
    currency: { currency: t('currency'), baseCurrency: t('basecurr'), exchangeRate: t('exchrate') },
    lines: childrenNamed(child(fn, 'potransitems'), 'potransitem').map(lineInput),
  });
  return { key: String(doc.fields.DOCID), transactions: 1 };
};

function dateParts(value: unknown, what: string): DateParts | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = parseIntacctDate(value);
  if (!Number.isFinite(ms)) throw businessError(`${what} '${value}' is not a valid date.`, 'Use MM/DD/YYYY.');
  const [month = '', day = '', year = ''] = intacctDate(ms).split('/');
  return { year, month, day };
}

/**
 * A purchasing document a user enters: DOCPARID (default 'Purchase Order'), VENDORID (or
 * CUSTVENDID), WHENCREATED (default today), WHENDUE, STATE, DOCNO, REFERENCENO, VENDORDOCNO,
 * MESSAGE, EXTERNALID, CURRENCY, and PODOCUMENTENTRIES.podocumententry lines (ITEMID, QUANTITY,
 * PRICE, UNIT, MEMO, LOCATIONID, DEPARTMENTID).
 */
export function userPurchaseDocument(ctx: OpContext, fields: FieldMap): SimRecord {
  const s = (m: FieldMap, k: string) =>
    typeof m[k] === 'string' && m[k] !== '' ? (m[k] as string) : undefined;
  const block = fields.PODOCUMENTENTRIES;
  const raw =
    block && typeof block === 'object' && !Array.isArray(block) ? linesOf(block.podocumententry) : [];
  return createPurchaseDocument(ctx, {
    type: s(fields, 'DOCPARID') ?? 'Purchase Order',
    created: dateParts(fields.WHENCREATED, 'WHENCREATED') ?? dateParts(intacctDate(ctx.now), 'today'),
    vendorId: s(fields, 'VENDORID') ?? s(fields, 'CUSTVENDID'),
    documentNo: s(fields, 'DOCNO'),
    referenceNo: s(fields, 'REFERENCENO'),
    vendorDocNo: s(fields, 'VENDORDOCNO'),
    message: s(fields, 'MESSAGE'),
    externalId: s(fields, 'EXTERNALID'),
    state: s(fields, 'STATE'),
    due: dateParts(fields.WHENDUE, 'WHENDUE'),
    currency: { currency: s(fields, 'CURRENCY') },
    lines: raw.map((l) => ({
      itemId: s(l, 'ITEMID'),
      quantity: s(l, 'QUANTITY'),
      price: s(l, 'PRICE'),
      unit: s(l, 'UNIT'),
      memo: s(l, 'MEMO'),
      locationId: s(l, 'LOCATIONID'),
      departmentId: s(l, 'DEPARTMENTID'),
    })),
  });
}

import { createArInvoice, type DateParts, dateText, postingDate, requireCustomer } from './ar-ap.ts';
import type { OpContext } from './context.ts';
import { conversionSource, planConversion } from './conversion.ts';
import { documentCurrency } from './entities.ts';
import { businessError } from './errors.ts';
import type { Handler } from './handler.ts';
import { checkDimensions, insert } from './records.ts';
import { buildLine, entriesOf, type LineInput, lineInput, setEntries } from './sales-lines.ts';
import type { SimRecord } from './store.ts';
import { child, childrenNamed, childText, type XNode } from './xml.ts';

/** Transaction definitions of the demo company; invoice-type ones create an AR invoice. */
export const DEFINITIONS: Record<string, { prefix: string; createsInvoice: boolean; state: string }> = {
  'Sales Quote': { prefix: 'QT', createsInvoice: false, state: 'Pending' },
  'Sales Order': { prefix: 'SO', createsInvoice: false, state: 'Pending' },
  'Sales Invoice': { prefix: 'INV', createsInvoice: true, state: 'Closed' },
};

/** The states `create_sotransaction` documents for `<state>` (also accepted by update [unverified]). */
const SETTABLE_STATES = ['Draft', 'Pending', 'Closed'];

/** A sales document to create, from `create_sotransaction` or a user's conversion. */
export interface DocInput {
  type: string;
  created: DateParts | undefined;
  createdFrom?: string;
  customerId?: string;
  documentNo?: string;
  referenceNo?: string;
  message?: string;
  customerPoNumber?: string;
  externalId?: string;
  state?: string;
  due?: DateParts;
  currency: { currency?: string; baseCurrency?: string; exchangeRate?: string };
  lines: LineInput[];
}

/** A legacy year/month/day block, or undefined when absent. */
export const dateOf = (node: XNode | undefined): DateParts | undefined =>
  node
    ? {
        year: childText(node, 'year') ?? '',
        month: childText(node, 'month') ?? '',
        day: childText(node, 'day') ?? '',
      }
    : undefined;

/** The `<state>` given, checked; undefined when absent. */
export const settableState = (state: string | undefined): string | undefined => {
  if (state !== undefined && !SETTABLE_STATES.includes(state))
    throw businessError(`Invalid state '${state}'.`, `Use one of: ${SETTABLE_STATES.join(', ')}.`);
  return state;
};

/**
 * The document date: only invoice-type documents post to the GL, so only they hit the closed
 * period, unless the company's closedPeriodScope is 'all'.
 */
export const documentDate = (ctx: OpContext, createsInvoice: boolean, date: DateParts | undefined) =>
  createsInvoice || ctx.settings.closedPeriodScope === 'all' ? postingDate(ctx, date) : dateText(date);

/** Creates a sales document: validates everything first, then writes (a failed create leaves nothing). */
export function createSalesDocument(ctx: OpContext, input: DocInput): SimRecord {
  const def = DEFINITIONS[input.type];
  if (!def)
    throw businessError(
      `Invalid transaction definition '${input.type}'.`,
      `Use one of: ${Object.keys(DEFINITIONS).join(', ')}.`,
    );
  const customer = requireCustomer(ctx, input.customerId);
  const customerId = String(customer.fields.CUSTOMERID);
  const source = input.createdFrom
    ? conversionSource(ctx, input.createdFrom, input.type, customerId)
    : undefined;
  const whenCreated = documentDate(ctx, def.createsInvoice, input.created);
  const currency = documentCurrency(ctx, {
    ...input.currency,
    currency: input.currency.currency ?? (source ? String(source.fields.CURRENCY) : undefined),
  });
  const state = settableState(input.state) ?? def.state;
  const lines = input.lines.map((l, i) => buildLine(ctx, l, i, currency.rate));
  checkDimensions(ctx, lines, false);
  const conversion = source ? planConversion(ctx, source, input.lines) : undefined;
  const seq = (ctx.store.docSequences.get(input.type) ?? 0) + 1;
  const docNo = input.documentNo ?? `${def.prefix}-${String(seq).padStart(4, '0')}`;
  if (ctx.store.findBy('SODOCUMENT', 'DOCID', `${input.type}-${docNo}`)) {
    throw businessError(
      `Another Sales Transaction with document number ${docNo} already exists`,
      undefined,
      'BL34000061',
    );
  }
  ctx.store.docSequences.set(input.type, seq);
  conversion?.links.forEach((key, i) => {
    const line = lines[i];
    if (line && key !== undefined) line.SOURCE_DOCLINEKEY = key;
  });
  const doc = insert(ctx, 'SODOCUMENT', {
    DOCNO: docNo,
    DOCID: `${input.type}-${docNo}`,
    DOCPARID: input.type,
    STATE: state,
    CREATEDFROM: source ? String(source.fields.DOCID) : '',
    CUSTVENDID: customerId,
    CUSTVENDNAME: String(customer.fields.NAME ?? ''),
    WHENDUE: input.due ? dateText(input.due) : '',
    PONUMBER: input.customerPoNumber ?? '',
    REFERENCENO: input.referenceNo ?? '',
    MESSAGE: input.message ?? '',
    EXTERNALID: input.externalId ?? '',
    CURRENCY: currency.currency,
    BASECURR: currency.base,
    EXCHANGE_RATE: String(currency.rate),
    PRRECORDKEY: '',
  });
  doc.fields.WHENCREATED = whenCreated;
  setEntries(doc, lines);
  ctx.store.edited(doc);
  conversion?.apply();
  if (def.createsInvoice) linkInvoice(ctx, doc, customer);
  return doc;
}

/** Creates the AR invoice of an invoice-type document and records it in PRRECORDKEY. */
export function linkInvoice(ctx: OpContext, doc: SimRecord, customer: SimRecord): void {
  const invoice = createArInvoice(ctx, {
    customer,
    whenCreated: String(doc.fields.WHENCREATED),
    whenDue: String(doc.fields.WHENDUE || doc.fields.WHENCREATED),
    recordId: String(doc.fields.DOCNO),
    description: String(doc.fields.MESSAGE ?? ''),
    currency: {
      currency: String(doc.fields.CURRENCY),
      base: String(doc.fields.BASECURR),
      rate: Number(doc.fields.EXCHANGE_RATE ?? 1),
    },
    moduleKey: '8.SO',
    soDocumentKey: String(doc.recordNo),
    lines: entriesOf(doc).map((l) => ({
      accountNo: '4000',
      amount: Number(l.TRX_VALUE),
      memo: String(l.MEMO ?? ''),
      locationId: String(l.LOCATIONID ?? ''),
      departmentId: String(l.DEPARTMENTID ?? ''),
      itemId: String(l.ITEMID ?? ''),
    })),
  });
  doc.fields.PRRECORDKEY = String(invoice.recordNo);
  ctx.store.edited(doc);
}

/** `create_sotransaction`, including conversion with `createdfrom`. */
export const createSoTransaction: Handler = (fn, ctx) => {
  const t = (name: string) => childText(fn, name);
  const doc = createSalesDocument(ctx, {
    type: t('transactiontype') ?? '',
    created: dateOf(child(fn, 'datecreated')),
    createdFrom: t('createdfrom'),
    customerId: t('customerid'),
    documentNo: t('documentno'),
    referenceNo: t('referenceno'),
    message: t('message'),
    customerPoNumber: t('customerponumber'),
    externalId: t('externalid'),
    state: t('state'),
    due: dateOf(child(fn, 'datedue')),
    currency: { currency: t('currency'), baseCurrency: t('basecurr'), exchangeRate: t('exchrate') },
    lines: childrenNamed(child(fn, 'sotransitems'), 'sotransitem').map(lineInput),
  });
  return { key: String(doc.fields.DOCID), transactions: 1 };
};

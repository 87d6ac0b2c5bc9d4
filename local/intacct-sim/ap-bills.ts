/**
 * AP bills: generic `create` of APBILL, legacy `create_bill`, and the bills a Vendor Invoice
 * purchasing document makes. Facts: reference §5.8 and DOCS-MD `accounts-payable-bills.md`
 * (fields, ACTION Submit/Draft, the required fields, STATE codes, MODULEKEY 3.AP / 9.PO).
 */
import { type DateParts, dateText, postingDate } from './ar-ap.ts';
import type { OpContext } from './context.ts';
import { type DocCurrency, documentCurrency } from './entities.ts';
import { businessError } from './errors.ts';
import type { Handler } from './handler.ts';
import { checkDimensions, checkOpenPeriod, findVisible, insert, linesOf, money } from './records.ts';
import { dateOf } from './sales-documents.ts';
import { intacctDate, parseIntacctDate, type SimRecord } from './store.ts';
import { child, childrenNamed, childText, type FieldMap } from './xml.ts';

/** An active, visible vendor, or the error Intacct gives. */
export function requireVendor(ctx: OpContext, vendorId: string | undefined): SimRecord {
  const vendor = vendorId ? findVisible(ctx, 'VENDOR', { id: vendorId }) : undefined;
  if (!vendor)
    throw businessError(`Invalid Vendor '${vendorId ?? ''}' specified.`, 'Use an existing vendor ID.');
  if (vendor.fields.STATUS === 'inactive')
    throw businessError(`Vendor '${vendorId}' is inactive.`, 'Activate the vendor or use another one.');
  return vendor;
}

/** Recomputes a vendor's TOTALDUE from its bills, without moving its WHENMODIFIED (a derived balance). */
export function recalcVendorDue(ctx: OpContext, vendorId: string): void {
  const vendor = ctx.store.findBy('VENDOR', 'VENDORID', vendorId);
  if (!vendor) return;
  const due = ctx.store
    .all('APBILL')
    .filter((b) => b.fields.VENDORID === vendorId && b.fields.STATE !== 'Draft')
    .reduce((sum, b) => sum + Number(b.fields.TOTALDUE ?? 0), 0);
  vendor.fields.TOTALDUE = money(due);
  ctx.store.edited(vendor);
}

/** A bill line in storage form; `amount` is in the bill's currency. */
export interface BillLine {
  accountNo: string;
  amount: number;
  memo?: string;
  locationId?: string;
  departmentId?: string;
  itemId?: string;
  projectId?: string;
  customerId?: string;
  classId?: string;
}

/** A bill to write, checked by the caller except for the posting period. */
export interface BillInput {
  vendor: SimRecord;
  whenCreated: string;
  whenPosted?: string;
  whenDue?: string;
  termName?: string;
  recordId?: string;
  docNumber?: string;
  description?: string;
  externalId?: string;
  draft?: boolean;
  onHold?: string;
  currency: DocCurrency;
  moduleKey: '3.AP' | '9.PO';
  lines: BillLine[];
  /** Fields stored as given (custom fields of a generic create). */
  extra?: FieldMap;
}

/**
 * Writes a bill: STATE 'Posted' (or 'Draft' with ACTION Draft, which posts nothing and skips the
 * period check), base amounts at the currency's rate, TRX_ amounts in the bill's currency, and
 * the vendor's TOTALDUE recalculated.
 */
export function createBill(ctx: OpContext, input: BillInput): SimRecord {
  const posted = input.whenPosted ?? input.whenCreated;
  if (!input.draft) checkOpenPeriod(ctx, posted, parseIntacctDate(posted));
  if (input.lines.length === 0) throw businessError('A bill needs at least one line.');
  const { currency, base, rate } = input.currency;
  const total = input.lines.reduce((s, l) => s + l.amount, 0);
  const inBase = (n: number) => money(n * rate);
  const vendorId = String(input.vendor.fields.VENDORID);
  const bill = insert(ctx, 'APBILL', {
    ...input.extra,
    RECORDID: input.recordId ?? '',
    VENDORID: vendorId,
    VENDORNAME: String(input.vendor.fields.NAME ?? ''),
    DOCNUMBER: input.docNumber ?? '',
    DESCRIPTION: input.description ?? '',
    TERMNAME: input.termName ?? String(input.vendor.fields.TERMNAME ?? ''),
    WHENPOSTED: posted,
    WHENDUE: input.whenDue ?? input.whenCreated,
    WHENPAID: '',
    ONHOLD: input.onHold ?? 'false',
    STATE: input.draft ? 'Draft' : 'Posted',
    CURRENCY: currency,
    BASECURR: base,
    EXCHANGE_RATE: String(rate),
    TOTALENTERED: inBase(total),
    TOTALPAID: '0.00',
    TOTALDUE: inBase(total),
    TRX_TOTALENTERED: money(total),
    TRX_TOTALPAID: '0.00',
    TRX_TOTALDUE: money(total),
    MODULEKEY: input.moduleKey,
    EXTERNALID: input.externalId ?? '',
  });
  bill.fields.WHENCREATED = input.whenCreated;
  bill.fields.APBILLITEMS = {
    apbillitem: input.lines.map((l, i) => ({
      RECORDNO: String(ctx.store.nextRecordNo('APBILLITEM')),
      RECORDKEY: String(bill.recordNo),
      LINE_NO: String(i + 1),
      ACCOUNTNO: l.accountNo,
      AMOUNT: inBase(l.amount),
      TRX_AMOUNT: money(l.amount),
      ENTRYDESCRIPTION: l.memo ?? '',
      LOCATIONID: l.locationId ?? '',
      DEPARTMENTID: l.departmentId ?? '',
      ITEMID: l.itemId ?? '',
      PROJECTID: l.projectId ?? '',
      CUSTOMERID: l.customerId ?? '',
      CLASSID: l.classId ?? '',
    })),
  };
  ctx.store.edited(bill);
  recalcVendorDue(ctx, vendorId);
  return bill;
}

const text = (fields: FieldMap, name: string): string | undefined => {
  const v = fields[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

function dateField(fields: FieldMap, name: string): string | undefined {
  const v = text(fields, name);
  if (v === undefined) return undefined;
  const ms = parseIntacctDate(v);
  if (!Number.isFinite(ms)) throw businessError(`${name} '${v}' is not a valid date.`, 'Use MM/DD/YYYY.');
  return intacctDate(ms);
}

const HEADER = new Set([
  'VENDORID',
  'WHENCREATED',
  'WHENPOSTED',
  'WHENDUE',
  'TERMNAME',
  'RECORDID',
  'DOCNUMBER',
  'DESCRIPTION',
  'ONHOLD',
  'ACTION',
  'CURRENCY',
  'BASECURR',
  'EXCHANGE_RATE',
  'EXCH_RATE_TYPE_ID',
  'EXCH_RATE_DATE',
  'APBILLITEMS',
]);

/**
 * Generic create of APBILL (and a user's bill): VENDORID, WHENCREATED, WHENDUE (all three
 * required unless ACTION is Draft, as the docs say), WHENPOSTED, RECORDID, DOCNUMBER,
 * DESCRIPTION, TERMNAME, ONHOLD, CURRENCY, BASECURR, EXCHANGE_RATE, and APBILLITEMS.APBILLITEM
 * lines (ACCOUNTNO, TRX_AMOUNT, ENTRYDESCRIPTION, LOCATIONID, DEPARTMENTID, ITEMID, PROJECTID,
 * CUSTOMERID, CLASSID). Other fields (custom fields) are stored as given.
 */
export function createApBill(ctx: OpContext, fields: FieldMap): SimRecord {
  const draft = text(fields, 'ACTION') === 'Draft';
  for (const name of draft ? [] : ['VENDORID', 'WHENCREATED', 'WHENDUE']) {
    if (!text(fields, name))
      throw businessError(`Required field ${name} is missing.`, `Provide ${name}, or ACTION Draft.`);
  }
  const items = fields.APBILLITEMS;
  const raw = items && typeof items === 'object' && !Array.isArray(items) ? linesOf(items.APBILLITEM) : [];
  if (raw.length === 0) throw businessError('Required field APBILLITEMS.APBILLITEM is missing.');
  checkDimensions(ctx, raw, false);
  const lines = raw.map((l, i): BillLine => {
    const s = (k: string) => (typeof l[k] === 'string' && l[k] !== '' ? (l[k] as string) : undefined);
    const amount = Number(s('TRX_AMOUNT') ?? s('AMOUNT'));
    const accountNo = s('ACCOUNTNO') ?? s('ACCOUNTLABEL');
    if (!Number.isFinite(amount) || !accountNo)
      throw businessError(`Line ${i + 1}: ACCOUNTNO and TRX_AMOUNT are required.`);
    return {
      accountNo,
      amount,
      memo: s('ENTRYDESCRIPTION'),
      locationId: s('LOCATIONID'),
      departmentId: s('DEPARTMENTID'),
      itemId: s('ITEMID'),
      projectId: s('PROJECTID'),
      customerId: s('CUSTOMERID'),
      classId: s('CLASSID'),
    };
  });
  const extra = Object.fromEntries(Object.entries(fields).filter(([k]) => !HEADER.has(k)));
  const created = dateField(fields, 'WHENCREATED') ?? intacctDate(ctx.now);
  return createBill(ctx, {
    vendor: requireVendor(ctx, text(fields, 'VENDORID')),
    whenCreated: created,
    whenPosted: dateField(fields, 'WHENPOSTED'),
    whenDue: dateField(fields, 'WHENDUE'),
    termName: text(fields, 'TERMNAME'),
    recordId: text(fields, 'RECORDID'),
    docNumber: text(fields, 'DOCNUMBER'),
    description: text(fields, 'DESCRIPTION'),
    draft,
    onHold: text(fields, 'ONHOLD'),
    currency: documentCurrency(ctx, {
      currency: text(fields, 'CURRENCY'),
      baseCurrency: text(fields, 'BASECURR'),
      exchangeRate: text(fields, 'EXCHANGE_RATE'),
    }),
    moduleKey: '3.AP',
    lines,
    extra,
  });
}

/** Legacy `create_bill`: `vendorid`, date blocks, `billno`, `ponumber`, `billitems/lineitem`; returns the RECORDNO as key. */
export const createBillHandler: Handler = (fn, ctx) => {
  const vendor = requireVendor(ctx, childText(fn, 'vendorid'));
  if (!child(fn, 'datedue') && !childText(fn, 'termname'))
    throw businessError('Either datedue or termname is required.');
  const created = dateText(dateOf(child(fn, 'datecreated')) as DateParts);
  const draft = childText(fn, 'action') === 'Draft';
  const posted = dateOf(child(fn, 'dateposted'));
  const due = dateOf(child(fn, 'datedue'));
  const nodes = childrenNamed(child(fn, 'billitems'), 'lineitem');
  checkDimensions(
    ctx,
    nodes.map((n) => Object.fromEntries(n.children.map((c) => [c.name, c.text]))),
    true,
  );
  const lines = nodes.map((n, i): BillLine => {
    const amount = Number(childText(n, 'amount'));
    const accountNo = childText(n, 'glaccountno') ?? childText(n, 'accountlabel');
    if (!accountNo) throw businessError(`Line ${i + 1}: glaccountno or accountlabel is required.`);
    if (!Number.isFinite(amount)) throw businessError(`Line ${i + 1}: amount must be a number.`);
    return {
      accountNo,
      amount,
      memo: childText(n, 'memo'),
      locationId: childText(n, 'locationid'),
      departmentId: childText(n, 'departmentid'),
      itemId: childText(n, 'itemid'),
      projectId: childText(n, 'projectid'),
      customerId: childText(n, 'customerid'),
      classId: childText(n, 'classid'),
    };
  });
  const bill = createBill(ctx, {
    vendor,
    whenCreated: created,
    whenPosted: posted ? (draft ? dateText(posted) : postingDate(ctx, posted)) : undefined,
    whenDue: due ? dateText(due) : undefined,
    termName: childText(fn, 'termname'),
    recordId: childText(fn, 'billno'),
    docNumber: childText(fn, 'ponumber'),
    description: childText(fn, 'description'),
    externalId: childText(fn, 'externalid'),
    draft,
    onHold: childText(fn, 'onhold'),
    currency: documentCurrency(ctx, {
      currency: childText(fn, 'currency'),
      baseCurrency: childText(fn, 'basecurr'),
      exchangeRate: childText(fn, 'exchrate'),
    }),
    moduleKey: '3.AP',
    lines,
  });
  return { key: String(bill.recordNo), transactions: 1 };
};

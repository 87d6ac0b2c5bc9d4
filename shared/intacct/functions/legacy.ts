import { ValidationError } from '#shared/errors.ts';
import type { XmlObject } from '../xml.ts';
import type { IntacctFunction, WriteOptions } from './types.ts';

/** A calendar date: `YYYY-MM-DD`, `MM/DD/YYYY` or a Date (its UTC day). */
export type DateInput = string | Date;

/** Legacy functions want dates split into year/month/day elements, in that order. */
export function splitDate(date: DateInput): { year: string; month: string; day: string } {
  if (date instanceof Date) {
    return {
      year: String(date.getUTCFullYear()),
      month: String(date.getUTCMonth() + 1).padStart(2, '0'),
      day: String(date.getUTCDate()).padStart(2, '0'),
    };
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (iso?.[1] && iso[2] && iso[3]) return { year: iso[1], month: iso[2], day: iso[3] };
  const us = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(date);
  if (us?.[1] && us[2] && us[3]) return { year: us[3], month: us[1], day: us[2] };
  throw new ValidationError(`not a date: '${date}' (use YYYY-MM-DD or MM/DD/YYYY)`);
}

const optDate = (d: DateInput | undefined) => (d === undefined ? undefined : splitDate(d));
const keyResult = (r: { key?: string }) => ({ key: r.key ?? '' });
const customFields = (fields: Record<string, string> | undefined): XmlObject | undefined =>
  fields && Object.keys(fields).length
    ? {
        customfield: Object.entries(fields).map(([name, value]) => ({
          customfieldname: name,
          customfieldvalue: value,
        })),
      }
    : undefined;

/** Currency block of legacy transactions, in schema order. */
export interface CurrencyInput {
  baseCurrency?: string;
  currency?: string;
  exchangeRateDate?: DateInput;
  exchangeRateType?: string;
  exchangeRate?: string;
}

function currencyBlock(c: CurrencyInput | undefined): XmlObject {
  if (!c) return {};
  return {
    basecurr: c.baseCurrency,
    currency: c.currency,
    exchratedate: optDate(c.exchangeRateDate),
    // an empty exchratetype picks the company's default rate type
    exchratetype:
      c.exchangeRate === undefined && c.currency !== undefined ? (c.exchangeRateType ?? null) : undefined,
    exchrate: c.exchangeRate,
  };
}

/** One sales transaction line. */
export interface SoLineInput {
  itemId: string;
  itemDescription?: string;
  warehouseId?: string;
  quantity: string;
  unit?: string;
  /** A discount percentage Intacct applies to the price. */
  discountPercent?: string;
  price?: string;
  locationId?: string;
  departmentId?: string;
  memo?: string;
  customFields?: Record<string, string>;
  revRecTemplate?: string;
  revRecStartDate?: DateInput;
  revRecEndDate?: DateInput;
  projectId?: string;
  classId?: string;
}

function soLine(l: Partial<SoLineInput>): XmlObject {
  return {
    itemid: l.itemId,
    itemdesc: l.itemDescription,
    warehouseid: l.warehouseId,
    quantity: l.quantity,
    unit: l.unit,
    discountpercent: l.discountPercent,
    price: l.price,
    locationid: l.locationId,
    departmentid: l.departmentId,
    memo: l.memo,
    customfields: customFields(l.customFields),
    revrectemplate: l.revRecTemplate,
    revrecstartdate: optDate(l.revRecStartDate),
    revrecenddate: optDate(l.revRecEndDate),
    projectid: l.projectId,
    classid: l.classId,
  };
}

/** Header and lines of `create_sotransaction`. */
export interface SoTransactionInput {
  transactionType: string;
  dateCreated: DateInput;
  customerId: string;
  datePosted?: DateInput;
  documentNo?: string;
  referenceNo?: string;
  termName?: string;
  dateDue?: DateInput;
  message?: string;
  shipToContactName?: string;
  billToContactName?: string;
  externalId?: string;
  currency?: CurrencyInput;
  customFields?: Record<string, string>;
  state?: string;
  projectId?: string;
  customerPoNumber?: string;
  lines: SoLineInput[];
}

/** `create_sotransaction` (strict XSD order); the key returned is the document ID, e.g. `Sales Order-SO0001`. */
export function createSoTransaction(
  input: SoTransactionInput,
  options: WriteOptions,
): IntacctFunction<{ key: string }> {
  if (input.lines.length === 0) throw new ValidationError('create_sotransaction needs at least one line');
  return {
    name: 'create_sotransaction',
    body: {
      transactiontype: input.transactionType,
      datecreated: splitDate(input.dateCreated),
      dateposted: optDate(input.datePosted),
      customerid: input.customerId,
      documentno: input.documentNo,
      referenceno: input.referenceNo,
      termname: input.termName,
      datedue: optDate(input.dateDue),
      message: input.message,
      shipto: input.shipToContactName ? { contactname: input.shipToContactName } : undefined,
      billto: input.billToContactName ? { contactname: input.billToContactName } : undefined,
      externalid: input.externalId,
      ...currencyBlock(input.currency),
      customfields: customFields(input.customFields),
      state: input.state,
      projectid: input.projectId,
      customerponumber: input.customerPoNumber,
      sotransitems: { sotransitem: input.lines.map(soLine) },
    },
    write: true,
    controlId: options.controlId,
    transactions: () => 1,
    parse: keyResult,
  };
}

/** Changes to an existing sales transaction; `updateLines` use 1-based line numbers. */
export interface SoTransactionUpdateInput {
  /** The DOCID (`Sales Order-SO0001`), or the document's EXTERNALID with `externalKey`. */
  key: string;
  externalKey?: boolean;
  dateCreated?: DateInput;
  referenceNo?: string;
  dateDue?: DateInput;
  message?: string;
  state?: string;
  customerPoNumber?: string;
  customFields?: Record<string, string>;
  updateLines?: Array<{ lineNum: number } & Partial<SoLineInput>>;
  addLines?: SoLineInput[];
}

/** `update_sotransaction key=…`; note Intacct recreates a linked AR invoice under a new RECORDNO. */
export function updateSoTransaction(
  input: SoTransactionUpdateInput,
  options: WriteOptions,
): IntacctFunction<{ key: string }> {
  const items: XmlObject = {};
  if (input.updateLines?.length) {
    items.updatesotransitem = input.updateLines.map(({ lineNum, ...line }) => ({
      '@_line_num': String(lineNum),
      ...soLine(line),
    }));
  }
  if (input.addLines?.length) items.sotransitem = input.addLines.map(soLine);
  return {
    name: 'update_sotransaction',
    body: {
      '@_key': input.key,
      '@_externalkey': input.externalKey ? 'true' : undefined,
      datecreated: optDate(input.dateCreated),
      referenceno: input.referenceNo,
      datedue: optDate(input.dateDue),
      message: input.message,
      customfields: customFields(input.customFields),
      state: input.state,
      customerponumber: input.customerPoNumber,
      updatesotransitems: Object.keys(items).length ? items : undefined,
    },
    write: true,
    controlId: options.controlId,
    transactions: () => 1,
    parse: (r) => ({ key: r.key ?? input.key }),
  };
}

/** One AR invoice or adjustment line (GL account or account label, amount, dimensions). */
export interface ArLineInput {
  glAccountNo?: string;
  accountLabel?: string;
  amount: string;
  memo?: string;
  locationId?: string;
  departmentId?: string;
  customFields?: Record<string, string>;
  revRecTemplate?: string;
  revRecStartDate?: DateInput;
  revRecEndDate?: DateInput;
  projectId?: string;
  customerId?: string;
  itemId?: string;
  classId?: string;
}

function arLine(l: ArLineInput): XmlObject {
  if (!l.glAccountNo && !l.accountLabel)
    throw new ValidationError('an AR line needs glAccountNo or accountLabel');
  return {
    glaccountno: l.glAccountNo,
    accountlabel: l.glAccountNo ? undefined : l.accountLabel,
    amount: l.amount,
    memo: l.memo,
    locationid: l.locationId,
    departmentid: l.departmentId,
    customfields: customFields(l.customFields),
    revrectemplate: l.revRecTemplate,
    revrecstartdate: optDate(l.revRecStartDate),
    revrecenddate: optDate(l.revRecEndDate),
    projectid: l.projectId,
    customerid: l.customerId,
    itemid: l.itemId,
    classid: l.classId,
  };
}

/** Header and lines of `create_invoice`; one of dateDue or termName is required. */
export interface InvoiceInput {
  customerId: string;
  dateCreated: DateInput;
  datePosted?: DateInput;
  dateDue?: DateInput;
  termName?: string;
  action?: 'Draft' | 'Submit';
  invoiceNo?: string;
  poNumber?: string;
  description?: string;
  externalId?: string;
  currency?: CurrencyInput;
  customFields?: Record<string, string>;
  lines: ArLineInput[];
}

/** `create_invoice` (strict order); returns the new invoice RECORDNO as key. */
export function createInvoice(input: InvoiceInput, options: WriteOptions): IntacctFunction<{ key: string }> {
  if (!input.dateDue && !input.termName)
    throw new ValidationError('create_invoice needs dateDue or termName');
  if (input.lines.length === 0) throw new ValidationError('create_invoice needs at least one line');
  return {
    name: 'create_invoice',
    body: {
      customerid: input.customerId,
      datecreated: splitDate(input.dateCreated),
      dateposted: optDate(input.datePosted),
      datedue: optDate(input.dateDue),
      termname: input.termName,
      action: input.action,
      invoiceno: input.invoiceNo,
      ponumber: input.poNumber,
      description: input.description,
      externalid: input.externalId,
      ...currencyBlock(input.currency),
      customfields: customFields(input.customFields),
      invoiceitems: { lineitem: input.lines.map(arLine) },
    },
    write: true,
    controlId: options.controlId,
    transactions: () => 1,
    parse: keyResult,
  };
}

/** Header and lines of `create_aradjustment`; negative amounts make a credit memo. */
export interface ArAdjustmentInput {
  customerId: string;
  dateCreated: DateInput;
  datePosted?: DateInput;
  adjustmentNo?: string;
  action?: 'Draft' | 'Submit';
  invoiceNo?: string;
  description?: string;
  externalId?: string;
  currency?: CurrencyInput;
  lines: ArLineInput[];
}

/** `create_aradjustment` (strict order); returns the adjustment RECORDNO as key. */
export function createArAdjustment(
  input: ArAdjustmentInput,
  options: WriteOptions,
): IntacctFunction<{ key: string }> {
  if (input.lines.length === 0) throw new ValidationError('create_aradjustment needs at least one line');
  return {
    name: 'create_aradjustment',
    body: {
      customerid: input.customerId,
      datecreated: splitDate(input.dateCreated),
      dateposted: optDate(input.datePosted),
      adjustmentno: input.adjustmentNo,
      action: input.action,
      invoiceno: input.invoiceNo,
      description: input.description,
      externalid: input.externalId,
      ...currencyBlock(input.currency),
      aradjustmentitems: { lineitem: input.lines.map(arLine) },
    },
    write: true,
    controlId: options.controlId,
    transactions: () => 1,
    parse: keyResult,
  };
}

/** Legacy `delete_customer customerid=…`. */
export function deleteCustomer(customerId: string, options: WriteOptions): IntacctFunction<void> {
  return {
    name: 'delete_customer',
    body: { '@_customerid': customerId },
    write: true,
    controlId: options.controlId,
    transactions: () => 1,
    parse: () => undefined,
  };
}

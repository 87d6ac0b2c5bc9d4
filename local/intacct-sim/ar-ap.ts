import type { OpContext } from './context.ts';
import type { DocCurrency } from './entities.ts';
import { businessError } from './errors.ts';
import { checkOpenPeriod, findVisible, insert, money } from './records.ts';
import { intacctDate, parseIntacctDate, type SimRecord } from './store.ts';

/** Looks up an active, visible customer or fails the way Intacct does. */
export function requireCustomer(ctx: OpContext, customerId: string | undefined): SimRecord {
  const customer = customerId ? findVisible(ctx, 'CUSTOMER', { id: customerId }) : undefined;
  if (!customer)
    throw businessError(`Invalid Customer '${customerId ?? ''}' specified.`, 'Use an existing customer ID.');
  if (customer.fields.STATUS === 'inactive') {
    throw businessError(`Customer '${customerId}' is inactive.`, 'Activate the customer or use another one.');
  }
  return customer;
}

/**
 * Recomputes a customer's TOTALDUE from its open invoices and adjustments. The customer's
 * WHENMODIFIED stays: the balance is derived, not an edit of the customer [unverified].
 */
export function recalcCustomerDue(ctx: OpContext, customerId: string): void {
  const customer = ctx.store.findBy('CUSTOMER', 'CUSTOMERID', customerId);
  if (!customer) return;
  const due = [...ctx.store.all('ARINVOICE'), ...ctx.store.all('ARADJUSTMENT')]
    .filter((r) => r.fields.CUSTOMERID === customerId)
    .reduce((sum, r) => sum + Number(r.fields.TOTALDUE ?? 0), 0);
  customer.fields.TOTALDUE = money(due);
  ctx.store.edited(customer);
}

/** An AR invoice line in storage form. */
export interface ArLine {
  accountNo: string;
  amount: number;
  memo?: string;
  locationId?: string;
  departmentId?: string;
  itemId?: string;
}

/** Creates an ARINVOICE (from create_invoice or an OE invoice-type document). */
export function createArInvoice(
  ctx: OpContext,
  input: {
    customer: SimRecord;
    whenCreated: string;
    /** GL posting date; default whenCreated. */
    whenPosted?: string;
    whenDue?: string;
    termName?: string;
    recordId?: string;
    description?: string;
    externalId?: string;
    /** Lines are in `currency.currency`; un-prefixed amounts are converted to the base. Default USD. */
    currency?: DocCurrency;
    moduleKey: '4.AR' | '8.SO';
    soDocumentKey?: string;
    lines: ArLine[];
  },
): SimRecord {
  const total = input.lines.reduce((s, l) => s + l.amount, 0);
  const cur = input.currency ?? { currency: 'USD', base: 'USD', rate: 1 };
  const base = (n: number) => money(n * cur.rate);
  const customerId = String(input.customer.fields.CUSTOMERID);
  const invoice = insert(ctx, 'ARINVOICE', {
    RECORDID: input.recordId ?? '',
    STATE: 'Posted',
    CUSTOMERID: customerId,
    CUSTOMERNAME: String(input.customer.fields.NAME ?? ''),
    TERMNAME: input.termName ?? '',
    WHENPOSTED: input.whenPosted ?? input.whenCreated,
    WHENDUE: input.whenDue ?? input.whenCreated,
    WHENPAID: '',
    DESCRIPTION: input.description ?? '',
    EXTERNALID: input.externalId ?? '',
    CURRENCY: cur.currency,
    BASECURR: cur.base,
    EXCHANGE_RATE: String(cur.rate),
    TOTALENTERED: base(total),
    TOTALPAID: '0.00',
    TOTALDUE: base(total),
    TRX_TOTALENTERED: money(total),
    TRX_TOTALPAID: '0.00',
    TRX_TOTALDUE: money(total),
    MODULEKEY: input.moduleKey,
    SODOCUMENTKEY: input.soDocumentKey ?? '',
    ARINVOICEITEMS: {
      arinvoiceitem: input.lines.map((l, i) => ({
        LINE_NO: String(i),
        ACCOUNTNO: l.accountNo,
        AMOUNT: base(l.amount),
        TRX_AMOUNT: money(l.amount),
        MEMO: l.memo ?? '',
        LOCATIONID: l.locationId ?? '',
        DEPARTMENTID: l.departmentId ?? '',
        ITEMID: l.itemId ?? '',
      })),
    },
  });
  invoice.fields.WHENCREATED = input.whenCreated;
  input.customer.fields.LAST_INVOICEDATE = input.whenCreated;
  ctx.store.edited(invoice);
  ctx.store.edited(input.customer);
  recalcCustomerDue(ctx, customerId);
  return invoice;
}

/** A legacy year/month/day block. */
export interface DateParts {
  year: string;
  month: string;
  day: string;
}

/** `MM/DD/YYYY` of a legacy date block, or the "Date is not valid" error. */
export function dateText(date: DateParts | undefined): string {
  const ms = date ? Date.UTC(Number(date.year), Number(date.month) - 1, Number(date.day)) : Number.NaN;
  if (!date || !Number.isFinite(ms) || !/^\d{4}$/.test(date.year)) {
    const shown = date ? `${date.month}/${date.day}/${date.year}` : '';
    throw businessError(`The Date '${shown}' is not valid.`, undefined, 'BL03000113');
  }
  return intacctDate(ms);
}

/** The posting date of a legacy date block, checked against the closed period. */
export function postingDate(ctx: OpContext, date: DateParts | undefined): string {
  const text = dateText(date);
  checkOpenPeriod(ctx, text, parseIntacctDate(text));
  return text;
}

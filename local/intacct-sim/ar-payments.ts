import { applyCredit, creditLeft } from './ar-adjustments.ts';
import { recalcCustomerDue, requireCustomer } from './ar-ap.ts';
import type { OpContext } from './context.ts';
import { businessError } from './errors.ts';
import { checkOpenPeriod, findVisible, insert, linesOf, money, requireFields, touch } from './records.ts';
import { parseIntacctDate, type SimRecord } from './store.ts';
import type { FieldMap } from './xml.ts';

const PAYMENT_METHODS = [
  'Printed Check',
  'Cash',
  'EFT',
  'Credit Card',
  'Online Charge Card',
  'Online ACH Debit',
];

/** One ARPYMTDETAIL line, checked: cash and credit in the invoice's currency. */
interface Application {
  line: FieldMap;
  invoice: SimRecord;
  cash: number;
  credit: number;
  memo?: SimRecord;
}

const trxDue = (r: SimRecord) => Number(r.fields.TRX_TOTALDUE ?? r.fields.TOTALDUE);

function amountOf(line: FieldMap, field: string, n: number): number | undefined {
  const value = line[field];
  if (value === undefined || value === '') return undefined;
  const amount = Number(value);
  if (!Number.isFinite(amount) || amount < 0)
    throw businessError(`Line ${n}: ${field} '${String(value)}' must be a positive amount.`);
  return amount;
}

/** The credit memo a line's ADJUSTMENTKEY names: the customer's, with credit left, in the invoice's currency. */
function creditMemoOf(ctx: OpContext, customer: SimRecord, invoice: SimRecord, key: string, n: number) {
  const memo = findVisible(ctx, 'ARADJUSTMENT', { recordNo: key });
  if (!memo || memo.fields.CUSTOMERID !== customer.fields.CUSTOMERID)
    throw businessError(`Line ${n}: ADJUSTMENTKEY ${key} is not an AR adjustment of this customer.`);
  if (creditLeft(memo) <= 0.005)
    throw businessError(
      `Line ${n}: AR adjustment ${key} is not a credit memo with credit left to apply.`,
      'Apply a credit memo (negative adjustment) that is not fully applied yet.',
    );
  if (memo.fields.CURRENCY !== invoice.fields.CURRENCY)
    throw businessError(
      `Line ${n}: credit memo ${key} is in ${String(memo.fields.CURRENCY)}, invoice ${String(invoice.recordNo)} in ${String(invoice.fields.CURRENCY)}.`,
      'Apply a credit memo in the currency of the invoice.',
    );
  return memo;
}

/**
 * Checks every line before anything is written. Amounts left are tracked across lines, so two
 * lines on one invoice or one credit memo cannot together take more than it has. A credit line
 * needs TRX_ADJUSTMENTAMOUNT (the simulator does not guess how much credit to take [unverified]).
 */
function planApplications(ctx: OpContext, customer: SimRecord, lines: FieldMap[]): Application[] {
  const dueLeft = new Map<SimRecord, number>();
  const creditsLeft = new Map<SimRecord, number>();
  return lines.map((line, i) => {
    const n = i + 1;
    const invoice = findVisible(ctx, 'ARINVOICE', { recordNo: String(line.RECORDKEY ?? '') });
    if (!invoice || invoice.fields.CUSTOMERID !== customer.fields.CUSTOMERID) {
      throw businessError(
        `Line ${n}: invoice ${String(line.RECORDKEY ?? '')} is not an open invoice of this customer.`,
      );
    }
    // TRX_ amounts are in the invoice's currency, so they are held against its TRX_ amount due
    const due = dueLeft.get(invoice) ?? trxDue(invoice);
    const key = typeof line.ADJUSTMENTKEY === 'string' && line.ADJUSTMENTKEY !== '' ? line.ADJUSTMENTKEY : '';
    const memo = key ? creditMemoOf(ctx, customer, invoice, key, n) : undefined;
    let credit = 0;
    if (memo) {
      const given = amountOf(line, 'TRX_ADJUSTMENTAMOUNT', n);
      if (given === undefined)
        throw businessError(`Line ${n}: TRX_ADJUSTMENTAMOUNT is required with ADJUSTMENTKEY.`);
      const left = creditsLeft.get(memo) ?? creditLeft(memo);
      if (given > left + 0.005)
        throw businessError(
          `Line ${n}: credit ${money(given)} exceeds the ${money(left)} left on credit memo ${key}.`,
          'Apply at most the credit the memo has left.',
        );
      creditsLeft.set(memo, left - given);
      credit = given;
    }
    const cash = amountOf(line, 'TRX_PAYMENTAMOUNT', n) ?? (memo ? 0 : due);
    if (due <= 0.005) throw businessError(`Line ${n}: invoice ${String(invoice.recordNo)} has nothing due.`);
    if (!(cash + credit > 0))
      throw businessError(
        `Line ${n}: nothing to apply.`,
        'Give TRX_PAYMENTAMOUNT, or ADJUSTMENTKEY with TRX_ADJUSTMENTAMOUNT, above 0.',
      );
    if (cash + credit > due + 0.005) {
      const what = memo
        ? `payment ${money(cash)} plus credit ${money(credit)}`
        : `payment amount ${String(line.TRX_PAYMENTAMOUNT)}`;
      throw businessError(
        `Line ${n}: ${what} exceeds the amount due ${money(due)} on invoice ${String(invoice.recordNo)}.`,
      );
    }
    dueLeft.set(invoice, due - cash - credit);
    return { line, invoice, cash, credit, ...(memo ? { memo } : {}) };
  });
}

/**
 * Pays `amount` (invoice currency) of an invoice. WHENPAID becomes the receipt date of the latest
 * payment, partial or full [unverified: Intacct may set it only once the invoice is paid].
 */
function applyToInvoice(invoice: SimRecord, amount: number, receipt: string): void {
  const rate = Number(invoice.fields.EXCHANGE_RATE ?? 1);
  const paid = Number(invoice.fields.TRX_TOTALPAID ?? invoice.fields.TOTALPAID) + amount;
  const due = Number(invoice.fields.TRX_TOTALENTERED ?? invoice.fields.TOTALENTERED) - paid;
  const settled = due <= 0.005;
  // base amounts at the invoice's rate; a settled invoice owes nothing in either currency
  invoice.fields.TOTALPAID = money(settled ? Number(invoice.fields.TOTALENTERED) : paid * rate);
  invoice.fields.TRX_TOTALPAID = money(paid);
  invoice.fields.TOTALDUE = money(settled ? 0 : due * rate);
  invoice.fields.TRX_TOTALDUE = money(due);
  invoice.fields.STATE = settled ? 'Paid' : 'Partially Paid';
  invoice.fields.WHENPAID = receipt;
}

/** The stored ARPYMTDETAIL row of one application (base amounts at the invoice's rate). */
function detailRow(payment: SimRecord, receipt: string, a: Application): FieldMap {
  const rate = Number(a.invoice.fields.EXCHANGE_RATE ?? 1);
  const row: FieldMap = {
    PAYMENTKEY: String(payment.recordNo),
    RECORDKEY: String(a.invoice.recordNo),
    PAYMENTDATE: receipt,
    CURRENCY: String(a.invoice.fields.CURRENCY ?? 'USD'),
    TRX_PAYMENTAMOUNT: money(a.cash),
    PAYMENTAMOUNT: money(a.cash * rate),
  };
  if (typeof a.line.ENTRYKEY === 'string') row.ENTRYKEY = a.line.ENTRYKEY;
  if (a.memo) {
    row.ADJUSTMENTKEY = String(a.memo.recordNo);
    row.TRX_ADJUSTMENTAMOUNT = money(a.credit);
    row.ADJUSTMENTAMOUNT = money(a.credit * rate);
  }
  return row;
}

/**
 * Generic create of ARPYMT (and a user's payment): applies cash and credit memos to invoices and
 * writes one ARPYMTDETAIL row per detail line. The documented required fields (PAYMENTMETHOD,
 * RECEIPTDATE, one bank or undeposited account or batch) stay required when every line only
 * applies credit, since the docs make no exception for it [unverified]; such a payment totals 0.
 * The invoices' and memos' WHENMODIFIED move only with the paymentTouchesInvoice setting (whether
 * Intacct's do is [unverified], reference §2.4); the customer's TOTALDUE is recalculated without
 * moving the customer's WHENMODIFIED (a derived balance, not an edit of the customer).
 */
export function createArPayment(ctx: OpContext, fields: FieldMap): SimRecord {
  requireFields('AR Payment', fields, [
    'PAYMENTMETHOD',
    'RECEIPTDATE',
    'CUSTOMERID',
    'ARPYMTDETAILS.ARPYMTDETAIL',
  ]);
  const method = String(fields.PAYMENTMETHOD);
  if (!PAYMENT_METHODS.includes(method)) {
    throw businessError(`Invalid payment method '${method}'.`, `Use one of: ${PAYMENT_METHODS.join(', ')}.`);
  }
  const accounts = ['FINANCIALENTITY', 'UNDEPOSITEDACCOUNTNO', 'PRBATCH'].filter((k) => fields[k]);
  if (accounts.length !== 1) {
    throw businessError('Provide exactly one of FINANCIALENTITY, UNDEPOSITEDACCOUNTNO or PRBATCH.');
  }
  const customer = requireCustomer(ctx, String(fields.CUSTOMERID));
  const receipt = String(fields.RECEIPTDATE);
  checkOpenPeriod(ctx, receipt, parseIntacctDate(receipt));
  const details = fields.ARPYMTDETAILS as FieldMap;
  const applications = planApplications(ctx, customer, linesOf(details.ARPYMTDETAIL));
  const touches = ctx.settings.paymentTouchesInvoice === true;
  for (const a of applications) {
    applyToInvoice(a.invoice, a.cash + a.credit, receipt);
    ctx.store.edited(a.invoice);
    if (touches) touch(ctx, a.invoice, false);
    if (a.memo) {
      applyCredit(a.memo, a.credit);
      ctx.store.edited(a.memo);
      if (touches) touch(ctx, a.memo, false);
    }
  }
  const total = applications.reduce((s, a) => s + a.cash, 0);
  const payment = insert(ctx, 'ARPYMT', {
    ...fields,
    STATE: 'Complete',
    CURRENCY: String(fields.CURRENCY ?? 'USD'),
    TOTALENTERED: money(total),
    TOTALPAID: money(total),
    WHENPAID: receipt,
  });
  for (const a of applications) insert(ctx, 'ARPYMTDETAIL', detailRow(payment, receipt, a));
  recalcCustomerDue(ctx, String(customer.fields.CUSTOMERID));
  return payment;
}

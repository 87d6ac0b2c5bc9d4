/**
 * AP payments: generic `create` of APPYMT (the SDK's ApPaymentCreate) paying bills through
 * APPYMTDETAILS/APPYMTDETAIL lines (RECORDKEY, ENTRYKEY, TRX_PAYMENTAMOUNT). Facts: DOCS-MD
 * `accounts-payable-ap-payments.md` (fields, payment methods, STATE codes). Simplifications
 * [unverified]: the payment is Posted at once unless ACTION is Draft (Intacct may hold it as
 * Submitted/Approved until confirmed), and applying it updates the bill at once; credits,
 * discounts and advances are not supported; line-level application is not tracked.
 */
import { recalcVendorDue, requireVendor } from './ap-bills.ts';
import type { OpContext } from './context.ts';
import { businessError } from './errors.ts';
import { checkOpenPeriod, findVisible, insert, linesOf, money, requireFields, touch } from './records.ts';
import { intacctDate, parseIntacctDate, type SimRecord } from './store.ts';
import type { FieldMap } from './xml.ts';

const PAYMENT_METHODS = [
  'Printed Check',
  'Joint Check',
  'Cash',
  'EFT',
  'Credit Card',
  'ACH',
  'Check Delivery',
  'WF Check',
  'WF Domestic ACH',
  'WF USD Wire',
];

const UNSUPPORTED = [
  'CREDITTOAPPLY',
  'DISCOUNTTOAPPLY',
  'DISCOUNTDATE',
  'ADJUSTMENTKEY',
  'ADVANCEKEY',
  'POSADJKEY',
];

/** Applies `amount` (bill currency) to a bill: totals, STATE Paid / Partially Paid, WHENPAID. */
function payBill(bill: SimRecord, amount: number, paidOn: string): void {
  const rate = Number(bill.fields.EXCHANGE_RATE ?? 1);
  const paid = Number(bill.fields.TRX_TOTALPAID) + amount;
  const due = Number(bill.fields.TRX_TOTALENTERED) - paid;
  const settled = due <= 0.005;
  bill.fields.TRX_TOTALPAID = money(paid);
  bill.fields.TRX_TOTALDUE = money(due);
  bill.fields.TOTALPAID = money(settled ? Number(bill.fields.TOTALENTERED) : paid * rate);
  bill.fields.TOTALDUE = money(settled ? 0 : due * rate);
  bill.fields.STATE = settled ? 'Paid' : 'Partially Paid';
  bill.fields.WHENPAID = paidOn;
}

/**
 * Creates an APPYMT: PAYMENTMETHOD, FINANCIALENTITY, VENDORID, PAYMENTDATE (MM/DD/YYYY, in an
 * open period) and APPYMTDETAILS.APPYMTDETAIL lines naming the vendor's posted bills by RECORDKEY,
 * TRX_PAYMENTAMOUNT defaulting to what is due. Every line is checked before anything is written.
 * Each bill paid gets an APPYMTDETAIL row, its totals and STATE, and WHENMODIFIED moved unless the
 * paymentTouchesBill setting is false; the vendor's TOTALDUE is recalculated.
 */
export function createApPayment(ctx: OpContext, fields: FieldMap): SimRecord {
  requireFields('AP Payment', fields, [
    'PAYMENTMETHOD',
    'FINANCIALENTITY',
    'VENDORID',
    'PAYMENTDATE',
    'APPYMTDETAILS.APPYMTDETAIL',
  ]);
  const method = String(fields.PAYMENTMETHOD);
  if (!PAYMENT_METHODS.includes(method))
    throw businessError(`Invalid payment method '${method}'.`, `Use one of: ${PAYMENT_METHODS.join(', ')}.`);
  const vendor = requireVendor(ctx, String(fields.VENDORID));
  const ms = parseIntacctDate(String(fields.PAYMENTDATE));
  if (!Number.isFinite(ms))
    throw businessError(`PAYMENTDATE '${String(fields.PAYMENTDATE)}' is not a valid date.`);
  const paidOn = intacctDate(ms);
  checkOpenPeriod(ctx, paidOn, ms);
  const draft = fields.ACTION === 'Draft';
  const dueLeft = new Map<SimRecord, number>();
  const lines = linesOf((fields.APPYMTDETAILS as FieldMap).APPYMTDETAIL).map((line, i) => {
    const n = i + 1;
    const unsupported = UNSUPPORTED.find((k) => line[k] !== undefined && line[k] !== '');
    if (unsupported) throw businessError(`Line ${n}: ${unsupported} is not supported by the simulator.`);
    const key = String(line.RECORDKEY ?? '');
    const bill = findVisible(ctx, 'APBILL', { recordNo: key });
    if (!bill || bill.fields.VENDORID !== vendor.fields.VENDORID || bill.fields.STATE === 'Draft')
      throw businessError(
        `Line ${n}: bill ${key} is not a posted bill of vendor ${String(vendor.fields.VENDORID)}.`,
      );
    const due = dueLeft.get(bill) ?? Number(bill.fields.TRX_TOTALDUE);
    const given = line.TRX_PAYMENTAMOUNT;
    const amount = given === undefined || given === '' ? due : Number(given);
    if (!(amount > 0)) throw businessError(`Line ${n}: TRX_PAYMENTAMOUNT must be a positive amount.`);
    if (amount > due + 0.005)
      throw businessError(
        `Line ${n}: payment ${money(amount)} exceeds the amount due ${money(due)} on bill ${key}.`,
      );
    dueLeft.set(bill, due - amount);
    return { line, bill, amount };
  });
  const total = lines.reduce((s, l) => s + l.amount, 0);
  const payment = insert(ctx, 'APPYMT', {
    ...fields,
    PAYMENTDATE: paidOn,
    STATE: draft ? 'Draft' : 'Posted',
    CURRENCY: String(fields.CURRENCY ?? lines[0]?.bill.fields.CURRENCY ?? 'USD'),
    TOTALENTERED: money(total),
    TOTALPAID: money(draft ? 0 : total),
  });
  if (draft) return payment;
  const touches = ctx.settings.paymentTouchesBill !== false;
  for (const { line, bill, amount } of lines) {
    payBill(bill, amount, paidOn);
    ctx.store.edited(bill);
    if (touches) touch(ctx, bill, false);
    insert(ctx, 'APPYMTDETAIL', {
      PAYMENTKEY: String(payment.recordNo),
      RECORDKEY: String(bill.recordNo),
      ...(typeof line.ENTRYKEY === 'string' ? { ENTRYKEY: line.ENTRYKEY } : {}),
      PAYMENTDATE: paidOn,
      CURRENCY: String(bill.fields.CURRENCY ?? 'USD'),
      TRX_PAYMENTAMOUNT: money(amount),
      PAYMENTAMOUNT: money(amount * Number(bill.fields.EXCHANGE_RATE ?? 1)),
    });
  }
  recalcVendorDue(ctx, String(vendor.fields.VENDORID));
  return payment;
}

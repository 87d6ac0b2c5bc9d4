import { type ArLine, recalcCustomerDue } from './ar-ap.ts';
import type { OpContext } from './context.ts';
import type { DocCurrency } from './entities.ts';
import { insert, money } from './records.ts';
import type { SimRecord } from './store.ts';

/**
 * Creates an ARADJUSTMENT (from create_aradjustment or a user): the sign of the total decides the
 * type, negative = credit memo. Amounts as on ARINVOICE: TRX_ in the memo's currency, the others
 * in the base currency; TOTALDUE = TOTALENTERED − TOTALPAID, so a credit memo's are negative.
 */
export function createArAdjustment(
  ctx: OpContext,
  input: {
    customer: SimRecord;
    /** The adjustment date; default whenPosted. */
    whenCreated?: string;
    whenPosted: string;
    recordId?: string;
    description?: string;
    invoiceNo?: string;
    externalId?: string;
    currency: DocCurrency;
    lines: ArLine[];
  },
): SimRecord {
  const total = input.lines.reduce((s, l) => s + l.amount, 0);
  const base = (n: number) => money(n * input.currency.rate);
  const customerId = String(input.customer.fields.CUSTOMERID);
  const adj = insert(ctx, 'ARADJUSTMENT', {
    RECORDID: input.recordId ?? '',
    STATE: 'Posted',
    CUSTOMERID: customerId,
    CUSTOMERNAME: String(input.customer.fields.NAME ?? ''),
    ADJUSTMENTTYPE: total < 0 ? 'Credit Memo' : 'Debit Memo',
    DESCRIPTION: input.description ?? '',
    INVOICENO: input.invoiceNo ?? '',
    EXTERNALID: input.externalId ?? '',
    WHENPOSTED: input.whenPosted,
    CURRENCY: input.currency.currency,
    BASECURR: input.currency.base,
    EXCHANGE_RATE: String(input.currency.rate),
    TOTALENTERED: base(total),
    TOTALPAID: '0.00',
    TOTALDUE: base(total),
    TRX_TOTALENTERED: money(total),
    TRX_TOTALPAID: '0.00',
    TRX_TOTALDUE: money(total),
    ARADJUSTMENTITEMS: {
      aradjustmentitem: input.lines.map((l, i) => ({
        LINE_NO: String(i),
        ACCOUNTNO: l.accountNo,
        AMOUNT: base(l.amount),
        TRX_AMOUNT: money(l.amount),
        MEMO: l.memo ?? '',
        LOCATIONID: l.locationId ?? '',
        DEPARTMENTID: l.departmentId ?? '',
      })),
    },
  });
  adj.fields.WHENCREATED = input.whenCreated ?? input.whenPosted;
  ctx.store.edited(adj);
  recalcCustomerDue(ctx, customerId);
  return adj;
}

/** Credit a credit memo still has to apply, in its own currency (positive; 0 for a debit memo). */
export function creditLeft(adj: SimRecord): number {
  return Math.max(0, -Number(adj.fields.TRX_TOTALDUE ?? adj.fields.TOTALDUE ?? 0));
}

/**
 * Applies `amount` (memo currency) of a credit memo: TOTALPAID moves by −amount, so TOTALDUE
 * rises toward 0. The STATE values are those of ARINVOICE ('Partially Paid', 'Paid'), as both are
 * the same kind of AR record with one state list [unverified for ARADJUSTMENT].
 */
export function applyCredit(adj: SimRecord, amount: number): void {
  const rate = Number(adj.fields.EXCHANGE_RATE ?? 1);
  const entered = Number(adj.fields.TRX_TOTALENTERED ?? adj.fields.TOTALENTERED);
  const paid = Number(adj.fields.TRX_TOTALPAID ?? adj.fields.TOTALPAID ?? 0) - amount;
  const due = entered - paid;
  const settled = due >= -0.005;
  adj.fields.TRX_TOTALPAID = money(settled ? entered : paid);
  adj.fields.TRX_TOTALDUE = money(settled ? 0 : due);
  adj.fields.TOTALPAID = money(settled ? Number(adj.fields.TOTALENTERED) : paid * rate);
  adj.fields.TOTALDUE = money(settled ? 0 : due * rate);
  adj.fields.STATE = settled ? 'Paid' : 'Partially Paid';
}

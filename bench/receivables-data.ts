/**
 * Receivables bench data, entered in the Intacct simulator as an AR clerk would (no API
 * transactions counted): invoices per synced customer, one tenth of the customers with an invoice
 * 45 days overdue, then one payment per invoice — half of every fourth invoice, the rest in full.
 */
import type { Simulators } from './stack.ts';

export interface InvoiceSeed {
  recordNo: string;
  customerId: string;
  amount: number;
  overdue: boolean;
}

export interface PaymentSeed {
  recordNo: string;
  invoice: InvoiceSeed;
  amount: number;
}

/** A day in Intacct's MM/DD/YYYY, `offsetDays` from today (the simulator's company runs on UTC). */
export const intacctDay = (offsetDays = 0): string => {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`;
};

/** `count` invoices, `perCustomer` to a customer in turn, amounts 100–990 in steps of 10. */
export function createInvoices(
  sims: Simulators,
  customerIds: readonly string[],
  count: number,
  perCustomer: number,
  onCreated?: (done: number) => void,
): InvoiceSeed[] {
  const out: InvoiceSeed[] = [];
  for (let i = 0; i < count; i++) {
    const c = Math.floor(i / perCustomer) % customerIds.length;
    const customerId = customerIds[c] as string;
    const overdue = i % perCustomer === 0 && c % 10 === 0;
    const amount = 100 + ((i * 37) % 90) * 10;
    const row = sims.intacct.userCreate('ARINVOICE', {
      CUSTOMERID: customerId,
      WHENCREATED: intacctDay(overdue ? -75 : 0),
      WHENDUE: intacctDay(overdue ? -45 : 30),
      RECORDID: `INV-${String(i + 1).padStart(6, '0')}`,
      CURRENCY: 'USD',
      TOTALENTERED: String(amount),
    });
    out.push({ recordNo: String(row.RECORDNO), customerId, amount, overdue });
    onCreated?.(i + 1);
  }
  return out;
}

/** One payment per invoice: half of every fourth one (never an overdue one), the rest in full. */
export function createPayments(
  sims: Simulators,
  invoices: readonly InvoiceSeed[],
  onCreated?: (done: number) => void,
): PaymentSeed[] {
  return invoices.map((invoice, i) => {
    const amount = i % 4 === 3 && !invoice.overdue ? invoice.amount / 2 : invoice.amount;
    const row = sims.intacct.userCreate('ARPYMT', {
      PAYMENTMETHOD: 'EFT',
      RECEIPTDATE: intacctDay(),
      CUSTOMERID: invoice.customerId,
      UNDEPOSITEDACCOUNTNO: '1000',
      CURRENCY: 'USD',
      ARPYMTDETAILS: { ARPYMTDETAIL: [{ RECORDKEY: invoice.recordNo, TRX_PAYMENTAMOUNT: String(amount) }] },
    });
    onCreated?.(i + 1);
    return { recordNo: String(row.RECORDNO), invoice, amount };
  });
}

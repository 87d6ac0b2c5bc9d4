/**
 * The demo company's receivables, so `npm start` shows balances on Accounts: Acme has an invoice
 * part paid and one past due, Globex one paid in full and a credit memo left open. Dated in the
 * open periods (the demo closes everything before the first of last month).
 */
import { createArPayment } from './ar-payments.ts';
import type { OpContext } from './context.ts';
import { intacctDate } from './store.ts';
import { userArAdjustment, userArInvoice } from './user-ar.ts';

export function seedReceivables(top: OpContext): void {
  const today = new Date(top.now);
  const firstOfLastMonth = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1);
  const day = (n: number) => intacctDate(firstOfLastMonth + n * 86_400_000);
  const invoice = (customer: string, number: string, created: number, due: number, amount: string) =>
    userArInvoice(top, {
      CUSTOMERID: customer,
      RECORDID: number,
      WHENCREATED: day(created),
      WHENDUE: day(due),
      CURRENCY: 'USD',
      TOTALENTERED: amount,
    });
  const pay = (customer: string, invoiceNo: number, amount: string, on: number) =>
    createArPayment(top, {
      PAYMENTMETHOD: 'EFT',
      RECEIPTDATE: day(on),
      CUSTOMERID: customer,
      UNDEPOSITEDACCOUNTNO: '1000',
      CURRENCY: 'USD',
      DOCNUMBER: `EFT-${invoiceNo}`,
      ARPYMTDETAILS: { ARPYMTDETAIL: [{ RECORDKEY: String(invoiceNo), TRX_PAYMENTAMOUNT: amount }] },
    });
  const partPaid = invoice('C-1001', 'INV-1001', 2, 32, '4800.00');
  pay('C-1001', partPaid.recordNo, '1800.00', 5);
  invoice('C-1001', 'INV-1002', 1, 3, '950.00');
  const paid = invoice('C-1002', 'INV-1003', 4, 34, '12000.00');
  pay('C-1002', paid.recordNo, '12000.00', 6);
  userArAdjustment(top, {
    CUSTOMERID: 'C-1002',
    RECORDID: 'CM-1001',
    WHENCREATED: day(7),
    CURRENCY: 'USD',
    TOTALENTERED: '-250.00',
  });
}

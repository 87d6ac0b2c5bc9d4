/**
 * The naive baseline for receivables: what the "new AR invoice / new AR payment" recipes of a
 * typical iPaaS do, one record at a time, one call per step. Invoice: read it (the trigger's
 * record), look the Account up by customer ID, upsert the invoice alone. Payment: read it and its
 * detail line, look the invoice up, upsert the payment, then re-read the invoice and update its
 * figures, and re-read the customer's total due and update the Account's balance. The project's
 * own clients with batching off, as many lanes as the Intacct cap allows.
 */
import { readByQuery } from '#shared/intacct/index.ts';
import { TRANSFORMS } from '#shared/sync/transforms.ts';
import { naiveClients, quote } from './naive-clients.ts';
import type { Simulators } from './stack.ts';

type Row = Record<string, unknown>;

const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));
const day = (v: unknown) => TRANSFORMS.date.toSalesforce(v === undefined || v === '' ? null : String(v));

function check(r: { success: boolean; errors: Array<{ message: string }> } | undefined, what: string) {
  if (r?.success !== true) throw new Error(`${what} failed: ${r?.errors[0]?.message}`);
}

export function makeNaiveReceivables(sims: Simulators, lanes: number) {
  const { salesforce, intacct } = naiveClients(sims, lanes);
  const readOne = async (object: string, fields: string[], field: string, value: string) =>
    (await intacct.execute(readByQuery({ object, fields, query: `${field} = ${quote(value)}`, pagesize: 1 })))
      .rows[0] as Row | undefined;
  const readInvoice = (recordNo: string) =>
    readOne(
      'ARINVOICE',
      [
        'RECORDNO',
        'RECORDID',
        'CUSTOMERID',
        'STATE',
        'TRX_TOTALENTERED',
        'TRX_TOTALPAID',
        'TRX_TOTALDUE',
        'WHENDUE',
        'WHENPAID',
        'CURRENCY',
      ],
      'RECORDNO',
      recordNo,
    );
  const invoiceFigures = (inv: Row) => ({
    State__c: inv.STATE,
    Paid__c: num(inv.TRX_TOTALPAID),
    Due__c: num(inv.TRX_TOTALDUE),
    Last_Payment_Date__c: day(inv.WHENPAID),
  });
  return {
    async invoiceToSalesforce(recordNo: string): Promise<void> {
      const inv = await readInvoice(recordNo);
      if (inv === undefined) return;
      const [account] = await salesforce.query(
        `SELECT Id FROM Account WHERE Intacct_Customer_Id__c = ${quote(String(inv.CUSTOMERID))}`,
      );
      if (account === undefined) throw new Error(`no Account for customer ${inv.CUSTOMERID}`);
      const [r] = await salesforce.upsert('Intacct_Invoice__c', 'Intacct_Invoice_Key__c', [
        {
          Intacct_Invoice_Key__c: `AR-${recordNo}`,
          Name: inv.RECORDID,
          Invoice_Number__c: inv.RECORDID,
          Account__c: account.Id,
          Total__c: num(inv.TRX_TOTALENTERED),
          Due_Date__c: day(inv.WHENDUE),
          Intacct_Currency__c: inv.CURRENCY,
          ...invoiceFigures(inv),
        },
      ]);
      check(r, `upsert of invoice ${recordNo}`);
    },
    async paymentToSalesforce(recordNo: string): Promise<void> {
      const pay = await readOne(
        'ARPYMT',
        ['RECORDNO', 'CUSTOMERID', 'TOTALENTERED', 'RECEIPTDATE', 'PAYMENTMETHOD', 'STATE'],
        'RECORDNO',
        recordNo,
      );
      if (pay === undefined) return;
      const detail = await readOne('ARPYMTDETAIL', ['RECORDKEY', 'PAYMENTKEY'], 'PAYMENTKEY', recordNo);
      const invoiceNo = String(detail?.RECORDKEY ?? '');
      const [invoice] = await salesforce.query(
        `SELECT Id, Account__c FROM Intacct_Invoice__c WHERE Intacct_Invoice_Key__c = ${quote(`AR-${invoiceNo}`)}`,
      );
      if (invoice === undefined) throw new Error(`invoice ${invoiceNo} not in Salesforce`);
      const [p] = await salesforce.upsert('Intacct_Payment__c', 'Intacct_Payment_Key__c', [
        {
          Intacct_Payment_Key__c: `PY-${recordNo}`,
          Name: `PY-${recordNo}`,
          Account__c: invoice.Account__c,
          Invoice__c: invoice.Id,
          Amount__c: num(pay.TOTALENTERED),
          Payment_Date__c: day(pay.RECEIPTDATE),
          Method__c: pay.PAYMENTMETHOD,
          State__c: pay.STATE,
        },
      ]);
      check(p, `upsert of payment ${recordNo}`);
      const inv = await readInvoice(invoiceNo);
      if (inv === undefined) throw new Error(`invoice ${invoiceNo} not in Intacct`);
      const [u] = await salesforce.update('Intacct_Invoice__c', [{ Id: invoice.Id, ...invoiceFigures(inv) }]);
      check(u, `update of invoice ${invoiceNo}`);
      const customer = await readOne(
        'CUSTOMER',
        ['CUSTOMERID', 'TOTALDUE'],
        'CUSTOMERID',
        String(pay.CUSTOMERID),
      );
      const [a] = await salesforce.update('Account', [
        {
          Id: invoice.Account__c,
          Intacct_Balance_Due__c: num(customer?.TOTALDUE),
          Intacct_Last_Payment_Date__c: day(pay.RECEIPTDATE),
        },
      ]);
      check(a, `update of the Account of ${pay.CUSTOMERID}`);
    },
  };
}

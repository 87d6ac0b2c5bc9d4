/**
 * The end state of the receivables bench, counted rather than asserted (a bench reports a wrong
 * result instead of stopping on it): each invoice and payment present once in Salesforce with the
 * figures Intacct has, and each Account's roll-ups equal to the sums over its invoices in Intacct.
 */
import type { PaymentSeed } from './receivables-data.ts';
import type { Simulators } from './stack.ts';

type Row = Record<string, unknown>;

const money = (v: unknown) => Math.round(Number(v ?? 0) * 100);
const today = () => new Date().toISOString().slice(0, 10);

/** Intacct's `MM/DD/YYYY` as `YYYY-MM-DD`. */
const isoDay = (v: unknown) => {
  const s = String(v ?? '');
  return `${s.slice(6, 10)}-${s.slice(0, 2)}-${s.slice(3, 5)}`;
};

function byKey(rows: Row[], field: string): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const r of rows) {
    const k = String(r[field] ?? '');
    out.set(k, [...(out.get(k) ?? []), r]);
  }
  return out;
}

/** Invoices and Account roll-ups, against Intacct's ARINVOICE rows of the bench's customers. */
export function checkInvoices(
  sims: Simulators,
  accountOf: ReadonlyMap<string, string>,
  invoiceRecordNos: readonly string[],
): Record<string, number> {
  const wanted = new Set(invoiceRecordNos);
  const intacct = sims.intacct.records('ARINVOICE').filter((r) => wanted.has(String(r.RECORDNO)));
  const sf = byKey(sims.salesforce.records('Intacct_Invoice__c'), 'Intacct_Invoice_Key__c');
  let missing = 0;
  let duplicates = 0;
  let fieldMismatches = 0;
  const due = new Map<string, number>();
  const overdue = new Map<string, number>();
  for (const inv of intacct) {
    const customer = String(inv.CUSTOMERID);
    const owed = money(inv.TRX_TOTALDUE);
    due.set(customer, (due.get(customer) ?? 0) + owed);
    if (owed !== 0 && isoDay(inv.WHENDUE) < today())
      overdue.set(customer, (overdue.get(customer) ?? 0) + owed);
    const found = sf.get(`AR-${String(inv.RECORDNO)}`) ?? [];
    if (found.length === 0) missing++;
    duplicates += Math.max(0, found.length - 1);
    const [r] = found;
    if (
      r !== undefined &&
      (money(r.Due__c) !== owed ||
        money(r.Total__c) !== money(inv.TRX_TOTALENTERED) ||
        money(r.Paid__c) !== money(inv.TRX_TOTALPAID) ||
        r.State__c !== inv.STATE ||
        r.Account__c !== accountOf.get(customer))
    )
      fieldMismatches++;
  }
  const accounts = new Map(sims.salesforce.records('Account').map((a) => [String(a.Id), a]));
  let balanceMismatches = 0;
  let overdueMismatches = 0;
  let customerTotalMismatches = 0;
  for (const [customer, accountId] of accountOf) {
    const a = accounts.get(accountId);
    if (money(a?.Intacct_Balance_Due__c) !== (due.get(customer) ?? 0)) balanceMismatches++;
    if (money(a?.Intacct_Overdue_Amount__c) !== (overdue.get(customer) ?? 0)) overdueMismatches++;
    if (money(sims.intacct.record('CUSTOMER', customer)?.TOTALDUE) !== (due.get(customer) ?? 0))
      customerTotalMismatches++;
  }
  const statuses = [...accountOf.values()].map((id) => String(accounts.get(id)?.Intacct_Credit_Status__c));
  return {
    invoicesInIntacct: intacct.length,
    invoicesInSalesforce: intacct.length - missing,
    invoicesMissing: missing,
    invoiceDuplicates: duplicates,
    invoiceFieldMismatches: fieldMismatches,
    accounts: accountOf.size,
    accountBalanceMismatches: balanceMismatches,
    accountOverdueMismatches: overdueMismatches,
    intacctCustomerTotalMismatches: customerTotalMismatches,
    accountsOverdue: statuses.filter((s) => s === 'Overdue').length,
    accountsOk: statuses.filter((s) => s === 'OK').length,
  };
}

/** Payments: once each, with their amount, Account and invoice. */
export function checkPayments(
  sims: Simulators,
  accountOf: ReadonlyMap<string, string>,
  payments: readonly PaymentSeed[],
): Record<string, number> {
  const sf = byKey(sims.salesforce.records('Intacct_Payment__c'), 'Intacct_Payment_Key__c');
  const invoices = new Map(
    sims.salesforce.records('Intacct_Invoice__c').map((r) => [String(r.Intacct_Invoice_Key__c), r.Id]),
  );
  let missing = 0;
  let duplicates = 0;
  let fieldMismatches = 0;
  for (const p of payments) {
    const found = sf.get(`PY-${p.recordNo}`) ?? [];
    if (found.length === 0) missing++;
    duplicates += Math.max(0, found.length - 1);
    const [r] = found;
    if (
      r !== undefined &&
      (money(r.Amount__c) !== money(p.amount) ||
        r.Account__c !== accountOf.get(p.invoice.customerId) ||
        r.Invoice__c !== invoices.get(`AR-${p.invoice.recordNo}`))
    )
      fieldMismatches++;
  }
  return {
    paymentsInSalesforce: payments.length - missing,
    paymentsMissing: missing,
    paymentDuplicates: duplicates,
    paymentFieldMismatches: fieldMismatches,
  };
}

/** Salesforce calls by kind: SOQL (query, queryMore), DML (writes, collections or single), other. */
export function salesforceKinds(byRoute: Record<string, number>): {
  soql: number;
  dml: number;
  other: number;
} {
  let soql = 0;
  let dml = 0;
  let other = 0;
  for (const [route, n] of Object.entries(byRoute)) {
    if (route === 'query' || route === 'queryMore') soql += n;
    else if (/^(collections\.)?(create|update|upsert|delete)$/.test(route)) dml += n;
    else other += n;
  }
  return { soql, dml, other };
}

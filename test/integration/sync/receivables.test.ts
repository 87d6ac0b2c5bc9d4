/**
 * Receivables back in Salesforce (issue 13), on the local pipeline: invoices converted from synced
 * sales orders and entered directly, payments in parts, credit memos applied, and the roll-ups on
 * the Opportunity and the Account at each step. Payments move the invoice without moving its
 * WHENMODIFIED here (the simulator's default, the unverified hard case): the ARPYMTDETAIL rows
 * are what the poll sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import {
  documentConfig,
  documentsOf,
  quietPoll,
  quietRedrive,
  startDocumentStack,
  wonOpportunity,
} from '../../helpers/documents.ts';
import { failuresOf } from '../../helpers/products.ts';
import { intacctToday, one, pay, recordsOf } from '../../helpers/receivables.ts';

type Row = Record<string, unknown>;

let stack: LocalStack;

beforeAll(async () => {
  stack = await startDocumentStack(documentConfig(), [{ id: 'WIDGET', name: 'Widget', price: 100 }]);
}, 90_000);
afterAll(() => stack?.stop());

const invoiceRecords = (where: (r: Row) => boolean) => recordsOf(stack, 'Intacct_Invoice__c', where);

/** A customer synced from a new Salesforce account; answers both IDs. */
async function syncedCustomer(name: string): Promise<{ accountId: string; customerId: string }> {
  const accountId = stack.salesforce.asUser.create('Account', { Name: name });
  await quietPoll(stack, 'salesforce-delta');
  const customerId = String(one(stack, 'Account', accountId).Intacct_Customer_Id__c ?? '');
  expect(customerId).not.toBe('');
  return { accountId, customerId };
}

describe('receivables in Salesforce', () => {
  it('an invoice converted from a synced order, paid in two parts: Partially Paid, then Paid with balance 0, totals right at each step', async () => {
    const { opportunityId, accountId } = wonOpportunity(stack, {
      lines: [{ product: 'WIDGET', quantity: 10, price: 100 }],
    });
    await quietPoll(stack, 'salesforce-delta');
    const [order] = documentsOf(stack, opportunityId);
    expect(order).toBeDefined();
    const converted = stack.intacct.userConvert(String(order?.DOCID));
    const arKey = String(converted.PRRECORDKEY);
    const ar = stack.intacct.record('ARINVOICE', arKey) as Row;
    const customerId = String(ar.CUSTOMERID);
    const entity = String(ar.MEGAENTITYID ?? '') || undefined;
    await quietPoll(stack, 'intacct-delta');

    const [invoice] = invoiceRecords((r) => r.Opportunity__c === opportunityId);
    expect(invoice).toMatchObject({
      Account__c: accountId,
      Intacct_Invoice_Key__c: String(converted.DOCID),
      State__c: 'Posted',
      Total__c: 1000,
      Due__c: 1000,
    });
    expect(one(stack, 'Opportunity', opportunityId)).toMatchObject({
      Intacct_Invoice_Status__c: 'Posted',
      Intacct_Balance_Due__c: 1000,
    });
    expect(one(stack, 'Account', accountId)).toMatchObject({ Intacct_Balance_Due__c: 1000 });

    pay(stack, customerId, [{ invoice: arKey, amount: 600 }], entity);
    await quietPoll(stack, 'intacct-delta');
    expect(one(stack, 'Intacct_Invoice__c', String(invoice?.Id))).toMatchObject({
      State__c: 'Partially Paid',
      Paid__c: 600,
      Due__c: 400,
    });
    expect(one(stack, 'Opportunity', opportunityId)).toMatchObject({
      Intacct_Invoice_Status__c: 'Partially Paid',
      Intacct_Balance_Due__c: 400,
    });
    const today = new Date().toISOString().slice(0, 10);
    expect(one(stack, 'Account', accountId)).toMatchObject({
      Intacct_Balance_Due__c: 400,
      Intacct_Last_Payment_Date__c: today,
    });

    pay(stack, customerId, [{ invoice: arKey, amount: 400 }], entity);
    await quietPoll(stack, 'intacct-delta', 'intacct-delta');
    expect(one(stack, 'Intacct_Invoice__c', String(invoice?.Id))).toMatchObject({
      State__c: 'Paid',
      Due__c: 0,
    });
    expect(one(stack, 'Opportunity', opportunityId)).toMatchObject({
      Intacct_Invoice_Status__c: 'Paid',
      Intacct_Balance_Due__c: 0,
    });
    expect(one(stack, 'Account', accountId)).toMatchObject({ Intacct_Balance_Due__c: 0 });
    const payments = recordsOf(stack, 'Intacct_Payment__c', (p) => p.Account__c === accountId);
    expect(payments.map((p) => p.Amount__c).sort()).toEqual([400, 600]);
    expect(payments.every((p) => p.Invoice__c === invoice?.Id)).toBe(true);
    // One invoice record throughout: the polls that re-read it updated the same one.
    expect(invoiceRecords((r) => r.Account__c === accountId)).toHaveLength(1);
  }, 120_000);

  it('an invoice entered directly in Intacct for a synced customer lands on its Account', async () => {
    const { accountId, customerId } = await syncedCustomer('Direct Billing Ltd');
    const ar = stack.intacct.userCreate('ARINVOICE', {
      CUSTOMERID: customerId,
      WHENCREATED: intacctToday(),
      WHENDUE: intacctToday(30),
      RECORDID: 'INV-D-1',
      CURRENCY: 'USD',
      TOTALENTERED: '250',
    });
    await quietPoll(stack, 'intacct-delta');
    const [invoice] = invoiceRecords((r) => r.Account__c === accountId);
    expect(invoice).toMatchObject({
      Intacct_Invoice_Key__c: `AR-${String(ar.RECORDNO)}`,
      Invoice_Number__c: 'INV-D-1',
      Due__c: 250,
      Opportunity__c: null,
    });
    expect(one(stack, 'Account', accountId)).toMatchObject({
      Intacct_Balance_Due__c: 250,
      Intacct_Overdue_Amount__c: 0,
    });
  }, 60_000);

  it('a credit memo lands on the Account; applied to an invoice, the invoice balance and the memo follow', async () => {
    const { accountId, customerId } = await syncedCustomer('Credit Corp');
    const ar = stack.intacct.userCreate('ARINVOICE', {
      CUSTOMERID: customerId,
      WHENCREATED: intacctToday(-40),
      WHENDUE: intacctToday(-10),
      RECORDID: 'INV-C-1',
      CURRENCY: 'USD',
      TOTALENTERED: '500',
    });
    const memo = stack.intacct.userCreate('ARADJUSTMENT', {
      CUSTOMERID: customerId,
      WHENCREATED: intacctToday(),
      RECORDID: 'CM-1',
      CURRENCY: 'USD',
      TOTALENTERED: '-120',
    });
    await quietPoll(stack, 'intacct-delta');
    const [credit] = recordsOf(stack, 'Intacct_Credit_Memo__c', (c) => c.Account__c === accountId);
    expect(credit).toMatchObject({
      Amount__c: 120,
      Intacct_Credit_Memo_Key__c: `CM-${String(memo.RECORDNO)}`,
    });
    // Overdue: due ten days ago, nothing paid.
    expect(one(stack, 'Account', accountId)).toMatchObject({
      Intacct_Balance_Due__c: 500,
      Intacct_Overdue_Amount__c: 500,
    });

    pay(stack, customerId, [
      { invoice: String(ar.RECORDNO), credit: { memo: String(memo.RECORDNO), amount: 120 } },
    ]);
    await quietPoll(stack, 'intacct-delta');
    const [invoice] = invoiceRecords((r) => r.Account__c === accountId);
    expect(invoice).toMatchObject({ Due__c: 380, State__c: 'Partially Paid' });
    expect(one(stack, 'Intacct_Credit_Memo__c', String(credit?.Id))).toMatchObject({
      Applied__c: 120,
      Invoices__c: 'INV-C-1',
    });
    expect(one(stack, 'Account', accountId)).toMatchObject({
      Intacct_Balance_Due__c: 380,
      Intacct_Overdue_Amount__c: 380,
    });
    // A credit application is not a payment of money: no payment record.
    expect(recordsOf(stack, 'Intacct_Payment__c', (p) => p.Account__c === accountId)).toEqual([]);
  }, 60_000);

  it('an Account that refuses its roll-up fails those invoices with the reason, and a redrive after the fix rolls it up', async () => {
    const { accountId, customerId } = await syncedCustomer('Locked Fields Inc');
    stack.salesforce.setFaults({ readOnlyFields: ['Account.Intacct_Balance_Due__c'] });
    const ar = stack.intacct.userCreate('ARINVOICE', {
      CUSTOMERID: customerId,
      WHENCREATED: intacctToday(),
      WHENDUE: intacctToday(30),
      RECORDID: 'INV-R-1',
      CURRENCY: 'USD',
      TOTALENTERED: '90',
    });
    await quietPoll(stack, 'intacct-delta');
    // The invoice itself is there; its Account's figures are not, and the failure says why.
    expect(invoiceRecords((r) => r.Account__c === accountId)).toHaveLength(1);
    expect(one(stack, 'Account', accountId).Intacct_Balance_Due__c ?? null).toBeNull();
    const [failure] = await failuresOf(stack, 'ar-invoices', String(ar.RECORDNO));
    expect(failure?.message).toMatch(/Account .* refused its roll-up/);
    expect(failure?.hint ?? '').not.toBe('');

    stack.salesforce.setFaults({ readOnlyFields: [] });
    expect(await quietRedrive(stack)).toBeGreaterThanOrEqual(1);
    expect(one(stack, 'Account', accountId).Intacct_Balance_Due__c).toBe(90);
    const after = await failuresOf(stack, 'ar-invoices', String(ar.RECORDNO));
    expect(after.map((f) => f.state)).toEqual(['resolved']);
  }, 60_000);
});

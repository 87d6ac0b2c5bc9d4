/**
 * Receivables when Intacct replaces an invoice (issue 13): deals billed straight to Sales
 * Invoices, corrected in Intacct after billing, so Intacct deletes the AR invoice and makes a new one with a new
 * RECORDNO. The Salesforce invoice is keyed on the sales document, so it stays one record and
 * follows. Here payments do move the invoice's WHENMODIFIED (the other possibility of reference
 * §2.4); and duplicate deliveries of one invoice at once leave one record and right roll-ups.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { IntacctClient } from '#shared/intacct/index.ts';
import {
  documentConfig,
  documentsOf,
  quietPoll,
  startDocumentStack,
  wonOpportunity,
} from '../../helpers/documents.ts';
import { one, pay, recordsOf, replayIntacct } from '../../helpers/receivables.ts';

let stack: LocalStack;

const config = documentConfig((flow) => {
  const order = flow('opportunity-order');
  order.target = { function: 'create_sotransaction', transactionType: 'Sales Invoice' };
  order.afterCreate = 'update';
});

beforeAll(async () => {
  stack = await startDocumentStack(config, [{ id: 'SEAT', name: 'Seat', price: 100 }]);
  stack.intacct.setSettings({ paymentTouchesInvoice: true });
}, 90_000);
afterAll(() => stack?.stop());

describe('receivables when Intacct replaces an invoice', () => {
  it('an edited Sales Invoice gets a new AR record number; Salesforce keeps one invoice record and follows it', async () => {
    const { opportunityId, accountId } = wonOpportunity(stack, {
      lines: [{ product: 'SEAT', quantity: 5, price: 100 }],
    });
    await quietPoll(stack, 'salesforce-delta', 'intacct-delta');
    const [doc] = documentsOf(stack, opportunityId);
    const firstAr = String(doc?.PRRECORDKEY);
    const [invoice] = recordsOf(stack, 'Intacct_Invoice__c', (r) => r.Opportunity__c === opportunityId);
    expect(invoice).toMatchObject({
      Intacct_Invoice_Key__c: String(doc?.DOCID),
      Total__c: 500,
      Account__c: accountId,
    });

    // The billing team corrects the quantity in Intacct (our document flow leaves a closed invoice alone).
    await new IntacctClient({
      credentials: { ...stack.intacct.readyInfo(), entityId: String(doc?.MEGAENTITYID ?? '') || undefined },
      sleep: async () => {},
    }).execute({
      name: 'update_sotransaction',
      body: {
        '@_key': String(doc?.DOCID),
        updatesotransitems: { updatesotransitem: { '@_line_num': '1', quantity: '8' } },
      },
      write: true,
      controlId: 'billing-fix-1',
      transactions: () => 1,
      parse: () => ({}),
    });
    const [edited] = documentsOf(stack, opportunityId);
    const secondAr = String(edited?.PRRECORDKEY);
    expect(secondAr).not.toBe(firstAr);
    expect(stack.intacct.record('ARINVOICE', firstAr)).toBeUndefined();

    await quietPoll(stack, 'intacct-delta');
    const invoices = recordsOf(stack, 'Intacct_Invoice__c', (r) => r.Opportunity__c === opportunityId);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ Id: invoice?.Id, Total__c: 800, Due__c: 800 });
    expect(one(stack, 'Opportunity', opportunityId)).toMatchObject({ Intacct_Balance_Due__c: 800 });
    expect(one(stack, 'Account', accountId)).toMatchObject({ Intacct_Balance_Due__c: 800 });

    const ar = stack.intacct.record('ARINVOICE', secondAr) as Record<string, unknown>;
    pay(
      stack,
      String(ar.CUSTOMERID),
      [{ invoice: secondAr, amount: 800 }],
      String(ar.MEGAENTITYID ?? '') || undefined,
    );
    await quietPoll(stack, 'intacct-delta');
    expect(one(stack, 'Intacct_Invoice__c', String(invoice?.Id))).toMatchObject({
      State__c: 'Paid',
      Due__c: 0,
    });
    expect(one(stack, 'Opportunity', opportunityId)).toMatchObject({
      Intacct_Invoice_Status__c: 'Paid',
      Intacct_Balance_Due__c: 0,
    });
    expect(one(stack, 'Account', accountId)).toMatchObject({ Intacct_Balance_Due__c: 0 });
  }, 120_000);

  it('duplicate deliveries of invoices of one account at once: one record each, roll-ups right', async () => {
    // Three deals on one account, so their roll-ups meet on it.
    const accountId = stack.salesforce.asUser.create('Account', { Name: 'Three Deals Co' });
    const deals = [1, 2, 3].map(() =>
      wonOpportunity(stack, { accountId, lines: [{ product: 'SEAT', quantity: 2, price: 100 }] }),
    );
    await quietPoll(stack, 'salesforce-delta', 'intacct-delta');
    const keys = deals.map((d) => String(documentsOf(stack, d.opportunityId)[0]?.PRRECORDKEY));
    await Promise.all(keys.map((k) => replayIntacct(stack, 'ar-invoices', k, 5)));
    const invoices = recordsOf(stack, 'Intacct_Invoice__c', (r) => r.Account__c === accountId);
    expect(invoices).toHaveLength(3);
    expect(one(stack, 'Account', accountId)).toMatchObject({ Intacct_Balance_Due__c: 600 });
  }, 120_000);
});

/**
 * Payables in Salesforce (the optional flows, switched on here): a vendor becomes an Account
 * marked Vendor, its bills and purchase orders land linked to it, a bill paid in parts follows
 * its state, paid and due — whether or not paying moves the bill's WHENMODIFIED (the simulator's
 * `paymentTouchesBill`, unverified in the real product: `poll.also` on APPYMTDETAIL covers both).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { documentConfig, quietPoll, quietRedrive, startDocumentStack } from '../../helpers/documents.ts';
import { failuresOf } from '../../helpers/products.ts';
import { intacctToday, one, recordsOf } from '../../helpers/receivables.ts';

type Row = Record<string, unknown>;

let stack: LocalStack;

beforeAll(async () => {
  const config = documentConfig((flow) => {
    for (const name of ['vendor-account', 'ap-bills', 'ap-purchase-orders']) flow(name).enabled = true;
  });
  stack = await startDocumentStack(config, [{ id: 'WIDGET', name: 'Widget', price: 100 }]);
}, 90_000);
afterAll(() => stack?.stop());

/** Salesforce's date of an Intacct MM/DD/YYYY date. */
const isoOf = (intacct: string) => {
  const [m, d, y] = intacct.split('/');
  return `${y}-${m}-${d}`;
};

function vendor(id: string, name: string): void {
  stack.intacct.userCreate('VENDOR', {
    VENDORID: id,
    NAME: name,
    DISPLAYCONTACT: {
      PRINTAS: name,
      PHONE1: '+1 555 0100',
      EMAIL1: `AP@${id.toLowerCase()}.example`,
      URL1: `https://${id.toLowerCase()}.example`,
    },
  });
}

function bill(vendorId: string, number: string): Row {
  return stack.intacct.userCreate('APBILL', {
    VENDORID: vendorId,
    WHENCREATED: intacctToday(-5),
    WHENDUE: intacctToday(25),
    RECORDID: number,
    DOCNUMBER: `REF-${number}`,
    CURRENCY: 'USD',
    APBILLITEMS: {
      APBILLITEM: [
        { ACCOUNTNO: '6000', TRX_AMOUNT: '120', ENTRYDESCRIPTION: 'Office' },
        { ACCOUNTNO: '6100', TRX_AMOUNT: '40.5', ENTRYDESCRIPTION: 'Travel' },
      ],
    },
  });
}

function payBill(vendorId: string, billKey: string, amount: number): void {
  stack.intacct.userCreate('APPYMT', {
    PAYMENTMETHOD: 'EFT',
    FINANCIALENTITY: 'BOA',
    VENDORID: vendorId,
    PAYMENTDATE: intacctToday(),
    APPYMTDETAILS: { APPYMTDETAIL: [{ RECORDKEY: billKey, TRX_PAYMENTAMOUNT: String(amount) }] },
  });
}

const vendorAccount = (id: string) => recordsOf(stack, 'Account', (a) => a.Intacct_Vendor_Id__c === id);
const billRecord = (key: string) => recordsOf(stack, 'Intacct_Bill__c', (b) => b.Intacct_Bill_Key__c === key);

describe('payables in Salesforce', () => {
  it('a vendor, its bill and its purchase order reach Salesforce, linked, every field written; the customer flow leaves the vendor account alone', async () => {
    vendor('V-ACME', 'Acme Supplies');
    const b = bill('V-ACME', 'BILL-1');
    const po = stack.intacct.userCreate('PODOCUMENT', {
      VENDORID: 'V-ACME',
      WHENCREATED: intacctToday(-2),
      WHENDUE: intacctToday(12),
      PODOCUMENTENTRIES: { podocumententry: [{ ITEMID: 'WIDGET', QUANTITY: '2', PRICE: '100' }] },
    });
    await quietPoll(stack, 'intacct-delta');

    const [account] = vendorAccount('V-ACME');
    expect(account).toMatchObject({
      Name: 'Acme Supplies',
      Type: 'Vendor',
      Phone: '+1 555 0100',
      Website: 'https://v-acme.example',
      Intacct_Vendor_Email__c: 'ap@v-acme.example',
      Intacct_Customer_Id__c: null,
    });
    const accountId = String(account?.Id);
    expect(billRecord(`AP-${String(b.RECORDNO)}`)).toEqual([
      expect.objectContaining({
        Name: 'BILL-1',
        Bill_Number__c: 'BILL-1',
        Reference_Number__c: 'REF-BILL-1',
        State__c: 'Posted',
        Bill_Date__c: isoOf(intacctToday(-5)),
        Due_Date__c: isoOf(intacctToday(25)),
        Paid_Date__c: null,
        Total__c: 160.5,
        Paid__c: 0,
        Due__c: 160.5,
        Intacct_Currency__c: 'USD',
        Lines__c: '2 lines: 6000 Office 120.00; 6100 Travel 40.50',
        Vendor_Account__c: accountId,
      }),
    ]);
    expect(recordsOf(stack, 'Intacct_Purchase_Order__c', (p) => p.Intacct_PO_Key__c === po.DOCID)).toEqual([
      expect.objectContaining({
        Name: String(po.DOCNO),
        PO_Number__c: String(po.DOCNO),
        Document_Type__c: 'Purchase Order',
        State__c: 'Pending',
        PO_Date__c: isoOf(intacctToday(-2)),
        Due_Date__c: isoOf(intacctToday(12)),
        Total__c: 200,
        Intacct_Currency__c: 'USD',
        Lines__c: '1 line: WIDGET 2 200.00',
        Vendor_Account__c: accountId,
      }),
    ]);

    // The Salesforce poll of account-customer filters vendor accounts out: no customer is made.
    await quietPoll(stack, 'salesforce-delta');
    expect(stack.intacct.records('CUSTOMER').filter((c) => c.NAME === 'Acme Supplies')).toEqual([]);
    expect(one(stack, 'Account', accountId).Intacct_Customer_Id__c ?? null).toBeNull();
  }, 60_000);

  it("a user's edit of a vendor account sends no Account outbound message (the Account flow's start filter); a customer account's edit does", async () => {
    vendor('V-EDIT', 'Edit Supplies');
    await quietPoll(stack, 'intacct-delta');
    const [account] = vendorAccount('V-EDIT');
    const sent = () => stack.salesforce.outbound.stats().enqueued;
    const before = sent();
    stack.salesforce.asUser.update('Account', String(account?.Id), { Description: 'edited by a user' });
    expect(sent()).toBe(before);
    stack.salesforce.asUser.create('Account', { Name: 'A customer' });
    expect(sent()).toBe(before + 1);
  });

  for (const touches of [true, false])
    it(`a bill paid in part, then in full, follows with state, paid, due and paid date (paying ${touches ? 'moves' : 'does not move'} its WHENMODIFIED)`, async () => {
      stack.intacct.setSettings({ paymentTouchesBill: touches });
      const id = touches ? 'V-PAID-T' : 'V-PAID-F';
      vendor(id, `Paid Vendor ${touches ? 'T' : 'F'}`);
      const b = bill(id, `BILL-${id}`);
      const key = String(b.RECORDNO);
      await quietPoll(stack, 'intacct-delta');
      const modified = stack.intacct.record('APBILL', key)?.WHENMODIFIED;

      payBill(id, key, 100);
      await quietPoll(stack, 'intacct-delta');
      // Not moved, only the detail rows show the payment. (Moved cannot be told apart from "same
      // second" here: the simulator's timestamps have whole seconds.)
      if (!touches) expect(stack.intacct.record('APBILL', key)?.WHENMODIFIED).toBe(modified);
      expect(billRecord(`AP-${key}`)).toEqual([
        expect.objectContaining({
          State__c: 'Partially Paid',
          Paid__c: 100,
          Due__c: 60.5,
          Paid_Date__c: isoOf(intacctToday()),
        }),
      ]);

      payBill(id, key, 60.5);
      await quietPoll(stack, 'intacct-delta');
      expect(billRecord(`AP-${key}`)).toEqual([
        expect.objectContaining({ State__c: 'Paid', Paid__c: 160.5, Due__c: 0 }),
      ]);
    }, 60_000);

  it('a bill whose vendor is not synced yet waits, then lands linked once the vendor is', async () => {
    // The vendor's Account is refused (its Type is read-only for now): the vendor fails, the bill waits.
    stack.salesforce.setFaults({ readOnlyFields: ['Account.Type'] });
    vendor('V-LATE', 'Late Vendor');
    const b = bill('V-LATE', 'BILL-LATE');
    const key = String(b.RECORDNO);
    await quietPoll(stack, 'intacct-delta');
    expect(vendorAccount('V-LATE')).toEqual([]);
    expect(billRecord(`AP-${key}`)).toEqual([]);
    const [waiting] = await failuresOf(stack, 'ap-bills', key);
    expect(waiting?.code).toBe('PARENT_NOT_SYNCED');

    stack.salesforce.setFaults({ readOnlyFields: [] });
    expect(await quietRedrive(stack)).toBeGreaterThanOrEqual(2);
    const [account] = vendorAccount('V-LATE');
    expect(account).toMatchObject({ Name: 'Late Vendor', Type: 'Vendor' });
    expect(billRecord(`AP-${key}`)).toEqual([
      expect.objectContaining({ Bill_Number__c: 'BILL-LATE', Vendor_Account__c: account?.Id }),
    ]);
  }, 90_000);

  it('a rerun of the poll writes nothing to Salesforce', async () => {
    await quietPoll(stack, 'intacct-delta');
    const before = stack.salesforce.apiUsage().dml;
    await quietPoll(stack, 'intacct-delta');
    expect(stack.salesforce.apiUsage().dml).toBe(before);
  }, 60_000);
});

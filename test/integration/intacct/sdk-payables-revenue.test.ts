/**
 * Payables (VENDOR, APBILL, APPYMT, PODOCUMENT) and revenue (GLDETAIL, REVRECSCHEDULEENTRY, the
 * `query` function's aggregates) in the simulator, driven through the official SDK's functions.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type IntacctSimulator, startIntacctSimulator } from '#local/intacct-sim/index.ts';
import { intacctTimestamp } from '#local/intacct-sim/store.ts';

// Same set-up as sdk-vs-simulator.test.ts: the SDK's CommonJS build, util shims, 127.0.0.1 allowed.
const require = createRequire(import.meta.url);
const legacyUtil = require('node:util') as Record<string, unknown>;
legacyUtil.isNullOrUndefined ??= (v: unknown) => v === null || v === undefined;
legacyUtil.isArray ??= Array.isArray;
// biome-ignore lint/suspicious/noExplicitAny: the SDK ships CommonJS with loose typings
const sdk: any = require('@intacct/intacct-sdk');
require('@intacct/intacct-sdk/dist/Credentials/Endpoint').default.isDomainValid = () => true;
const { Functions, ClientConfig, OnlineClient } = sdk;
const { NewQuery } = Functions.Common;

let sim: IntacctSimulator;
// biome-ignore lint/suspicious/noExplicitAny: the SDK's client
let client: any;
let clock = Date.parse('2030-03-10T10:00:00Z');

const run = async (fn: unknown) => (await client.execute(fn)).getResult();
const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

/** A function the SDK has no class for, written through its XML writer. */
const raw = (name: string, children: Record<string, string>) => ({
  controlId: `${name}-${Math.random().toString(36).slice(2)}`,
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's IaXmlWriter
  writeXml(xml: any) {
    xml.writeStartElement('function');
    xml.writeAttribute('controlid', this.controlId, true);
    xml.writeStartElement(name);
    for (const [k, v] of Object.entries(children)) xml.writeElement(k, v, true);
    xml.writeEndElement();
    xml.writeEndElement();
  },
});

function newQuery(object: string, select: (b: unknown) => unknown, filter?: unknown, orderBy?: unknown) {
  const q = new NewQuery.Query();
  q.fromObject = object;
  q.selectFields = (select(new NewQuery.QuerySelect.SelectBuilder()) as { selects: unknown }).selects;
  if (filter) q.filter = filter;
  if (orderBy) q.orderBy = orderBy;
  q.pageSize = 2000;
  return q;
}
const F = (field: string) => new NewQuery.QueryFilter.Filter(field);
const and = (...filters: unknown[]) => new NewQuery.QueryFilter.AndOperator(filters);

function billCreate(vendorId: string, billNumber: string, amounts: number[]) {
  const bill = new Functions.AccountsPayable.BillCreate();
  Object.assign(bill, {
    vendorId,
    billNumber,
    transactionDate: day('2030-03-05'),
    dueDate: day('2030-04-04'),
    lines: amounts.map((transactionAmount, i) => {
      const line = new Functions.AccountsPayable.BillLineCreate();
      return Object.assign(line, { glAccountNumber: '6000', transactionAmount, memo: `line ${i + 1}` });
    }),
  });
  return bill;
}

function payment(vendorId: string, billRecordNo: number, paymentAmount: number) {
  const { ApPaymentCreate, ApPaymentInfo, ApPaymentDetailInfo, ApPaymentDetailBill } =
    Functions.AccountsPayable;
  const detail = Object.assign(new ApPaymentDetailInfo(), { recordNo: billRecordNo, paymentAmount });
  const info = Object.assign(new ApPaymentInfo(), {
    paymentMethod: 'EFT',
    financialEntityId: 'BOA',
    vendorId,
    paymentDate: day('2030-03-10'),
    apPaymentDetails: [new ApPaymentDetailBill(detail)],
  });
  return new ApPaymentCreate(info);
}

beforeAll(async () => {
  sim = await startIntacctSimulator({ seed: 'demo', now: () => clock });
  const c = sim.readyInfo();
  const config = new ClientConfig();
  Object.assign(config, {
    senderId: c.senderId,
    senderPassword: c.senderPassword,
    companyId: c.companyId,
    userId: c.userId,
    userPassword: c.userPassword,
    endpointUrl: c.endpoint,
  });
  client = new OnlineClient(config);
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  clock += 60_000;
});

describe('payables through the official SDK', () => {
  it('creates a vendor (generic create) and reads it by name with its display contact', async () => {
    const vendor = new Functions.AccountsPayable.VendorCreate();
    Object.assign(vendor, {
      vendorId: 'V-SDK',
      vendorName: 'SDK Supplies',
      primaryEmailAddress: 'ap@sdk.test',
    });
    expect((await run(vendor)).data[0]).toMatchObject({ VENDORID: 'V-SDK' });
    const read = new Functions.Common.ReadByName();
    read.objectName = 'VENDOR';
    read.names = ['V-SDK'];
    expect((await run(read)).data[0]).toMatchObject({
      NAME: 'SDK Supplies',
      STATUS: 'active',
      TOTALDUE: '0.00',
      DISPLAYCONTACT: { CONTACTNAME: 'SDK Supplies(VV-SDK)', EMAIL1: 'ap@sdk.test' },
    });
  });

  it('creates a bill with create_bill, reads it with read, and paying it moves STATE and WHENMODIFIED', async () => {
    const key = Number((await run(billCreate('V-100', 'B-1', [100.1, 200.2]))).key);
    const read = new Functions.Common.Read();
    read.objectName = 'APBILL';
    read.keys = [key];
    expect((await run(read)).data[0]).toMatchObject({
      RECORDID: 'B-1',
      VENDORID: 'V-100',
      STATE: 'Posted',
      WHENDUE: '04/04/2030',
      TOTALENTERED: '300.30',
      TOTALDUE: '300.30',
      MODULEKEY: '3.AP',
      APBILLITEMS: { apbillitem: [{ ACCOUNTNO: '6000', TRX_AMOUNT: '100.10' }, { TRX_AMOUNT: '200.20' }] },
    });
    expect(sim.record('VENDOR', 'V-100')?.TOTALDUE).toBe('300.30');

    clock += 3_600_000;
    const since = intacctTimestamp(clock);
    await run(payment('V-100', key, 100.3));
    expect(sim.record('APBILL', String(key))).toMatchObject({ STATE: 'Partially Paid', TOTALDUE: '200.00' });
    await run(payment('V-100', key, 200));
    const poll = new Functions.Common.ReadByQuery();
    poll.objectName = 'APBILL';
    poll.fields = ['RECORDNO', 'STATE', 'TOTALDUE', 'TOTALPAID', 'WHENPAID'];
    poll.query = new Functions.Common.Query.QueryString(`WHENMODIFIED >= '${since}'`);
    expect((await run(poll)).data).toEqual([
      { RECORDNO: String(key), STATE: 'Paid', TOTALDUE: '0.00', TOTALPAID: '300.30', WHENPAID: '03/10/2030' },
    ]);
    expect(sim.records('APPYMTDETAIL').map((d) => [d.RECORDKEY, d.TRX_PAYMENTAMOUNT])).toEqual([
      [String(key), '100.30'],
      [String(key), '200.00'],
    ]);
    expect(sim.record('VENDOR', 'V-100')?.TOTALDUE).toBe('0.00');
  });

  it('refuses a payment above what is due, and a bill for an unknown vendor', async () => {
    const key = Number((await run(billCreate('V-100', 'B-2', [50]))).key);
    await expect(run(payment('V-100', key, 50.01))).rejects.toMatchObject({
      errors: expect.arrayContaining([expect.stringContaining('exceeds the amount due 50.00')]),
    });
    await expect(run(billCreate('V-NOPE', 'B-3', [1]))).rejects.toMatchObject({
      errors: expect.arrayContaining([expect.stringContaining("Invalid Vendor 'V-NOPE'")]),
    });
  });

  it('creates purchase orders with create_potransaction; readByQuery with docparid pages with readMore', async () => {
    const { PurchasingTransactionCreate, PurchasingTransactionLineCreate } = Functions.Purchasing;
    const ids: string[] = [];
    for (const quantity of [2, 5]) {
      const po = new PurchasingTransactionCreate();
      Object.assign(po, {
        transactionDefinition: 'Purchase Order',
        transactionDate: day('2030-03-08'),
        dueDate: day('2030-03-31'),
        vendorId: 'V-100',
        vendorDocNumber: `VD-${quantity}`,
        lines: [
          Object.assign(new PurchasingTransactionLineCreate(), { itemId: 'SKU-100', quantity, price: 12.5 }),
        ],
      });
      ids.push(String((await run(po)).key));
    }
    expect(ids).toEqual(['Purchase Order-PO-0001', 'Purchase Order-PO-0002']);
    const q = new Functions.Common.ReadByQuery();
    q.objectName = 'PODOCUMENT';
    q.docParId = 'Purchase Order';
    q.fields = ['DOCNO', 'STATE', 'CUSTVENDID', 'TOTAL', 'WHENDUE'];
    q.query = new Functions.Common.Query.QueryString("STATE = 'O'");
    q.pageSize = 1;
    const first = await run(q);
    expect(first).toMatchObject({ listType: 'podocument', count: 1, totalCount: 2, numRemaining: 1 });
    const more = new Functions.Common.ReadMore();
    more.resultId = first.resultId;
    const second = await run(more);
    expect([...first.data, ...second.data]).toEqual([
      { DOCNO: 'PO-0001', STATE: 'Pending', CUSTVENDID: 'V-100', TOTAL: '25.00', WHENDUE: '03/31/2030' },
      { DOCNO: 'PO-0002', STATE: 'Pending', CUSTVENDID: 'V-100', TOTAL: '62.50', WHENDUE: '03/31/2030' },
    ]);
    const totals = await run(
      newQuery('PODOCUMENT', (b) =>
        (b as { addField(f: string): { addSum(f: string): unknown } }).addField('CUSTVENDID').addSum('TOTAL'),
      ),
    );
    expect(totals.data).toEqual([{ CUSTVENDID: 'V-100', 'SUM.TOTAL': '87.5' }]);
  });
});

describe('revenue through the official SDK', () => {
  beforeAll(() => {
    // Three customers × three months of revenue credits (negative: debit-positive amounts)
    const customers = ['C-1001', 'C-1002', 'C-1003'];
    sim.seedGlEntries(
      customers.flatMap((customerId, i) =>
        [1, 2, 3].flatMap((month) => [
          { accountNo: '4000', amount: -((i + 1) * 100.1), entryDate: `2030-0${month}-10`, customerId },
          { accountNo: '4010', amount: -0.2, entryDate: `2030-0${month}-20`, customerId },
          { accountNo: '1200', amount: (i + 1) * 100.1 + 0.2, entryDate: `2030-0${month}-10`, customerId },
        ]),
      ),
    );
    sim.seedGlEntries([
      { accountNo: '4000', amount: -999, entryDate: '2030-01-15', customerId: 'C-1001', bookId: 'CASH' },
    ]);
  });

  it('sums GLDETAIL AMOUNT per customer over revenue accounts, one book and one period (the reference sketch)', async () => {
    const q = newQuery(
      'GLDETAIL',
      (b) =>
        (b as { addFields(f: string[]): { addSum(f: string): unknown } })
          .addFields(['CUSTOMERID'])
          .addSum('AMOUNT'),
      and(
        F('BATCH_DATE').between('02/01/2030', '02/28/2030'),
        F('ACCOUNTNO').in(['4000', '4010']),
        F('BOOKID').equalTo('ACCRUAL'),
      ),
      new NewQuery.QueryOrderBy.OrderBuilder().addAscending('CUSTOMERID').orders,
    );
    const result = await run(q);
    expect(result.totalCount).toBe(3);
    expect(result.data).toEqual([
      { CUSTOMERID: 'C-1001', 'SUM.AMOUNT': '-100.3' },
      { CUSTOMERID: 'C-1002', 'SUM.AMOUNT': '-200.4' },
      { CUSTOMERID: 'C-1003', 'SUM.AMOUNT': '-300.5' },
    ]);
  });

  it('groups by more than one field and counts with COUNT.RECORDNO; readByQuery filters GLDETAIL by MODULEKEY', async () => {
    const q = newQuery(
      'GLDETAIL',
      (b) =>
        (b as { addFields(f: string[]): { addCount(f: string): { addMaximum(f: string): unknown } } })
          .addFields(['ACCOUNTNO', 'BOOKID'])
          .addCount('RECORDNO')
          .addMaximum('ENTRY_DATE'),
      F('CUSTOMERID').equalTo('C-1001'),
    );
    expect((await run(q)).data).toEqual([
      { ACCOUNTNO: '4000', BOOKID: 'ACCRUAL', 'COUNT.RECORDNO': '3', 'MAX.ENTRY_DATE': '03/10/2030' },
      { ACCOUNTNO: '4010', BOOKID: 'ACCRUAL', 'COUNT.RECORDNO': '3', 'MAX.ENTRY_DATE': '03/20/2030' },
      { ACCOUNTNO: '1200', BOOKID: 'ACCRUAL', 'COUNT.RECORDNO': '3', 'MAX.ENTRY_DATE': '03/10/2030' },
      { ACCOUNTNO: '4000', BOOKID: 'CASH', 'COUNT.RECORDNO': '1', 'MAX.ENTRY_DATE': '01/15/2030' },
    ]);
    const rbq = new Functions.Common.ReadByQuery();
    rbq.objectName = 'GLDETAIL';
    rbq.fields = ['ACCOUNTNO', 'AMOUNT', 'TR_TYPE', 'CREDITAMOUNT', 'ENTRY_DATE'];
    rbq.query = new Functions.Common.Query.QueryString(
      "MODULEKEY = '2.GL' AND CUSTOMERID = 'C-1003' AND ACCOUNTNO = '4000' AND ENTRY_DATE >= '03/01/2030'",
    );
    expect((await run(rbq)).data).toEqual([
      {
        ACCOUNTNO: '4000',
        AMOUNT: '-300.30',
        TR_TYPE: '-1',
        CREDITAMOUNT: '300.30',
        ENTRY_DATE: '03/10/2030',
      },
    ]);
  });

  it('sums posted REVRECSCHEDULEENTRY amounts per customer; posting an entry late changes only its cell', async () => {
    const { entries } = sim.seedRevRecSchedule({
      customerId: 'C-1002',
      accountNo: '4000',
      docId: 'Sales Invoice-INV-9',
      entries: [
        { postingDate: '2030-01-31', amount: 250, posted: true },
        { postingDate: '2030-02-28', amount: 250, posted: true },
        { postingDate: '2030-03-31', amount: 250 },
      ],
    });
    sim.seedRevRecSchedule({
      customerId: 'C-1001',
      entries: [{ postingDate: '2030-03-31', amount: 40.05, posted: true }],
    });
    const march = () =>
      run(
        newQuery(
          'REVRECSCHEDULEENTRY',
          (b) =>
            (b as { addField(f: string): { addSum(f: string): unknown } })
              .addField('CUSTOMERID')
              .addSum('AMOUNT'),
          and(F('POSTED').equalTo('true'), F('POSTINGDATE').between('03/01/2030', '03/31/2030')),
        ),
      );
    expect((await march()).data).toEqual([{ CUSTOMERID: 'C-1001', 'SUM.AMOUNT': '40.05' }]);
    const late = entries[2]?.RECORDNO as string;
    await run(raw('post_revrecscheduleentry', { recordno: late }));
    expect((await march()).data).toEqual([
      { CUSTOMERID: 'C-1002', 'SUM.AMOUNT': '250' },
      { CUSTOMERID: 'C-1001', 'SUM.AMOUNT': '40.05' },
    ]);
    const read = new Functions.Common.Read();
    read.objectName = 'REVRECSCHEDULEENTRY';
    read.keys = [Number(late)];
    expect((await run(read)).data[0]).toMatchObject({
      POSTED: 'true',
      POSTED_AMOUNT: '250.00',
      CUSTOMERID: 'C-1002',
    });
    expect(sim.records('REVRECSCHEDULE').find((s) => s.CUSTOMERID === 'C-1002')?.STATUS).toBe('Completed');
    // the posting wrote its GL lines on the posting date: a credit to revenue, a debit to deferred revenue
    const gl = sim.records('GLDETAIL').filter((g) => g.MODULEKEY === '8.SO' && g.ENTRY_DATE === '03/31/2030');
    expect(gl.map((g) => [g.ACCOUNTNO, g.CUSTOMERID, g.AMOUNT])).toEqual([
      ['4000', 'C-1001', '-40.05'],
      ['2100', 'C-1001', '40.05'],
      ['4000', 'C-1002', '-250.00'],
      ['2100', 'C-1002', '250.00'],
    ]);
  });

  it("with aggregateTags 'plain' the sum comes back under the field's own name (the docs' sum example)", async () => {
    sim.setSettings({ aggregateTags: 'plain' });
    try {
      const q = newQuery(
        'GLDETAIL',
        (b) => (b as { addSum(f: string): unknown }).addSum('AMOUNT'),
        F('BOOKID').equalTo('CASH'),
      );
      expect((await run(q)).data).toEqual([{ AMOUNT: '-999' }]);
    } finally {
      sim.setSettings({ aggregateTags: 'prefixed' });
    }
  });
});

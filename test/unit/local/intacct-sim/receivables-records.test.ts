/** What a user enters in Intacct AR and what the AR records carry, read through our Intacct client. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type IntacctSimulator, startIntacctSimulator } from '#local/intacct-sim/index.ts';
import { intacctTimestamp } from '#local/intacct-sim/store.ts';
import {
  createInvoice,
  createSoTransaction,
  IntacctClient,
  query,
  readByName,
  where,
} from '#shared/intacct/index.ts';

let sim: IntacctSimulator;
let clock = Date.parse('2030-03-10T10:00:00Z');
let client: IntacctClient;
const INVOICE_FIELDS = [
  'RECORDNO',
  'RECORDID',
  'MODULEKEY',
  'STATE',
  'CURRENCY',
  'WHENCREATED',
  'WHENDUE',
  'WHENPAID',
  'TOTALENTERED',
  'TOTALPAID',
  'TOTALDUE',
];
const readInvoice = async (recordNo: string) =>
  (
    await client.execute(
      query({ object: 'ARINVOICE', select: INVOICE_FIELDS, filter: where.eq('RECORDNO', recordNo) }),
    )
  ).rows[0];

beforeAll(async () => {
  sim = await startIntacctSimulator({ seed: 'demo', now: () => clock });
  client = new IntacctClient({ credentials: sim.readyInfo(), sleep: async () => {} });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  clock += 60_000;
});

describe('AR records in the simulator', () => {
  it('records CREATEDFROM and PRRECORDKEY on a document userConvert makes, and its invoice is an 8.SO one', async () => {
    const { key } = await client.execute(
      createSoTransaction(
        {
          transactionType: 'Sales Order',
          dateCreated: '2030-03-10',
          customerId: 'C-1001',
          lines: [{ itemId: 'SKU-200', quantity: '2', price: '199' }],
        },
        { controlId: 'rec-so' },
      ),
    );
    const converted = sim.userConvert(key);
    const [doc] = (
      await client.execute(
        query({
          object: 'SODOCUMENT',
          select: ['DOCID', 'CREATEDFROM', 'PRRECORDKEY'],
          filter: where.eq('CREATEDFROM', key),
        }),
      )
    ).rows;
    expect(doc).toEqual({
      DOCID: converted.DOCID,
      CREATEDFROM: key,
      PRRECORDKEY: converted.PRRECORDKEY,
    });
    expect(await readInvoice(String(doc?.PRRECORDKEY))).toEqual({
      RECORDNO: doc?.PRRECORDKEY,
      RECORDID: converted.DOCNO,
      MODULEKEY: '8.SO',
      STATE: 'Posted',
      CURRENCY: 'USD',
      WHENCREATED: '03/10/2030',
      WHENDUE: '03/10/2030',
      WHENPAID: '',
      TOTALENTERED: '398.00',
      TOTALPAID: '0.00',
      TOTALDUE: '398.00',
    });
  });

  it('marks a create_invoice invoice 4.AR', async () => {
    const { key } = await client.execute(
      createInvoice(
        {
          customerId: 'C-1002',
          dateCreated: '2030-03-10',
          dateDue: '2030-04-09',
          invoiceNo: 'AR-77',
          lines: [{ glAccountNo: '4000', amount: '12.5' }],
        },
        { controlId: 'rec-inv' },
      ),
    );
    expect(await readInvoice(key)).toMatchObject({
      RECORDID: 'AR-77',
      MODULEKEY: '4.AR',
      WHENDUE: '04/09/2030',
      TOTALDUE: '12.50',
    });
  });

  it('lets a user enter an invoice, a credit memo and a payment without API transactions', async () => {
    const before = sim.counters().apiTransactions;
    const inv = sim.userCreate('ARINVOICE', {
      CUSTOMERID: 'C-1003',
      WHENCREATED: '03/05/2030',
      WHENDUE: '04/04/2030',
      RECORDID: 'UI-1',
      CURRENCY: 'CAD',
      ARINVOICEITEMS: {
        ARINVOICEITEM: [
          { ACCOUNTNO: '4000', AMOUNT: '100' },
          { ACCOUNTNO: '4100', AMOUNT: '50', MEMO: 'setup' },
        ],
      },
    });
    expect(inv).toMatchObject({
      MODULEKEY: '4.AR',
      RECORDID: 'UI-1',
      CURRENCY: 'CAD',
      BASECURR: 'USD',
      TRX_TOTALENTERED: '150.00',
      WHENCREATED: '03/05/2030',
      WHENDUE: '04/04/2030',
      STATE: 'Posted',
    });
    const memo = sim.userCreate('ARADJUSTMENT', {
      CUSTOMERID: 'C-1003',
      RECORDID: 'CM-1',
      CURRENCY: 'CAD',
      TOTALENTERED: '-30',
    });
    expect(memo).toMatchObject({
      ADJUSTMENTTYPE: 'Credit Memo',
      TRX_TOTALDUE: '-30.00',
      WHENCREATED: '03/10/2030',
    });
    const payment = sim.userCreate('ARPYMT', {
      PAYMENTMETHOD: 'Printed Check',
      RECEIPTDATE: '03/10/2030',
      CUSTOMERID: 'C-1003',
      FINANCIALENTITY: 'BOA',
      CURRENCY: 'CAD',
      ARPYMTDETAILS: {
        ARPYMTDETAIL: {
          RECORDKEY: String(inv.RECORDNO),
          TRX_PAYMENTAMOUNT: '20',
          ADJUSTMENTKEY: String(memo.RECORDNO),
          TRX_ADJUSTMENTAMOUNT: '30',
        },
      },
    });
    expect(sim.records('ARPYMTDETAIL').filter((d) => d.PAYMENTKEY === payment.RECORDNO)).toEqual([
      expect.objectContaining({ RECORDKEY: inv.RECORDNO, CURRENCY: 'CAD', TRX_ADJUSTMENTAMOUNT: '30.00' }),
    ]);
    expect(sim.record('ARINVOICE', String(inv.RECORDNO))).toMatchObject({
      STATE: 'Partially Paid',
      TRX_TOTALDUE: '100.00',
      WHENPAID: '03/10/2030',
    });
    expect(sim.counters().apiTransactions).toBe(before);
    // an invoice dated in a closed period posts in an open one, as the UI's GL posting date allows
    expect(() =>
      sim.userCreate('ARINVOICE', { CUSTOMERID: 'C-1003', WHENCREATED: '12/20/2029', TOTALENTERED: '5' }),
    ).toThrow(/closed period/);
    expect(
      sim.userCreate('ARINVOICE', {
        CUSTOMERID: 'C-1003',
        WHENCREATED: '12/20/2029',
        WHENPOSTED: '03/10/2030',
        WHENDUE: '01/19/2030',
        TOTALENTERED: '5',
      }),
    ).toMatchObject({ WHENCREATED: '12/20/2029', WHENPOSTED: '03/10/2030', WHENDUE: '01/19/2030' });
    expect(() => sim.userCreate('ARINVOICE', { CUSTOMERID: 'C-1003' })).toThrow(/TOTALENTERED/);
    expect(() => sim.userCreate('ARINVOICE', { CUSTOMERID: 'NOPE', TOTALENTERED: '1' })).toThrow(
      /Invalid Customer/,
    );
  });

  it('puts a customer on hold with a credit limit as a user, moving its WHENMODIFIED', async () => {
    sim.userUpdate('CUSTOMER', 'C-1001', { ONHOLD: 'true', CREDITLIMIT: '1000' });
    const stamp = intacctTimestamp(clock);
    const [customer] = await client.execute(readByName({ object: 'CUSTOMER', keys: ['C-1001'] }));
    expect(customer).toMatchObject({ ONHOLD: 'true', CREDITLIMIT: '1000', WHENMODIFIED: stamp });
    const changed = await client.execute(
      query({
        object: 'CUSTOMER',
        select: ['CUSTOMERID', 'ONHOLD'],
        filter: where.and(where.ge('WHENMODIFIED', stamp), where.eq('ONHOLD', 'true')),
      }),
    );
    expect(changed.rows).toEqual([{ CUSTOMERID: 'C-1001', ONHOLD: 'true' }]);
  });
});

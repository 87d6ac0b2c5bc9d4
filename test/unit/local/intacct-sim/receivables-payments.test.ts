/** ARPYMT applications through our Intacct client: ARPYMTDETAIL rows, credit memos, the WHENMODIFIED setting. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FieldMap, type IntacctSimulator, startIntacctSimulator } from '#local/intacct-sim/index.ts';
import { intacctTimestamp } from '#local/intacct-sim/store.ts';
import {
  create,
  createArAdjustment,
  IntacctClient,
  IntacctFunctionError,
  query,
  readByQuery,
  where,
} from '#shared/intacct/index.ts';

let sim: IntacctSimulator;
let clock = Date.parse('2030-03-10T10:00:00Z');
let client: IntacctClient;
let control = 0;
const next = () => ({ controlId: `rcv-${++control}` });
const RECEIPT = '03/12/2030';

beforeAll(async () => {
  sim = await startIntacctSimulator({ seed: 'demo', now: () => clock });
  client = new IntacctClient({ credentials: sim.readyInfo(), sleep: async () => {} });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  clock += 60_000;
  sim.setSettings({ paymentTouchesInvoice: false });
});

const invoice = (customerId: string, amount: string) =>
  String(sim.userCreate('ARINVOICE', { CUSTOMERID: customerId, TOTALENTERED: amount }).RECORDNO);
const pay = (customerId: string, details: FieldMap[], extra: FieldMap = {}) =>
  client.execute(
    create(
      {
        object: 'ARPYMT',
        fields: {
          PAYMENTMETHOD: 'EFT',
          RECEIPTDATE: RECEIPT,
          CUSTOMERID: customerId,
          UNDEPOSITEDACCOUNTNO: '1000',
          CURRENCY: 'USD',
          ARPYMTDETAILS: { ARPYMTDETAIL: details },
          ...extra,
        },
      },
      next(),
    ),
  );
const details = async (paymentKey: string) =>
  (
    await client.execute(
      query({
        object: 'ARPYMTDETAIL',
        select: [
          'RECORDNO',
          'PAYMENTKEY',
          'RECORDKEY',
          'CURRENCY',
          'TRX_PAYMENTAMOUNT',
          'ADJUSTMENTKEY',
          'TRX_ADJUSTMENTAMOUNT',
          'WHENCREATED',
          'WHENMODIFIED',
        ],
        filter: where.eq('PAYMENTKEY', paymentKey),
        orderBy: [{ field: 'RECORDNO' }],
      }),
    )
  ).rows;
const creditMemo = async (customerId: string, amount: string) =>
  (
    await client.execute(
      createArAdjustment(
        { customerId, dateCreated: '2030-03-10', lines: [{ glAccountNo: '4000', amount }] },
        next(),
      ),
    )
  ).key;

/** A customer's TOTALDUE as a number. */
const due = (customerId: string) => Number(sim.record('CUSTOMER', customerId)?.TOTALDUE);

describe('AR payments in the simulator', () => {
  it('writes one queryable ARPYMTDETAIL per application and leaves the invoices’ WHENMODIFIED by default', async () => {
    // The demo company has receivables of its own: balances are checked as changes from here.
    const start = due('C-1001');
    const a = invoice('C-1001', '300');
    const b = invoice('C-1001', '200');
    const before = sim.record('ARINVOICE', a)?.WHENMODIFIED;
    const customerStamp = sim.record('CUSTOMER', 'C-1001')?.WHENMODIFIED;
    clock += 60_000;
    const { records } = await pay('C-1001', [
      { RECORDKEY: a, TRX_PAYMENTAMOUNT: '100.00' },
      { RECORDKEY: b, TRX_PAYMENTAMOUNT: '200.00' },
    ]);
    const paymentKey = String(records[0]?.RECORDNO);
    const stamp = intacctTimestamp(clock);
    expect(await details(paymentKey)).toEqual([
      expect.objectContaining({
        PAYMENTKEY: paymentKey,
        RECORDKEY: a,
        CURRENCY: 'USD',
        TRX_PAYMENTAMOUNT: '100.00',
        ADJUSTMENTKEY: '',
        WHENCREATED: stamp,
        WHENMODIFIED: stamp,
      }),
      expect.objectContaining({ RECORDKEY: b, TRX_PAYMENTAMOUNT: '200.00' }),
    ]);
    const page = await client.execute(
      readByQuery({ object: 'ARPYMTDETAIL', fields: ['RECORDKEY'], query: `PAYMENTKEY = '${paymentKey}'` }),
    );
    expect(page.rows.map((r) => r.RECORDKEY)).toEqual([a, b]);
    expect(sim.record('ARINVOICE', a)).toMatchObject({
      STATE: 'Partially Paid',
      TOTALPAID: '100.00',
      TOTALDUE: '200.00',
      TRX_TOTALDUE: '200.00',
      WHENPAID: RECEIPT,
      WHENMODIFIED: before,
    });
    expect(sim.record('ARINVOICE', b)).toMatchObject({ STATE: 'Paid', TOTALDUE: '0.00', WHENPAID: RECEIPT });
    expect(sim.record('ARPYMT', paymentKey)).toMatchObject({
      TOTALENTERED: '300.00',
      ARPYMTDETAILS: { ARPYMTDETAIL: [{ RECORDKEY: a }, { RECORDKEY: b }] },
    });
    expect(due('C-1001')).toBe(start + 200);
    expect(sim.record('CUSTOMER', 'C-1001')?.WHENMODIFIED).toBe(customerStamp);
  });

  it('applies credit memos with or without cash, moving the memo toward 0 and keeping the customer balance', async () => {
    const start = due('C-1002');
    const inv = invoice('C-1002', '400');
    const memo = await creditMemo('C-1002', '-150');
    const small = String(
      sim.userCreate('ARADJUSTMENT', { CUSTOMERID: 'C-1002', TOTALENTERED: '-50' }).RECORDNO,
    );
    expect(due('C-1002')).toBe(start + 200);
    const mixed = await pay('C-1002', [
      { RECORDKEY: inv, TRX_PAYMENTAMOUNT: '50.00', ADJUSTMENTKEY: memo, TRX_ADJUSTMENTAMOUNT: '100.00' },
    ]);
    const mixedKey = String(mixed.records[0]?.RECORDNO);
    expect(await details(mixedKey)).toEqual([
      expect.objectContaining({
        RECORDKEY: inv,
        TRX_PAYMENTAMOUNT: '50.00',
        ADJUSTMENTKEY: memo,
        TRX_ADJUSTMENTAMOUNT: '100.00',
      }),
    ]);
    expect(sim.record('ARINVOICE', inv)).toMatchObject({
      STATE: 'Partially Paid',
      TOTALPAID: '150.00',
      TOTALDUE: '250.00',
    });
    expect(sim.record('ARADJUSTMENT', memo)).toMatchObject({
      STATE: 'Partially Paid',
      TOTALENTERED: '-150.00',
      TOTALPAID: '-100.00',
      TOTALDUE: '-50.00',
    });
    expect(sim.record('ARPYMT', mixedKey)?.TOTALENTERED).toBe('50.00');
    const creditOnly = await pay('C-1002', [
      { RECORDKEY: inv, ADJUSTMENTKEY: small, TRX_ADJUSTMENTAMOUNT: '50.00' },
    ]);
    const creditKey = String(creditOnly.records[0]?.RECORDNO);
    expect(sim.record('ARPYMT', creditKey)?.TOTALENTERED).toBe('0.00');
    expect((await details(creditKey))[0]).toMatchObject({ TRX_PAYMENTAMOUNT: '0.00', ADJUSTMENTKEY: small });
    expect(sim.record('ARADJUSTMENT', small)).toMatchObject({ STATE: 'Paid', TOTALDUE: '0.00' });
    expect(sim.record('ARINVOICE', inv)).toMatchObject({ TOTALDUE: '200.00', TOTALPAID: '200.00' });
    // cash of 50 lowered the balance; credit applications only move it between records
    expect(due('C-1002')).toBe(start + 150);
  });

  it('refuses more credit than the memo has left, more than the invoice owes, a debit memo and another customer’s memo', async () => {
    const inv = invoice('C-1003', '100');
    const memo = await creditMemo('C-1003', '-80');
    const debit = await creditMemo('C-1003', '30');
    const foreign = await creditMemo('C-1001', '-20');
    const rowsBefore = sim.records('ARPYMTDETAIL').length;
    const refused = async (line: FieldMap) => {
      const error = await pay('C-1003', [line]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IntacctFunctionError);
      return (error as Error).message;
    };
    expect(await refused({ RECORDKEY: inv, ADJUSTMENTKEY: memo, TRX_ADJUSTMENTAMOUNT: '90' })).toContain(
      `credit 90.00 exceeds the 80.00 left on credit memo ${memo}`,
    );
    expect(
      await refused({
        RECORDKEY: inv,
        TRX_PAYMENTAMOUNT: '30',
        ADJUSTMENTKEY: memo,
        TRX_ADJUSTMENTAMOUNT: '80',
      }),
    ).toContain('payment 30.00 plus credit 80.00 exceeds the amount due 100.00');
    expect(await refused({ RECORDKEY: inv, TRX_PAYMENTAMOUNT: '120' })).toContain(
      'payment amount 120 exceeds the amount due 100.00',
    );
    expect(await refused({ RECORDKEY: inv, ADJUSTMENTKEY: debit, TRX_ADJUSTMENTAMOUNT: '10' })).toContain(
      'is not a credit memo with credit left',
    );
    expect(await refused({ RECORDKEY: inv, ADJUSTMENTKEY: foreign, TRX_ADJUSTMENTAMOUNT: '10' })).toContain(
      'is not an AR adjustment of this customer',
    );
    expect(await refused({ RECORDKEY: inv, ADJUSTMENTKEY: memo })).toContain(
      'TRX_ADJUSTMENTAMOUNT is required with ADJUSTMENTKEY',
    );
    // two lines on one memo cannot together take more than it has
    const error = await pay('C-1003', [
      { RECORDKEY: inv, ADJUSTMENTKEY: memo, TRX_ADJUSTMENTAMOUNT: '50' },
      { RECORDKEY: inv, ADJUSTMENTKEY: memo, TRX_ADJUSTMENTAMOUNT: '40' },
    ]).catch((e: unknown) => e);
    expect((error as Error).message).toContain('Line 2: credit 40.00 exceeds the 30.00 left');
    expect(sim.records('ARPYMTDETAIL')).toHaveLength(rowsBefore);
    expect(sim.record('ARINVOICE', inv)).toMatchObject({ TOTALDUE: '100.00', STATE: 'Posted' });
    expect(sim.record('ARADJUSTMENT', memo)).toMatchObject({ TOTALDUE: '-80.00', STATE: 'Posted' });
  });

  it('moves the invoice’s and the memo’s WHENMODIFIED only with paymentTouchesInvoice', async () => {
    sim.setSettings({ paymentTouchesInvoice: true });
    const inv = invoice('C-1001', '60');
    const memo = await creditMemo('C-1001', '-10');
    clock += 60_000;
    await pay('C-1001', [
      { RECORDKEY: inv, TRX_PAYMENTAMOUNT: '20', ADJUSTMENTKEY: memo, TRX_ADJUSTMENTAMOUNT: '10' },
    ]);
    const stamp = intacctTimestamp(clock);
    expect(sim.record('ARINVOICE', inv)?.WHENMODIFIED).toBe(stamp);
    expect(sim.record('ARADJUSTMENT', memo)?.WHENMODIFIED).toBe(stamp);
    const changed = await client.execute(
      query({
        object: 'ARINVOICE',
        select: ['RECORDNO', 'TOTALDUE'],
        filter: where.ge('WHENMODIFIED', stamp),
      }),
    );
    expect(changed.rows).toEqual([{ RECORDNO: inv, TOTALDUE: '30.00' }]);
  });

  it('finds an invoice by its new paid date in the same request as the payment that set it without moving WHENMODIFIED (the lookup index follows in-place edits)', async () => {
    const key = invoice('C-1001', '250');
    const paidOn = query({
      object: 'ARINVOICE',
      select: ['RECORDNO'],
      filter: where.eq('WHENPAID', RECEIPT),
      pagesize: 2000,
    });
    const payment = create(
      {
        object: 'ARPYMT',
        fields: {
          PAYMENTMETHOD: 'EFT',
          RECEIPTDATE: RECEIPT,
          CUSTOMERID: 'C-1001',
          UNDEPOSITEDACCOUNTNO: '1000',
          CURRENCY: 'USD',
          ARPYMTDETAILS: { ARPYMTDETAIL: [{ RECORDKEY: key, TRX_PAYMENTAMOUNT: '250' }] },
        },
      },
      next(),
    );
    // One request (the gateway builds its indexes afresh per request): the first query indexes
    // WHENPAID before the payment changes it in place; the second must still find the invoice.
    const [before, paid, after] = await client.executeBatch([paidOn, payment, { ...paidOn }]);
    const keys = (o: typeof before) =>
      o?.ok ? (o.value as { rows: Array<{ RECORDNO?: unknown }> }).rows.map((r) => r.RECORDNO) : undefined;
    expect(paid?.ok).toBe(true);
    expect(keys(before)).not.toContain(key);
    expect(keys(after)).toContain(key);
  });
});

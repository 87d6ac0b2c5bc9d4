/**
 * The monthly revenue reconciliation (the `report` kind) on the local pipeline, from GL detail:
 * 3 customers × 3 months of known bookings (won opportunities) and recognised revenue (credits on
 * two revenue accounts, less a debit) → exactly the expected rows; a rerun writes nothing; a
 * late-posted entry changes only its cell (and the total); a customer unknown in Salesforce is
 * reported and keeps its row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { customers, openFailures, type Row, rows, run, savedReport, start } from '../../helpers/revenue.ts';

/** Booked per (customer, month): amounts won, each an opportunity (two in one cell). */
const BOOKED: Record<string, Record<string, number[]>> = {
  'C-A': { '2026-08': [1000], '2026-09': [400, 600.5], '2026-10': [0.1, 0.2] },
  'C-B': { '2026-08': [2500], '2026-10': [300] },
  'C-C': { '2026-09': [999.99] },
};
/** Recognised per (customer, month). */
const RECOGNISED: Record<string, Record<string, number>> = {
  'C-A': { '2026-08': 800, '2026-09': 1000.5, '2026-10': 0.3 },
  'C-B': { '2026-08': 2000, '2026-09': 250, '2026-10': 300 },
  'C-C': { '2026-10': 500 },
};

function book(stack: LocalStack, accounts: Record<string, string>) {
  for (const [customer, months] of Object.entries(BOOKED))
    for (const [month, amounts] of Object.entries(months))
      for (const [i, amount] of amounts.entries())
        stack.salesforce.asUser.create('Opportunity', {
          Name: `${customer} ${month} ${i}`,
          AccountId: accounts[customer],
          StageName: 'Closed Won',
          CloseDate: `${month}-${String(10 + i).padStart(2, '0')}`,
          Amount: amount,
        });
  // Neither won nor in range: never counted.
  stack.salesforce.asUser.create('Opportunity', {
    Name: 'lost',
    AccountId: accounts['C-A'],
    StageName: 'Closed Lost',
    CloseDate: '2026-08-20',
    Amount: 5000,
  });
  stack.salesforce.asUser.create('Opportunity', {
    Name: 'later',
    AccountId: accounts['C-A'],
    StageName: 'Closed Won',
    CloseDate: '2026-11-01',
    Amount: 7000,
  });
}

/** The expected table: every (customer, month) cell with bookings or revenue, and the totals. */
function expected(accounts: Record<string, string>, recognised = RECOGNISED) {
  const out = new Map<string, Row>();
  const cents = (n: number) => Math.round(n * 100);
  for (const month of ['2026-08', '2026-09', '2026-10']) {
    let [tb, tr] = [0, 0];
    for (const customer of ['C-A', 'C-B', 'C-C']) {
      const b = (BOOKED[customer]?.[month] ?? []).reduce((s, a) => s + cents(a), 0);
      const r = cents(recognised[customer]?.[month] ?? 0);
      tb += b;
      tr += r;
      if (b === 0 && r === 0) continue;
      out.set(`${month}:${customer}`, {
        Account__c: accounts[customer],
        Intacct_Customer_Id__c: customer,
        Booked__c: b / 100,
        Recognised__c: r / 100,
        Variance__c: (r - b) / 100,
        Variance_Percent__c: b === 0 ? null : Math.round(((r - b) / b) * 10000) / 100,
        Period__c: month,
        Period_Start__c: `${month}-01`,
        Currency_Code__c: 'USD',
        Is_Total__c: false,
      });
    }
    out.set(`${month}:TOTAL`, {
      Booked__c: tb / 100,
      Recognised__c: tr / 100,
      Variance__c: (tr - tb) / 100,
      Is_Total__c: true,
    });
  }
  return out;
}

function expectTable(stack: LocalStack, want: Map<string, Row>) {
  const have = rows(stack);
  expect([...have.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [key, cell] of want) expect(have.get(key), key).toMatchObject(cell);
}

describe('revenue reconciliation from GL detail', () => {
  let stack: LocalStack;
  let accounts: Record<string, string>;
  beforeAll(async () => {
    stack = await start({ source: 'gl-detail', accounts: ['4000', '4010'], book: 'ACCRUAL' });
    accounts = await customers(stack);
    book(stack, accounts);
    for (const [customer, months] of Object.entries(RECOGNISED))
      for (const [month, amount] of Object.entries(months)) {
        // Revenue is a credit (negative); split over two revenue accounts and a debit reversal.
        stack.intacct.seedGlEntries([
          { accountNo: '4000', amount: -(amount + 10), entryDate: `${month}-05`, customerId: customer },
          { accountNo: '4010', amount: 10, entryDate: `${month}-06`, customerId: customer },
        ]);
      }
    // Not revenue: another account, another book, outside the months.
    stack.intacct.seedGlEntries([
      { accountNo: '1200', amount: -5000, entryDate: '2026-08-05', customerId: 'C-A' },
      { accountNo: '4000', amount: -5000, entryDate: '2026-08-05', customerId: 'C-A', bookId: 'CASH' },
      { accountNo: '4000', amount: -5000, entryDate: '2026-11-01', customerId: 'C-A' },
    ]);
  }, 90_000);
  afterAll(() => stack?.stop());

  it('writes exactly the expected row per customer and month, and a total per month', async () => {
    const result = await run(stack, '2026-08..2026-10');
    expect(result.status).toBe('ok');
    expectTable(stack, expected(accounts));
    expect(rows(stack).get('2026-09:C-A')).toMatchObject({
      Booked__c: 1000.5,
      Variance__c: 0,
      Variance_Percent__c: 0,
    });
    expect(rows(stack).get('2026-10:C-A')).toMatchObject({ Booked__c: 0.3, Recognised__c: 0.3 });
    expect(rows(stack).get('2026-08:C-A')).toMatchObject({ Variance__c: -200, Variance_Percent__c: -20 });
    expect(String(rows(stack).get('2026-08:TOTAL')?.Sources__c)).toContain(
      'accounts 4000, 4010, book ACCRUAL',
    );
  });

  it('writes nothing when run again, and only the changed cell after a late-posted entry', async () => {
    const dml = () => stack.salesforce.apiUsage().dml;
    const before = dml();
    expect((await run(stack, '2026-08..2026-10')).status).toBe('ok');
    expect(dml()).toBe(before);

    const copy = () => new Map([...rows(stack)].map(([key, r]) => [key, JSON.stringify(r)]));
    const snapshot = copy();
    stack.intacct.seedGlEntries([
      { accountNo: '4000', amount: -49.5, entryDate: '2026-09-28', customerId: 'C-B' },
    ]);
    await run(stack, '2026-09');
    expect(dml()).toBe(before + 1);
    const changed = [...copy()].filter(([key, r]) => r !== snapshot.get(key)).map(([key]) => key);
    expect(changed.sort()).toEqual(['2026-09:C-B', '2026-09:TOTAL']);
    const after = rows(stack);
    expect(after.get('2026-09:C-B')).toMatchObject({
      Recognised__c: 299.5,
      Booked__c: 0,
      Variance_Percent__c: null,
    });
    expectTable(
      stack,
      expected(accounts, { ...RECOGNISED, 'C-B': { ...RECOGNISED['C-B'], '2026-09': 299.5 } }),
    );
  });

  it('reports a customer Salesforce does not know and keeps its revenue in a row of its own', async () => {
    stack.intacct.userCreate('CUSTOMER', {
      CUSTOMERID: 'C-Z',
      NAME: 'Only in Intacct',
      DISPLAYCONTACT: { PRINTAS: 'Z' },
    });
    stack.intacct.seedGlEntries([
      { accountNo: '4000', amount: -75, entryDate: '2026-10-15', customerId: 'C-Z' },
    ]);
    const result = await run(stack, '2026-10');
    expect(result.detail).toContain('1 customers unknown in Salesforce');
    expect(rows(stack).get('2026-10:C-Z')).toMatchObject({
      Account__c: null,
      Intacct_Customer_Id__c: 'C-Z',
      Recognised__c: 75,
      Booked__c: 0,
    });
    const saved = await savedReport(stack);
    expect(saved?.periods[0]).toMatchObject({
      period: '2026-10',
      unknownCustomers: [{ customerId: 'C-Z', recognised: '75.00' }],
      unlinkedAccounts: [],
      failed: [],
    });
  });

  it('records a refused row as an open failure with its key, and resolves it when a later run writes the row', async () => {
    stack.intacct.seedGlEntries([
      { accountNo: '4000', amount: -1, entryDate: '2026-08-20', customerId: 'C-C' },
    ]);
    stack.salesforce.setFaults({ readOnlyFields: ['Revenue_Reconciliation__c.Recognised__c'] });
    const refused = await run(stack, '2026-08');
    expect(refused.status).toBe('partial');
    const [failure] = await openFailures(stack);
    expect(failure).toMatchObject({
      flow: 'revenue-reconciliation',
      ids: { recordId: '2026-08:C-C', salesforceId: accounts['C-C'], intacctKey: 'C-C' },
      state: 'open',
    });
    expect(failure?.message).toContain('2026-08:C-C');
    expect((await openFailures(stack)).length).toBe(2); // the total row was refused too
    expect(rows(stack).has('2026-08:C-C')).toBe(false);

    stack.salesforce.setFaults({ readOnlyFields: [] });
    expect((await run(stack, '2026-08')).status).toBe('ok');
    expect(rows(stack).get('2026-08:C-C')).toMatchObject({ Recognised__c: 1, Booked__c: 0 });
    expect(await openFailures(stack)).toEqual([]);
  });

  it('tries a period again after a transient failure (two 503s), and ends with the same table', async () => {
    const before = JSON.stringify([...rows(stack)].sort());
    stack.salesforce.setFaults({ failNext: { count: 2 } });
    expect((await run(stack, '2026-10')).status).toBe('ok');
    expect(JSON.stringify([...rows(stack)].sort())).toBe(before);
  });
});

/** Aggregate SOQL in the simulated org, driven through plain jsforce (`conn.query`). */
import { Connection } from 'jsforce/lib/core.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type SalesforceSimulator, startSalesforceSimulator } from '#local/salesforce-sim/index.ts';

let sim: SalesforceSimulator;
let conn: Connection;
const accounts: string[] = [];

type Saved = { id?: string; success: boolean };
const createAll = async (type: string, records: Array<Record<string, unknown>>) => {
  const saved = (await conn.sobject(type).create(records)) as Saved[];
  expect(saved.every((s) => s.success)).toBe(true);
  return saved.map((s) => String(s.id));
};

beforeAll(async () => {
  sim = await startSalesforceSimulator({ seed: 'empty' });
  const info = sim.readyInfo();
  conn = new Connection({
    loginUrl: info.loginUrl,
    version: '62.0',
    oauth2: { loginUrl: info.loginUrl, clientId: info.clientId, clientSecret: info.clientSecret },
  });
  await conn.login(info.username, info.password);
  accounts.push(...(await createAll('Account', [{ Name: 'North' }, { Name: 'South' }, { Name: 'West' }])));
  // Three accounts × three months of closed-won bookings: account i books (i+1) × 100.10 × month
  const deals = accounts.flatMap((AccountId, i) =>
    [1, 2, 3].map((month) => ({
      Name: `Deal ${i}-${month}`,
      AccountId,
      StageName: 'Closed Won',
      CloseDate: `2026-0${month}-15`,
      Amount: Number(((i + 1) * 100.1 * month).toFixed(2)),
    })),
  );
  deals.push({
    Name: 'Open',
    AccountId: accounts[0] as string,
    StageName: 'Prospecting',
    CloseDate: '2026-01-20',
    Amount: 999,
  });
  await createAll('Opportunity', deals);
});
afterAll(async () => {
  await sim.stop();
});

describe('aggregate SOQL through jsforce', () => {
  test('sums a currency field in the corporate currency when grouped, at the CurrencyType rates (record currencies otherwise)', async () => {
    const [account] = await createAll('Account', [{ Name: 'Euro Co' }]);
    const deals = await createAll('Opportunity', [
      {
        Name: 'usd',
        AccountId: account,
        StageName: 'Closed Won',
        CloseDate: '2027-01-10',
        Amount: 100,
        CurrencyIsoCode: 'USD',
      },
      // EUR at 0.92 per USD: 92 EUR is 100 USD; 46.46 EUR is 50.50 USD.
      {
        Name: 'eur',
        AccountId: account,
        StageName: 'Closed Won',
        CloseDate: '2027-01-11',
        Amount: 92,
        CurrencyIsoCode: 'EUR',
      },
      {
        Name: 'eur2',
        AccountId: account,
        StageName: 'Closed Won',
        CloseDate: '2027-01-12',
        Amount: 46.46,
        CurrencyIsoCode: 'EUR',
      },
    ]);
    const where = `AccountId = '${account}'`;
    const grouped = await conn.query<Record<string, unknown>>(
      `SELECT AccountId, SUM(Amount) total, MAX(Amount) biggest FROM Opportunity WHERE ${where} GROUP BY AccountId`,
    );
    expect(grouped.records).toEqual([
      expect.objectContaining({ AccountId: account, total: 250.5, biggest: 100 }),
    ]);
    const plain = await conn.query<Record<string, unknown>>(
      `SELECT SUM(Amount) total FROM Opportunity WHERE ${where}`,
    );
    expect(plain.records[0]).toMatchObject({ total: 238.46 });
    // The other tests count the org's opportunities and accounts: leave them as they were.
    await conn.sobject('Opportunity').destroy(deals);
    await conn.sobject('Account').destroy([account as string]);
  });

  test('bookings per account and close month: AggregateResult records, aliases and expr names', async () => {
    const result = await conn.query<Record<string, unknown>>(
      'SELECT AccountId, CALENDAR_YEAR(CloseDate) y, CALENDAR_MONTH(CloseDate), SUM(Amount) booked, COUNT(Id)' +
        ' FROM Opportunity WHERE IsWon = true AND CloseDate >= 2026-01-01 AND CloseDate < 2026-04-01' +
        ' GROUP BY AccountId, CALENDAR_YEAR(CloseDate), CALENDAR_MONTH(CloseDate)' +
        ' ORDER BY AccountId, CALENDAR_MONTH(CloseDate)',
    );
    expect(result.done).toBe(true);
    expect(result.totalSize).toBe(9);
    expect(result.records[0]).toEqual({
      attributes: { type: 'AggregateResult' },
      AccountId: accounts[0],
      y: 2026,
      expr0: 1,
      booked: 100.1,
      expr1: 1,
    });
    const cells = result.records.map((r) => [r.AccountId, r.expr0, r.booked]);
    expect(cells).toEqual(
      accounts.flatMap((id, i) => [1, 2, 3].map((m) => [id, m, Number(((i + 1) * 100.1 * m).toFixed(2))])),
    );
  });

  test('totals without GROUP BY, HAVING on a sum, and a relationship field as the group', async () => {
    const total = await conn.query<Record<string, unknown>>(
      'SELECT SUM(Amount) total, MIN(CloseDate), MAX(Amount) FROM Opportunity WHERE IsWon = true',
    );
    expect(total.records).toEqual([
      { attributes: { type: 'AggregateResult' }, total: 3603.6, expr0: '2026-01-15', expr1: 900.9 },
    ]);
    const big = await conn.query<Record<string, unknown>>(
      'SELECT Account.Name, SUM(Amount) FROM Opportunity WHERE IsWon = true' +
        ' GROUP BY Account.Name HAVING SUM(Amount) > 1000 ORDER BY SUM(Amount) DESC',
    );
    expect(big.records.map((r) => [r.Name, r.expr0])).toEqual([
      ['West', 1801.8],
      ['South', 1201.2],
    ]);
  });

  test('an aggregate result is one batch: no nextRecordsUrl even beyond the requested batch size', async () => {
    const names = Array.from({ length: 201 }, (_, i) => ({ Name: `Bulk ${String(i).padStart(3, '0')}` }));
    await createAll('Account', names.slice(0, 200));
    await createAll('Account', names.slice(200));
    const result = await conn.query<Record<string, unknown>>(
      "SELECT Name, COUNT(Id) FROM Account WHERE Name LIKE 'Bulk %' GROUP BY Name",
      { headers: { 'Sforce-Query-Options': 'batchSize=200' } },
    );
    expect(result).toMatchObject({ done: true, totalSize: 201 });
    expect(result.nextRecordsUrl).toBeUndefined();
    expect(result.records).toHaveLength(201);
  });

  test('a field neither grouped nor aggregated is MALFORMED_QUERY', async () => {
    await expect(
      conn.query('SELECT Name, SUM(Amount) FROM Opportunity GROUP BY AccountId'),
    ).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
  });
});

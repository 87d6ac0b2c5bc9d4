import { beforeEach, describe, expect, test } from 'vitest';
import { IdFactory } from '#local/salesforce-sim/ids.ts';
import { SchemaRegistry } from '#local/salesforce-sim/schema/registry.ts';
import { seedEmpty } from '#local/salesforce-sim/seed.ts';
import { executeQuery } from '#local/salesforce-sim/soql/execute.ts';
import { parseSoql } from '#local/salesforce-sim/soql/parser.ts';
import { RecordStore } from '#local/salesforce-sim/store.ts';

let store: RecordStore;
let acme = '';
let globex = '';
const run = (q: string) =>
  executeQuery(
    { store, version: '62.0', includeDeleted: false, now: Date.parse('2026-06-15T12:00:00Z') },
    parseSoql(q),
  );
const rows = (q: string) => run(q).records.map(({ attributes: _a, ...r }) => r);

beforeEach(() => {
  store = new RecordStore(new SchemaRegistry(), new IdFactory(), () => Date.parse('2026-06-15T12:00:00Z'));
  const u = seedEmpty(store, 'u@x.example.com').integrationUserId;
  acme = String(store.create('Account', { Name: 'Acme' }, u).Id);
  globex = String(store.create('Account', { Name: 'Globex' }, u).Id);
  const deal = (AccountId: string, CloseDate: string, Amount: number | null, StageName = 'Closed Won') =>
    store.create('Opportunity', { Name: 'D', AccountId, CloseDate, Amount, StageName }, u);
  deal(acme, '2026-01-10', 100.1);
  deal(acme, '2026-01-20', 200.2);
  deal(acme, '2026-02-05', 0.3);
  deal(globex, '2026-02-28', 1000);
  deal(globex, '2026-03-01', null);
  deal(globex, '2026-03-02', 50, 'Prospecting');
});

describe('aggregate SOQL', () => {
  // IDs come in creation order, so Acme's sorts first
  test('SUM by account and CALENDAR_YEAR/CALENDAR_MONTH of a date, exact decimals, default expr names', () => {
    expect(
      rows(
        'SELECT AccountId, CALENDAR_YEAR(CloseDate), CALENDAR_MONTH(CloseDate), SUM(Amount) FROM Opportunity' +
          ' WHERE IsWon = true GROUP BY AccountId, CALENDAR_YEAR(CloseDate), CALENDAR_MONTH(CloseDate)' +
          ' ORDER BY AccountId, CALENDAR_MONTH(CloseDate)',
      ),
    ).toEqual([
      { AccountId: acme, expr0: 2026, expr1: 1, expr2: 300.3 },
      { AccountId: acme, expr0: 2026, expr1: 2, expr2: 0.3 },
      { AccountId: globex, expr0: 2026, expr1: 2, expr2: 1000 },
      { AccountId: globex, expr0: 2026, expr1: 3, expr2: null },
    ]);
  });

  test('aliases, COUNT(field) skipping nulls, COUNT_DISTINCT, MIN/MAX of a date, AVG, a relationship group', () => {
    expect(
      rows(
        'SELECT Account.Name, SUM(Amount) total, COUNT(Id) n, COUNT(Amount), COUNT_DISTINCT(StageName),' +
          ' MIN(CloseDate) first, MAX(CloseDate), AVG(Amount) FROM Opportunity GROUP BY Account.Name ORDER BY Account.Name',
      ),
    ).toEqual([
      {
        Name: 'Acme',
        total: 300.6,
        n: 3,
        expr0: 3,
        expr1: 1,
        first: '2026-01-10',
        expr2: '2026-02-05',
        expr3: 100.2,
      },
      {
        Name: 'Globex',
        total: 1050,
        n: 3,
        expr0: 2,
        expr1: 2,
        first: '2026-02-28',
        expr2: '2026-03-02',
        expr3: 525,
      },
    ]);
  });

  test('without GROUP BY: one row, even over no rows (COUNT 0, SUM null)', () => {
    expect(rows('SELECT COUNT(Id), SUM(Amount) FROM Opportunity')).toEqual([{ expr0: 6, expr1: 1350.6 }]);
    const none = run("SELECT COUNT(Id), SUM(Amount) FROM Opportunity WHERE Name = 'none'");
    expect(none.totalSize).toBe(1);
    expect(none.records).toEqual([{ attributes: { type: 'AggregateResult' }, expr0: 0, expr1: null }]);
  });

  test('HAVING on aggregates (selected or not) and on grouped fields; LIMIT and OFFSET on groups', () => {
    const q = 'SELECT AccountId, SUM(Amount) s FROM Opportunity GROUP BY AccountId';
    expect(rows(`${q} HAVING SUM(Amount) > 500`)).toEqual([{ AccountId: globex, s: 1050 }]);
    expect(rows(`${q} HAVING COUNT(Amount) = 3 AND MAX(CloseDate) < 2026-03-01`)).toEqual([
      { AccountId: acme, s: 300.6 },
    ]);
    expect(rows(`${q} HAVING AccountId IN ('${acme}')`)).toHaveLength(1);
    expect(rows(`${q} ORDER BY SUM(Amount) DESC LIMIT 1 OFFSET 1`)).toEqual([{ AccountId: acme, s: 300.6 }]);
  });

  test('date functions filter in WHERE; GROUP BY without aggregates lists distinct values', () => {
    expect(rows('SELECT COUNT(Id) FROM Opportunity WHERE CALENDAR_MONTH(CloseDate) IN (1, 3)')).toEqual([
      { expr0: 4 },
    ]);
    expect(rows('SELECT StageName FROM Opportunity GROUP BY StageName ORDER BY StageName')).toEqual([
      { StageName: 'Closed Won' },
      { StageName: 'Prospecting' },
    ]);
  });

  test('refuses what Salesforce refuses', () => {
    const bad = (q: string, message: RegExp) =>
      expect(() => run(q)).toThrow(
        expect.objectContaining({ errorCode: 'MALFORMED_QUERY', message: expect.stringMatching(message) }),
      );
    bad(
      'SELECT Name, SUM(Amount) FROM Opportunity GROUP BY AccountId',
      /must be grouped or aggregated: Name/,
    );
    bad('SELECT SUM(Name) FROM Opportunity', /does not support aggregate operator SUM/);
    bad('SELECT MAX(Amount) FROM Opportunity LIMIT 1', /LIMIT needs a GROUP BY/);
    bad('SELECT COUNT() FROM Opportunity GROUP BY AccountId', /COUNT\(\) cannot be used with GROUP BY/);
    bad('SELECT Id, COUNT() FROM Opportunity', /COUNT\(\) must be the only element/);
    bad('SELECT Id FROM Opportunity WHERE SUM(Amount) > 1', /aggregate function SUM\(\) is not allowed here/);
    bad('SELECT AccountId FROM Opportunity GROUP BY SUM(Amount)', /not allowed here/);
    bad('SELECT CALENDAR_MONTH(Name) FROM Opportunity GROUP BY CALENDAR_MONTH(Name)', /takes a date/);
  });

  test('Group stays an object name and an identifier unless BY follows', () => {
    expect(parseSoql('SELECT Id FROM Group').from).toBe('Group');
    expect(parseSoql('SELECT Id FROM Opportunity GROUP BY Id').groupBy).toEqual([
      { kind: 'field', path: ['Id'] },
    ]);
  });
});

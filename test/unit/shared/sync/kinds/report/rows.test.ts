import { describe, expect, it } from 'vitest';
import { periodRows, toRecord } from '#shared/sync/kinds/report/rows.ts';
import { checkCurrency } from '#shared/sync/kinds/report/sources.ts';
import { reportSchema } from '#shared/sync/report-schema.ts';

const report = reportSchema.parse({
  kind: 'report',
  name: 'revenue-reconciliation',
  recognised: { source: 'gl-detail', accounts: ['4000'] },
  baseCurrency: 'USD',
});
const period = { id: '2026-11', first: '2026-11-01', last: '2026-11-30' };

describe('the rows of a period', () => {
  it('pairs customers and accounts through the links, keeps the unlinked apart and leaves empty cells out', () => {
    const out = periodRows(
      period,
      {
        recognised: new Map([
          ['C-1', 10_000n],
          ['C-2', 500n],
          ['C-0', 0n],
          ['', 99n],
        ]),
        booked: new Map([
          ['001A', 12_000n],
          ['001B', 700n],
          ['', 1n],
        ]),
      },
      { accountOf: new Map([['C-1', '001A']]), customerOf: new Map([['001A', 'C-1']]) },
    );
    expect(out.rows).toEqual([
      { key: '2026-11:C-1', customerId: 'C-1', accountId: '001A', booked: 12_000n, recognised: 10_000n },
      { key: '2026-11:C-2', customerId: 'C-2', booked: 0n, recognised: 500n },
      { key: '2026-11:SF-001B', accountId: '001B', booked: 700n, recognised: 0n },
      { key: '2026-11:TOTAL', booked: 12_701n, recognised: 10_599n, total: true },
    ]);
    expect(out.unknownCustomers).toEqual([{ customerId: 'C-2', recognised: '5.00' }]);
    expect(out.unlinkedAccounts).toEqual([{ accountId: '001B', booked: '7.00' }]);
    expect(out.unattributed).toEqual({ recognised: '0.99', booked: '0.01' });
  });

  it('writes no total for a month with nothing in it', () => {
    expect(
      periodRows(
        period,
        { recognised: new Map(), booked: new Map() },
        { accountOf: new Map(), customerOf: new Map() },
      ).rows,
    ).toEqual([]);
  });

  it('turns a row into its record: variance, a percentage of booked, none without bookings', () => {
    const record = toRecord(
      { key: '2026-11:C-1', customerId: 'C-1', accountId: '001A', booked: 12_000n, recognised: 10_000n },
      period,
      report,
    );
    expect(record).toMatchObject({
      Name: '2026-11 C-1',
      Booked__c: 120,
      Recognised__c: 100,
      Variance__c: -20,
      Variance_Percent__c: -16.67,
      Currency_Code__c: 'USD',
      Period_Start__c: '2026-11-01',
      Is_Total__c: false,
    });
    expect(
      toRecord({ key: 'k', customerId: 'C-2', booked: 0n, recognised: 500n }, period, report)
        .Variance_Percent__c,
    ).toBeNull();
  });
});

describe('the currency check', () => {
  it('passes a single-currency org and a matching corporate currency, and names the fix otherwise', () => {
    expect(() => checkCurrency(report, undefined)).not.toThrow();
    expect(() => checkCurrency(report, 'USD')).not.toThrow();
    expect(() => checkCurrency(report, 'EUR')).toThrow(
      /corporate currency is EUR but the report's baseCurrency is USD/,
    );
  });
});

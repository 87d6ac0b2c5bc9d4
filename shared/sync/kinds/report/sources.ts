/**
 * What the revenue reconciliation reads and writes, over the real clients: one aggregate query per
 * period on each side (GL detail or schedule entries grouped by customer; won opportunities
 * grouped by account), the period's rows already in Salesforce, and collection writes of 200.
 */
import { ValidationError } from '#shared/errors.ts';
import { type IntacctClient, type QuerySpec, queryAll, where } from '#shared/intacct/index.ts';
import type { SalesforceClient } from '#shared/salesforce/client.ts';
import { SalesforceApiError } from '#shared/salesforce/errors.ts';
import type { SfRecord } from '#shared/salesforce/reads.ts';
import { escapeSoqlString, soqlName } from '#shared/salesforce/soql.ts';
import type { WriteResult } from '#shared/salesforce/writes.ts';
import type { ReportConfig } from '../../report-schema.ts';
import { REPORT_FIELDS as F, REPORT_READ_FIELDS } from './fields.ts';
import { toCents } from './money.ts';
import { intacctDate, type Period } from './periods.ts';

/** Sums in cents by key (an Intacct CUSTOMERID or a Salesforce account ID; '' for none). */
export type Sums = Map<string, bigint>;

export interface ReportPort {
  recognised(period: Period): Promise<Sums>;
  booked(period: Period): Promise<Sums>;
  /** The org's corporate currency, or undefined in a single-currency org. */
  corporateCurrency(): Promise<string | undefined>;
  /** The period's rows in Salesforce. */
  existing(period: Period): Promise<SfRecord[]>;
  upsert(records: Array<Record<string, unknown>>): Promise<WriteResult[]>;
  remove(ids: readonly string[]): Promise<WriteResult[]>;
}

/** Groups per aggregate page (the `query` function's largest page, Salesforce's aggregate limit). */
const PAGE = 2000;
/** An upper bound on Salesforce keyset pages, so a source that never ends cannot loop. */
const MAX_PAGES = 1000;

/** An aggregate column as Intacct names it: `SUM.AMOUNT` (documented examples differ: also `AMOUNT`). */
const aggregate = (row: Record<string, unknown>, fn: string, field: string) =>
  toCents(row[`${fn}.${field}`] ?? row[field]) ?? 0n;

const add = (sums: Sums, key: string, cents: bigint) => sums.set(key, (sums.get(key) ?? 0n) + cents);

export function reportPort(
  report: ReportConfig,
  clients: { intacct: IntacctClient; salesforce: SalesforceClient },
): ReportPort {
  const { intacct, salesforce } = clients;
  const object = soqlName(report.salesforceObject).text;

  // Aggregate groups page like rows (offset, 2,000 a page), ordered by the grouping field.
  async function groupsOf(spec: QuerySpec, onRow: (row: Record<string, unknown>) => void) {
    for await (const row of queryAll(intacct, { ...spec, pagesize: PAGE })) onRow(row);
  }

  return {
    async recognised(period) {
      const sums: Sums = new Map();
      const r = report.recognised;
      if (r.source === 'gl-detail') {
        // Credits less debits: the sign convention of AMOUNT is not relied on ([unverified] in the reference).
        await groupsOf(
          {
            object: 'GLDETAIL',
            select: ['CUSTOMERID'],
            aggregates: { sum: ['CREDITAMOUNT', 'DEBITAMOUNT'] },
            filter: where.and(
              where.between('BATCH_DATE', intacctDate(period.first), intacctDate(period.last)),
              where.in('ACCOUNTNO', r.accounts),
              where.eq('BOOKID', r.book),
            ),
            orderBy: [{ field: 'CUSTOMERID' }],
          },
          (row) =>
            add(
              sums,
              String(row.CUSTOMERID ?? ''),
              aggregate(row, 'SUM', 'CREDITAMOUNT') - aggregate(row, 'SUM', 'DEBITAMOUNT'),
            ),
        );
      } else {
        await groupsOf(
          {
            object: 'REVRECSCHEDULEENTRY',
            select: ['CUSTOMERID'],
            aggregates: { sum: ['AMOUNT'] },
            filter: where.and(
              where.eq('POSTED', 'true'),
              where.between('POSTINGDATE', intacctDate(period.first), intacctDate(period.last)),
            ),
            orderBy: [{ field: 'CUSTOMERID' }],
          },
          (row) => add(sums, String(row.CUSTOMERID ?? ''), aggregate(row, 'SUM', 'AMOUNT')),
        );
      }
      return sums;
    },

    async booked(period) {
      const b = report.bookings;
      const [account, amount, date] = [b.account, b.amount, b.date].map((f) => soqlName(f).text);
      const sums: Sums = new Map();
      // Aggregate results have no queryMore: page by account ID instead (keyset, 2000 groups a call).
      let after: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const keyset = after === undefined ? '' : ` AND ${account} > '${escapeSoqlString(after)}'`;
        const soql = `SELECT ${account} acct, SUM(${amount}) total FROM ${soqlName(b.object).text} WHERE (${b.where}) AND ${date} >= ${period.first} AND ${date} <= ${period.last}${keyset} GROUP BY ${account} ORDER BY ${account} ASC NULLS FIRST LIMIT ${PAGE}`;
        const rows = await salesforce.query(soql);
        for (const row of rows) add(sums, String(row.acct ?? ''), toCents(row.total) ?? 0n);
        const last = rows.at(-1)?.acct;
        if (rows.length < PAGE || typeof last !== 'string') return sums;
        after = last;
      }
      return sums;
    },

    async corporateCurrency() {
      try {
        const rows = await salesforce.query('SELECT IsoCode FROM CurrencyType WHERE IsCorporate = true');
        return typeof rows[0]?.IsoCode === 'string' ? rows[0].IsoCode : undefined;
      } catch (error) {
        // A single-currency org has no CurrencyType object.
        if (error instanceof SalesforceApiError && error.code === 'INVALID_TYPE') return undefined;
        throw error;
      }
    },

    existing: (period) =>
      salesforce.query(
        `SELECT Id, Name, ${REPORT_READ_FIELDS.join(', ')} FROM ${object} WHERE ${F.period} = '${escapeSoqlString(period.id)}'`,
      ),
    upsert: (records) => salesforce.upsert(report.salesforceObject, F.key, records),
    remove: (ids) => salesforce.delete(report.salesforceObject, ids),
  };
}

/** The corporate currency must be the base currency the rows are written in. */
export function checkCurrency(report: ReportConfig, corporate: string | undefined): void {
  if (corporate === undefined || corporate === report.baseCurrency) return;
  throw new ValidationError(
    `Salesforce's corporate currency is ${corporate} but the report's baseCurrency is ${report.baseCurrency}: Salesforce sums bookings in its corporate currency`,
    {
      code: 'REPORT_CURRENCY_MISMATCH',
      hint: `set "baseCurrency" to the Intacct company's base currency and make it Salesforce's corporate currency too (Setup → Manage Currencies)`,
    },
  );
}

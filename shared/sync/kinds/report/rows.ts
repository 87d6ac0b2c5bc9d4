/**
 * The rows of one period, from the two sides' sums and the account flow's links: one per Intacct
 * customer or Salesforce account with bookings or revenue (none for neither), keyed so that a
 * pair keeps its row; a total per period. Pure: no I/O.
 */
import type { ReportConfig } from '../../report-schema.ts';
import { REPORT_FIELDS as F } from './fields.ts';
import { formatCents, percentOf } from './money.ts';
import type { Period } from './periods.ts';
import type { Sums } from './sources.ts';

export interface ReportRow {
  key: string;
  accountId?: string;
  customerId?: string;
  booked: bigint;
  recognised: bigint;
  total?: true;
}

export interface PeriodRows {
  rows: ReportRow[];
  /** Revenue of customers no Salesforce account is linked to (reported, and kept in their rows). */
  unknownCustomers: Array<{ customerId: string; recognised: string }>;
  /** Bookings of accounts not linked to a customer. */
  unlinkedAccounts: Array<{ accountId: string; booked: string }>;
  /** Revenue without a customer on its GL lines, and bookings without an account: in the total only. */
  unattributed: { recognised: string; booked: string };
}

/**
 * `accountOf`: CUSTOMERID → linked account ID; `customerOf`: account ID → linked CUSTOMERID.
 * A customer's row is keyed by its ID whether or not it is linked (so linking later keeps it);
 * an account without a customer by `SF-<AccountId>`.
 */
export function periodRows(
  period: Period,
  sums: { recognised: Sums; booked: Sums },
  links: { accountOf: Map<string, string>; customerOf: Map<string, string> },
): PeriodRows {
  const rows = new Map<string, ReportRow>();
  const out: PeriodRows = {
    rows: [],
    unknownCustomers: [],
    unlinkedAccounts: [],
    unattributed: { recognised: '0.00', booked: '0.00' },
  };
  const rowOf = (customerId: string | undefined, accountId: string | undefined): ReportRow => {
    const key = `${period.id}:${customerId ?? `SF-${accountId}`}`;
    let row = rows.get(key);
    if (row === undefined) {
      row = {
        key,
        ...(customerId === undefined ? {} : { customerId }),
        ...(accountId === undefined ? {} : { accountId }),
        booked: 0n,
        recognised: 0n,
      };
      rows.set(key, row);
    }
    return row;
  };
  const total = { booked: 0n, recognised: 0n };
  for (const [customerId, cents] of sums.recognised) {
    total.recognised += cents;
    if (customerId === '') {
      out.unattributed.recognised = formatCents(cents);
      continue;
    }
    const accountId = links.accountOf.get(customerId);
    rowOf(customerId, accountId).recognised += cents;
    if (accountId === undefined && cents !== 0n)
      out.unknownCustomers.push({ customerId, recognised: formatCents(cents) });
  }
  for (const [accountId, cents] of sums.booked) {
    total.booked += cents;
    if (accountId === '') {
      out.unattributed.booked = formatCents(cents);
      continue;
    }
    const customerId = links.customerOf.get(accountId);
    rowOf(customerId, accountId).booked += cents;
    if (customerId === undefined && cents !== 0n)
      out.unlinkedAccounts.push({ accountId, booked: formatCents(cents) });
  }
  out.rows = [...rows.values()].filter((r) => r.booked !== 0n || r.recognised !== 0n);
  out.rows.sort((a, b) => a.key.localeCompare(b.key));
  if (out.rows.length > 0 || total.booked !== 0n || total.recognised !== 0n)
    out.rows.push({ key: `${period.id}:TOTAL`, ...total, total: true });
  return out;
}

/** What the sources were, written on each row so a reader knows what was compared. */
export function sourcesText(report: ReportConfig): string {
  const r = report.recognised;
  const recognised =
    r.source === 'gl-detail'
      ? `Intacct GLDETAIL credits less debits on accounts ${r.accounts.join(', ')}, book ${r.book}, by BATCH_DATE`
      : 'Intacct posted REVRECSCHEDULEENTRY AMOUNT by POSTINGDATE';
  const b = report.bookings;
  return `Recognised: ${recognised}. Booked: Salesforce SUM(${b.object}.${b.amount}) where ${b.where}, by ${b.date}, in the corporate currency.`.slice(
    0,
    255,
  );
}

/** A row as the Salesforce record it becomes. */
export function toRecord(row: ReportRow, period: Period, report: ReportConfig): Record<string, unknown> {
  const variance = row.recognised - row.booked;
  const who = row.total ? 'Total' : (row.customerId ?? row.accountId ?? '');
  return {
    Name: `${period.id} ${who}`.slice(0, 80),
    [F.key]: row.key,
    [F.period]: period.id,
    [F.periodStart]: period.first,
    [F.account]: row.accountId ?? null,
    [F.customer]: row.customerId ?? null,
    // JSON numbers: a value of two decimals prints exactly as written ("1234.5"), the sums stay exact.
    [F.booked]: Number(formatCents(row.booked)),
    [F.recognised]: Number(formatCents(row.recognised)),
    [F.variance]: Number(formatCents(variance)),
    [F.variancePercent]: row.booked === 0n ? null : Number(percentOf(variance, row.booked)),
    [F.currency]: report.baseCurrency,
    [F.sources]: sourcesText(report),
    [F.total]: row.total === true,
  };
}

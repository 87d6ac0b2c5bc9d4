/**
 * Runs the `report` kind for some periods (DESIGN §4): per period, one aggregate read of each side,
 * the pairs from the account flow's links (batched crosswalk reads), the rows already in
 * Salesforce; then only the rows that differ are upserted and the rows no longer wanted (a pair
 * linked since, a reversal that left neither bookings nor revenue) deleted. A rerun of an
 * unchanged period writes nothing. Refused writes become failures with the row's key; a later
 * run that writes the row resolves them.
 */
import type { Ledger } from '#shared/aws/ledger.ts';
import type { SfRecord } from '#shared/salesforce/reads.ts';
import type { Crosswalk } from '../../ports.ts';
import type { ReportConfig } from '../../report-schema.ts';
import { DECIMAL_FIELDS, REPORT_FIELDS as F } from './fields.ts';
import { toCents } from './money.ts';
import type { Period } from './periods.ts';
import { type PeriodRows, periodRows, toRecord } from './rows.ts';
import { checkCurrency, type ReportPort } from './sources.ts';

export interface ReportDeps {
  port: ReportPort;
  crosswalk: Crosswalk;
  ledger: Pick<Ledger, 'failure' | 'resolveFailures' | 'addStats'>;
  now?: () => Date;
  /** Tries per period when a call fails transiently (a dropped connection, a 503); default 3. */
  attempts?: number;
  /** Waits between tries (default: 1 s, then 2 s…). */
  sleep?: (ms: number) => Promise<void>;
}

export interface PeriodReport extends Omit<PeriodRows, 'rows'> {
  period: string;
  rows: number;
  written: number;
  deleted: number;
  unchanged: number;
  failed: Array<{ key: string; code: string; message: string }>;
  totals: { booked: string; recognised: string; variance: string };
}

export interface ReportRun {
  report: string;
  periods: PeriodReport[];
}

export async function runReport(
  deps: ReportDeps,
  report: ReportConfig,
  periods: readonly Period[],
): Promise<ReportRun> {
  const now = deps.now ?? (() => new Date());
  const attempts = deps.attempts ?? 3;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // A period is read whole and written where it differs, so trying it again is safe: a transient
  // failure (nothing retries it here, unlike the worker's jobs) costs a retry, not the month's run.
  const retrying = async <T>(step: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await step();
      } catch (error) {
        if ((error as { retryable?: unknown }).retryable !== true || attempt >= attempts) throw error;
        await sleep(1000 * 2 ** (attempt - 1));
      }
    }
  };
  checkCurrency(report, await retrying(() => deps.port.corporateCurrency()));
  const out: PeriodReport[] = [];
  for (const period of periods) out.push(await retrying(() => runPeriod(deps, report, period, now)));
  return { report: report.name, periods: out };
}

async function runPeriod(
  deps: ReportDeps,
  report: ReportConfig,
  period: Period,
  now: () => Date,
): Promise<PeriodReport> {
  const [recognised, booked, existing] = await Promise.all([
    deps.port.recognised(period),
    deps.port.booked(period),
    deps.port.existing(period),
  ]);
  const customers = [...recognised.keys()].filter((k) => k !== '');
  const accounts = [...booked.keys()].filter((k) => k !== '');
  const [byCustomer, byAccount] = await Promise.all([
    deps.crosswalk.byIntacctKeys(report.via, customers),
    deps.crosswalk.bySalesforceIds(report.via, accounts),
  ]);
  const accountOf = new Map([...byCustomer].map(([key, link]) => [key, link.salesforceId]));
  const customerOf = new Map([...byAccount].map(([id, link]) => [id, link.intacctKey]));
  const planned = periodRows(period, { recognised, booked }, { accountOf, customerOf });

  const have = new Map(existing.map((r) => [String(r[F.key]), r]));
  const records = planned.rows.map((row) => toRecord(row, period, report));
  const changed = records.filter((r) => !same(r, have.get(String(r[F.key]))));
  const wanted = new Set(records.map((r) => String(r[F.key])));
  const stale = existing.filter((r) => !wanted.has(String(r[F.key])));

  const [written, removed] = await Promise.all([
    changed.length === 0 ? [] : deps.port.upsert(changed),
    stale.length === 0 ? [] : deps.port.remove(stale.map((r) => String(r.Id))),
  ]);
  const at = now().toISOString();
  const failed: PeriodReport['failed'] = [];
  const ok: string[] = [];
  const outcomes = [
    ...written.map((w, i) => ({ w, record: changed[i] })),
    ...removed.map((w, i) => ({ w, record: stale[i] })),
  ];
  for (const { w, record } of outcomes) {
    const key = String(record?.[F.key] ?? '');
    if (w.success) {
      ok.push(key);
      continue;
    }
    const error = w.errors[0];
    failed.push({ key, code: error?.statusCode ?? 'UNKNOWN', message: error?.message ?? '' });
    await deps.ledger.failure({
      flow: report.name,
      id: key,
      at,
      code: error?.statusCode ?? 'UNKNOWN',
      message: `${report.salesforceObject} ${key}: ${error?.message ?? 'refused'}`,
      hint: 'fix the cause (field permissions, validation rules on the object), then run the report for this period again',
      retryable: w.retryable,
      ids: {
        recordId: key,
        salesforceId: typeof record?.[F.account] === 'string' ? (record[F.account] as string) : undefined,
        intacctKey: typeof record?.[F.customer] === 'string' ? (record[F.customer] as string) : undefined,
      },
    });
  }
  if (ok.length > 0) await deps.ledger.resolveFailures(report.name, ok, at);
  await deps.ledger.addStats(report.name, at.slice(0, 10), {
    received: planned.rows.length,
    created: written.filter((w) => w.success && w.created === true).length,
    updated: written.filter((w) => w.success && w.created !== true).length,
    skipped: planned.rows.length - changed.length,
    failed: failed.length,
  });
  const total = records.find((r) => r[F.total] === true);
  return {
    period: period.id,
    rows: planned.rows.length,
    written: written.filter((w) => w.success).length,
    deleted: removed.filter((w) => w.success).length,
    unchanged: planned.rows.length - changed.length,
    failed,
    unknownCustomers: planned.unknownCustomers,
    unlinkedAccounts: planned.unlinkedAccounts,
    unattributed: planned.unattributed,
    totals: {
      booked: String(total?.[F.booked] ?? 0),
      recognised: String(total?.[F.recognised] ?? 0),
      variance: String(total?.[F.variance] ?? 0),
    },
  };
}

/** Whether the row in Salesforce already says what the record would write. */
function same(record: Record<string, unknown>, current: SfRecord | undefined): boolean {
  if (current === undefined) return false;
  return Object.entries(record).every(([field, value]) => {
    const now = current[field];
    if (DECIMAL_FIELDS.has(field)) return toCents(value) === toCents(now);
    if (typeof value === 'boolean') return value === (now === true);
    return (value ?? '') === (now ?? '');
  });
}

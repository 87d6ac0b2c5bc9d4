/**
 * The schedules that run reports (`revenue-reconciliation`, monthly after period end) and
 * `sfi run-schedule <it> --period 2026-11` (or a range, `2026-01..2026-03`). Without a period a
 * run covers the report's last closed months in the Intacct company's calendar. Each run's report
 * is kept for `sfi status` and answers the run (unknown customers, unlinked accounts, failures).
 */
import type { Ledger } from '#shared/aws/ledger.ts';
import type { StateStore } from '#shared/aws/state-store.ts';
import type { CompanyClock, IntacctClient } from '#shared/intacct/index.ts';
import type { SalesforceClient } from '#shared/salesforce/index.ts';
import { type ReportRun, runReport } from '#shared/sync/kinds/report/index.ts';
import { closedPeriods, parsePeriods } from '#shared/sync/kinds/report/periods.ts';
import { reportPort } from '#shared/sync/kinds/report/sources.ts';
import type { Crosswalk } from '#shared/sync/ports.ts';
import type { ReportConfig } from '#shared/sync/report-schema.ts';
import type { ScheduleTask } from './use-case.ts';

export interface ReportTaskDeps {
  reports: readonly ReportConfig[];
  salesforce: () => Promise<SalesforceClient>;
  intacct: () => Promise<IntacctClient>;
  crosswalk: Crosswalk;
  ledger: Pick<Ledger, 'failure' | 'resolveFailures' | 'addStats'>;
  state: StateStore;
  clock: CompanyClock;
  now?: () => Date;
}

/** The company's date today, `YYYY-MM-DD`, from its wall clock. */
const companyToday = (clock: CompanyClock, at: Date) => {
  const wall = clock.format(at.getTime());
  return `${wall.slice(6, 10)}-${wall.slice(0, 2)}-${wall.slice(3, 5)}`;
};

export function summary(run: ReportRun): string {
  return run.periods
    .map(
      (p) =>
        `${run.report} ${p.period}: ${p.rows} rows, ${p.written} written, ${p.deleted} deleted, ${p.unchanged} unchanged, ${p.failed.length} failed, ${p.unknownCustomers.length} customers unknown in Salesforce (booked ${p.totals.booked}, recognised ${p.totals.recognised})`,
    )
    .join('; ');
}

/** One task per schedule that runs enabled reports. */
export function makeReportTasks(deps: ReportTaskDeps): Record<string, ScheduleTask> {
  const tasks: Record<string, ScheduleTask> = {};
  for (const schedule of new Set(deps.reports.filter((r) => r.enabled).map((r) => r.schedule))) {
    const reports = deps.reports.filter((r) => r.enabled && r.schedule === schedule);
    tasks[schedule] = async ({ startedAt, args }) => {
      const [salesforce, intacct] = await Promise.all([deps.salesforce(), deps.intacct()]);
      const runs: ReportRun[] = [];
      for (const report of reports) {
        const periods =
          args?.period === undefined
            ? closedPeriods(companyToday(deps.clock, startedAt), report.lookbackMonths)
            : parsePeriods(args.period);
        const run = await runReport(
          {
            port: reportPort(report, { salesforce, intacct }),
            crosswalk: deps.crosswalk,
            ledger: deps.ledger,
            ...(deps.now ? { now: deps.now } : {}),
          },
          report,
          periods,
        );
        await deps.state.saveReport('report', report.name, run);
        runs.push(run);
      }
      return {
        enqueued: 0,
        detail: runs.map(summary).join('; '),
        ...(runs.some((r) => r.periods.some((p) => p.failed.length > 0)) ? { partial: true } : {}),
      };
    };
  }
  return tasks;
}

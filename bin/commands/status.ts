/**
 * `sfi status [--json]`: queues, per-flow stats today and over 7 days, open failures by class,
 * the last run of each schedule, paused flows and the month's Intacct use and projection.
 */
import type { OpsStatus } from '#shared/ops/ops-status.ts';
import { opsStatus } from '#shared/ops/ops-status.ts';
import type { TargetFlags } from '#shared/ops/target.ts';
import { printJson, withTarget } from './with-target.ts';

function text(s: OpsStatus): string {
  const q = s.queues;
  const lines = [
    `${s.where}: ${s.idle ? 'idle' : 'working'}`,
    `queues   jobs ${q.jobs.visible} waiting, ${q.jobs.inFlight} in flight, ${q.jobs.delayed} delayed · DLQ ${q.dlq.visible + q.dlq.inFlight}`,
    `flows    today (received created updated skipped failed) · last 7 days`,
    ...Object.entries(s.flows).map(([flow, t]) => {
      const w = s.flowsLast7Days[flow];
      const row = (x: typeof t | undefined) =>
        x === undefined ? '-' : `${x.received} ${x.created} ${x.updated} ${x.skipped} ${x.failed}`;
      return `  ${flow.padEnd(28)} ${row(t).padEnd(22)} · ${row(w)}`;
    }),
    `failures ${s.openFailures.total} open${
      s.openFailures.total === 0
        ? ''
        : ` (${Object.entries(s.openFailures.byClass)
            .map(([c, n]) => `${c} ${n}`)
            .join(', ')}): sfi failures`
    }`,
    `paused   ${s.paused.length === 0 ? 'none' : s.paused.map((p) => p.flow).join(', ')}`,
    `Intacct  ${s.budget.used} of ${s.budget.allowance} transactions this month, ${s.budget.projected} projected${
      s.budget.bulkDeferred ? ' · bulk work deferred (reserve reached)' : ''
    }`,
    `Salesforce ${
      s.salesforceApi === undefined
        ? 'no API use seen yet'
        : `${s.salesforceApi.used} of ${s.salesforceApi.limit} daily API calls (seen ${s.salesforceApi.at}${s.salesforceApi.fresh ? '' : ', stale'})${
            s.salesforceApi.bulkDeferred
              ? ` · bulk work deferred (reserve ${s.salesforceApi.reservePercent}% reached)`
              : ''
          }`
    }`,
    'schedules',
    ...s.schedules.map(
      (x) =>
        `  ${x.name.padEnd(28)} ${(x.rate ?? x.cron ?? '').padEnd(22)} ${
          x.lastRun === undefined
            ? 'never run'
            : `${x.lastRun.status} ${x.lastRun.startedAt} (${x.lastRun.enqueued} jobs)`
        }${x.lastRun?.detail ? `\n    ${x.lastRun.detail.split('; ').join('\n    ')}` : ''}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export async function runStatus(flags: TargetFlags, json: boolean): Promise<number> {
  const doc = await withTarget(flags, (context, stores) => opsStatus(context, stores));
  if (json) printJson(doc);
  else process.stdout.write(text(doc));
  return 0;
}

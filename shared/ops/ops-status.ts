/**
 * The document `sfi status` prints and the console shows, built through the SDK from the stack's
 * queues and tables: queue depths, per-flow stats today and over 7 days, open failures by flow and
 * class, the last run of each schedule, paused flows and the month's Intacct use and projection,
 * and the latest reconciliation of each mirror flow.
 */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { STAT_NAMES, type StatName } from '#shared/aws/ledger.ts';
import { withDigestSchedule } from '#shared/config/notifications-config.ts';
import type { ReconcileReport } from '#shared/sync/reconcile/index.ts';
import type { OpsContext, OpsStores } from './context.ts';
import { operatingStatus } from './operate.ts';

export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
}

export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<QueueDepth> {
  const a =
    (
      await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      )
    ).Attributes ?? {};
  return {
    visible: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

export async function queueDepths(
  context: Pick<OpsContext, 'sqs' | 'outputs'>,
): Promise<Record<'jobs' | 'dlq', QueueDepth>> {
  const [jobs, dlq] = await Promise.all([
    queueDepth(context.sqs, context.outputs.jobsQueueUrl),
    queueDepth(context.sqs, context.outputs.deadLetterQueueUrl),
  ]);
  return { jobs, dlq };
}

const DAY_MS = 86_400_000;
type Stats = Record<StatName, number>;
const zero = (): Stats => Object.fromEntries(STAT_NAMES.map((n) => [n, 0])) as Stats;

/** Per flow: today's counts and the sum of the last 7 days (today included). */
async function flowStats(stores: OpsStores, flows: readonly string[], now: Date) {
  const days = Array.from({ length: 7 }, (_, i) =>
    new Date(now.getTime() - i * DAY_MS).toISOString().slice(0, 10),
  );
  const perDay = await Promise.all(days.map((day) => stores.ledger.statsForDay(day)));
  const out: Record<string, { today: Stats; last7Days: Stats }> = {};
  for (const flow of flows) out[flow] = { today: zero(), last7Days: zero() };
  perDay.forEach((stats, i) => {
    for (const [flow, counts] of Object.entries(stats)) {
      if (out[flow] === undefined) out[flow] = { today: zero(), last7Days: zero() };
      const entry = out[flow];
      for (const n of STAT_NAMES) {
        entry.last7Days[n] += counts[n];
        if (i === 0) entry.today[n] += counts[n];
      }
    }
  });
  return out;
}

async function openFailureSummary(stores: OpsStores, flows: readonly string[]) {
  const open = (await Promise.all(flows.map((f) => stores.ledger.openFailures(f)))).flat();
  const tally = (key: (f: (typeof open)[number]) => string) => {
    const out: Record<string, number> = {};
    for (const f of open) out[key(f)] = (out[key(f)] ?? 0) + 1;
    return out;
  };
  return { total: open.length, byFlow: tally((f) => f.flow), byClass: tally((f) => f.class) };
}

export async function opsStatus(context: OpsContext, stores: OpsStores, now = new Date()) {
  const flows = context.config.flows.map((f) => f.name);
  const [queues, stats, failures, operating, recentFailures] = await Promise.all([
    queueDepths(context),
    flowStats(stores, flows, now),
    openFailureSummary(stores, flows),
    operatingStatus({ ...stores.operate, now: () => now }),
    stores.ledger.recentFailures(20),
  ]);
  const schedules = await Promise.all(
    withDigestSchedule(context.config.schedules, context.config.notifications).map(async (s) => ({
      name: s.name,
      rate: s.rate,
      cron: s.cron,
      description: s.description,
      lastRun: (await stores.state.recentRuns(s.name, 1))[0],
    })),
  );
  const reconciliations = Object.fromEntries(
    (
      await Promise.all(
        context.config.flows
          .filter((f) => f.kind === 'mirror')
          .map(async (f) => {
            const r = await stores.state.latestReport<ReconcileReport>('reconcile', f.name);
            return r === undefined
              ? []
              : [[f.name, { finishedAt: r.finishedAt, counts: r.counts, cost: r.cost, fix: r.fix }] as const];
          }),
      )
    ).flat(),
  );
  // On-demand backfills are recorded as runs of `backfill#<flow>` (the scheduler's backfill operation).
  const backfills = Object.fromEntries(
    (
      await Promise.all(
        flows.map(async (flow) => {
          const [last] = await stores.state.recentRuns(`backfill#${flow}`, 1);
          return last === undefined ? [] : [[flow, last] as const];
        }),
      )
    ).flat(),
  );
  return {
    where: context.where,
    idle: queues.jobs.visible + queues.jobs.inFlight + queues.jobs.delayed === 0,
    queues,
    ...operating,
    flows: Object.fromEntries(Object.entries(stats).map(([flow, s]) => [flow, s.today])),
    flowsLast7Days: Object.fromEntries(Object.entries(stats).map(([flow, s]) => [flow, s.last7Days])),
    openFailures: failures,
    recentFailures,
    schedules,
    backfills,
    reconciliations,
  };
}

export type OpsStatus = Awaited<ReturnType<typeof opsStatus>>;

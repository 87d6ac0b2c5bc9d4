/** Composition root of the scheduler Lambda (EventBridge scheduled event → one schedule run). */
import { randomUUID } from 'node:crypto';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { makeClients } from '#functions/commons/clients.ts';
import { loadConfigFromEnv } from '#functions/commons/config.ts';
import { rawConfigFromEnv } from '#functions/commons/config-raw.ts';
import { makeDocumentClient } from '#functions/commons/dynamodb.ts';
import { makeLogger, makeSqsClient, requireEnv } from '#functions/commons/runtime.ts';
import { dynamoCrosswalk } from '#shared/aws/crosswalk.ts';
import { SqsJobQueue } from '#shared/aws/job-queue.ts';
import { DynamoKvTable } from '#shared/aws/kv-table.ts';
import { DynamoLedger } from '#shared/aws/ledger.ts';
import { DynamoStateStore } from '#shared/aws/state-store.ts';
import { DIGEST_SCHEDULE, withDigestSchedule } from '#shared/config/notifications-config.ts';
import { ValidationError } from '#shared/errors.ts';
import { companyClock } from '#shared/intacct/index.ts';
import { makeFailureDigest } from '#shared/ops/digest.ts';
import { SnsDigestPublisher } from '#shared/ops/digest-publisher.ts';
import { DynamoDigestStore } from '#shared/ops/digest-store.ts';
import { makeBackfill } from './backfill-task.ts';
import { makeDeltaTasks } from './delta-tasks.ts';
import { makeDigestTask } from './digest-task.ts';
import { makeDryRun } from './dry-run-task.ts';
import { disabledFlows, makeOperations } from './operations.ts';
import { combineTasks, makeRecheckTasks } from './recheck-tasks.ts';
import { makeReconcileTask } from './reconcile-task.ts';
import { makeReportTasks } from './report-tasks.ts';
import { makeScheduler } from './use-case.ts';

const config = loadConfigFromEnv();
const db = makeDocumentClient();
const state = new DynamoStateStore({ db, table: requireEnv('STATE_TABLE') });
const clients = makeClients(
  config,
  Number(process.env.SFI_WORKER_PROCESSES ?? config.worker.maxConcurrency),
  db,
);
const queue = new SqsJobQueue({ client: makeSqsClient(), queueUrl: requireEnv('JOBS_QUEUE_URL') });
const clock = companyClock(config.intacct.timezone);
// Read only here: the reconciliation scans it, the reports pair keys through it.
const crosswalk = dynamoCrosswalk({ db, table: requireEnv('CROSSWALK_TABLE') });
const ledger = new DynamoLedger({
  db,
  table: requireEnv('LEDGER_TABLE'),
  auditDays: config.retention.auditDays,
  failureDays: config.retention.failureDays,
});
// The failure digest reads the ledger (never writes it) and keeps its claims in the state table.
const digest = makeFailureDigest({
  flows: config.flows.map((flow) => flow.name),
  ledger,
  store: new DynamoDigestStore({
    db,
    table: requireEnv('STATE_TABLE'),
    markDays: config.retention.failureDays,
  }),
  publisher: new SnsDigestPublisher({ sns: new SNSClient({}), topicArn: requireEnv('FAILURE_TOPIC_ARN') }),
  digestMinutes: config.notifications.digestMinutes,
  maxListed: config.notifications.maxFailuresPerMessage,
  owner: randomUUID(),
  logger: makeLogger('scheduler'),
});
const run = makeScheduler({
  state,
  schedules: withDigestSchedule(config.schedules, config.notifications),
  tasks: {
    ...combineTasks(
      makeDeltaTasks({
        flows: config.flows,
        overlapMs: config.delta.overlapSeconds * 1000,
        clock,
        intacctDeletes: config.delta.intacctDeletes,
        salesforce: clients.salesforce,
        intacct: clients.intacct,
        queue,
        state,
      }),
      makeRecheckTasks({ flows: config.flows, intacct: clients.intacct, queue }),
      makeReportTasks({
        reports: config.reports,
        salesforce: clients.salesforce,
        intacct: clients.intacct,
        crosswalk,
        ledger,
        state,
        clock,
      }),
    ),
    reconcile: makeReconcileTask({
      flows: config.flows,
      salesforce: clients.salesforce,
      intacct: clients.intacct,
      crosswalk,
      queue,
      state,
      clock,
      fix: config.reconcile.fix,
    }),
    [DIGEST_SCHEDULE]: makeDigestTask(digest),
  },
  logger: makeLogger('scheduler'),
  leaseMs: 15 * 60 * 1000,
  owner: randomUUID(),
});

const readers = {
  salesforce: clients.salesforce,
  intacct: clients.intacct,
  clock,
  intacctDeletes: config.delta.intacctDeletes,
};
const operate = makeOperations({
  config,
  disabled: disabledFlows(rawConfigFromEnv()),
  backfill: makeBackfill({ ...readers, flows: config.flows, queue, state }),
  dryRun: makeDryRun({
    ...readers,
    flows: config.flows,
    crosswalkTable: new DynamoKvTable({ db, table: requireEnv('CROSSWALK_TABLE') }),
    ledger,
    logger: makeLogger('scheduler'),
    batchSize: config.worker.batchSize,
    functionsPerRequest: config.intacct.functionsPerRequest,
    claimTtlSeconds: config.worker.timeoutSeconds + 60,
  }),
});

/** Stop this long before the Lambda's timeout: the last page's enqueue and checkpoint must fit. */
const BUDGET_MARGIN_MS = 30_000;

type SchedulerEvent = ScheduledEvent<{
  schedule?: string;
  flow?: string;
  fix?: boolean;
  /** A report's month or range (`sfi run-schedule revenue-reconciliation --period 2026-11`). */
  period?: string;
  /** An on-demand run may ask for a smaller time budget than the config's (the scale bench). */
  budgetSeconds?: number;
}>;

/** The time this invocation may work: the Lambda's remaining time less the margin, or less if asked. */
function deadlineOf(event: SchedulerEvent, context?: Partial<Context>): number {
  const remaining = context?.getRemainingTimeInMillis?.() ?? 300_000;
  const budget = Math.min(
    Math.max(0, remaining - BUDGET_MARGIN_MS),
    (config.delta.pollBudgetSeconds ?? Number.POSITIVE_INFINITY) * 1000,
    typeof event.detail?.budgetSeconds === 'number'
      ? event.detail.budgetSeconds * 1000
      : Number.POSITIVE_INFINITY,
  );
  return Date.now() + budget;
}

async function handle(event: SchedulerEvent, context?: Partial<Context>) {
  const detail = (event.detail ?? {}) as Record<string, unknown>;
  // An on-demand operation of sfi (describe, backfill, dry-run), else a schedule run.
  if (detail.op !== undefined) return operate(detail, deadlineOf(event, context));
  const schedule = event.detail?.schedule;
  if (typeof schedule !== 'string') {
    throw new ValidationError('scheduled event has no detail.schedule', {
      code: 'SCHEDULE_MISSING',
      hint: 'the EventBridge rule input must carry {"detail":{"schedule":"<name>"}} (the stack sets it)',
    });
  }
  // An on-demand run may name a flow and ask for repairs (`sfi reconcile <flow> --fix`).
  const { flow, fix, period } = event.detail ?? {};
  const args = {
    ...(typeof flow === 'string' ? { flow } : {}),
    ...(typeof fix === 'boolean' ? { fix } : {}),
    ...(typeof period === 'string' ? { period } : {}),
  };
  return run(schedule, deadlineOf(event, context), args);
}

export const handler = middy<SchedulerEvent, Awaited<ReturnType<typeof handle>>>().handler(handle);

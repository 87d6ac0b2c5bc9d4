/** Composition root of the scheduler Lambda (EventBridge scheduled event → one schedule run). */
import { randomUUID } from 'node:crypto';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { makeClients } from '#functions/commons/clients.ts';
import { loadConfigFromEnv } from '#functions/commons/config.ts';
import { makeDocumentClient, makeLogger, makeSqsClient, requireEnv } from '#functions/commons/runtime.ts';
import { dynamoCrosswalk } from '#shared/aws/crosswalk.ts';
import { SqsJobQueue } from '#shared/aws/job-queue.ts';
import { DynamoLedger } from '#shared/aws/ledger.ts';
import type { RunRecord } from '#shared/aws/state-store.ts';
import { DynamoStateStore } from '#shared/aws/state-store.ts';
import { DIGEST_SCHEDULE, withDigestSchedule } from '#shared/config/notifications-config.ts';
import { ValidationError } from '#shared/errors.ts';
import { companyClock } from '#shared/intacct/index.ts';
import { makeFailureDigest } from '#shared/ops/digest.ts';
import { SnsDigestPublisher } from '#shared/ops/digest-publisher.ts';
import { DynamoDigestStore } from '#shared/ops/digest-store.ts';
import { makeDeltaTasks } from './delta-tasks.ts';
import { makeDigestTask } from './digest-task.ts';
import { combineTasks, makeRecheckTasks } from './recheck-tasks.ts';
import { makeReconcileTask } from './reconcile-task.ts';
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
// The failure digest reads the ledger (never writes it) and keeps its claims in the state table.
const digest = makeFailureDigest({
  flows: config.flows.map((flow) => flow.name),
  ledger: new DynamoLedger({
    db,
    table: requireEnv('LEDGER_TABLE'),
    auditDays: config.retention.auditDays,
    failureDays: config.retention.failureDays,
  }),
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
    ),
    reconcile: makeReconcileTask({
      flows: config.flows,
      salesforce: clients.salesforce,
      intacct: clients.intacct,
      crosswalk: dynamoCrosswalk({ db, table: requireEnv('CROSSWALK_TABLE') }),
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

/** Stop this long before the Lambda's timeout: the last page's enqueue and checkpoint must fit. */
const BUDGET_MARGIN_MS = 30_000;

type SchedulerEvent = ScheduledEvent<{
  schedule?: string;
  flow?: string;
  fix?: boolean;
  /** An on-demand run may ask for a smaller time budget than the config's (the scale bench). */
  budgetSeconds?: number;
}>;

/**
 * `{detail: {op: 'describe'}}` (sfi, before any command): the config compiled into this bundle,
 * so the CLI of a deployed stack knows its flows and schedules without the operator's file.
 */
function describe() {
  return {
    op: 'describe' as const,
    config,
    flows: config.flows.map((f) => ({
      name: f.name,
      kind: f.kind,
      enabled: true,
      salesforceObject: f.salesforceObject,
      intacctObject: f.intacctObject,
    })),
    schedules: withDigestSchedule(config.schedules, config.notifications).map((s) => ({
      name: s.name,
      ...(s.rate === undefined ? {} : { rate: s.rate }),
      ...(s.cron === undefined ? {} : { cron: s.cron }),
      ...(s.description === undefined ? {} : { description: s.description }),
    })),
  };
}

async function handle(
  event: SchedulerEvent,
  context?: Partial<Context>,
): Promise<RunRecord | ReturnType<typeof describe>> {
  if ((event.detail as { op?: unknown } | undefined)?.op === 'describe') return describe();
  const schedule = event.detail?.schedule;
  if (typeof schedule !== 'string') {
    throw new ValidationError('scheduled event has no detail.schedule', {
      code: 'SCHEDULE_MISSING',
      hint: 'the EventBridge rule input must carry {"detail":{"schedule":"<name>"}} (the stack sets it)',
    });
  }
  const remaining = context?.getRemainingTimeInMillis?.() ?? 300_000;
  const budget = Math.min(
    Math.max(0, remaining - BUDGET_MARGIN_MS),
    (config.delta.pollBudgetSeconds ?? Number.POSITIVE_INFINITY) * 1000,
    typeof event.detail?.budgetSeconds === 'number'
      ? event.detail.budgetSeconds * 1000
      : Number.POSITIVE_INFINITY,
  );
  // An on-demand run may name a flow and ask for repairs (`sfi reconcile <flow> --fix`).
  const { flow, fix } = event.detail ?? {};
  const args = {
    ...(typeof flow === 'string' ? { flow } : {}),
    ...(typeof fix === 'boolean' ? { fix } : {}),
  };
  return run(schedule, Date.now() + budget, args);
}

export const handler = middy<SchedulerEvent, Awaited<ReturnType<typeof handle>>>().handler(handle);

/**
 * The operations that act on a stack now, for `sfi` and the console alike: run a schedule, a
 * reconciliation, a backfill (invocation after invocation until it is enumerated, with progress)
 * or a dry run through the scheduler Lambda; replay one record by putting its job on the queue;
 * unlink one pair from the crosswalk. Each checks its arguments first and changes nothing on a
 * bad one.
 */
import { randomUUID } from 'node:crypto';
import { SqsJobQueue } from '#shared/aws/job-queue.ts';
import { withDigestSchedule } from '#shared/config/notifications-config.ts';
import { SyncError, ValidationError } from '#shared/errors.ts';
import type { ReconcileReport } from '#shared/sync/reconcile/index.ts';
import type { OpsContext, OpsStores } from './context.ts';
import { knownFlow } from './operate.ts';

export function knownSchedule(context: Pick<OpsContext, 'config'>, name: string): string {
  const names = withDigestSchedule(context.config.schedules, context.config.notifications).map((s) => s.name);
  if (names.includes(name)) return name;
  throw new ValidationError(`no schedule "${name}"; the schedules are: ${names.join(', ')}`, {
    code: 'SCHEDULE_UNKNOWN',
    hint: 'give one of those names (sfi status lists them with their last run)',
  });
}

const flowNames = (context: Pick<OpsContext, 'config'>) => context.config.flows.map((f) => f.name);

export function checkSince(since: string | undefined): string | undefined {
  if (since === undefined) return undefined;
  const at = Date.parse(since);
  if (Number.isNaN(at)) {
    throw new ValidationError(`--since must be a date or time, e.g. 2026-01-01, got "${since}"`, {
      code: 'SINCE_INVALID',
      hint: 'an ISO date (2026-01-01) or date-time (2026-01-01T00:00:00Z)',
    });
  }
  return new Date(at).toISOString();
}

export async function runScheduleNow(context: OpsContext, name: string, args: { period?: string } = {}) {
  return context.invokeScheduler({ schedule: knownSchedule(context, name), ...args });
}

export async function reconcileNow(
  context: OpsContext,
  stores: OpsStores,
  flow: string,
  fix: boolean,
): Promise<{ run: unknown; report: ReconcileReport | undefined }> {
  const mirrors = context.config.flows.filter((f) => f.kind === 'mirror').map((f) => f.name);
  if (!mirrors.includes(flow)) {
    throw new ValidationError(`"${flow}" is not a mirror flow; reconcile one of: ${mirrors.join(', ')}`, {
      code: 'FLOW_NOT_RECONCILABLE',
      hint: 'reconciliation compares the two sides of a mirror flow',
    });
  }
  const run = await context.invokeScheduler({ schedule: 'reconcile', flow, fix });
  return { run, report: await stores.state.latestReport<ReconcileReport>('reconcile', flow) };
}

export interface BackfillStep {
  op: 'backfill';
  flow: string;
  since?: string;
  enqueued: number;
  enqueuedTotal?: number;
  partial: boolean;
}

/**
 * Enumerates a flow's records changed since `since` into backfill jobs: one scheduler invocation
 * after another (each stops at its time budget and the next resumes) until it is done.
 */
export async function backfill(
  context: OpsContext,
  flow: string,
  since: string | undefined,
  onStep: (step: BackfillStep, total: number) => void = () => {},
  maxInvocations = 1000,
): Promise<{ flow: string; since?: string; enqueued: number; invocations: number }> {
  knownFlow(flowNames(context), flow);
  const from = checkSince(since);
  let total = 0;
  for (let i = 1; i <= maxInvocations; i++) {
    const step = (await context.invokeScheduler({
      op: 'backfill',
      flow,
      ...(from === undefined ? {} : { since: from }),
    })) as BackfillStep;
    total = step.enqueuedTotal ?? total + step.enqueued;
    onStep(step, total);
    if (!step.partial)
      return { flow, ...(from === undefined ? {} : { since: from }), enqueued: total, invocations: i };
  }
  throw new SyncError(`the backfill of ${flow} was still enumerating after ${maxInvocations} invocations`, {
    code: 'BACKFILL_UNFINISHED',
    retryable: true,
    hint: 'run the same command again: it resumes where it stopped',
  });
}

export async function dryRun(context: OpsContext, flow: string, since?: string, limit?: number) {
  knownFlow(flowNames(context), flow);
  const from = checkSince(since);
  return context.invokeScheduler({
    op: 'dry-run',
    flow,
    ...(from === undefined ? {} : { since: from }),
    ...(limit === undefined ? {} : { limit }),
  });
}

/** Puts one job on the queue: the worker re-reads the record and syncs its current state. */
export async function replay(
  context: OpsContext,
  flow: string,
  source: 'salesforce' | 'intacct',
  recordId: string,
): Promise<{ enqueued: number; flow: string; source: string; id: string }> {
  const known = context.config.flows.find((f) => f.name === knownFlow(flowNames(context), flow));
  if (known === undefined) throw new Error('unreachable: knownFlow checked the flow');
  if (recordId === '') throw new ValidationError('replay needs a record ID', { code: 'USAGE' });
  const queue = new SqsJobQueue({ client: context.sqs, queueUrl: context.outputs.jobsQueueUrl });
  const sent = await queue.enqueue([
    {
      v: 1,
      flow,
      source,
      object: source === 'salesforce' ? known.salesforceObject : known.intacctObject,
      recordId,
      reason: 'replay',
      correlationId: `replay:${randomUUID()}`,
      enqueuedAt: new Date().toISOString(),
    },
  ]);
  if (sent.failed.length > 0) {
    throw new SyncError(`the jobs queue refused the replay: ${sent.failed[0]?.message}`, {
      code: 'ENQUEUE_FAILED',
      retryable: true,
      hint: 'run the command again',
    });
  }
  return { enqueued: 1, flow, source, id: recordId };
}

/** Forgets one linked pair (its target was deleted): the record syncs as new on its next change. */
export async function unlink(context: OpsContext, stores: OpsStores, flow: string, salesforceId: string) {
  knownFlow(flowNames(context), flow);
  const link = (await stores.crosswalk.bySalesforceIds(flow, [salesforceId])).get(salesforceId);
  if (link === undefined) {
    throw new ValidationError(`${flow} has no link for ${salesforceId}`, {
      code: 'NOT_LINKED',
      hint: 'give the Salesforce ID of a linked record of that flow',
    });
  }
  if (!(await stores.crosswalk.remove(link))) {
    throw new SyncError('the link changed meanwhile', {
      code: 'CHANGED',
      retryable: true,
      hint: 'run the command again',
    });
  }
  return { unlinked: { flow, salesforceId, intacctKey: link.intacctKey } };
}

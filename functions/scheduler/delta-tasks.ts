/**
 * The delta-poll schedules: for every flow that syncs from that side, read what changed since the
 * flow's watermark, enqueue one versioned job per record page by page, and only then advance the
 * watermark (a failed enqueue leaves the position, so the next run reads the same page again;
 * nothing is skipped).
 */
import type { JobQueue } from '#shared/aws/job-queue.ts';
import type { StateStore } from '#shared/aws/state-store.ts';
import { SyncError } from '#shared/errors.ts';
import type { CompanyClock, IntacctClient } from '#shared/intacct/index.ts';
import type { SalesforceClient } from '#shared/salesforce/index.ts';
import {
  intacctPage,
  openWindow,
  type PollPage,
  type PollState,
  salesforcePage,
} from '#shared/sync/delta.ts';
import type { FlowConfig } from '#shared/sync/flow-schema.ts';
import { takesFrom } from '#shared/sync/flows.ts';
import type { Side } from '#shared/sync/mapping.ts';
import type { ScheduleTask } from './use-case.ts';

export interface DeltaTaskDeps {
  flows: readonly FlowConfig[];
  salesforce: () => Promise<SalesforceClient>;
  intacct: () => Promise<IntacctClient>;
  queue: JobQueue;
  state: StateStore;
  /** How far before the watermark each poll re-reads (config `delta.overlapSeconds`). */
  overlapMs?: number;
  /** The Intacct company's clock (config `intacct.timezone`). */
  clock?: CompanyClock;
  /** Read Intacct deletes from AUDITHISTORY (config `delta.intacctDeletes`). */
  intacctDeletes?: boolean;
  /** How long a flow's poll lease lasts without renewal (renewed after every page); default 15 min. */
  pollLeaseMs?: number;
  now?: () => Date;
}

/** The flows a poll schedule reads, and from which side. */
function polledBy(flows: readonly FlowConfig[], schedule: string): Array<{ flow: FlowConfig; side: Side }> {
  return flows.flatMap((flow): Array<{ flow: FlowConfig; side: Side }> => {
    if (flow.kind === 'projection' || flow.kind === 'alert')
      return flow.poll.schedule === schedule ? [{ flow, side: 'intacct' as const }] : [];
    const side =
      schedule === 'salesforce-delta' ? 'salesforce' : schedule === 'intacct-delta' ? 'intacct' : undefined;
    return side !== undefined && takesFrom(flow, side) ? [{ flow, side }] : [];
  });
}

/** One flow polled from one side. */
type Poll = { flow: FlowConfig; side: Side };

/**
 * The poll tasks: `salesforce-delta` and `intacct-delta` for the mirror flows (by direction), and
 * every schedule a projection names in `poll.schedule` (the hourly stock levels, say). The flows of
 * a schedule are polled side by side, each under its own lease, so none waits behind a big one.
 * A poll goes page by page: each page's jobs are enqueued, then its position saved; when the
 * invocation's time budget runs out, the poll stops there and the next run resumes from the saved
 * position (a killed invocation's lease expires and the next run resumes the same way). The
 * watermark moves only when the window is read to its end.
 */
export function makeDeltaTasks(deps: DeltaTaskDeps): Record<string, ScheduleTask> {
  const now = deps.now ?? (() => new Date());
  const leaseMs = deps.pollLeaseMs ?? 15 * 60_000;
  const pollOne = async (
    { flow, side }: Poll,
    context: { schedule: string; startedAt: Date; deadline: number },
  ): Promise<{ detail: string; enqueued: number; partial?: boolean }> => {
    const lease = `poll#${flow.name}#${side}`;
    const owner = `${context.schedule}:${context.startedAt.toISOString()}:${Math.random().toString(36).slice(2)}`;
    if (!(await deps.state.acquireLease(lease, owner, leaseMs)))
      return { detail: `${flow.name}: busy (another run holds its lease)`, enqueued: 0 };
    try {
      const resumed = await deps.state.getPollState<PollState>(flow.name, side);
      // No watermark yet: a mirror's first poll reads everything (go-live matching links existing
      // records); a document flow's starts at its startFrom, or now: history is not billed again.
      const watermark = await deps.state.getWatermark(flow.name, side);
      const firstFrom =
        flow.kind === 'document' ? (flow.startFrom ?? context.startedAt.toISOString()) : undefined;
      let state: PollState | undefined =
        resumed ??
        openWindow({
          since: new Date(watermark ?? firstFrom ?? 0),
          until: now(),
          overlapMs: deps.overlapMs,
        });
      const correlationId = `${context.schedule}:${context.startedAt.toISOString()}`;
      let enqueued = 0;
      let pages = 0;
      while (state !== undefined) {
        const current: PollState = state;
        const page: PollPage =
          flow.kind === 'document' || (side === 'salesforce' && flow.kind === 'mirror')
            ? await salesforcePage(await deps.salesforce(), flow, current, correlationId)
            : await intacctPage(await deps.intacct(), flow, current, {
                clock: deps.clock,
                intacctDeletes: deps.intacctDeletes,
                correlationId,
              });
        const sent = await deps.queue.enqueue(page.jobs);
        if (sent.failed.length > 0) {
          throw new SyncError(
            `could not enqueue ${sent.failed.length} of ${page.jobs.length} ${flow.name} jobs`,
            {
              code: 'ENQUEUE_FAILED',
              retryable: true,
              hint: 'the poll position was not advanced; the next run reads the same page again',
            },
          );
        }
        enqueued += sent.enqueued;
        pages++;
        if (page.next === undefined) {
          await deps.state.setWatermark(flow.name, side, page.watermark ?? current.newest);
          if (resumed !== undefined || pages > 1) await deps.state.setPollState(flow.name, side, undefined);
          return {
            detail: `${flow.name}: ${enqueued}${resumed === undefined ? '' : ' (resumed, done)'}`,
            enqueued,
          };
        }
        await deps.state.setPollState(flow.name, side, page.next);
        state = page.next;
        await deps.state.acquireLease(lease, owner, leaseMs);
        if (Date.now() >= context.deadline)
          return {
            detail: `${flow.name}: ${enqueued} so far, resumes at the next run (${pages} page${pages === 1 ? '' : 's'} in this one)`,
            enqueued,
            partial: true,
          };
      }
      return { detail: `${flow.name}: ${enqueued}`, enqueued };
    } finally {
      await deps.state.releaseLease(lease, owner);
    }
  };
  const poll =
    (name: string): ScheduleTask =>
    async (context) => {
      const deadline = context.deadline ?? Number.POSITIVE_INFINITY;
      const polls = await Promise.all(
        polledBy(deps.flows, name).map((p) => pollOne(p, { ...context, deadline })),
      );
      return {
        enqueued: polls.reduce((n, p) => n + p.enqueued, 0),
        detail: polls.map((p) => p.detail).join(', '),
        ...(polls.some((p) => p.partial) ? { partial: true } : {}),
      };
    };
  const names = new Set(['salesforce-delta', 'intacct-delta']);
  for (const flow of deps.flows)
    if (flow.kind === 'projection' || flow.kind === 'alert') names.add(flow.poll.schedule);
  return Object.fromEntries([...names].map((n) => [n, poll(n)]));
}

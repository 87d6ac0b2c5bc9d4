/**
 * The delta-poll schedules: for every flow that syncs from that side, read what changed since the
 * flow's watermark, enqueue one versioned job per record, and only then advance the watermark (a
 * failed enqueue leaves it, so the next run reads the same window again; nothing is skipped).
 */
import type { JobQueue } from '#shared/aws/job-queue.ts';
import type { StateStore } from '#shared/aws/state-store.ts';
import { SyncError } from '#shared/errors.ts';
import type { CompanyClock, IntacctClient } from '#shared/intacct/index.ts';
import type { SalesforceClient } from '#shared/salesforce/index.ts';
import { type DeltaResult, intacctDelta, salesforceDelta } from '#shared/sync/delta.ts';
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
  now?: () => Date;
}

/** The flows a poll schedule reads, and from which side. */
function polledBy(flows: readonly FlowConfig[], schedule: string): Array<{ flow: FlowConfig; side: Side }> {
  return flows.flatMap((flow): Array<{ flow: FlowConfig; side: Side }> => {
    if (flow.kind === 'projection')
      return flow.poll.schedule === schedule ? [{ flow, side: 'intacct' as const }] : [];
    const side =
      schedule === 'salesforce-delta' ? 'salesforce' : schedule === 'intacct-delta' ? 'intacct' : undefined;
    return side !== undefined && takesFrom(flow, side) ? [{ flow, side }] : [];
  });
}

/**
 * The poll tasks: `salesforce-delta` and `intacct-delta` for the mirror flows (by direction), and
 * every schedule a projection names in `poll.schedule` (the hourly stock levels, say).
 */
export function makeDeltaTasks(deps: DeltaTaskDeps): Record<string, ScheduleTask> {
  const now = deps.now ?? (() => new Date());
  const poll =
    (name: string): ScheduleTask =>
    async ({ schedule, startedAt }) => {
      let enqueued = 0;
      const details: string[] = [];
      for (const { flow, side } of polledBy(deps.flows, name)) {
        // No watermark yet: the first poll reads everything (go-live matching links existing records).
        const since = new Date((await deps.state.getWatermark(flow.name, side)) ?? 0);
        const window = {
          since,
          until: now(),
          correlationId: `${schedule}:${startedAt.toISOString()}`,
          overlapMs: deps.overlapMs,
          clock: deps.clock,
          intacctDeletes: deps.intacctDeletes,
        };
        const result: DeltaResult =
          side === 'salesforce' && flow.kind === 'mirror'
            ? await salesforceDelta(await deps.salesforce(), flow, window)
            : await intacctDelta(await deps.intacct(), flow, window);
        const sent = await deps.queue.enqueue(result.jobs);
        if (sent.failed.length > 0) {
          throw new SyncError(
            `could not enqueue ${sent.failed.length} of ${result.jobs.length} ${flow.name} jobs`,
            {
              code: 'ENQUEUE_FAILED',
              retryable: true,
              hint: 'the watermark was not advanced; the next run reads the same window again',
            },
          );
        }
        await deps.state.setWatermark(flow.name, side, result.watermark);
        enqueued += sent.enqueued;
        details.push(`${flow.name}: ${sent.enqueued}`);
      }
      return { enqueued, detail: details.join(', ') };
    };
  const names = new Set(['salesforce-delta', 'intacct-delta']);
  for (const flow of deps.flows) if (flow.kind === 'projection') names.add(flow.poll.schedule);
  return Object.fromEntries([...names].map((n) => [n, poll(n)]));
}

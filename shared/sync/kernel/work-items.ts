/**
 * Work items (DESIGN §5): one per record and direction in a flow's batch, carrying every queue
 * message that named the record, the job that speaks for them, a logger with the job's keys, and
 * in the end one outcome. Kinds extend the item with their own state.
 */
import type { SyncError } from '#shared/errors.ts';
import type { Job } from '#shared/jobs/job.ts';
import type { Logger } from '#shared/observability/logger.ts';
import type { Outcome } from '../processor.ts';
import { versionMs } from '../versions.ts';

export type ItemOutcome = { status: 'done'; action: string } | { status: 'retry' | 'dead'; error: SyncError };

export interface WorkItem {
  id: string;
  messageIds: string[];
  job: Job;
  /** Every line about this record carries flow, record ID and correlation ID. */
  logger: Logger;
  outcome?: ItemOutcome;
}

export type Counts = { created: number; updated: number; skipped: number; failed: number };

/**
 * Groups jobs by record. The job with the newest version speaks for the group; if any job has no
 * version, the record is re-read instead (the re-read is the newest state there is).
 */
export function dedupe(
  flow: string,
  jobs: ReadonlyArray<{ messageId: string; job: Job }>,
  logger: Logger,
): WorkItem[] {
  const groups = new Map<string, Array<{ messageId: string; job: Job }>>();
  for (const entry of jobs)
    groups.set(entry.job.recordId, [...(groups.get(entry.job.recordId) ?? []), entry]);
  return [...groups.entries()].map(([id, group]) => {
    const unversioned = group.find((g) => versionMs(g.job.version) === undefined);
    const newest = group.reduce((a, b) =>
      (versionMs(b.job.version) ?? 0) > (versionMs(a.job.version) ?? 0) ? b : a,
    );
    const job = unversioned === undefined ? newest.job : { ...unversioned.job, snapshot: undefined };
    return {
      id,
      messageIds: group.map((g) => g.messageId),
      job,
      logger: logger.child({ flow, recordId: id, source: job.source, correlationId: job.correlationId }),
    };
  });
}

/** The item as a new job would start it: no snapshot (the state it saw is gone), nothing decided. */
export function fresh(item: WorkItem): WorkItem {
  const job: Job = { ...item.job, snapshot: undefined };
  return { id: item.id, messageIds: item.messageIds, job, logger: item.logger };
}

/** Items still without an outcome. */
export function pending<T extends WorkItem>(items: readonly T[]): T[] {
  return items.filter((i) => i.outcome === undefined);
}

/** Turns items into one outcome per queue message, and counts them. */
export function settle(
  items: readonly WorkItem[],
  fallback: () => SyncError,
): { outcomes: Outcome[]; counts: Counts } {
  const counts: Counts = { created: 0, updated: 0, skipped: 0, failed: 0 };
  const outcomes: Outcome[] = [];
  for (const item of items) {
    const o = item.outcome ?? { status: 'retry' as const, error: fallback() };
    if (o.status === 'done') {
      if (o.action === 'create') counts.created++;
      else if (['update', 'link+update', 'reactivate', 'recreate'].includes(o.action)) counts.updated++;
      else counts.skipped++;
      for (const messageId of item.messageIds) outcomes.push({ messageId, status: 'done' });
      continue;
    }
    if (o.status === 'dead') counts.failed++;
    for (const messageId of item.messageIds)
      outcomes.push(
        o.status === 'dead'
          ? { messageId, status: 'dead', error: o.error, job: item.job }
          : { messageId, status: 'retry', error: o.error },
      );
  }
  return { outcomes, counts };
}

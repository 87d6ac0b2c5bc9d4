/**
 * The daily re-check of what time alone changes (shared/sync/overdue-recheck.ts): on each
 * schedule a flow names in `poll.recheck`, the flow's recently overdue invoices are found and
 * their records enqueued. A schedule that also polls keeps its poll: both run, one after the other.
 */
import type { JobQueue } from '#shared/aws/job-queue.ts';
import { SyncError } from '#shared/errors.ts';
import type { IntacctClient } from '#shared/intacct/index.ts';
import type { FlowConfig } from '#shared/sync/flow-schema.ts';
import { recheckJobs } from '#shared/sync/overdue-recheck.ts';
import type { ScheduleTask } from './use-case.ts';

export interface RecheckTaskDeps {
  flows: readonly FlowConfig[];
  intacct: () => Promise<IntacctClient>;
  queue: JobQueue;
  now?: () => Date;
}

const recheckOf = (flow: FlowConfig) =>
  flow.kind === 'alert' || flow.kind === 'projection' ? flow.poll.recheck : undefined;

export function makeRecheckTasks(deps: RecheckTaskDeps): Record<string, ScheduleTask> {
  const names = new Set(deps.flows.map(recheckOf).filter((n): n is string => n !== undefined));
  const task =
    (name: string): ScheduleTask =>
    async (context) => {
      const now = deps.now?.() ?? new Date();
      const details: string[] = [];
      let enqueued = 0;
      for (const flow of deps.flows.filter((f) => recheckOf(f) === name)) {
        const jobs = await recheckJobs(
          await deps.intacct(),
          flow,
          now,
          `${name}:${context.startedAt.toISOString()}`,
        );
        const sent = await deps.queue.enqueue(jobs);
        if (sent.failed.length > 0)
          throw new SyncError(
            `could not enqueue ${sent.failed.length} of ${jobs.length} ${flow.name} re-checks`,
            {
              code: 'ENQUEUE_FAILED',
              retryable: true,
              hint: 'the re-check reads the same invoices again at its next run (or run it now with sfi run-schedule)',
            },
          );
        enqueued += sent.enqueued;
        details.push(`${flow.name}: ${sent.enqueued} re-checked`);
      }
      return { enqueued, detail: details.join(', ') };
    };
  return Object.fromEntries([...names].map((n) => [n, task(n)]));
}

/** Tasks of one schedule from several sources, run one after the other, their counts added. */
export function combineTasks(
  ...sets: ReadonlyArray<Record<string, ScheduleTask>>
): Record<string, ScheduleTask> {
  const out: Record<string, ScheduleTask> = {};
  for (const set of sets)
    for (const [name, task] of Object.entries(set)) {
      const before = out[name];
      out[name] =
        before === undefined
          ? task
          : async (context) => {
              const a = await before(context);
              const b = await task(context);
              return {
                enqueued: a.enqueued + b.enqueued,
                detail: [a.detail, b.detail].filter((d) => d).join(', '),
                ...(a.partial || b.partial ? { partial: true } : {}),
              };
            };
    }
  return out;
}

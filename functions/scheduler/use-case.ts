/**
 * The scheduler use case: one run of a named schedule under a lease (two runs never overlap), the
 * schedule's task enqueuing jobs, and a run record either way. Delta polls and reconciliation plug
 * in as tasks; a schedule without a task records `no-task`, never `ok`.
 */
import type { RunRecord, StateStore } from '#shared/aws/state-store.ts';
import { ValidationError } from '#shared/errors.ts';
import type { Logger } from '#shared/observability/logger.ts';

export interface ScheduleArgs {
  flow?: string;
  fix?: boolean;
  /** A report's month or range (`2026-11`, `2026-01..2026-03`). */
  period?: string;
}

export type ScheduleTask = (context: {
  schedule: string;
  startedAt: Date;
  /** Epoch ms by which the task should stop and leave the rest to the next run. */
  deadline?: number;
  /** What an on-demand run asks for (`sfi reconcile <flow> --fix`). */
  args?: ScheduleArgs;
}) => Promise<{ enqueued: number; detail?: string; partial?: boolean }>;

export interface SchedulerDeps {
  state: StateStore;
  schedules: ReadonlyArray<{ name: string }>;
  tasks: Partial<Record<string, ScheduleTask>>;
  logger: Logger;
  /** How long a lease is held before another run may take over (a crashed run releases nothing). */
  leaseMs: number;
  owner: string;
  now?: () => Date;
}

export function makeScheduler(
  deps: SchedulerDeps,
): (schedule: string, deadline?: number, args?: ScheduleArgs) => Promise<RunRecord> {
  const now = deps.now ?? (() => new Date());
  const names = new Set(deps.schedules.map((s) => s.name));
  return async (schedule, deadline, args) => {
    if (!names.has(schedule)) {
      throw new ValidationError(`unknown schedule "${schedule}"`, {
        code: 'SCHEDULE_UNKNOWN',
        hint: `use one of: ${[...names].join(', ')}`,
      });
    }
    const startedAt = now();
    if (!(await deps.state.acquireLease(schedule, deps.owner, deps.leaseMs))) {
      const run: RunRecord = {
        schedule,
        startedAt: startedAt.toISOString(),
        finishedAt: now().toISOString(),
        status: 'skipped',
        enqueued: 0,
        detail: 'another run holds the lease',
      };
      deps.logger.info('schedule skipped, lease held', { schedule });
      await deps.state.recordRun(run);
      return run;
    }
    try {
      const task = deps.tasks[schedule];
      // A schedule with nothing to run must not look like one that ran (a green reconciliation
      // that never happened): it records `no-task`, and says so.
      const result = await (task?.({
        schedule,
        startedAt,
        ...(deadline === undefined ? {} : { deadline }),
        ...(args === undefined ? {} : { args }),
      }) ??
        Promise.resolve({
          enqueued: 0,
          detail: `nothing runs for "${schedule}" in this version; remove the schedule or wait for its task`,
          partial: false,
        }));
      const run: RunRecord = {
        schedule,
        startedAt: startedAt.toISOString(),
        finishedAt: now().toISOString(),
        status: task === undefined ? 'no-task' : result.partial === true ? 'partial' : 'ok',
        enqueued: result.enqueued,
        detail: result.detail,
      };
      await deps.state.recordRun(run);
      deps.logger.info('schedule ran', { schedule, enqueued: run.enqueued });
      return run;
    } catch (error) {
      const run: RunRecord = {
        schedule,
        startedAt: startedAt.toISOString(),
        finishedAt: now().toISOString(),
        status: 'failed',
        enqueued: 0,
        detail: (error as Error).message,
      };
      await deps.state.recordRun(run);
      deps.logger.error('schedule failed', { schedule, error });
      throw error;
    } finally {
      await deps.state.releaseLease(schedule, deps.owner);
    }
  };
}

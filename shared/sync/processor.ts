/**
 * What the worker asks of the sync engine: process one flow's jobs, answer one outcome per queue
 * message. Declared here (not in the worker) so the engine in `shared/` never imports `functions/`.
 */
import type { SyncError } from '#shared/errors.ts';
import type { Job } from '#shared/jobs/job.ts';

export type Outcome =
  | { messageId: string; status: 'done' }
  | { messageId: string; status: 'retry'; error: SyncError }
  | { messageId: string; status: 'dead'; error: SyncError; job?: Job };

/** Processes the jobs of one flow; returns an outcome per job. */
export type FlowProcessor = (
  flow: string,
  jobs: ReadonlyArray<{ messageId: string; job: Job }>,
) => Promise<Outcome[]>;

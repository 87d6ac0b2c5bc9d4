/**
 * The worker use case: turns a batch of queue messages into per-message outcomes. It validates
 * each job, defers the ones that must wait (a paused flow; bulk work once only the budget's reserve
 * is left), and routes the rest to their flow's processor (the sync engine).
 */
import type { Ledger } from '#shared/aws/ledger.ts';
import { isRetryable, SyncError, ValidationError } from '#shared/errors.ts';
import { type Job, jobSchema } from '#shared/jobs/job.ts';
import type { Logger } from '#shared/observability/logger.ts';
import { type DeferCause, type DeferralState, deferCause } from '#shared/ops/deferral.ts';
import { pool } from '#shared/pool.ts';
import type { FlowProcessor, Outcome } from '#shared/sync/processor.ts';
import { dependencyOrder } from '#shared/sync/routing.ts';

export interface QueueMessage {
  messageId: string;
  body: string;
  receiveCount: number;
}

export type { FlowProcessor, Outcome };

/**
 * `defer`: the job waits in the queue (re-sent delayed), neither run nor failed. A `claim` wait
 * lasts until another invocation's create claim on the record runs out (`seconds`).
 */
export type WorkerOutcome =
  | Outcome
  | { messageId: string; status: 'defer'; cause: DeferCause; job: Job }
  | { messageId: string; status: 'defer'; cause: 'claim'; seconds: number; job: Job };

export interface WorkerDeps {
  ledger: Ledger;
  flows: ReadonlyArray<{ name: string; parent?: { flow: string } }>;
  logger: Logger;
  processFlow?: FlowProcessor;
  /** Pauses and the budget, asked once per batch (cached by the gate). Absent: nothing waits. */
  deferral?: () => Promise<DeferralState>;
  /** A flow's jobs run in chunks of `size`, `inFlight` at once (default: one chunk of all). */
  chunks?: { size: number; inFlight: number };
  now?: () => Date;
}

export function makeWorker(
  deps: WorkerDeps,
): (messages: readonly QueueMessage[]) => Promise<WorkerOutcome[]> {
  const now = deps.now ?? (() => new Date());
  const known = new Set(deps.flows.map((f) => f.name));
  const order = dependencyOrder(deps.flows);
  const process = deps.processFlow ?? recordOnly(deps.ledger, now);

  return async (messages) => {
    let state: DeferralState | undefined;
    try {
      state = await deps.deferral?.();
    } catch (error) {
      // Unknown whether a flow is paused: run nothing (the kill switch must hold); all retry.
      const unavailable = new SyncError(`pause and budget state unreadable: ${(error as Error).message}`, {
        code: 'DEFERRAL_STATE_UNAVAILABLE',
        retryable: true,
        cause: error,
      });
      deps.logger.warn('deferral state unreadable, batch retries', { jobs: messages.length });
      return messages.map((m) => ({ messageId: m.messageId, status: 'retry', error: unavailable }));
    }
    const outcomes: WorkerOutcome[] = [];
    const deferred = new Map<string, number>();
    const byFlow = new Map<string, Array<{ messageId: string; job: Job }>>();
    for (const message of messages) {
      const parsed = parse(message.body);
      if (parsed instanceof SyncError) {
        outcomes.push({ messageId: message.messageId, status: 'dead', error: parsed });
      } else if (!known.has(parsed.flow)) {
        outcomes.push({
          messageId: message.messageId,
          status: 'dead',
          job: parsed,
          error: new ValidationError(`job names flow "${parsed.flow}", which is not configured`, {
            code: 'FLOW_UNKNOWN',
            hint: 'add the flow to sync.config.json, deploy, then run "sfi redrive"',
          }),
        });
      } else {
        const cause = state === undefined ? undefined : deferCause(parsed, state);
        if (cause !== undefined) {
          outcomes.push({ messageId: message.messageId, status: 'defer', cause, job: parsed });
          const tally = `${parsed.flow}\u0000${cause}`;
          deferred.set(tally, (deferred.get(tally) ?? 0) + 1);
          continue;
        }
        const group = byFlow.get(parsed.flow) ?? [];
        group.push({ messageId: message.messageId, job: parsed });
        byFlow.set(parsed.flow, group);
      }
    }
    for (const [tally, jobs] of deferred) {
      const [flow, cause] = tally.split('\u0000');
      deps.logger.info('jobs deferred', { flow, cause, jobs, month: state?.budget?.month });
    }
    // Referenced flows first: a contact's new account in the same batch is linked before the contact.
    const groups = [...byFlow].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
    const size = deps.chunks?.size ?? Number.POSITIVE_INFINITY;
    for (const [flow, all] of groups) {
      const done = await pool(chunked(all, size), deps.chunks?.inFlight ?? 1, (jobs) => runChunk(flow, jobs));
      outcomes.push(...done.flat());
    }
    return outcomes;
  };

  /** One chunk of a flow's jobs; a chunk that throws gives each of its jobs the error's outcome. */
  async function runChunk(
    flow: string,
    jobs: Array<{ messageId: string; job: Job }>,
  ): Promise<WorkerOutcome[]> {
    try {
      return await process(flow, jobs);
    } catch (error) {
      const wrapped =
        error instanceof SyncError
          ? error
          : new SyncError(`flow ${flow} failed: ${(error as Error).message}`, {
              code: 'FLOW_FAILED',
              retryable: isRetryable(error),
              cause: error,
            });
      deps.logger.warn('flow batch failed', {
        flow,
        jobs: jobs.length,
        code: wrapped.code,
        retryable: wrapped.retryable,
      });
      return jobs.map(({ messageId, job }) =>
        wrapped.retryable
          ? { messageId, status: 'retry' as const, error: wrapped }
          : { messageId, status: 'dead' as const, error: wrapped, job },
      );
    }
  }
}

/** Jobs in chunks of at most `size` (at least one job), the jobs of one record kept together. */
function chunked<T extends { job: Job }>(jobs: readonly T[], size: number): T[][] {
  const byRecord = new Map<string, T[]>();
  for (const j of jobs) byRecord.set(j.job.recordId, [...(byRecord.get(j.job.recordId) ?? []), j]);
  const chunks: T[][] = [];
  let current: T[] = [];
  for (const same of byRecord.values()) {
    if (current.length > 0 && current.length + same.length > size) {
      chunks.push(current);
      current = [];
    }
    current.push(...same);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function parse(body: string): Job | SyncError {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return new ValidationError('message body is not JSON', {
      code: 'JOB_INVALID',
      hint: 'only sfi producers may write to the jobs queue',
    });
  }
  const checked = jobSchema.safeParse(raw);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  return new ValidationError(
    `message is not a job: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    {
      code: 'JOB_INVALID',
      hint: 'only sfi producers may write to the jobs queue',
    },
  );
}

/** The plumbing-only processor: counts jobs as received and writes an audit entry for each. */
export function recordOnly(ledger: Ledger, now: () => Date): FlowProcessor {
  return async (flow, jobs) => {
    const at = now().toISOString();
    await ledger.audit(
      jobs.map(({ messageId, job }) => ({
        flow,
        recordId: job.recordId,
        id: messageId,
        at,
        action: 'received',
        detail: {
          source: job.source,
          reason: job.reason,
          version: job.version,
          correlationId: job.correlationId,
        },
      })),
    );
    await ledger.addStats(flow, at.slice(0, 10), { received: jobs.length });
    return jobs.map(({ messageId }) => ({ messageId, status: 'done' as const }));
  };
}

/**
 * The worker use case: turns a batch of queue messages into per-message outcomes. For now it
 * validates each job, routes it to its flow and records it (stats + audit); the sync engine plugs
 * in as `processFlow` without changing the batch semantics.
 */
import type { Ledger } from '#shared/aws/ledger.ts';
import { isRetryable, SyncError, ValidationError } from '#shared/errors.ts';
import { type Job, jobSchema } from '#shared/jobs/job.ts';
import type { Logger } from '#shared/observability/logger.ts';
import type { FlowProcessor, Outcome } from '#shared/sync/processor.ts';
import { dependencyOrder } from '#shared/sync/routing.ts';

export interface QueueMessage {
  messageId: string;
  body: string;
  receiveCount: number;
}

export type { FlowProcessor, Outcome };

export interface WorkerDeps {
  ledger: Ledger;
  flows: ReadonlyArray<{ name: string; parent?: { flow: string } }>;
  logger: Logger;
  processFlow?: FlowProcessor;
  now?: () => Date;
}

export function makeWorker(deps: WorkerDeps): (messages: readonly QueueMessage[]) => Promise<Outcome[]> {
  const now = deps.now ?? (() => new Date());
  const known = new Set(deps.flows.map((f) => f.name));
  const order = dependencyOrder(deps.flows);
  const process = deps.processFlow ?? recordOnly(deps.ledger, now);

  return async (messages) => {
    const outcomes: Outcome[] = [];
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
        const group = byFlow.get(parsed.flow) ?? [];
        group.push({ messageId: message.messageId, job: parsed });
        byFlow.set(parsed.flow, group);
      }
    }
    // Referenced flows first: a contact's new account in the same batch is linked before the contact.
    const groups = [...byFlow].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
    for (const [flow, jobs] of groups) {
      try {
        outcomes.push(...(await process(flow, jobs)));
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
        for (const { messageId, job } of jobs) {
          outcomes.push(
            wrapped.retryable
              ? { messageId, status: 'retry', error: wrapped }
              : { messageId, status: 'dead', error: wrapped, job },
          );
        }
      }
    }
    return outcomes;
  };
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

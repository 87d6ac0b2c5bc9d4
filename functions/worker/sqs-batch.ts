/**
 * Maps worker outcomes onto SQS semantics (partial batch response): `done` messages are deleted by
 * the event source; `dead` ones go to the DLQ now with their reason (then count as handled);
 * `retry` ones are reported as failures and their visibility set to an exponential backoff;
 * `defer` ones are re-sent delayed and count as handled (defer-queue.ts says why and in which order).
 */
import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DeadLetter } from '#shared/aws/dead-letter.ts';
import type { Ledger } from '#shared/aws/ledger.ts';
import { SyncError } from '#shared/errors.ts';
import { type Job, jobSchema } from '#shared/jobs/job.ts';
import type { Logger } from '#shared/observability/logger.ts';
import { type Deferred, MAX_DELAY_SECONDS, requeueDelayed } from './defer-queue.ts';
import type { QueueMessage, WorkerOutcome } from './use-case.ts';

/** Backoff for the n-th receive: base (10 s), doubling, capped at 15 minutes, ±20% jitter. */
export function backoffSeconds(
  receiveCount: number,
  random: () => number = Math.random,
  baseSeconds = 10,
): number {
  const base = Math.min(900, baseSeconds * 2 ** Math.max(0, receiveCount - 1));
  return Math.max(0, Math.round(base * (0.8 + 0.4 * random())));
}

export interface SqsBatchDeps {
  sqs: SQSClient;
  queueUrl: string;
  deadLetter: DeadLetter;
  ledger: Ledger;
  logger: Logger;
  now?: () => Date;
  /** First retry delay in seconds (default 10; the local runtime shortens it). */
  retryBaseSeconds?: number;
  /** The jobs queue's maxReceiveCount: the last attempt dead-letters with the cause. */
  maxReceiveCount?: number;
  /** How long a deferred job waits before it is looked at again, by cause (seconds, ≤ 900). */
  deferSeconds?: { paused: number; budget: number };
}

/** A paused flow is resumed by a person who then waits: 1 minute. Budget waits last till next month. */
export const DEFER_SECONDS = { paused: 60, budget: 900 };

export function makeSqsBatchHandler(
  worker: (messages: readonly QueueMessage[]) => Promise<WorkerOutcome[]>,
  deps: SqsBatchDeps,
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  const now = deps.now ?? (() => new Date());
  /**
   * On the last receive SQS allows, a transient failure is dead-lettered here with its cause,
   * rather than moved to the DLQ by SQS without one — except a job that only waits for another
   * invocation's create claim (one that died holding it, say): it is re-sent to run once the claim
   * has run out, since by then the claim's holder has linked the record or never will.
   */
  const lastAttempt = (outcome: WorkerOutcome, record: SQSRecord | undefined): WorkerOutcome => {
    const count = Number(record?.attributes.ApproximateReceiveCount ?? '1');
    if (outcome.status !== 'retry' || deps.maxReceiveCount === undefined || count < deps.maxReceiveCount)
      return outcome;
    const until = Date.parse(String(outcome.error.meta.claimedUntil ?? ''));
    const job = parseQuietly(record?.body);
    if (outcome.error.code === 'CLAIM_HELD' && Number.isFinite(until) && job !== undefined) {
      const seconds = Math.min(
        MAX_DELAY_SECONDS,
        Math.max(1, Math.ceil((until - now().getTime()) / 1000) + 1),
      );
      return { messageId: outcome.messageId, status: 'defer', cause: 'claim', seconds, job };
    }
    const error = new SyncError(`gave up after ${count} attempts: ${outcome.error.message}`, {
      code: outcome.error.code,
      retryable: false,
      hint:
        outcome.error.hint ??
        'the cause did not clear by itself; check the other system, then run sfi redrive',
      cause: outcome.error,
      meta: outcome.error.meta,
    });
    return { messageId: outcome.messageId, status: 'dead', error, job: parseQuietly(record?.body) };
  };

  return async (event) => {
    const records = new Map(event.Records.map((r) => [r.messageId, r]));
    const messages: QueueMessage[] = event.Records.map((r) => ({
      messageId: r.messageId,
      body: r.body,
      receiveCount: Number(r.attributes.ApproximateReceiveCount ?? '1'),
    }));
    const outcomes = (await worker(messages)).map((o) => lastAttempt(o, records.get(o.messageId)));
    const failures: string[] = [];
    const retries: Array<{ id: string; receiptHandle: string; seconds: number }> = [];
    const deferred: Deferred[] = [];
    for (const outcome of outcomes) {
      const record = records.get(outcome.messageId);
      if (record === undefined) continue;
      const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
      if (outcome.status === 'defer') {
        const seconds =
          outcome.cause === 'claim' ? outcome.seconds : (deps.deferSeconds ?? DEFER_SECONDS)[outcome.cause];
        deferred.push({ record, seconds });
      } else if (outcome.status === 'retry') {
        failures.push(outcome.messageId);
        retries.push({
          id: String(retries.length),
          receiptHandle: record.receiptHandle,
          seconds: backoffSeconds(receiveCount, Math.random, deps.retryBaseSeconds),
        });
        const job = parseQuietly(record.body);
        deps.logger.warn('job will retry', {
          messageId: outcome.messageId,
          flow: job?.flow,
          recordId: job?.recordId,
          correlationId: job?.correlationId,
          code: outcome.error.code,
          reason: outcome.error.message,
          receiveCount,
        });
      } else if (outcome.status === 'dead') {
        try {
          await deps.deadLetter.send(record.body, outcome.error, {
            sourceMessageId: record.messageId,
            receiveCount,
          });
          await deps.ledger.failure({
            flow: outcome.job?.flow ?? 'unknown',
            id: record.messageId,
            at: now().toISOString(),
            code: outcome.error.code,
            message: outcome.error.message,
            hint: outcome.error.hint,
            retryable: false,
            ids: {
              recordId: outcome.job?.recordId,
              source: outcome.job?.source,
              salesforceId: stringMeta(outcome.error.meta.salesforceId),
              intacctKey: stringMeta(outcome.error.meta.intacctKey),
            },
            job: outcome.job,
          });
          deps.logger.error('job dead-lettered', {
            messageId: record.messageId,
            flow: outcome.job?.flow,
            recordId: outcome.job?.recordId,
            correlationId: outcome.job?.correlationId,
            code: outcome.error.code,
            hint: outcome.error.hint,
          });
        } catch (error) {
          deps.logger.error('dead-letter failed, job stays on the queue', {
            messageId: record.messageId,
            error,
          });
          failures.push(outcome.messageId);
        }
      }
    }
    // A message with no outcome was not handled: report it so it is not deleted.
    for (const id of records.keys()) if (!outcomes.some((o) => o.messageId === id)) failures.push(id);
    if (deferred.length > 0) failures.push(...(await requeueDelayed(deps, deferred)));
    if (retries.length > 0) await changeVisibility(deps, retries);
    await resolveSynced(deps, outcomes, records, now());
    return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

/**
 * A record that synced resolves its open failures (DESIGN §9): one read of the flow's open
 * failures per batch, one conditional move per failure resolved. Best effort: a failure left open
 * here is resolved by the record's next sync.
 */
async function resolveSynced(
  deps: SqsBatchDeps,
  outcomes: readonly WorkerOutcome[],
  records: ReadonlyMap<string, SQSRecord>,
  at: Date,
): Promise<void> {
  const byFlow = new Map<string, string[]>();
  for (const outcome of outcomes) {
    if (outcome.status !== 'done') continue;
    const job = parseQuietly(records.get(outcome.messageId)?.body);
    if (job !== undefined) byFlow.set(job.flow, [...(byFlow.get(job.flow) ?? []), job.recordId]);
  }
  for (const [flow, ids] of byFlow)
    try {
      const resolved = await deps.ledger.resolveFailures(flow, ids, at.toISOString());
      if (resolved > 0) deps.logger.info('failures resolved by a later sync', { flow, resolved });
    } catch (error) {
      deps.logger.warn('failures not resolved; the next sync of the records retries', { flow, error });
    }
}

function parseQuietly(body: string | undefined): Job | undefined {
  try {
    return jobSchema.parse(JSON.parse(body ?? ''));
  } catch {
    return undefined;
  }
}

const stringMeta = (value: unknown) => (typeof value === 'string' ? value : undefined);

async function changeVisibility(
  deps: SqsBatchDeps,
  retries: Array<{ id: string; receiptHandle: string; seconds: number }>,
) {
  for (let i = 0; i < retries.length; i += 10) {
    try {
      await deps.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: deps.queueUrl,
          Entries: retries
            .slice(i, i + 10)
            .map((r) => ({ Id: r.id, ReceiptHandle: r.receiptHandle, VisibilityTimeout: r.seconds })),
        }),
      );
    } catch (error) {
      // Without the backoff the message still returns after the queue's visibility timeout.
      deps.logger.warn('backoff not applied', { error });
    }
  }
}

/**
 * How a deferred job waits (a paused flow, bulk work over budget): a copy of the message is sent
 * back to the jobs queue with DelaySeconds, and the original is then deleted by the event source
 * (it is left out of `batchItemFailures`).
 *
 * Why not ChangeMessageVisibility: every receive counts towards the queue's maxReceiveCount, so a
 * flow paused for a day (or bulk work waiting for next month) would reach the DLQ. A new copy
 * starts at receive count 0; nothing is burnt.
 *
 * Why send first, delete after: a crash between the two steps then leaves both the copy and the
 * original (which returns after its visibility timeout): one job twice, which the sync absorbs
 * (SQS is at-least-once anyway; versions and conditional writes make a second run a no-op).
 * Deleting first would lose the job. A copy SQS refuses stays as the original, made invisible for
 * the delay instead (that one receive counts).
 */
import {
  ChangeMessageVisibilityBatchCommand,
  type MessageAttributeValue,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { Logger } from '#shared/observability/logger.ts';

/** SQS's largest DelaySeconds. */
export const MAX_DELAY_SECONDS = 900;

export interface Deferred {
  record: SQSRecord;
  seconds: number;
}

/**
 * Re-sends each deferred message delayed, ten to a request. Returns the IDs of the originals that
 * must stay on the queue (their copy was not accepted): report them in `batchItemFailures`.
 */
export async function requeueDelayed(
  deps: { sqs: SQSClient; queueUrl: string; logger: Logger },
  deferred: readonly Deferred[],
): Promise<string[]> {
  const kept: Deferred[] = [];
  for (let i = 0; i < deferred.length; i += 10) {
    const chunk = deferred.slice(i, i + 10);
    try {
      const out = await deps.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: deps.queueUrl,
          Entries: chunk.map(({ record, seconds }, n) => ({
            Id: String(n),
            MessageBody: record.body,
            DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(seconds))),
            MessageAttributes: attributes(record),
          })),
        }),
      );
      for (const f of out.Failed ?? []) {
        const entry = chunk[Number(f.Id)];
        if (entry !== undefined) kept.push(entry);
      }
    } catch (error) {
      deps.logger.warn('deferred jobs not re-sent, they stay on the queue', { jobs: chunk.length, error });
      kept.push(...chunk);
    }
  }
  if (kept.length > 0) await holdBack(deps, kept);
  return kept.map((d) => d.record.messageId);
}

/** The fallback: the original waits out the delay invisible (costs one receive). */
async function holdBack(deps: { sqs: SQSClient; queueUrl: string; logger: Logger }, kept: Deferred[]) {
  for (let i = 0; i < kept.length; i += 10) {
    try {
      await deps.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: deps.queueUrl,
          Entries: kept.slice(i, i + 10).map(({ record, seconds }, n) => ({
            Id: String(n),
            ReceiptHandle: record.receiptHandle,
            VisibilityTimeout: Math.max(0, Math.round(seconds)),
          })),
        }),
      );
    } catch (error) {
      deps.logger.warn('deferred jobs return after the visibility timeout', { error });
    }
  }
}

/** The record's string attributes, in SendMessage's shape (Lambda's event spells them in camelCase). */
function attributes(record: SQSRecord): Record<string, MessageAttributeValue> | undefined {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, a] of Object.entries(record.messageAttributes ?? {}))
    if (a.stringValue !== undefined) out[name] = { DataType: a.dataType, StringValue: a.stringValue };
  return Object.keys(out).length > 0 ? out : undefined;
}

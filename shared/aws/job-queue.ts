import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Job } from '#shared/jobs/job.ts';

export interface EnqueueResult {
  enqueued: number;
  failed: Array<{ job: Job; code: string; message: string }>;
}

/** The port producers use to put jobs on the jobs queue. */
export interface JobQueue {
  enqueue(jobs: readonly Job[]): Promise<EnqueueResult>;
}

/** SQS allows 10 entries per SendMessageBatch. */
const SQS_BATCH = 10;

/**
 * Sends jobs with SendMessageBatch, ten at a time, in parallel chunks. Entries SQS rejects are
 * returned (never thrown away) so the caller can withhold its acknowledgement.
 */
export class SqsJobQueue implements JobQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  constructor(options: { client: SQSClient; queueUrl: string }) {
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
  }

  async enqueue(jobs: readonly Job[]): Promise<EnqueueResult> {
    const chunks: Job[][] = [];
    for (let i = 0; i < jobs.length; i += SQS_BATCH) chunks.push(jobs.slice(i, i + SQS_BATCH));
    const results = await Promise.all(chunks.map((chunk) => this.#send(chunk)));
    return {
      enqueued: results.reduce((n, r) => n + r.enqueued, 0),
      failed: results.flatMap((r) => r.failed),
    };
  }

  async #send(chunk: Job[]): Promise<EnqueueResult> {
    try {
      const out = await this.#client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.#queueUrl,
          Entries: chunk.map((job, i) => ({
            Id: String(i),
            MessageBody: JSON.stringify(job),
            MessageAttributes: {
              flow: { DataType: 'String', StringValue: job.flow },
              correlationId: { DataType: 'String', StringValue: job.correlationId },
            },
          })),
        }),
      );
      const failed = (out.Failed ?? []).map((f) => ({
        job: chunk[Number(f.Id)] as Job,
        code: f.Code ?? 'UNKNOWN',
        message: f.Message ?? 'SQS rejected the entry',
      }));
      return { enqueued: chunk.length - failed.length, failed };
    } catch (error) {
      const message = (error as Error).message;
      return { enqueued: 0, failed: chunk.map((job) => ({ job, code: (error as Error).name, message })) };
    }
  }
}

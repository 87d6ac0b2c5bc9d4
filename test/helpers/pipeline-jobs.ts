/**
 * Drives the local pipeline below the triggers, for tests of what two invocations do at once:
 * jobs enqueued as the real producers enqueue them (whole versioned snapshots, as a delta poll
 * reads them), a worker that hands each record of a batch to its own concurrent invocation of the
 * real handler (as Lambda may), and the crosswalk read through the real adapter on dynalite.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { localClientConfig } from '#local/aws/embedded-aws.ts';
import type { SqsHandler } from '#local/lambda/sqs-event-source.ts';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { dynamoCrosswalk } from '#shared/aws/crosswalk.ts';
import { SqsJobQueue } from '#shared/aws/job-queue.ts';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import type { Job } from '#shared/jobs/job.ts';
import { normaliseModstamp } from '#shared/sync/adapters/salesforce-port.ts';
import type { MirrorFlow } from '#shared/sync/flow-schema.ts';
import { fieldsToRead } from '#shared/sync/mapping.ts';
import type { Link } from '#shared/sync/ports.ts';

type Row = Record<string, unknown>;

/** What the test worker saw: invocations in flight at once (max), and every record's receive count. */
export interface WorkerProbe {
  maxParallel: number;
  receives: Array<{ recordId: string; flow: string; receiveCount: number }>;
}

/**
 * The real worker handler, with each record of a batch in an invocation of its own when `split`
 * (two invocations holding jobs for one record at the same moment), or the batch as it came.
 */
export function probedWorker(options: { split: boolean }): { handler: SqsHandler; probe: WorkerProbe } {
  const probe: WorkerProbe = { maxParallel: 0, receives: [] };
  let real: Promise<SqsHandler> | undefined;
  let running = 0;
  const invoke = async (h: SqsHandler, event: SQSEvent) => {
    running++;
    probe.maxParallel = Math.max(probe.maxParallel, running);
    try {
      return await h(event);
    } finally {
      running--;
    }
  };
  const handler: SqsHandler = async (event) => {
    real ??= import('#functions/worker/handler.ts').then((m) => m.handler as unknown as SqsHandler);
    const h = await real;
    for (const r of event.Records) {
      const job = JSON.parse(r.body) as Job;
      probe.receives.push({
        recordId: job.recordId,
        flow: job.flow,
        receiveCount: Number(r.attributes.ApproximateReceiveCount),
      });
    }
    if (!options.split) return invoke(h, event);
    const results = await Promise.all(event.Records.map((r) => invoke(h, { Records: [r] })));
    return { batchItemFailures: results.flatMap((r) => r?.batchItemFailures ?? []) };
  };
  return { handler, probe };
}

/**
 * The local pipeline with the given worker and no triggers of its own: no schedule timers, and
 * outbound messages held in the simulator, so the only jobs are the ones a test enqueues.
 */
export async function startQuietStack(config: SyncConfig, worker: SqsHandler): Promise<LocalStack> {
  const stack = await startLocalStack({
    config,
    seed: 'empty',
    timers: false,
    runtime: { visibilityTimeoutSeconds: 5, handlers: { worker } },
  });
  stack.salesforce.setOutboundEndpoint(undefined);
  return stack;
}

/** A field of a simulator record by API name or dotted Intacct path, as the ports canonicalise it. */
function valueAt(record: Row, path: string): string | null {
  const v = path.split('.').reduce<unknown>((o, k) => (o as Row | undefined)?.[k], record);
  return v === undefined || v === null || v === '' ? null : String(v);
}

/** A job carrying the record's whole mapped state and version, as a delta poll enqueues it. */
export function deltaJob(flow: MirrorFlow, source: 'salesforce' | 'intacct', record: Row): Job {
  const fields = fieldsToRead(flow, source);
  const extra =
    source === 'intacct' ? ['RECORDNO', 'WHENMODIFIED', flow.intacctKey?.field ?? 'RECORDNO'] : [];
  const snapshot = Object.fromEntries([...fields, ...extra].map((f) => [f, valueAt(record, f)]));
  const id =
    source === 'salesforce' ? String(record.Id) : String(record[flow.intacctKey?.field ?? 'RECORDNO']);
  return {
    v: 1,
    flow: flow.name,
    source,
    object: source === 'salesforce' ? flow.salesforceObject : flow.intacctObject,
    recordId: id,
    reason: 'delta',
    version: source === 'salesforce' ? normaliseModstamp(record.SystemModstamp) : String(record.WHENMODIFIED),
    correlationId: randomUUID(),
    snapshot,
    enqueuedAt: new Date().toISOString(),
  };
}

/** Enqueues jobs in one SendMessageBatch (so one receive can hold them all). */
export async function enqueue(stack: LocalStack, jobs: Job[]): Promise<void> {
  const queue = new SqsJobQueue({ client: stack.runtime.sqs, queueUrl: stack.runtime.aws.queues.jobs });
  const result = await queue.enqueue(jobs);
  if (result.failed.length > 0) throw new Error(`enqueue failed: ${result.failed[0]?.message}`);
}

/** The stored links of a flow for these Salesforce IDs, through the real crosswalk adapter. */
export async function linksOf(
  stack: LocalStack,
  flow: string,
  salesforceIds: string[],
): Promise<Map<string, Link>> {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient(localClientConfig(stack.runtime.aws.dynamodbEndpoint)),
  );
  return dynamoCrosswalk({ db, table: stack.runtime.aws.tables.crosswalk }).bySalesforceIds(
    flow,
    salesforceIds,
  );
}

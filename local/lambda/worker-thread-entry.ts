/**
 * One worker "Lambda instance" in a thread of its own (worker-threads.ts): its own copy of the
 * worker handler's module state — clients, Intacct limiter, session — as a deployed instance has,
 * polling the jobs queue one invocation at a time. The company's Intacct cap is shared with the
 * other instances only through the slot lease in the state table.
 */
import { Session } from 'node:inspector/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createLogger, type LogLevel } from '#shared/observability/logger.ts';
import { localClientConfig } from '../aws/embedded-aws.ts';
import { SqsEventSource, type SqsHandler } from './sqs-event-source.ts';
import type { InstanceData, InstanceMessage } from './worker-threads.ts';

const port = parentPort;
if (port === null) throw new Error('worker-thread-entry.ts runs only as a worker thread');
const data = workerData as InstanceData;
const { handler } = (await import('#functions/worker/handler.ts')) as unknown as {
  handler: (event: unknown, context: unknown) => ReturnType<SqsHandler>;
};
const sqs = new SQSClient(localClientConfig(data.sqsEndpoint));
const report = () =>
  port.postMessage({
    type: 'state',
    inFlight: source.inFlight,
    stats: { ...source.stats },
  } satisfies InstanceMessage);
const source = new SqsEventSource({
  sqs,
  queueUrl: data.queueUrl,
  queueArn: data.queueArn,
  handler: () => (event) => handler(event, {}),
  batchSize: data.batchSize,
  maxBatchingWindowMs: data.maxBatchingWindowMs,
  concurrency: 1,
  visibilityTimeoutSeconds: data.visibilityTimeoutSeconds,
  region: data.region,
  logger: createLogger({
    service: 'local',
    level: (process.env.LOG_LEVEL as LogLevel | undefined) ?? 'warn',
    write: (line) => process.stderr.write(`${line}\n`),
  }),
  onActivity: report,
});
source.start();

let profiler: Session | undefined;
port.on(
  'message',
  async (message: { op: 'stop'; graceMs: number } | { op: 'profile-start' | 'profile-stop' }) => {
    if (message.op === 'stop') {
      await source.stop(message.graceMs);
      report();
      port.postMessage({ type: 'stopped' } satisfies InstanceMessage);
    } else if (message.op === 'profile-start') {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
      port.postMessage({ type: 'profiling' } satisfies InstanceMessage);
    } else {
      const session = profiler;
      profiler = undefined;
      const profile = session === undefined ? undefined : (await session.post('Profiler.stop')).profile;
      session?.disconnect();
      port.postMessage({ type: 'profile', profile } satisfies InstanceMessage);
    }
  },
);

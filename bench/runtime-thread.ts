/**
 * The local runtime (the Lambda handlers and the embedded DynamoDB and SQS) in a worker thread of
 * its own, for the bench (issue 11): the simulators and the bench stay on the main thread, so
 * neither side's CPU holds up the other's event loop, as a deployed Lambda does not share a
 * machine with Salesforce or Intacct. The bench reaches it by the same HTTP endpoints as before
 * and by a few calls answered over the thread's message port.
 */
import { Worker } from 'node:worker_threads';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type EmbeddedAws, localClientConfig } from '#local/aws/embedded-aws.ts';
import type { LocalRuntime, LocalRuntimeOptions } from '#local/runtime.ts';
import type { CpuByArea } from './cpu-areas.ts';

/** What the thread reports once its runtime listens. */
export interface RuntimeReady {
  controlUrl: string;
  webhookUrl: string;
  aws: Pick<EmbeddedAws, 'region' | 'dynamodbEndpoint' | 'sqsEndpoint' | 'tables' | 'queues'>;
}

export interface RuntimeCall {
  id: number;
  method:
    | 'runSchedule'
    | 'invokeScheduler'
    | 'isIdle'
    | 'queueDepths'
    | 'crashWorker'
    | 'workerUsage'
    | 'awsCounters'
    | 'profileStart'
    | 'profileStop'
    | 'stop';
  args: unknown[];
}

type Counters = ReturnType<EmbeddedAws['counters']>;

/** The part of {@link LocalRuntime} the bench uses; what the thread holds comes back as promises. */
export interface ThreadRuntime extends RuntimeReady {
  sqs: SQSClient;
  runSchedule: LocalRuntime['runSchedule'];
  invokeScheduler: LocalRuntime['invokeScheduler'];
  isIdle(): Promise<boolean>;
  crashWorker(): Promise<void>;
  workerUsage(): Promise<ReturnType<LocalRuntime['workerUsage']>>;
  awsCounters(): Promise<Counters>;
  /** CPU by area sampled in the runtime's thread between the two calls. */
  profileStart(): Promise<void>;
  profileStop(): Promise<CpuByArea>;
  stop(graceMs?: number): Promise<void>;
}

/** Options as for startLocalRuntime, without the ones that cannot cross a thread (handlers, logger). */
export type ThreadRuntimeOptions = Omit<LocalRuntimeOptions, 'handlers' | 'logger'>;

export async function startRuntimeThread(options: ThreadRuntimeOptions): Promise<ThreadRuntime> {
  const worker = new Worker(new URL('./runtime-thread-entry.ts', import.meta.url), {
    workerData: options,
    // The handlers read their settings from process.env at import: the thread gets its own copy.
    env: { ...process.env },
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let failure: Error | undefined;
  const ready = new Promise<RuntimeReady>((resolve, reject) => {
    worker.on(
      'message',
      (message: { ready?: RuntimeReady; id?: number; ok?: boolean; value?: unknown; message?: string }) => {
        if (message.ready !== undefined) return resolve(message.ready);
        const call = pending.get(message.id ?? -1);
        if (call === undefined) return;
        pending.delete(message.id ?? -1);
        if (message.ok) call.resolve(message.value);
        else call.reject(new Error(`runtime thread: ${message.message}`));
      },
    );
    const fail = (error: Error) => {
      failure = error;
      reject(error);
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`runtime thread exited (code ${code})`)));
  });
  const info = await ready;
  const call = <T>(method: RuntimeCall['method'], ...args: unknown[]): Promise<T> =>
    failure !== undefined
      ? Promise.reject(failure)
      : new Promise<T>((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
          worker.postMessage({ id, method, args } satisfies RuntimeCall);
        });
  const sqs = new SQSClient(localClientConfig(info.aws.sqsEndpoint));
  return {
    ...info,
    sqs,
    runSchedule: (name, args) => call('runSchedule', name, args),
    invokeScheduler: (detail) => call('invokeScheduler', detail),
    isIdle: () => call('isIdle'),
    crashWorker: () => call('crashWorker'),
    workerUsage: () => call('workerUsage'),
    awsCounters: () => call('awsCounters'),
    profileStart: () => call('profileStart'),
    profileStop: () => call('profileStop'),
    async stop(graceMs) {
      sqs.destroy();
      await call('stop', graceMs);
      await worker.terminate();
    },
  };
}

/**
 * The worker-thread side of bench/runtime-thread.ts: starts the local runtime (handlers and
 * embedded AWS) in this thread and answers the bench's calls, each a message with an id.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LocalRuntimeOptions } from '#local/runtime.ts';
import { startLocalRuntime } from '#local/runtime.ts';
import { areasOf, type CpuByArea, startCpuAreas, sumAreas } from './cpu-areas.ts';
import type { RuntimeCall, RuntimeReady } from './runtime-thread.ts';

const port = parentPort;
if (port === null) throw new Error('runtime-thread-entry.ts runs only as a worker thread');

const runtime = await startLocalRuntime(workerData as LocalRuntimeOptions);
let stopProfile: (() => Promise<CpuByArea>) | undefined;

const methods: Record<RuntimeCall['method'], (...args: never[]) => Promise<unknown> | unknown> = {
  runSchedule: (name: string, args?: Record<string, unknown>) => runtime.runSchedule(name, args),
  invokeScheduler: (detail: Record<string, unknown>) => runtime.invokeScheduler(detail),
  isIdle: () => runtime.isIdle(),
  queueDepths: () => runtime.queueDepths(),
  crashWorker: () => runtime.crashWorker(),
  workerUsage: () => runtime.workerUsage(),
  awsCounters: () => runtime.aws.counters(),
  profileStart: async () => {
    const own = await startCpuAreas();
    const workers = await runtime.profileWorkers();
    stopProfile = async () => {
      return sumAreas(await own(), ...(await workers()).map(areasOf));
    };
  },
  profileStop: async () => {
    const stop = stopProfile;
    stopProfile = undefined;
    return stop === undefined ? {} : stop();
  },
  stop: async (graceMs?: number) => {
    await runtime.stop(graceMs);
    // the answer goes out before the port closes
    setImmediate(() => port.close());
  },
};

port.on('message', (call: RuntimeCall) => {
  const method = methods[call.method] as (...args: unknown[]) => unknown;
  Promise.resolve()
    .then(() => method(...call.args))
    .then(
      (value) => port.postMessage({ id: call.id, ok: true, value }),
      (error: unknown) =>
        port.postMessage({ id: call.id, ok: false, message: (error as Error)?.message ?? String(error) }),
    );
});

const ready: RuntimeReady = {
  controlUrl: runtime.controlUrl,
  webhookUrl: runtime.webhookUrl,
  aws: {
    region: runtime.aws.region,
    dynamodbEndpoint: runtime.aws.dynamodbEndpoint,
    sqsEndpoint: runtime.aws.sqsEndpoint,
    tables: runtime.aws.tables,
    queues: runtime.aws.queues,
  },
};
port.postMessage({ ready });

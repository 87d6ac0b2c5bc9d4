/**
 * Several worker "Lambda instances" for the local runtime, each in a worker thread of its own
 * (worker-thread-entry.ts) with its own clients and Intacct limiter, as deployed: what they share
 * is the queue and the company's Intacct cap, leased in the state table (DESIGN §8). The local
 * runtime uses this when asked (`workerThreads`; the bench does); otherwise one in-process
 * SqsEventSource stands in for every instance.
 */
import { Worker } from 'node:worker_threads';
import { noStats, type SourceStats, type WorkerSource } from './sqs-event-source.ts';

/** What each instance thread is started with. */
export interface InstanceData {
  sqsEndpoint: string;
  queueUrl: string;
  queueArn: string;
  batchSize: number;
  maxBatchingWindowMs: number;
  visibilityTimeoutSeconds: number;
  region: string;
}

/** What an instance thread tells its host. */
export type InstanceMessage =
  | { type: 'state'; inFlight: number; stats: SourceStats }
  | { type: 'stopped' }
  | { type: 'profiling' }
  | { type: 'profile'; profile: unknown };

interface Instance {
  thread: Worker;
  inFlight: number;
  stats: SourceStats;
  exited: boolean;
  /** The next message of each type, for the host's requests. */
  waiters: Map<InstanceMessage['type'], (message: InstanceMessage) => void>;
}

export class ThreadedWorkers implements WorkerSource {
  readonly #count: number;
  readonly #data: InstanceData;
  #instances: Instance[] = [];

  constructor(options: { instances: number; data: InstanceData }) {
    this.#count = Math.max(1, options.instances);
    this.#data = options.data;
  }

  /** Starts the instance threads; each reads the handler's settings from this thread's process.env. */
  start(): void {
    this.#instances = Array.from({ length: this.#count }, () => {
      const thread = new Worker(new URL('./worker-thread-entry.ts', import.meta.url), {
        workerData: this.#data,
        env: { ...process.env },
      });
      const instance: Instance = { thread, inFlight: 0, stats: noStats(), exited: false, waiters: new Map() };
      thread.on('message', (message: InstanceMessage) => {
        if (message.type === 'state') {
          instance.inFlight = message.inFlight;
          instance.stats = message.stats;
        }
        const waiter = instance.waiters.get(message.type);
        instance.waiters.delete(message.type);
        waiter?.(message);
      });
      thread.on('exit', () => {
        instance.exited = true;
        instance.inFlight = 0;
        for (const waiter of instance.waiters.values()) waiter({ type: 'stopped' });
        instance.waiters.clear();
      });
      thread.on('error', (error) => process.stderr.write(`worker instance failed: ${error.message}\n`));
      return instance;
    });
  }

  get inFlight(): number {
    return this.#instances.reduce((sum, i) => sum + i.inFlight, 0);
  }

  get stats(): SourceStats {
    const sum = noStats();
    for (const { stats } of this.#instances)
      for (const key of Object.keys(sum) as Array<keyof SourceStats>) sum[key] += stats[key];
    return sum;
  }

  /**
   * Stops polling in every instance and lets invocations finish for up to `graceMs`; what is still
   * held goes back to the queue. As with the in-process source, an invocation still running goes
   * on, unacknowledged (its deletes may land late or not at all); `end` ends the threads.
   */
  async stop(graceMs: number): Promise<void> {
    await Promise.all(this.#instances.map((i) => this.#ask(i, { op: 'stop', graceMs }, 'stopped')));
  }

  /** Ends the instance threads (after `stop`): whatever still runs in them dies with them. */
  async end(): Promise<void> {
    await Promise.all(this.#instances.map((i) => i.thread.terminate()));
  }

  /** Starts a CPU profile in every instance; the function answers their profiles. */
  async profile(): Promise<() => Promise<unknown[]>> {
    await Promise.all(this.#instances.map((i) => this.#ask(i, { op: 'profile-start' }, 'profiling')));
    return async () => {
      const answers = await Promise.all(
        this.#instances.map((i) => this.#ask(i, { op: 'profile-stop' }, 'profile')),
      );
      return answers.flatMap((a) => (a.type === 'profile' && a.profile !== undefined ? [a.profile] : []));
    };
  }

  #ask(instance: Instance, message: object, answer: InstanceMessage['type']): Promise<InstanceMessage> {
    if (instance.exited) return Promise.resolve({ type: 'stopped' });
    return new Promise((resolve) => {
      instance.waiters.set(answer, resolve);
      instance.thread.postMessage(message);
    });
  }
}

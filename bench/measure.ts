/**
 * Cost counters of one scenario: what the simulators and the embedded AWS served between two
 * snapshots. The bench itself never reads DynamoDB while measuring (it checks idleness through
 * SQS queue attributes, which are left out of the SQS count as observer traffic).
 */
import type { IntacctSimulator } from '#local/intacct-sim/index.ts';
import type { SalesforceSimulator } from '#local/salesforce-sim/index.ts';
import type { CpuByArea } from './cpu-areas.ts';
import type { ThreadRuntime } from './runtime-thread.ts';

export interface Costs {
  salesforce: { calls: number; dml: number; byRoute: Record<string, number> };
  intacct: {
    requests: number;
    reads: number;
    writes: number;
    transactions: number;
    rateLimited: number;
    byFunction: Record<string, number>;
    /** Time requests spent in flight, summed (ms); most requests in flight at once (since start). */
    busyMs: number;
    peakInFlight: number;
  };
  /** Worker invocations and their handler time (Lambda billed duration, locally). */
  lambda: { invocations: number; busyMs: number };
  /** CPU ms by area of the repository while the scenario ran (pipeline scenarios; cpu-areas.ts). */
  cpu?: CpuByArea;
  dynamodb: { reads: number; writes: number; byOperation: Record<string, number> };
  sqs: { calls: number; sends: number; byOperation: Record<string, number> };
}

interface Snapshot {
  sf: ReturnType<SalesforceSimulator['apiUsage']>;
  ia: ReturnType<IntacctSimulator['counters']>;
  aws: Awaited<ReturnType<ThreadRuntime['awsCounters']>>;
  worker: { invocations: number; busyMs: number };
}

const READ_FUNCTIONS = ['query', 'readByQuery', 'readMore', 'read', 'readByName', 'readReport'];
const WRITE_FUNCTIONS = [
  'create',
  'update',
  'delete',
  'create_sotransaction',
  'update_sotransaction',
  'create_invoice',
];
const DDB_READS = ['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems'];
const DDB_WRITES = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems'];
/** Made by observers (the bench's idle checks, /status), not by the pipeline. */
const SQS_OBSERVER = ['GetQueueAttributes'];

export interface Meter {
  /** Counters since the meter started. */
  read(): Promise<Costs>;
}

export async function startMeter(sources: {
  salesforce: SalesforceSimulator;
  intacct: IntacctSimulator;
  runtime?: ThreadRuntime;
}): Promise<Meter> {
  const take = async (): Promise<Snapshot> => ({
    sf: sources.salesforce.apiUsage(),
    ia: sources.intacct.counters(),
    aws: (await sources.runtime?.awsCounters()) ?? { dynamodb: {}, sqs: {} },
    worker: (await sources.runtime?.workerUsage()) ?? { invocations: 0, busyMs: 0 },
  });
  const start = await take();
  return {
    async read() {
      const now = await take();
      const ddb = diff(now.aws.dynamodb, start.aws.dynamodb);
      const sqs = diff(now.aws.sqs, start.aws.sqs);
      const fns = diff(now.ia.byFunction, start.ia.byFunction);
      return {
        salesforce: {
          calls: now.sf.total - start.sf.total,
          dml: now.sf.dml - start.sf.dml,
          byRoute: diff(now.sf.byRoute, start.sf.byRoute),
        },
        intacct: {
          requests: now.ia.httpRequests - start.ia.httpRequests,
          reads: sum(fns, READ_FUNCTIONS),
          writes: sum(fns, WRITE_FUNCTIONS),
          transactions: now.ia.apiTransactions - start.ia.apiTransactions,
          rateLimited: now.ia.rateLimited - start.ia.rateLimited,
          byFunction: fns,
          busyMs: Math.round(now.ia.busyMs - start.ia.busyMs),
          peakInFlight: now.ia.peakInFlight,
        },
        lambda: {
          invocations: now.worker.invocations - start.worker.invocations,
          busyMs: Math.round(now.worker.busyMs - start.worker.busyMs),
        },
        dynamodb: { reads: sum(ddb, DDB_READS), writes: sum(ddb, DDB_WRITES), byOperation: ddb },
        sqs: {
          calls: Object.entries(sqs)
            .filter(([op]) => !SQS_OBSERVER.includes(op))
            .reduce((n, [, v]) => n + v, 0),
          sends: sum(sqs, ['SendMessage', 'SendMessageBatch']),
          byOperation: sqs,
        },
      };
    },
  };
}

function diff(now: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(now)) {
    const d = v - (before[k] ?? 0);
    if (d !== 0) out[k] = d;
  }
  return out;
}

function sum(counts: Record<string, number>, keys: readonly string[]): number {
  return keys.reduce((n, k) => n + (counts[k] ?? 0), 0);
}

/** Nearest-rank percentile of a list of numbers (0 for an empty list). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

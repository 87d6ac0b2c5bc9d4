/** The shapes `npm run bench -- --json` prints (issue 6), plus the bench's own notes under `meta`. */
import type { Costs } from './measure.ts';

export interface NaiveFigures {
  salesforceCalls: number;
  intacctRequests: number;
  intacctTransactions: number;
  wallMs: number;
}

/** One scenario as issue 6 specifies it. */
export interface CpuFigures {
  msPerRecord: Record<'pipeline' | 'awsSdk' | 'emulators' | 'simulators' | 'other', number>;
  busyShare: Record<'pipeline' | 'awsSdk' | 'emulators' | 'simulators' | 'other', number>;
  idleShare: number;
}

export interface ScenarioFigures {
  name: string;
  records: number;
  changed: number;
  salesforce: { calls: number };
  intacct: { requests: number; reads: number; writes: number; transactions: number };
  dynamodb: { reads: number; writes: number };
  sqs: { calls: number };
  wallMs: number;
  throughputPerSec: number;
  limitPerSec: number;
  latencyMs: { p50: number; p95: number } | null;
  naive: NaiveFigures | null;
  /**
   * Where the time goes and what it costs: the share of the wall time Intacct was busy (requests
   * in flight ÷ cap), the most requests it saw at once, the share refused with 429, the worker's
   * handler time per record, and the AWS cost per million records (an upper bound).
   */
  breakdown: {
    intacctBusyShare: number;
    intacctPeakInFlight: number;
    intacctRateLimitedShare: number;
    workerMsPerRecord: number;
    awsUsdPerMillion: number;
    /**
     * CPU by area while the scenario ran: ms per record, and each area's share of the busy
     * (non-idle) samples; `idleShare` of all samples. Absent for runs measured without a profile.
     */
    cpu?: CpuFigures;
  };
}

/** What a pipeline scenario measured, before the naive baseline is put beside it. */
export interface PipelineRun {
  name: string;
  records: number;
  changed: number;
  costs: Costs;
  wallMs: number;
  latencyMs: { p50: number; p95: number } | null;
  /** Correctness checks and anything a reader needs to interpret the figures. */
  checks: Record<string, number | string | boolean>;
}

/** A naive run on a sample, scaled to the scenario's size. */
export interface NaiveRun {
  name: string;
  sample: number;
  scaledTo: number;
  measured: NaiveFigures;
  scaled: NaiveFigures;
  /** Records whose sync threw after the clients' own retries. */
  failed: number;
  latencyMs?: { p50: number; p95: number };
  lost?: number;
  duplicates?: number;
}

export interface Reliability {
  records: number;
  lost: number;
  duplicates: number;
  dlq: number;
  expectedPermanentFailures: number;
}

export interface BundleFigures {
  bytes: number;
  initMs: number;
}

export interface BenchReport {
  scenarios: ScenarioFigures[];
  bundles: Record<string, BundleFigures>;
  reliability: Reliability | null;
  meta: Record<string, unknown>;
}

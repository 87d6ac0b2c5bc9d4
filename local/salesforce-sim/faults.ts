import { seededRandom } from '../common/seeded-random.ts';

/**
 * Run-time fault knobs. All are off by default; tests and `sfi local` turn them on while the
 * simulator runs (`simulator.setFaults({...})`).
 */
export type SimulatorFaults = {
  /** Delay before every response, in ms. */
  latencyMs?: number;
  /** Answer the next `count` API calls with a 5xx (503 SERVER_UNAVAILABLE by default; `html` for an HTML body). */
  failNext?: { count: number; status?: 500 | 502 | 503; html?: boolean };
  /** DML calls (1-based, counting every create/update/upsert/delete request since start) that hit UNABLE_TO_LOCK_ROW. */
  lockRowOnDml?: number[];
  /** Answer the next N API calls with 403 REQUEST_LIMIT_EXCEEDED "ConcurrentPerOrgLongTxn Limit exceeded.". */
  concurrentLimitNext?: number;
  /** Size of the daily API allocation (DailyApiRequests.Max); beyond it calls get 403 "TotalRequests Limit exceeded.". */
  dailyApiLimit?: number;
  /** Access tokens stop working this many ms after they were issued. */
  tokenTtlMs?: number;
  /** Reject every bearer token (a token endpoint that hands out tokens the API keeps refusing). */
  rejectAllTokens?: boolean;
  /** Share of API calls (0–1) answered at random with 503 SERVER_UNAVAILABLE (seeded, reproducible). */
  errorRate?: number;
  /**
   * Fields (`Object.Field`) the API user may read but not write, as field-level security makes
   * them: a write naming one fails with INVALID_FIELD_FOR_INSERT_UPDATE. `[]` clears the list.
   */
  readOnlyFields?: string[];
};

/** Mutable fault state; counters live here so knobs can be re-armed at run time. */
export type FaultState = {
  latencyMs: number;
  failNext: { count: number; status: number; html: boolean };
  lockRowOnDml: Set<number>;
  concurrentLimitNext: number;
  errorRate: number;
  /** Lower-cased `object.field` names the API may not write. */
  readOnlyFields: Set<string>;
  /** Seeded PRNG for `errorRate`, so a failing run can be replayed. */
  random: () => number;
};

export function initialFaults(): FaultState {
  return {
    latencyMs: 0,
    failNext: { count: 0, status: 503, html: false },
    lockRowOnDml: new Set(),
    concurrentLimitNext: 0,
    errorRate: 0,
    readOnlyFields: new Set(),
    random: seededRandom(1),
  };
}

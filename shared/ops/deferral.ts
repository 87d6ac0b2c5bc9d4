/**
 * Which jobs wait instead of running (DESIGN §9): every job of a paused flow (the kill switch),
 * and bulk jobs while only the budget's reserve is left for the month. The worker asks once per
 * batch; the answer is read from DynamoDB at most every few seconds per instance.
 *
 * The Salesforce daily API allowance is watched the same way (salesforce-allowance.ts).
 *
 * Bulk means reason `backfill` or `reconcile` (reconcile --fix repairs, overdue re-checks). A
 * `replay` is one record an operator asked for and is waiting on (`sfi replay <flow> <id>`), so it
 * runs on the reserve like real-time work (webhook, push, delta); a producer that replays many
 * records enqueues them as `backfill`, which is what they are.
 */

import type { SalesforceReading } from '#shared/aws/ledger.ts';
import type { Budget } from '#shared/config/budget-config.ts';
import type { Job } from '#shared/jobs/job.ts';
import { type BudgetStatus, budgetStatus, monthKey } from './budget.ts';
import type { FlowPause, FlowPauses } from './flow-pauses.ts';
import { type SalesforceAllowance, salesforceAllowance } from './salesforce-allowance.ts';

export const BULK_REASONS: ReadonlySet<Job['reason']> = new Set(['backfill', 'reconcile']);

export const isBulk = (job: Pick<Job, 'reason'>): boolean => BULK_REASONS.has(job.reason);

export interface DeferralState {
  paused: readonly FlowPause[];
  /** Absent when no `intacct.budget` is configured. */
  budget?: BudgetStatus;
  /** Absent until the worker has seen a Salesforce API use reading. */
  salesforce?: SalesforceAllowance;
}

export type DeferCause = 'paused' | 'budget';

/** Why a job must wait now, or `undefined` when it runs. */
export function deferCause(job: Pick<Job, 'flow' | 'reason'>, state: DeferralState): DeferCause | undefined {
  if (state.paused.some((p) => p.flow === job.flow)) return 'paused';
  const spent = state.budget?.bulkDeferred === true || state.salesforce?.bulkDeferred === true;
  if (spent && isBulk(job)) return 'budget';
  return undefined;
}

export interface DeferralGateDeps {
  flows: readonly string[];
  pauses: FlowPauses;
  budget?: Budget;
  /** The month's Intacct transactions so far. */
  usage(month: string): Promise<number>;
  /** The org's daily API allowance as last seen, and the share kept for real-time work. */
  salesforce?: { reservePercent: number; usage(): Promise<SalesforceReading | undefined> };
  /** The clock that picks the month (tests move it to the next one). */
  now(): Date;
  /** How long one read stays fresh (default 5 s): how soon every instance sees a pause. */
  cacheMs?: number;
  /** A read that fails falls back to the last answer if it is younger than this (default 60 s). */
  maxStaleMs?: number;
  /** Elapsed-time source for the cache (default performance.now), separate from `now`. */
  ticks?(): number;
}

/** The current state, cached; a new month (the month key changes) always reads afresh. */
export function makeDeferralGate(deps: DeferralGateDeps): () => Promise<DeferralState> {
  const cacheMs = deps.cacheMs ?? 5000;
  const maxStaleMs = deps.maxStaleMs ?? 60_000;
  const ticks = deps.ticks ?? (() => performance.now());
  let last: { state: DeferralState; month: string; at: number } | undefined;
  let reading: Promise<DeferralState> | undefined;

  const read = async (now: Date, month: string): Promise<DeferralState> => {
    const [paused, used, reading] = await Promise.all([
      deps.pauses.paused(deps.flows),
      deps.budget === undefined ? Promise.resolve(0) : deps.usage(month),
      deps.salesforce?.usage(),
    ]);
    const allowance = salesforceAllowance(reading, deps.salesforce?.reservePercent ?? 0, now);
    const state: DeferralState = {
      paused,
      ...(deps.budget === undefined ? {} : { budget: budgetStatus(deps.budget, used, now) }),
      ...(allowance === undefined ? {} : { salesforce: allowance }),
    };
    last = { state, month, at: ticks() };
    return state;
  };

  return async () => {
    const now = deps.now();
    const month = monthKey(now);
    if (last !== undefined && last.month === month && ticks() - last.at < cacheMs) return last.state;
    reading ??= read(now, month).finally(() => {
      reading = undefined;
    });
    try {
      return await reading;
    } catch (error) {
      if (last !== undefined && last.month === month && ticks() - last.at < maxStaleMs) return last.state;
      throw error;
    }
  };
}

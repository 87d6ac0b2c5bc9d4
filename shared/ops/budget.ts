/**
 * The budget governor's arithmetic (DESIGN §9): the month's Intacct transactions against the
 * allowance, the use projected for the whole month, and whether bulk work must wait. Months are
 * UTC calendar months, the key the worker counts usage under (`usage#YYYY-MM`).
 */
import type { Budget } from '#shared/config/budget-config.ts';

const DAY_MS = 86_400_000;

/** The month key of an instant: `YYYY-MM`, UTC. */
export const monthKey = (at: Date): string => at.toISOString().slice(0, 7);

export interface BudgetStatus {
  month: string;
  used: number;
  allowance: number;
  reserve: number;
  /** Bulk work runs while `used` is below this (allowance − reserve). */
  bulkLimit: number;
  /** Linear from the days elapsed (at least one, so the first hours do not project wildly). */
  projected: number;
  bulkDeferred: boolean;
}

/** Bulk work waits once only the reserve is left: used ≥ allowance − reserve. */
export function budgetStatus(budget: Budget, used: number, now: Date): BudgetStatus {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const days = (end - start) / DAY_MS;
  const elapsed = Math.min(days, Math.max(1, (now.getTime() - start) / DAY_MS));
  const bulkLimit = budget.allowance - budget.reserve;
  return {
    month: monthKey(now),
    used,
    allowance: budget.allowance,
    reserve: budget.reserve,
    bulkLimit,
    projected: Math.round((used * days) / elapsed),
    bulkDeferred: used >= bulkLimit,
  };
}

/**
 * `intacct.budget` (DESIGN §9): the month's Intacct transaction allowance and the reserve kept for
 * real-time work. Once only the reserve is left, bulk work waits in the queue until next month.
 * The older `intacct.monthlyTransactionBudget` still sets the allowance when `budget` gives none.
 */
import * as z from 'zod/v4';

export const budgetConfigSchema = z.strictObject({
  /** Transactions the company's Intacct subscription includes per calendar month (UTC). */
  monthlyTransactions: z.number().int().positive().optional(),
  /** Kept for real-time work (webhooks, pushes, delta polls): bulk work stops at allowance − reserve. */
  reserveTransactions: z.number().int().min(0).default(0),
});

export type BudgetConfig = z.infer<typeof budgetConfigSchema>;

/** The governor's figures; `undefined` when no `budget` section is configured (nothing is deferred). */
export interface Budget {
  allowance: number;
  reserve: number;
  /** Which key set the allowance (for messages). */
  allowanceFrom: 'intacct.budget.monthlyTransactions' | 'intacct.monthlyTransactionBudget';
}

/** Resolves the allowance: `budget.monthlyTransactions` when given, else `monthlyTransactionBudget`. */
export function resolveBudget(intacct: {
  monthlyTransactionBudget: number;
  budget?: BudgetConfig;
}): Budget | undefined {
  if (intacct.budget === undefined) return undefined;
  const own = intacct.budget.monthlyTransactions;
  return {
    allowance: own ?? intacct.monthlyTransactionBudget,
    reserve: intacct.budget.reserveTransactions,
    allowanceFrom:
      own === undefined ? 'intacct.monthlyTransactionBudget' : 'intacct.budget.monthlyTransactions',
  };
}

/**
 * The cross-key check of the `intacct` section: the reserve must leave room for bulk work. Called
 * from the config's superRefine, so `config validate`, synth and cold starts report it with the rest.
 */
export function checkBudget(
  intacct: { monthlyTransactionBudget: number; budget?: BudgetConfig },
  ctx: z.RefinementCtx,
): void {
  const budget = resolveBudget(intacct);
  if (budget === undefined || budget.reserve < budget.allowance) return;
  ctx.addIssue({
    code: 'custom',
    path: ['intacct', 'budget', 'reserveTransactions'],
    message: `the reserve (${budget.reserve}) must be less than the monthly allowance (${budget.allowance}, from ${budget.allowanceFrom}); lower the reserve or raise the allowance`,
  });
}

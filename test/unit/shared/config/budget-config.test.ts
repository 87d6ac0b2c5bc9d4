import { describe, expect, it } from 'vitest';
import { resolveBudget } from '#shared/config/budget-config.ts';
import { configProblems, shippedConfigJson } from '../../../helpers/config.ts';

const withIntacct = (intacct: Record<string, unknown>) => {
  const raw = shippedConfigJson();
  return { ...raw, intacct: { ...(raw.intacct as object), ...intacct } };
};

describe('intacct.budget', () => {
  it('takes the allowance from budget.monthlyTransactions, else from monthlyTransactionBudget', () => {
    expect(
      resolveBudget({
        monthlyTransactionBudget: 100_000,
        budget: { monthlyTransactions: 50_000, reserveTransactions: 5000 },
      }),
    ).toMatchObject({ allowance: 50_000, reserve: 5000 });
    expect(
      resolveBudget({ monthlyTransactionBudget: 80_000, budget: { reserveTransactions: 5000 } }),
    ).toMatchObject({ allowance: 80_000, allowanceFrom: 'intacct.monthlyTransactionBudget' });
    expect(resolveBudget({ monthlyTransactionBudget: 80_000 })).toBeUndefined();
  });

  it('refuses a reserve that leaves nothing for bulk work, naming both figures and the fix', () => {
    expect(
      configProblems(withIntacct({ budget: { monthlyTransactions: 1000, reserveTransactions: 1000 } })),
    ).toEqual([
      'my.json: intacct.budget.reserveTransactions: the reserve (1000) must be less than the monthly allowance (1000, from intacct.budget.monthlyTransactions); lower the reserve or raise the allowance',
    ]);
    expect(
      configProblems(withIntacct({ monthlyTransactionBudget: 500, budget: { reserveTransactions: 600 } })),
    ).toEqual([
      'my.json: intacct.budget.reserveTransactions: the reserve (600) must be less than the monthly allowance (500, from intacct.monthlyTransactionBudget); lower the reserve or raise the allowance',
    ]);
    expect(
      configProblems(withIntacct({ budget: { monthlyTransactions: 1000, reserveTransactions: 100 } })),
    ).toEqual([]);
  });
});

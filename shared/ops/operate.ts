/**
 * The operator's side of the kill switch and the budget (DESIGN §9), the same for `sfi local`'s
 * control API and a deployed stack: pause or resume a configured flow, and the figures
 * `sfi status` shows (paused flows; the month's use, its projection, whether bulk work waits).
 */

import type { SalesforceReading } from '#shared/aws/ledger.ts';
import { type BudgetConfig, resolveBudget } from '#shared/config/budget-config.ts';
import { ValidationError } from '#shared/errors.ts';
import { type BudgetStatus, budgetStatus, monthKey } from './budget.ts';
import type { FlowPause, FlowPauses } from './flow-pauses.ts';
import { type SalesforceAllowance, salesforceAllowance } from './salesforce-allowance.ts';

export interface OperateDeps {
  flows: readonly string[];
  pauses: FlowPauses;
  intacct: { monthlyTransactionBudget: number; budget?: BudgetConfig };
  usage(month: string): Promise<number>;
  /** The org's daily API allowance as the worker last saw it. */
  salesforce?: { reservePercent: number; usage(): Promise<SalesforceReading | undefined> };
  now?: () => Date;
}

/** Throws FLOW_UNKNOWN naming the flows there are. */
export function knownFlow(flows: readonly string[], flow: string): string {
  if (flows.includes(flow)) return flow;
  throw new ValidationError(`no flow "${flow}" in the sync config; the flows are: ${flows.join(', ')}`, {
    code: 'FLOW_UNKNOWN',
    hint: 'give one of those names (sfi status lists them too)',
    meta: { flow, flows },
  });
}

export async function pauseFlow(deps: OperateDeps, flow: string): Promise<FlowPause> {
  const now = deps.now ?? (() => new Date());
  return deps.pauses.pause(knownFlow(deps.flows, flow), now().toISOString());
}

/** `resumed: false` when the flow was not paused (nothing changes; not an error). */
export async function resumeFlow(
  deps: OperateDeps,
  flow: string,
): Promise<{ flow: string; resumed: boolean }> {
  return { flow, resumed: await deps.pauses.resume(knownFlow(deps.flows, flow)) };
}

export interface OperatingStatus {
  paused: FlowPause[];
  /** `governed: false` when `intacct.budget` is not set: figures against the allowance, nothing deferred. */
  budget: BudgetStatus & { governed: boolean };
  /** The Salesforce daily API use last seen (absent before the worker's first call). */
  salesforceApi?: SalesforceAllowance;
}

export async function operatingStatus(deps: OperateDeps): Promise<OperatingStatus> {
  const now = (deps.now ?? (() => new Date()))();
  const month = monthKey(now);
  const [paused, used, reading] = await Promise.all([
    deps.pauses.paused(deps.flows),
    deps.usage(month),
    deps.salesforce?.usage(),
  ]);
  const allowance = salesforceAllowance(reading, deps.salesforce?.reservePercent ?? 0, now);
  const salesforceApi = allowance === undefined ? {} : { salesforceApi: allowance };
  const budget = resolveBudget(deps.intacct);
  if (budget !== undefined)
    return { paused, budget: { ...budgetStatus(budget, used, now), governed: true }, ...salesforceApi };
  const figures = budgetStatus(
    {
      allowance: deps.intacct.monthlyTransactionBudget,
      reserve: 0,
      allowanceFrom: 'intacct.monthlyTransactionBudget',
    },
    used,
    now,
  );
  return { paused, budget: { ...figures, bulkDeferred: false, governed: false }, ...salesforceApi };
}

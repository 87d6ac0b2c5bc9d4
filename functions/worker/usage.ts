/**
 * The Intacct API budget (DESIGN §3.5): after each batch the worker adds the transactions it used
 * to the month's total in the ledger, emits the figures as metrics, and warns once the configured
 * monthly budget is passed (Intacct bills overage per transaction; nothing is blocked).
 */
import type { Ledger } from '#shared/aws/ledger.ts';
import type { Logger } from '#shared/observability/logger.ts';
import { emitMetrics, METRIC } from '#shared/observability/metrics.ts';

export function makeUsageRecorder(deps: {
  ledger: Ledger;
  budget: number;
  logger: Logger;
  write: (line: string) => void;
  now?: () => Date;
}): (transactions: number) => Promise<void> {
  const now = deps.now ?? (() => new Date());
  return async (transactions) => {
    if (transactions <= 0) return;
    const month = now().toISOString().slice(0, 7);
    const total = await deps.ledger.addIntacctTransactions(month, transactions);
    const percent = Math.round((total / deps.budget) * 1000) / 10;
    emitMetrics(
      deps.write,
      { Service: 'worker' },
      { [METRIC.intacctTransactions]: transactions, [METRIC.budgetUsedPercent]: percent },
    );
    if (total > deps.budget && total - transactions <= deps.budget) {
      deps.logger.warn('Intacct monthly transaction budget exceeded', { month, total, budget: deps.budget });
    }
  };
}

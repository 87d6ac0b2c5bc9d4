import { describe, expect, it } from 'vitest';
import { makeUsageRecorder } from '#functions/worker/usage.ts';
import type { Ledger } from '#shared/aws/ledger.ts';
import { createLogger } from '#shared/observability/logger.ts';
import { emitMetrics, METRIC } from '#shared/observability/metrics.ts';

describe('EMF metrics', () => {
  it('writes one Embedded Metric Format document with the dimension and every value', () => {
    const lines: string[] = [];
    emitMetrics(
      (l) => lines.push(l),
      { Flow: 'account-customer' },
      { [METRIC.created]: 3, [METRIC.failed]: 0 },
      () => 1_700_000_000_000,
    );
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      _aws: {
        Timestamp: 1_700_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: 'SalesforceIntacctSync',
            Dimensions: [['Flow']],
            Metrics: [
              { Name: 'RecordsCreated', Unit: 'Count' },
              { Name: 'RecordsFailed', Unit: 'Count' },
            ],
          },
        ],
      },
      Flow: 'account-customer',
      RecordsCreated: 3,
      RecordsFailed: 0,
    });
  });

  it('counts Intacct transactions per month, reports the budget share, and warns once when it is passed', async () => {
    let total = 0;
    const ledger = {
      addIntacctTransactions: async (_m: string, n: number) => (total += n),
    } as unknown as Ledger;
    const lines: string[] = [];
    const warnings: string[] = [];
    const logger = {
      ...createLogger({ service: 't', level: 'silent' }),
      warn: (m: string) => warnings.push(m),
    };
    const record = makeUsageRecorder({
      ledger,
      budget: 100,
      logger,
      write: (l) => lines.push(l),
      now: () => new Date('2026-11-05T00:00:00Z'),
    });
    await record(60);
    await record(50);
    await record(10);
    await record(0);
    expect(lines.map((l) => JSON.parse(l).IntacctBudgetUsedPercent)).toEqual([60, 110, 120]);
    expect(warnings).toEqual(['Intacct monthly transaction budget exceeded']);
  });
});

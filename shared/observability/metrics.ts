/**
 * CloudWatch Embedded Metric Format: one JSON log line per flush, which CloudWatch turns into
 * metrics without an API call. Metric names live here, in one place, so alarms and the dashboard
 * name the same ones.
 */
export const METRICS_NAMESPACE = 'SalesforceIntacctSync';

export const METRIC = {
  received: 'JobsReceived',
  created: 'RecordsCreated',
  updated: 'RecordsUpdated',
  skipped: 'RecordsSkipped',
  failed: 'RecordsFailed',
  intacctTransactions: 'IntacctTransactions',
  budgetUsedPercent: 'IntacctBudgetUsedPercent',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** Writes one EMF document with the given dimensions (e.g. `{ Flow: 'account-customer' }`). */
export function emitMetrics(
  write: (line: string) => void,
  dimensions: Record<string, string>,
  values: Partial<Record<MetricName, number>>,
  now: () => number = Date.now,
): void {
  const entries = Object.entries(values).filter(([, v]) => typeof v === 'number') as Array<
    [MetricName, number]
  >;
  if (entries.length === 0) return;
  write(
    JSON.stringify({
      _aws: {
        Timestamp: now(),
        CloudWatchMetrics: [
          {
            Namespace: METRICS_NAMESPACE,
            Dimensions: [Object.keys(dimensions)],
            Metrics: entries.map(([name]) => ({
              Name: name,
              Unit: name === METRIC.budgetUsedPercent ? 'Percent' : 'Count',
            })),
          },
        ],
      },
      ...dimensions,
      ...Object.fromEntries(entries),
    }),
  );
}

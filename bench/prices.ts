/**
 * AWS cost of a measured run (DESIGN §8 "Cost"), from the counts the bench measured and list prices.
 * Prices: us-east-1 list prices as known when this was written (Lambda arm64, SQS standard,
 * DynamoDB on-demand after the November 2024 reduction); this machine cannot reach the pricing
 * pages, so check them before quoting. Free tiers are left out.
 */
import type { Costs } from './measure.ts';

export const PRICES = {
  lambdaPerGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1e6,
  sqsPerRequest: 0.4 / 1e6,
  dynamoPerWriteUnit: 0.625 / 1e6,
  dynamoPerReadUnit: 0.125 / 1e6,
};

/**
 * USD per million synced records, an upper bound: each DynamoDB batch request is priced as full
 * (BatchWriteItem 25 items, BatchGetItem 100 items at half a read unit each), single-item
 * requests as one unit; items ≤ 1 KB. The worker's handler time is billed at `workerMemoryMb`.
 */
export function costPerMillion(costs: Costs, records: number, workerMemoryMb: number): number {
  const ops = costs.dynamodb.byOperation;
  const writeUnits =
    (ops.PutItem ?? 0) + (ops.UpdateItem ?? 0) + (ops.DeleteItem ?? 0) + 25 * (ops.BatchWriteItem ?? 0);
  const readUnits = (ops.GetItem ?? 0) + (ops.Query ?? 0) + 50 * (ops.BatchGetItem ?? 0);
  const usd =
    (costs.lambda.busyMs / 1000) * (workerMemoryMb / 1024) * PRICES.lambdaPerGbSecond +
    costs.lambda.invocations * PRICES.lambdaPerRequest +
    costs.sqs.calls * PRICES.sqsPerRequest +
    writeUnits * PRICES.dynamoPerWriteUnit +
    readUnits * PRICES.dynamoPerReadUnit;
  return (usd / Math.max(1, records)) * 1e6;
}

/**
 * The Salesforce side of the budget governor (DESIGN §9): the org's daily API allowance, as the
 * last `Sforce-Limit-Info: api-usage=used/limit` header the worker saw. Once the use reaches the
 * allowance less the reserve for real-time work, bulk work waits, as it does at the Intacct
 * reserve. The allowance is a rolling 24 hours, so a reading ages: one older than
 * {@link READING_FRESH_MS} defers nothing (the next batch's calls bring a new one), or bulk work
 * that makes the only calls would wait forever on a figure nobody refreshes.
 */
import type { SalesforceReading } from '#shared/aws/ledger.ts';

export interface SalesforceAllowance extends SalesforceReading {
  reservePercent: number;
  /** Bulk work runs while `used` is below this. */
  bulkLimit: number;
  fresh: boolean;
  bulkDeferred: boolean;
}

export const READING_FRESH_MS = 15 * 60_000;

export function salesforceAllowance(
  reading: SalesforceReading | undefined,
  reservePercent: number,
  now: Date,
): SalesforceAllowance | undefined {
  if (reading === undefined || reading.limit <= 0) return undefined;
  const bulkLimit = Math.floor((reading.limit * (100 - reservePercent)) / 100);
  const fresh = now.getTime() - Date.parse(reading.at) < READING_FRESH_MS;
  return { ...reading, reservePercent, bulkLimit, fresh, bulkDeferred: fresh && reading.used >= bulkLimit };
}

import { describe, expect, it } from 'vitest';
import { deferCause } from '#shared/ops/deferral.ts';
import { READING_FRESH_MS, salesforceAllowance } from '#shared/ops/salesforce-allowance.ts';

const now = new Date('2026-12-06T12:00:00Z');
const at = (msAgo: number) => new Date(now.getTime() - msAgo).toISOString();

describe('the Salesforce API allowance', () => {
  it('defers bulk work once a fresh reading reaches the allowance less the reserve', () => {
    expect(salesforceAllowance({ used: 89_999, limit: 100_000, at: at(1000) }, 10, now)).toMatchObject({
      bulkLimit: 90_000,
      fresh: true,
      bulkDeferred: false,
    });
    expect(salesforceAllowance({ used: 90_000, limit: 100_000, at: at(1000) }, 10, now)?.bulkDeferred).toBe(
      true,
    );
  });

  it('defers nothing on a stale reading (bulk work would otherwise wait on a figure nobody refreshes)', () => {
    const stale = salesforceAllowance(
      { used: 99_000, limit: 100_000, at: at(READING_FRESH_MS + 1) },
      10,
      now,
    );
    expect(stale).toMatchObject({ fresh: false, bulkDeferred: false });
  });

  it('has nothing to say before the first reading', () => {
    expect(salesforceAllowance(undefined, 10, now)).toBeUndefined();
  });

  it('holds bulk jobs and lets real-time ones run', () => {
    const salesforce = salesforceAllowance({ used: 95, limit: 100, at: at(0) }, 10, now);
    const state = { paused: [], ...(salesforce ? { salesforce } : {}) };
    expect(deferCause({ flow: 'account-customer', reason: 'backfill' }, state)).toBe('budget');
    expect(deferCause({ flow: 'account-customer', reason: 'reconcile' }, state)).toBe('budget');
    expect(deferCause({ flow: 'account-customer', reason: 'webhook' }, state)).toBeUndefined();
    expect(deferCause({ flow: 'account-customer', reason: 'delta' }, state)).toBeUndefined();
  });
});

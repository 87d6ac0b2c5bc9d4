/**
 * Recent record activity: the engine notes each link a batch stores with a new last action as one
 * audit entry (both IDs, the side written, the field names, why); a re-sync that changes nothing
 * and a failed audit write add nothing and fail nothing.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '#shared/aws/ledger.ts';
import { loadSyncConfig } from '#shared/config/sync-config.ts';
import { createLogger } from '#shared/observability/logger.ts';
import { makeSyncEngine } from '#shared/sync/engine.ts';
import { MemoryCrosswalk, MemorySystem, memoryLedger } from '../../../helpers/memory-ports.ts';

const config = loadSyncConfig('sync.config.json');
const logger = createLogger({ service: 'test', level: 'silent' });

function setup(audit: (entries: readonly AuditEntry[]) => Promise<void>) {
  const salesforce = new MemorySystem(() => '001NEW000000000001');
  const intacct = new MemorySystem((_object, values) => String(values.CUSTOMERID));
  const ledger = { ...memoryLedger(), audit };
  const engine = makeSyncEngine({
    flows: config.flows,
    salesforce,
    intacct,
    crosswalk: new MemoryCrosswalk(),
    ledger,
    logger,
  });
  salesforce.put('Account', {
    id: '001A',
    version: '2026-11-01T00:00:01.000Z',
    values: { Name: 'Acme Ltd', AccountNumber: 'ACME-1', Intacct_Customer_Id__c: null },
  });
  return engine;
}

const job = (n: number) => ({
  messageId: `m${n}`,
  job: {
    v: 1 as const,
    flow: 'account-customer',
    source: 'salesforce' as const,
    object: 'Account',
    recordId: '001A',
    reason: 'webhook' as const,
    correlationId: `c${n}`,
    enqueuedAt: '',
  },
});

describe('record activity in the ledger', () => {
  it('audits a create with both IDs, the side written and its fields, and a no-change re-sync not at all', async () => {
    const audits: AuditEntry[] = [];
    const engine = setup(async (entries) => {
      audits.push(...entries);
    });
    await engine('account-customer', [job(1)]);
    expect(audits).toEqual([
      {
        flow: 'account-customer',
        recordId: '001A',
        id: expect.any(String),
        at: expect.any(String),
        action: 'create',
        detail: expect.objectContaining({
          salesforceId: '001A',
          intacctKey: 'ACME-1',
          to: 'intacct',
          fields: expect.arrayContaining(['NAME', 'CUSTOMERID']),
          reason: 'webhook',
          correlationId: 'c1',
        }),
      },
    ]);
    await engine('account-customer', [job(2)]);
    expect(audits).toHaveLength(1);
  });

  it('keeps the batch synced when the audit cannot be written', async () => {
    const engine = setup(async () => {
      throw new Error('ProvisionedThroughputExceededException');
    });
    expect(await engine('account-customer', [job(1)])).toEqual([{ messageId: 'm1', status: 'done' }]);
  });
});

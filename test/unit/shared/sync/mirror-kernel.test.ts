/**
 * The mirror kind's kernel duties on in-memory ports (the crosswalk's real logic on a table that
 * evaluates conditions as DynamoDB does): missing targets, claims, races, duplicate keys,
 * write-back failures.
 */
import { describe, expect, it } from 'vitest';
import { loadSyncConfig } from '#shared/config/sync-config.ts';
import { SyncError } from '#shared/errors.ts';
import type { Job } from '#shared/jobs/job.ts';
import { createLogger } from '#shared/observability/logger.ts';
import { makeSyncEngine } from '#shared/sync/engine.ts';
import type { FlowConfig } from '#shared/sync/flow-schema.ts';
import type { WriteOp, WriteResult } from '#shared/sync/ports.ts';
import { MemoryCrosswalk, MemorySystem, memoryLedger } from '../../../helpers/memory-ports.ts';

const config = loadSyncConfig('sync.config.json');
const logger = createLogger({ service: 'test', level: 'silent' });
let n = 0;

function setup(flowOverrides: Partial<FlowConfig> = {}) {
  const flows = config.flows.map((f) =>
    f.name === 'account-customer' ? ({ ...f, ...flowOverrides } as FlowConfig) : f,
  );
  const salesforce = new MemorySystem(() => `001NEW${String(++n).padStart(12, '0')}`);
  const intacct = new MemorySystem((_object, values) => String(values.CUSTOMERID));
  const crosswalk = new MemoryCrosswalk();
  const ledger = memoryLedger();
  const engine = makeSyncEngine({ flows, salesforce, intacct, crosswalk, ledger, logger });
  return { salesforce, intacct, crosswalk, ledger, engine };
}

let messages = 0;
function job(source: 'salesforce' | 'intacct', recordId: string): { messageId: string; job: Job } {
  return {
    messageId: `m${++messages}`,
    job: {
      v: 1,
      flow: 'account-customer',
      source,
      object: '',
      recordId,
      reason: 'delta',
      correlationId: 'c',
      enqueuedAt: '',
    },
  };
}

const acme = { Name: 'Acme Ltd', AccountNumber: 'ACME-1', Phone: '1', Intacct_Customer_Id__c: null };

async function linked(s: ReturnType<typeof setup>) {
  s.salesforce.put('Account', { id: '001A', version: '2026-11-01T00:00:01.000Z', values: acme });
  await s.engine('account-customer', [job('salesforce', '001A')]);
  expect(s.crosswalk.links.get('account-customer#001A')?.intacctKey).toBe('ACME-1');
}

describe('mirror kind: missing targets', () => {
  it('fails with both IDs and the fix when the linked customer is gone (default)', async () => {
    const s = setup();
    await linked(s);
    s.intacct.records.get('CUSTOMER')?.delete('ACME-1');
    s.salesforce.touch('Account', '001A', { Phone: '2' });
    const [out] = await s.engine('account-customer', [job('salesforce', '001A')]);
    expect(out).toMatchObject({ status: 'dead', error: { code: 'TARGET_MISSING' } });
    const error = (out as { error: SyncError }).error;
    expect(error.meta).toMatchObject({ salesforceId: '001A', intacctKey: 'ACME-1' });
    expect(error.hint).toContain('sfi unlink account-customer 001A');
    expect(s.intacct.records.get('CUSTOMER')?.size).toBe(0);
  });

  it('unlinks the pair when the flow says unlink, and creates nothing', async () => {
    const s = setup({ onTargetMissing: 'unlink' });
    await linked(s);
    s.intacct.records.get('CUSTOMER')?.delete('ACME-1');
    s.salesforce.touch('Account', '001A', { Phone: '2' });
    const [out] = await s.engine('account-customer', [job('salesforce', '001A')]);
    expect(out).toMatchObject({ status: 'done' });
    expect(s.crosswalk.links.size).toBe(0);
    expect(s.crosswalk.pointers.size).toBe(0);
    expect(s.intacct.records.get('CUSTOMER')?.size).toBe(0);
  });

  it('re-creates the customer when the flow says recreate, keeping one link', async () => {
    const s = setup({ onTargetMissing: 'recreate' });
    await linked(s);
    s.intacct.records.get('CUSTOMER')?.delete('ACME-1');
    s.salesforce.touch('Account', '001A', { Phone: '2' });
    const [out] = await s.engine('account-customer', [job('salesforce', '001A')]);
    expect(out).toMatchObject({ status: 'done' });
    expect(s.intacct.records.get('CUSTOMER')?.get('ACME-1')?.values).toMatchObject({
      'DISPLAYCONTACT.PHONE1': '2',
    });
    expect(s.crosswalk.links.get('account-customer#001A')).toMatchObject({ lastAction: 'recreate', rev: 2 });
  });

  it('re-creates a purged Account under a new ID and moves the link to it', async () => {
    const s = setup({ onTargetMissing: 'recreate' });
    await linked(s);
    s.salesforce.records.get('Account')?.delete('001A');
    s.intacct.touch('CUSTOMER', 'ACME-1', { 'DISPLAYCONTACT.PHONE1': '3' });
    const [out] = await s.engine('account-customer', [job('intacct', 'ACME-1')]);
    expect(out).toMatchObject({ status: 'done' });
    const [account] = [...(s.salesforce.records.get('Account')?.values() ?? [])];
    expect(account?.values).toMatchObject({ Phone: '3', Intacct_Customer_Id__c: 'ACME-1' });
    expect([...s.crosswalk.links.keys()]).toEqual([`account-customer#${account?.id}`]);
    expect(s.crosswalk.pointers.get('account-customer#ACME-1')).toBe(account?.id);
  });
});

describe('mirror kind: concurrency', () => {
  it('retries a create whose claim another invocation holds, and creates nothing meanwhile', async () => {
    const s = setup();
    s.salesforce.put('Account', { id: '001A', version: '2026-11-01T00:00:01.000Z', values: acme });
    expect(await s.crosswalk.claimKey('account-customer', 'ACME-1', '001A', 'other-invocation', 120)).toEqual(
      {
        held: true,
      },
    );
    const [out] = await s.engine('account-customer', [job('salesforce', '001A')]);
    expect(out).toMatchObject({ status: 'retry', error: { code: 'CLAIM_HELD' } });
    expect(s.intacct.records.get('CUSTOMER')).toBeUndefined();
  });

  it('adopts a customer with its key that appeared after the match (our own concurrent create)', async () => {
    const s = setup();
    s.salesforce.put('Account', {
      id: '001A',
      version: '2026-11-01T00:00:01.000Z',
      values: { ...acme, Phone: '2' },
    });
    // Between this invocation's match and its create, another one created ACME-1 from an older version.
    const write = s.intacct.write.bind(s.intacct);
    let raced = false;
    s.intacct.write = async (object: string, ops: readonly WriteOp[]): Promise<WriteResult[]> => {
      if (!raced && ops.some((o) => o.kind === 'create')) {
        raced = true;
        s.intacct.put('CUSTOMER', {
          id: 'ACME-1',
          recordNo: '9',
          version: '11/01/2026 00:00:01',
          values: { CUSTOMERID: 'ACME-1', NAME: 'Acme Ltd', 'DISPLAYCONTACT.PHONE1': '1' },
        });
      }
      return write(object, ops);
    };
    const [out] = await s.engine('account-customer', [job('salesforce', '001A')]);
    expect(out).toMatchObject({ status: 'done' });
    expect(s.intacct.records.get('CUSTOMER')?.size).toBe(1);
    expect(s.intacct.records.get('CUSTOMER')?.get('ACME-1')?.values['DISPLAYCONTACT.PHONE1']).toBe('2');
    expect(s.crosswalk.links.get('account-customer#001A')?.intacctKey).toBe('ACME-1');
  });

  it('merges its write stamp into a link changed meanwhile, then re-plans from the stored link', async () => {
    const s = setup();
    await linked(s);
    s.intacct.touch('CUSTOMER', 'ACME-1', { ONHOLD: 'true' });
    // Another invocation records the pair while this one writes Salesforce.
    const write = s.salesforce.write.bind(s.salesforce);
    let raced = false;
    s.salesforce.write = async (object: string, ops: readonly WriteOp[]) => {
      const results = await write(object, ops);
      if (!raced) {
        raced = true;
        s.crosswalk.patch('account-customer', '001A', { intacctWrittenAt: '2026-11-01T09:00:00.000Z' });
      }
      return results;
    };
    const [out] = await s.engine('account-customer', [job('intacct', 'ACME-1')]);
    expect(out).toMatchObject({ status: 'done' });
    const link = s.crosswalk.links.get('account-customer#001A');
    // Both stamps survive: the other writer's Intacct stamp and this job's Salesforce stamp.
    expect(link?.intacctWrittenAt).toBe('2026-11-01T09:00:00.000Z');
    expect(link?.salesforceWrittenAt).toBeDefined();
    expect(s.salesforce.records.get('Account')?.get('001A')?.values.Intacct_Credit_Hold__c).toBe('true');
  });
});

describe('mirror kind: write-backs', () => {
  it('keeps the link and dead-letters a refused write-back with its reason; the redrive writes back only', async () => {
    const s = setup();
    s.salesforce.put('Account', { id: '001A', version: '2026-11-01T00:00:01.000Z', values: acme });
    const write = s.salesforce.write.bind(s.salesforce);
    let refuse = true;
    s.salesforce.write = async (object: string, ops: readonly WriteOp[]) =>
      refuse
        ? ops.map((op) => ({
            ref: op.ref,
            ok: false as const,
            error: new SyncError('INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields', {
              code: 'INVALID_FIELD_FOR_INSERT_UPDATE',
              retryable: false,
            }),
          }))
        : write(object, ops);
    const [out] = await s.engine('account-customer', [job('salesforce', '001A')]);
    expect(out).toMatchObject({ status: 'dead', error: { code: 'INVALID_FIELD_FOR_INSERT_UPDATE' } });
    expect((out as { error: SyncError }).error.meta).toMatchObject({
      salesforceId: '001A',
      intacctKey: 'ACME-1',
    });
    expect(s.crosswalk.links.get('account-customer#001A')?.intacctKey).toBe('ACME-1');
    refuse = false;
    const intacctWrites = s.intacct.writes.length;
    const [again] = await s.engine('account-customer', [job('salesforce', '001A')]);
    expect(again).toMatchObject({ status: 'done' });
    expect(s.intacct.writes.length).toBe(intacctWrites);
    expect(s.salesforce.records.get('Account')?.get('001A')?.values.Intacct_Customer_Id__c).toBe('ACME-1');
    expect(s.crosswalk.links.get('account-customer#001A')?.keyWrittenBackAt).toBeDefined();
  });
});

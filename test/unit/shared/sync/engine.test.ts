import { beforeEach, describe, expect, it } from 'vitest';
import { loadSyncConfig } from '#shared/config/sync-config.ts';
import type { Job } from '#shared/jobs/job.ts';
import { createLogger } from '#shared/observability/logger.ts';
import { makeSyncEngine } from '#shared/sync/engine.ts';
import type { MirrorFlow } from '#shared/sync/flow-schema.ts';
import { fieldsToRead } from '#shared/sync/mapping.ts';
import { MemoryCrosswalk, MemorySystem, memoryLedger } from '../../../helpers/memory-ports.ts';

const config = loadSyncConfig('sync.config.json');
const logger = createLogger({ service: 'test', level: 'silent' });
let n = 0;

function setup() {
  const salesforce = new MemorySystem(
    (object) => `${object === 'Account' ? '001' : '003'}NEW${String(++n).padStart(12, '0')}`,
  );
  const intacct = new MemorySystem((_object, values) => String(values.CUSTOMERID ?? values.CONTACTNAME));
  const crosswalk = new MemoryCrosswalk();
  const ledger = memoryLedger();
  const engine = makeSyncEngine({ flows: config.flows, salesforce, intacct, crosswalk, ledger, logger });
  return { salesforce, intacct, crosswalk, ledger, engine };
}

let messages = 0;
function job(flow: string, source: 'salesforce' | 'intacct', recordId: string, extra: Partial<Job> = {}) {
  return {
    messageId: `m${++messages}`,
    job: {
      v: 1 as const,
      flow,
      source,
      object: '',
      recordId,
      reason: 'webhook' as const,
      correlationId: 'c',
      enqueuedAt: '',
      ...extra,
    },
  };
}

const acme = {
  Name: 'Acme Ltd',
  AccountNumber: 'ACME-1',
  Phone: '+1 555 0100',
  BillingCity: 'Leeds',
  Intacct_Credit_Hold__c: 'false',
  Intacct_Customer_Id__c: null,
};

describe('sync engine: Account ⇄ CUSTOMER', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(() => {
    s = setup();
  });

  it('creates exactly one customer with the mapped fields and writes the Intacct ID back', async () => {
    s.salesforce.put('Account', { id: '001A', version: '2026-11-01T00:00:01.000Z', values: acme });
    const out = await s.engine('account-customer', [job('account-customer', 'salesforce', '001A')]);
    expect(out).toEqual([{ messageId: expect.any(String), status: 'done' }]);
    const customers = [...(s.intacct.records.get('CUSTOMER')?.values() ?? [])];
    expect(customers).toHaveLength(1);
    expect(customers[0]?.id).toBe('ACME-1');
    expect(customers[0]?.values).toMatchObject({
      NAME: 'Acme Ltd',
      'DISPLAYCONTACT.PHONE1': '+1 555 0100',
      'DISPLAYCONTACT.MAILADDRESS.CITY': 'Leeds',
      CUSTOMERID: 'ACME-1',
    });
    // Intacct owns the credit hold: a create never sends it.
    expect(customers[0]?.values).not.toHaveProperty('ONHOLD');
    expect(s.salesforce.records.get('Account')?.get('001A')?.values.Intacct_Customer_Id__c).toBe('ACME-1');
    expect(s.ledger.stats.get('account-customer')).toMatchObject({ received: 1, created: 1 });
    // The link keeps the audit of the last write: what, to which side, when and why.
    expect(s.crosswalk.links.get('account-customer#001A')).toMatchObject({
      lastAction: 'create',
      lastReason: 'webhook',
      lastWritten: { to: 'intacct', values: { NAME: 'Acme Ltd', CUSTOMERID: 'ACME-1' } },
    });
  });

  it('writes nothing on either side when the same record is synced again (no loop)', async () => {
    s.salesforce.put('Account', { id: '001A', version: '2026-11-01T00:00:01.000Z', values: acme });
    await s.engine('account-customer', [job('account-customer', 'salesforce', '001A')]);
    // Intacct's delta sees our create; Intacct owns the credit hold, which it has empty here, so
    // that one field flows back once. From then on both sides agree.
    await s.engine('account-customer', [job('account-customer', 'intacct', 'ACME-1')]);
    const writes = s.intacct.writes.length + s.salesforce.writes.length;
    await s.engine('account-customer', [job('account-customer', 'salesforce', '001A')]);
    await s.engine('account-customer', [job('account-customer', 'intacct', 'ACME-1')]);
    await s.engine('account-customer', [
      job('account-customer', 'salesforce', '001A'),
      job('account-customer', 'intacct', 'ACME-1'),
    ]);
    expect(s.intacct.writes.length + s.salesforce.writes.length).toBe(writes);
  });

  it('records the agreed state after a no-change check, so the next job needs no target read', async () => {
    s.salesforce.put('Account', { id: '001A', version: '2026-11-01T00:00:01.000Z', values: acme });
    await s.engine('account-customer', [job('account-customer', 'salesforce', '001A')]);
    s.crosswalk.patch('account-customer', '001A', { hashToIntacct: 'out-of-date' });
    await s.engine('account-customer', [job('account-customer', 'salesforce', '001A')]);
    const reads = s.intacct.calls.read;
    const writes = s.intacct.writes.length;
    await s.engine('account-customer', [job('account-customer', 'salesforce', '001A')]);
    expect(s.intacct.calls.read).toBe(reads);
    expect(s.intacct.writes.length).toBe(writes);
  });

  it('carries a change made in Intacct to Salesforce, then settles', async () => {
    s.salesforce.put('Account', { id: '001A', version: '2026-11-01T00:00:01.000Z', values: acme });
    await s.engine('account-customer', [job('account-customer', 'salesforce', '001A')]);
    s.intacct.touch('CUSTOMER', 'ACME-1', { 'DISPLAYCONTACT.PHONE1': '+44 113 000', ONHOLD: 'true' });
    await s.engine('account-customer', [job('account-customer', 'intacct', 'ACME-1')]);
    expect(s.salesforce.records.get('Account')?.get('001A')?.values).toMatchObject({
      Phone: '+44 113 000',
      Intacct_Credit_Hold__c: 'true',
    });
    const writes = s.intacct.writes.length + s.salesforce.writes.length;
    await s.engine('account-customer', [
      job('account-customer', 'salesforce', '001A'),
      job('account-customer', 'intacct', 'ACME-1'),
    ]);
    expect(s.intacct.writes.length + s.salesforce.writes.length).toBe(writes);
  });

  it('links an existing matching Intacct customer instead of creating a duplicate', async () => {
    s.intacct.put('CUSTOMER', {
      id: 'ACME-1',
      recordNo: '7',
      version: '10/01/2026 00:00:00',
      values: { CUSTOMERID: 'ACME-1', NAME: 'Acme Ltd' },
    });
    s.salesforce.put('Account', { id: '001A', version: '2026-11-01T00:00:01.000Z', values: acme });
    await s.engine('account-customer', [job('account-customer', 'salesforce', '001A')]);
    expect(s.intacct.records.get('CUSTOMER')?.size).toBe(1);
    expect(s.intacct.writes.map((w) => w.op.kind)).toEqual(['update']);
    expect(s.crosswalk.links.get('account-customer#001A')?.intacctKey).toBe('ACME-1');
  });

  it('gives one write and the newest state for a triple delivery plus a late stale one', async () => {
    s.salesforce.put('Account', {
      id: '001A',
      version: '2026-11-01T00:00:05.000Z',
      values: { ...acme, Phone: 'new' },
    });
    const snapshot = (phone: string) =>
      Object.fromEntries(Object.entries({ ...acme, Phone: phone }).map(([k, v]) => [k, v]));
    const fresh = { version: '2026-11-01T00:00:05.000Z', snapshot: snapshot('new'), notificationId: 'N1' };
    await s.engine(
      'account-customer',
      [1, 2, 3].map(() => job('account-customer', 'salesforce', '001A', fresh)),
    );
    await s.engine('account-customer', [
      job('account-customer', 'salesforce', '001A', {
        version: '2026-11-01T00:00:01.000Z',
        snapshot: snapshot('old'),
        notificationId: 'N0',
      }),
    ]);
    expect(s.intacct.writes).toHaveLength(1);
    expect(s.intacct.records.get('CUSTOMER')?.get('ACME-1')?.values['DISPLAYCONTACT.PHONE1']).toBe('new');
  });

  it('does not push a field Intacct owns when it changes in Salesforce', async () => {
    s.salesforce.put('Account', { id: '001A', version: '2026-11-01T00:00:01.000Z', values: acme });
    await s.engine('account-customer', [job('account-customer', 'salesforce', '001A')]);
    s.intacct.touch('CUSTOMER', 'ACME-1', { ONHOLD: 'false' });
    s.salesforce.touch('Account', '001A', { Intacct_Credit_Hold__c: 'true' });
    const before = s.intacct.writes.length;
    await s.engine('account-customer', [job('account-customer', 'salesforce', '001A')]);
    expect(s.intacct.writes.length).toBe(before);
    expect(s.intacct.records.get('CUSTOMER')?.get('ACME-1')?.values.ONHOLD).toBe('false');
  });

  it('does not let a snapshot taken before our write undo the change we wrote', async () => {
    s.salesforce.put('Account', { id: '001A', version: '2026-11-01T00:00:01.000Z', values: acme });
    await s.engine('account-customer', [job('account-customer', 'salesforce', '001A')]);
    await s.engine('account-customer', [job('account-customer', 'intacct', 'ACME-1')]); // settles Intacct-owned fields
    const created = s.intacct.records.get('CUSTOMER')?.get('ACME-1');
    // A delta poll reads the customer as it is now, then a Salesforce user changes the phone
    // and that change is synced to Intacct before the poll's job is processed.
    const flow = config.flows.find((f) => f.name === 'account-customer');
    const staleSnapshot = Object.fromEntries(
      fieldsToRead(flow as MirrorFlow, 'intacct').map((f) => [f, created?.values[f] ?? null]),
    );
    s.salesforce.touch('Account', '001A', { Phone: 'changed in salesforce' });
    await s.engine('account-customer', [job('account-customer', 'salesforce', '001A')]);
    const writes = s.salesforce.writes.length;
    await s.engine('account-customer', [
      job('account-customer', 'intacct', 'ACME-1', {
        version: created?.version,
        snapshot: staleSnapshot,
        reason: 'delta',
      }),
    ]);
    expect(s.salesforce.records.get('Account')?.get('001A')?.values.Phone).toBe('changed in salesforce');
    expect(s.salesforce.writes.length).toBe(writes);
  });

  it('settles a real conflict on a `latest` field by timestamp: the newer side wins', async () => {
    s.salesforce.put('Account', { id: '001A', version: '2026-11-01T00:00:01.000Z', values: acme });
    await s.engine('account-customer', [job('account-customer', 'salesforce', '001A')]);
    // Both sides change the phone; Intacct first, Salesforce a little later.
    s.intacct.touch('CUSTOMER', 'ACME-1', { 'DISPLAYCONTACT.PHONE1': 'from intacct' });
    s.salesforce.touch('Account', '001A', { Phone: 'from salesforce' });
    await s.engine('account-customer', [job('account-customer', 'intacct', 'ACME-1')]);
    expect(s.salesforce.records.get('Account')?.get('001A')?.values.Phone).toBe('from salesforce');
    await s.engine('account-customer', [job('account-customer', 'salesforce', '001A')]);
    expect(s.intacct.records.get('CUSTOMER')?.get('ACME-1')?.values['DISPLAYCONTACT.PHONE1']).toBe(
      'from salesforce',
    );
  });

  it('dead-letters an ambiguous match with both candidates named', async () => {
    s.intacct.put('CUSTOMER', { id: 'C1', values: { CUSTOMERID: 'C1', NAME: 'Twin Co' } });
    s.intacct.put('CUSTOMER', { id: 'C2', values: { CUSTOMERID: 'C2', NAME: 'Twin Co' } });
    s.salesforce.put('Account', {
      id: '001T',
      version: '2026-11-01T00:00:01.000Z',
      values: { Name: 'Twin Co' },
    });
    const [outcome] = await s.engine('account-customer', [job('account-customer', 'salesforce', '001T')]);
    expect(outcome).toMatchObject({
      status: 'dead',
      error: { code: 'AMBIGUOUS_MATCH', meta: { candidates: ['C1', 'C2'] } },
    });
  });
});

describe('sync engine: matching', () => {
  it('links neither of two records in one batch that match the same target, and says why', async () => {
    const s = setup();
    s.salesforce.put('Account', {
      id: '001S',
      version: '2026-11-01T00:00:01.000Z',
      values: { Name: 'Same Co', Intacct_Customer_Id__c: null },
    });
    s.intacct.put('CUSTOMER', {
      id: 'S-1',
      version: '11/01/2026 00:00:01',
      values: { CUSTOMERID: 'S-1', NAME: 'Same Co' },
    });
    s.intacct.put('CUSTOMER', {
      id: 'S-2',
      version: '11/01/2026 00:00:01',
      values: { CUSTOMERID: 'S-2', NAME: 'Same Co' },
    });
    const out = await s.engine('account-customer', [
      job('account-customer', 'intacct', 'S-1'),
      job('account-customer', 'intacct', 'S-2'),
    ]);
    expect(out.map((o) => (o.status === 'dead' ? o.error.code : o.status))).toEqual([
      'MATCH_CONFLICT',
      'MATCH_CONFLICT',
    ]);
    expect(s.salesforce.writes).toHaveLength(0);
    expect(s.crosswalk.links.size).toBe(0);
  });
});

describe('sync engine: Contact ⇄ CONTACT', () => {
  it('waits (retries) until the parent account is synced, then links the contact to its customer', async () => {
    const s = setup();
    s.salesforce.put('Account', { id: '001A', version: '2026-11-01T00:00:01.000Z', values: acme });
    s.salesforce.put('Contact', {
      id: '003C',
      version: '2026-11-01T00:00:02.000Z',
      values: {
        Intacct_Contact_Id__c: null,
        AccountId: '001A',
        FirstName: 'Ada',
        LastName: 'Lovelace',
        Name: 'Ada Lovelace',
        Email: 'ADA@example.com',
      },
    });
    const first = await s.engine('contact-contact', [job('contact-contact', 'salesforce', '003C')]);
    expect(first).toMatchObject([{ status: 'retry', error: { code: 'PARENT_NOT_SYNCED' } }]);
    await s.engine('account-customer', [job('account-customer', 'salesforce', '001A')]);
    await s.engine('contact-contact', [job('contact-contact', 'salesforce', '003C')]);
    const contact = s.intacct.records.get('CONTACT')?.get('SF003C');
    expect(contact?.values).toMatchObject({
      COMPANYNAME: 'ACME-1',
      FIRSTNAME: 'Ada',
      EMAIL1: 'ada@example.com',
      PRINTAS: 'Ada Lovelace',
    });
    expect(s.salesforce.records.get('Contact')?.get('003C')?.values.Intacct_Contact_Id__c).toBe('SF003C');
  });
});

/**
 * The kernel's two system ports on the real clients against the simulators: a Salesforce create
 * keyed by an external ID is an upsert (a second create finds the first record), and an Intacct
 * create whose key exists is reported as a duplicate (which the mirror kind then adopts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IntacctSimulator, startIntacctSimulator } from '#local/intacct-sim/index.ts';
import { type SalesforceSimulator, startSalesforceSimulator } from '#local/salesforce-sim/index.ts';
import { IntacctClient } from '#shared/intacct/index.ts';
import { SalesforceClient } from '#shared/salesforce/client.ts';
import { parseSalesforceConfig } from '#shared/salesforce/config.ts';
import { IntacctPort } from '#shared/sync/adapters/intacct-port.ts';
import { SalesforcePort } from '#shared/sync/adapters/salesforce-port.ts';

let sf: SalesforceSimulator;
let ia: IntacctSimulator;
beforeAll(async () => {
  [sf, ia] = await Promise.all([
    startSalesforceSimulator({ seed: 'empty' }),
    startIntacctSimulator({ port: 0, seed: 'empty' }),
  ]);
});
afterAll(async () => {
  await Promise.all([sf.stop(), ia.stop()]);
});

describe('system ports against the simulators', () => {
  it('creates a Salesforce record keyed by its external ID once, however often the create is sent', async () => {
    const config = parseSalesforceConfig({ ...sf.readyInfo(), authFlow: 'client_credentials' });
    const port = new SalesforcePort(new SalesforceClient({ config }));
    const op = (phone: string) => ({
      kind: 'create' as const,
      ref: 'IA-7',
      values: { Name: 'Upsert Co', Phone: phone, Intacct_Customer_Id__c: 'IA-7' },
      controlId: '',
      upsertOn: 'Intacct_Customer_Id__c',
    });
    const [first] = await port.write('Account', [op('1')]);
    const [second] = await port.write('Account', [op('2')]);
    expect(first).toMatchObject({ ok: true });
    expect(second).toMatchObject({ ok: true, id: first?.ok ? first.id : 'none' });
    const accounts = sf.records('Account').filter((a) => a.Intacct_Customer_Id__c === 'IA-7');
    expect(accounts).toHaveLength(1);
    expect(accounts[0]?.Phone).toBe('2');
  });

  it('reports an Intacct create whose key exists as a duplicate, not as a generic failure', async () => {
    ia.userCreate('CUSTOMER', { CUSTOMERID: 'DUP-1', NAME: 'Dup Co', DISPLAYCONTACT: { PRINTAS: 'Dup Co' } });
    const port = new IntacctPort(new IntacctClient({ credentials: ia.readyInfo() }), () => 'CUSTOMERID');
    const [result] = await port.write('CUSTOMER', [
      {
        kind: 'create',
        ref: '001X',
        values: { CUSTOMERID: 'DUP-1', NAME: 'Dup Co', 'DISPLAYCONTACT.PRINTAS': 'Dup Co' },
        controlId: 'sfi-create-dup-1-test',
      },
    ]);
    expect(result).toMatchObject({ ok: false, duplicate: true, error: { code: 'BL34000061' } });
    expect(ia.records('CUSTOMER').filter((c) => c.CUSTOMERID === 'DUP-1')).toHaveLength(1);
  });
});

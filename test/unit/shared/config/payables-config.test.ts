import { describe, expect, it } from 'vitest';
import { loadSyncConfig, parseSyncConfig } from '#shared/config/sync-config.ts';
import { configProblems, shippedConfigJson } from '../../../helpers/config.ts';

type Row = Record<string, unknown>;
const PAYABLES = ['vendor-account', 'ap-bills', 'ap-purchase-orders'];

/** The shipped config with the named flows switched on and one flow changed. */
function config(on: string[], change: (flow: (name: string) => Row) => void = () => {}): Row {
  const raw = structuredClone(shippedConfigJson()) as { flows: Row[] };
  const flow = (name: string) => raw.flows.find((f) => f.name === name) as Row;
  for (const name of on) flow(name).enabled = true;
  change(flow);
  return raw;
}
const target = (flow: Row) => flow.target as Row;

describe('payables config', () => {
  it('ships the three payables flows switched off: validated, but none of them runs', () => {
    const raw = shippedConfigJson() as { flows: Row[] };
    for (const name of PAYABLES) expect(raw.flows.find((f) => f.name === name)?.enabled, name).toBe(false);
    const running = loadSyncConfig('sync.config.json').flows.map((f) => f.name);
    for (const name of PAYABLES) expect(running).not.toContain(name);
  });

  it('runs them when switched on, each with one switch; a bill flow without the vendor flow is named', () => {
    const on = parseSyncConfig(config(PAYABLES)).flows.map((f) => f.name);
    expect(on).toEqual(expect.arrayContaining(PAYABLES));
    expect(configProblems(config(['ap-bills']))).toContainEqual(
      expect.stringMatching(
        /target\.lookups\.0\.via: flow "vendor-account" is not configured or is switched off/,
      ),
    );
  });

  it("lets the vendor flow write Account's Name, Phone and Website beside account-customer: its own records only", () => {
    expect(configProblems(config(PAYABLES))).toEqual([]);
    // Two flows upserting on one external ID write the same records: that is still a clash.
    const twice = config(PAYABLES) as { flows: Row[] };
    const copy = structuredClone(twice.flows.find((f) => f.name === 'vendor-account') as Row);
    twice.flows.push({ ...copy, name: 'vendor-account-two' });
    expect(configProblems(twice)).toContainEqual(
      expect.stringContaining('Account.Name is also written by flow "vendor-account"'),
    );
  });

  it('refuses a mirror of the same object whose filter does not keep off the vendor accounts', () => {
    const found = configProblems(
      config(PAYABLES, (flow) => {
        delete flow('account-customer').salesforceFilter;
      }),
    );
    expect(found).toContainEqual(
      expect.stringContaining(
        'target.externalId: flow "account-customer" syncs Account too and would take these records for its own; give it "salesforceFilter": "Intacct_Vendor_Id__c = null"',
      ),
    );
  });

  it('refuses a summary of a read that does not exist or a field it does not read, and a constant on a mapped field', () => {
    const found = configProblems(
      config(PAYABLES, (flow) => {
        const bills = target(flow('ap-bills'));
        bills.summaries = [
          { salesforce: 'Lines__c', of: 'ITEMS', fields: ['ACCOUNTNO'] },
          { salesforce: 'Lines__c', of: 'LINES', fields: ['ACCOUNTNO', 'LOCATIONID'] },
        ];
        target(flow('vendor-account')).constants = [{ salesforce: 'Phone', value: '0' }];
      }),
    );
    expect(found).toContainEqual(
      expect.stringContaining('target.summaries.0.of: "ITEMS" is not a related read'),
    );
    expect(found).toContainEqual(
      expect.stringContaining('target.summaries.1.fields.1: LOCATIONID is not read by "LINES"'),
    );
    expect(found).toContainEqual(
      expect.stringContaining(
        'target.constants.0.salesforce: Phone is also written from Intacct by this target',
      ),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { loadSyncConfig, parseSyncConfig } from '#shared/config/sync-config.ts';
import { configProblems, shippedConfigJson } from '../../../helpers/config.ts';

const shipped = shippedConfigJson();

const problems = configProblems;

describe('sync config', () => {
  it('accepts the shipped config', () => {
    expect(loadSyncConfig('sync.config.json').flows.map((f) => f.name)).toEqual([
      'account-customer',
      'contact-contact',
      'product-item',
      'item-prices',
      'item-stock',
      'opportunity-order',
      'ar-invoices',
      'ar-payments',
      'ar-credit-memos',
      'credit-status',
    ]);
  });

  it('validates a switched-off flow but does not run it, and names it when a running flow depends on it', () => {
    const raw = structuredClone(shipped) as { flows: Array<Record<string, unknown>> };
    expect(raw.flows.find((f) => f.name === 'order-order')?.enabled).toBe(false);
    const broken = structuredClone(raw);
    (broken.flows.find((f) => f.name === 'order-order') as Record<string, unknown>).afterCreate = 'sometimes';
    expect(problems(broken)).toContainEqual(expect.stringContaining('afterCreate'));
    const off = structuredClone(raw);
    (off.flows.find((f) => f.name === 'product-item') as Record<string, unknown>).enabled = false;
    expect(problems(off)).toContainEqual(
      expect.stringMatching(
        /lines\.item\.via: flow "product-item" \(items\) is not configured or is switched off/,
      ),
    );
  });

  it('checks what a document flow can do: its object, afterCreate, entities and currencies', () => {
    const raw = structuredClone(shipped) as { flows: Array<Record<string, unknown>> };
    const flow = raw.flows.find((f) => f.name === 'opportunity-order') as Record<string, unknown>;
    flow.target = { function: 'create_invoice', glAccountNo: '4000', termName: 'Net 30' };
    flow.afterCreate = 'update';
    (flow.routing as Record<string, unknown>).default = 'E999';
    (
      (flow.routing as { rules: Array<Record<string, unknown>> }).rules[0] as Record<string, unknown>
    ).currency = 'JPY';
    const found = problems(raw);
    expect(found).toContainEqual(expect.stringContaining('intacctObject: create_invoice writes ARINVOICE'));
    expect(found).toContainEqual(
      expect.stringContaining('afterCreate: only sales transactions can be updated'),
    );
    expect(found).toContainEqual(expect.stringContaining('routing.default: entity "E999" is not listed'));
    expect(found).toContainEqual(expect.stringContaining('currency JPY is not enabled for entity E200'));
  });

  it('lists every problem with file, path and what to write', () => {
    const found = problems({
      ...shipped,
      salesforce: { apiVersion: '62', orgId: '00D123' },
      schedules: [{ name: 'x-poll', rate: '5 minutes', cron: '0 3 * * ? *' }],
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^my\.json: salesforce\.apiVersion: write the API version like "62\.0"/),
        expect.stringMatching(/^my\.json: salesforce\.orgId: use the 18-character Organization ID/),
        expect.stringMatching(/^my\.json: schedules\.0: give exactly one of "rate" or "cron"/),
      ]),
    );
  });

  it('lets two flows share an object but not write one field, and rejects duplicate schedule names', () => {
    const field = (salesforce: string, intacct: string) => ({ salesforce, intacct, owner: 'latest' });
    const sharing = [
      {
        name: 'a-one',
        salesforceObject: 'Account',
        intacctObject: 'CUSTOMER',
        fields: [field('Name', 'NAME')],
      },
      {
        name: 'a-two',
        salesforceObject: 'Account',
        intacctObject: 'VENDOR',
        fields: [field('Phone', 'PHONE1')],
      },
    ];
    expect(problems({ ...shipped, flows: sharing })).toEqual([]);
    const clashing = [sharing[0], { ...sharing[1], fields: [field('Name', 'NAME')] }];
    const schedules = [
      { name: 'poll', rate: '5 minutes' },
      { name: 'poll', rate: '1 hour' },
    ];
    const found = problems({ ...shipped, flows: clashing, schedules });
    expect(found).toContainEqual(
      expect.stringContaining('flows.1.fields.0.salesforce: Account.Name is also written by flow "a-one"'),
    );
    // The Intacct sides differ (CUSTOMER, VENDOR): NAME is no clash.
    expect(found.filter((p) => p.includes('NAME is also'))).toEqual([]);
    expect(found.some((p) => p.includes('schedules.1.name: schedule "poll" is defined twice'))).toBe(true);
  });

  it('defaults a flow to the mirror kind and names the kinds there are', () => {
    const { flows: parsed } = parseSyncConfig({
      ...shipped,
      flows: (shipped.flows as Array<Record<string, unknown>>).map(({ kind: _, ...f }) => f).slice(0, 3),
    });
    expect(parsed.map((f) => f.kind)).toEqual(['mirror', 'mirror', 'mirror']);
    const flows = [{ name: 'recon', kind: 'report', salesforceObject: 'Account', intacctObject: 'GLDETAIL' }];
    expect(problems({ ...shipped, flows })).toContainEqual(
      expect.stringContaining('flows.0.kind: set "kind" to one of: mirror, projection, document, alert'),
    );
  });

  it('names a missing file and invalid JSON with a fix', () => {
    expect(() => loadSyncConfig('does-not-exist.json')).toThrow(
      /cannot read sync config does-not-exist\.json/,
    );
  });
});

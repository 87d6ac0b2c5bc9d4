import { describe, expect, it } from 'vitest';
import { flowSchema, type ProjectionFlow } from '#shared/sync/flow-schema.ts';
import type { KindContext } from '#shared/sync/kinds/context.ts';
import type { RecordItem } from '#shared/sync/kinds/projection/item.ts';
import { planRecords } from '#shared/sync/kinds/projection/records-plan.ts';
import { summarise } from '#shared/sync/kinds/projection/records-summary.ts';
import type { RecordsTarget } from '#shared/sync/records-schema.ts';

const flow = flowSchema.parse({
  name: 'ap-bills',
  kind: 'projection',
  salesforceObject: 'Intacct_Bill__c',
  intacctObject: 'APBILL',
  intacctKeyField: 'RECORDNO',
  target: {
    type: 'records',
    externalId: 'Intacct_Bill_Key__c',
    key: [{ intacct: 'RECORDNO', prefix: 'AP-' }],
    related: [
      { name: 'LINES', object: 'APBILLITEM', match: 'RECORDKEY', fields: ['ACCOUNTNO', 'TRX_AMOUNT'] },
    ],
    name: ['RECORDID'],
    fields: [{ salesforce: 'State__c', intacct: 'STATE' }],
    constants: [{ salesforce: 'Source__c', value: 'Intacct' }],
    summaries: [{ salesforce: 'Lines__c', of: 'LINES', fields: ['ACCOUNTNO', 'TRX_AMOUNT'] }],
  },
}) as ProjectionFlow;
const target = flow.target as RecordsTarget;

const item = (related: RecordItem['related']): RecordItem =>
  ({
    id: '7',
    messageIds: [],
    job: {},
    logger: {},
    source: {
      id: '7',
      version: '2030-01-01T00:00:00Z',
      values: { RECORDNO: '7', RECORDID: 'B-7', STATE: 'Posted' },
    },
    related,
  }) as unknown as RecordItem;

describe('records plan', () => {
  it('writes each constant and the summary of the related rows, and they count in the hash', async () => {
    const one = item({ LINES: [{ ACCOUNTNO: '6000', TRX_AMOUNT: '120.00' }] });
    const two = item({
      LINES: [
        { ACCOUNTNO: '6000', TRX_AMOUNT: '120.00' },
        { ACCOUNTNO: '6000', TRX_AMOUNT: '120.00' },
      ],
    });
    // No lookups: the plan needs nothing from the context.
    await planRecords({} as KindContext, flow, target, [one, two]);
    expect(one.desired).toEqual({
      State__c: 'Posted',
      Source__c: 'Intacct',
      Lines__c: '1 line: 6000 120.00',
      Intacct_Bill_Key__c: 'AP-7',
      Name: 'B-7',
    });
    // Two equal rows are two lines, not one (related values elsewhere are de-duplicated).
    expect(two.desired?.Lines__c).toBe('2 lines: 6000 120.00; 6000 120.00');
    expect(two.hash).not.toBe(one.hash);
  });

  it('leaves the summary empty when there are no rows', async () => {
    const none = item({ LINES: [] });
    await planRecords({} as KindContext, flow, target, [none]);
    expect(none.desired?.Lines__c).toBeNull();
  });
});

describe('summarise', () => {
  it('leaves out empty fields of a row and cuts to the length with a closing ellipsis', () => {
    const rows = [
      { ACCOUNTNO: '6000', MEMO: 'Office supplies', AMOUNT: '120.00' },
      { ACCOUNTNO: '6100', MEMO: '', AMOUNT: '40.00' },
      { ACCOUNTNO: '6200', MEMO: 'Travel', AMOUNT: '9.99' },
    ];
    const full = summarise(rows, ['ACCOUNTNO', 'MEMO', 'AMOUNT'], 255);
    expect(full).toBe('3 lines: 6000 Office supplies 120.00; 6100 40.00; 6200 Travel 9.99');
    const cut = summarise(rows, ['ACCOUNTNO', 'MEMO', 'AMOUNT'], 30);
    expect(cut).toHaveLength(30);
    expect(cut).toBe('3 lines: 6000 Office supplies…');
  });
});

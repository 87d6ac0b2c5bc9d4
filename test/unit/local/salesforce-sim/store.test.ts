import { beforeEach, describe, expect, test } from 'vitest';
import { IdFactory } from '#local/salesforce-sim/ids.ts';
import { SchemaRegistry } from '#local/salesforce-sim/schema/registry.ts';
import { seedEmpty } from '#local/salesforce-sim/seed.ts';
import { RecordStore } from '#local/salesforce-sim/store.ts';

let store: RecordStore;
let stdBook: string;
let u = '';
let admin = '';
let clock = Date.parse('2026-01-01T00:00:00Z');

beforeEach(() => {
  store = new RecordStore(new SchemaRegistry(), new IdFactory(), () => clock);
  const seeded = seedEmpty(store, 'u@x.example.com');
  stdBook = seeded.standardPricebookId;
  u = seeded.integrationUserId;
  admin = seeded.adminUserId;
});

describe('simulated org rules', () => {
  test('IsWon and IsClosed follow StageName and cannot be written', () => {
    const opp = store.create(
      'Opportunity',
      { Name: 'O', StageName: 'Prospecting', CloseDate: '2026-01-31' },
      u,
    );
    expect(opp).toMatchObject({ IsWon: false, IsClosed: false });
    expect(store.update('Opportunity', String(opp.Id), { StageName: 'Closed Won' }, u)).toMatchObject({
      IsWon: true,
      IsClosed: true,
    });
    expect(() => store.update('Opportunity', String(opp.Id), { IsWon: false }, u)).toThrow(
      expect.objectContaining({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' }),
    );
  });

  test('a custom price book entry needs a standard price first', () => {
    const product = String(store.create('Product2', { Name: 'P' }, u).Id);
    const custom = String(store.create('Pricebook2', { Name: 'Custom' }, u).Id);
    expect(() =>
      store.create('PricebookEntry', { Pricebook2Id: custom, Product2Id: product, UnitPrice: 5 }, u),
    ).toThrow(expect.objectContaining({ errorCode: 'STANDARD_PRICE_NOT_DEFINED' }));
    store.create('PricebookEntry', { Pricebook2Id: stdBook, Product2Id: product, UnitPrice: 6 }, u);
    expect(
      store.create('PricebookEntry', { Pricebook2Id: custom, Product2Id: product, UnitPrice: 5 }, u).Name,
    ).toBe('P');
  });

  test('line items compute TotalPrice, refuse both prices, and roll up the Amount', () => {
    const product = String(store.create('Product2', { Name: 'P' }, u).Id);
    const entry = String(
      store.create('PricebookEntry', { Pricebook2Id: stdBook, Product2Id: product, UnitPrice: 10 }, u).Id,
    );
    const opp = String(
      store.create('Opportunity', { Name: 'O', StageName: 'Prospecting', CloseDate: '2026-01-31' }, u).Id,
    );
    const line = store.create(
      'OpportunityLineItem',
      { OpportunityId: opp, PricebookEntryId: entry, Quantity: 3, UnitPrice: 9.5 },
      u,
    );
    expect(line).toMatchObject({ TotalPrice: 28.5, ListPrice: 10, Product2Id: product });
    expect(() =>
      store.create(
        'OpportunityLineItem',
        { OpportunityId: opp, PricebookEntryId: entry, Quantity: 1, UnitPrice: 1, TotalPrice: 1 },
        u,
      ),
    ).toThrow(expect.objectContaining({ errorCode: 'FIELD_INTEGRITY_EXCEPTION' }));
    expect(store.get('Opportunity', opp)).toMatchObject({ Amount: 28.5, HasOpportunityLineItem: true });
  });

  test('every write maintains SystemModstamp, LastModifiedDate and LastModifiedById', () => {
    const acc = store.create('Account', { Name: 'A' }, u);
    clock += 60_000;
    const after = store.update('Account', String(acc.Id), { Name: 'B' }, admin);
    expect(after.SystemModstamp).toBe('2026-01-01T00:01:00.000+0000');
    expect(after.LastModifiedDate).toBe(after.SystemModstamp);
    expect(after.LastModifiedById).toBe(admin);
    expect(after.CreatedDate).toBe('2026-01-01T00:00:00.000+0000');
  });

  test('a failed transaction leaves no trace and emits no change events', () => {
    const events: string[] = [];
    store.onChange((e) => events.push(e.kind));
    expect(() =>
      store.transaction(() => {
        store.create('Account', { Name: 'Rolled back' }, u);
        store.create('Account', { Name: '' }, u);
      }),
    ).toThrow();
    expect(store.findByField('Account', 'Name', 'Rolled back')).toHaveLength(0);
    expect(events).toEqual([]);
  });

  test('unique external IDs reject duplicates case-insensitively', () => {
    store.create('Account', { Name: 'A', Intacct_Customer_Id__c: 'C-1' }, u);
    expect(() => store.create('Account', { Name: 'B', Intacct_Customer_Id__c: 'c-1' }, u)).toThrow(
      expect.objectContaining({ errorCode: 'DUPLICATE_VALUE' }),
    );
  });
});

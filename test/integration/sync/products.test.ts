/**
 * Issue 12 on the local pipeline with the shipped config: Intacct items → Product2 (mirror), their
 * prices as standard price book entries and their stock per warehouse on Product2 (projections),
 * through the real scheduler and worker, jsforce against the Salesforce simulator and our client
 * against the Intacct simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { testConfig } from '../../helpers/config.ts';
import { writeCounts } from '../../helpers/local-stack.ts';
import { entriesOf, failuresOf, poll, productsOf, startProductStack } from '../../helpers/products.ts';

describe('Products ⇄ Items with prices and stock (default config)', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startProductStack(testConfig());
    stack.intacct.userCreate('WAREHOUSE', { WAREHOUSEID: 'W1', NAME: 'Main' });
    stack.intacct.userCreate('WAREHOUSE', { WAREHOUSEID: 'W2', NAME: 'Overflow' });
  });
  afterAll(() => stack.stop(2000));

  it('turns a new item into one product with its standard price and stock, follows price and stock changes, and rewrites nothing when nothing changed', async () => {
    const ia = stack.intacct;
    ia.userCreate('ITEM', {
      ITEMID: 'P-1',
      NAME: 'Pump',
      ITEMTYPE: 'Inventory',
      BASEPRICE: '10.00',
      UOMGRP: 'Each',
    });
    ia.moveStock('P-1', 'W1', { QTYONHAND: 50, QTYONHOLD: 5 });
    ia.moveStock('P-1', 'W2', { QTYONHAND: 20, QTYRESERVED: 3 });
    await poll(stack, 'intacct-delta', 'stock-levels');

    const [product, ...others] = productsOf(stack, 'P-1');
    expect(others).toEqual([]);
    expect(product).toMatchObject({
      Name: 'Pump',
      ProductCode: 'P-1',
      Family: 'Hardware',
      IsActive: true,
      QuantityUnitOfMeasure: 'Each',
      Intacct_Quantity_On_Hand__c: 70,
      Intacct_Quantity_Available__c: 62,
    });
    const standard = stack.salesforce.records('Pricebook2').find((b) => b.IsStandard === true);
    expect(entriesOf(stack, product?.Id)).toMatchObject([
      { Pricebook2Id: standard?.Id, UnitPrice: 10, CurrencyIsoCode: 'USD', IsActive: true },
    ]);

    ia.userUpdate('ITEM', 'P-1', { BASEPRICE: '12.50' });
    ia.moveStock('P-1', 'W1', { QTYONHAND: -10 });
    // The movement alone does not move the item's WHENMODIFIED (the simulator's default): the
    // stock schedule reads the quantities themselves.
    await poll(stack, 'intacct-delta', 'stock-levels');
    expect(entriesOf(stack, product?.Id)).toMatchObject([{ UnitPrice: 12.5 }]);
    expect(stack.salesforce.record('Product2', String(product?.Id))).toMatchObject({
      Intacct_Quantity_On_Hand__c: 60,
      Intacct_Quantity_Available__c: 52,
    });

    const before = writeCounts(stack);
    await poll(stack, 'intacct-delta', 'stock-levels', 'salesforce-delta', 'stock-levels');
    expect(writeCounts(stack)).toEqual(before);
  });

  it('deactivates the product of an item deleted in Intacct (audit trail), and keeps it', async () => {
    stack.intacct.userCreate('ITEM', { ITEMID: 'P-DEL', NAME: 'Gone soon', ITEMTYPE: 'Kit', BASEPRICE: '3' });
    await poll(stack, 'intacct-delta');
    const [product] = productsOf(stack, 'P-DEL');
    expect(product).toMatchObject({ IsActive: true });
    stack.intacct.userDelete('ITEM', 'P-DEL');
    await poll(stack, 'intacct-delta');
    expect(stack.salesforce.record('Product2', String(product?.Id))).toMatchObject({ IsActive: false });
    expect(await failuresOf(stack, 'product-item', 'P-DEL')).toEqual([]);
  });

  it('links an existing product with the same code instead of creating a second one', async () => {
    const existing = stack.salesforce.asUser.create('Product2', {
      Name: 'Legacy valve',
      ProductCode: 'P-2',
      IsActive: true,
    });
    stack.intacct.userCreate('ITEM', {
      ITEMID: 'P-2',
      NAME: 'Valve',
      ITEMTYPE: 'Non-Inventory',
      BASEPRICE: '4',
    });
    await poll(stack, 'intacct-delta');
    const products = stack.salesforce.records('Product2').filter((p) => p.ProductCode === 'P-2');
    expect(products.map((p) => p.Id)).toEqual([existing]);
    // Linked, with the key in its external ID; the Intacct-owned family follows the item (the name is
    // `latest`, and the product changed last).
    expect(products[0]).toMatchObject({ Intacct_Item_Id__c: 'P-2', Family: 'Services' });
    expect(entriesOf(stack, existing)).toMatchObject([{ UnitPrice: 4 }]);
  });

  it('fails, naming both, when two products share the item code; creates neither', async () => {
    const a = stack.salesforce.asUser.create('Product2', { Name: 'Twin A', ProductCode: 'P-3' });
    const b = stack.salesforce.asUser.create('Product2', { Name: 'Twin B', ProductCode: 'P-3' });
    stack.intacct.userCreate('ITEM', {
      ITEMID: 'P-3',
      NAME: 'Twin',
      ITEMTYPE: 'Non-Inventory',
      BASEPRICE: '1',
    });
    await poll(stack, 'intacct-delta');
    expect(stack.salesforce.records('Product2').filter((p) => p.ProductCode === 'P-3')).toHaveLength(2);
    const [mirror] = await failuresOf(stack, 'product-item', 'P-3');
    expect(mirror?.message).toContain(a);
    expect(mirror?.message).toContain(b);
    expect(mirror?.hint).toBeTruthy();
    expect(stack.salesforce.records('Product2').filter((p) => p.Intacct_Item_Id__c === 'P-3')).toEqual([]);
  });
});

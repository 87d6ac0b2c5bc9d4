/**
 * Issue 12, the harder cases: products created in Salesforce (`both`), price books in a second
 * currency (standard price first), and bad input — a price that is not a number, a price book or a
 * currency Salesforce does not have — each a failure with its fix, nothing half-written, and one
 * redrive after the fix syncs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { status } from '../../helpers/local-stack.ts';
import {
  entriesOf,
  failuresOf,
  poll,
  pricesOf,
  productConfig,
  productsOf,
  redrive,
  startProductStack,
} from '../../helpers/products.ts';

describe('products from Salesforce, price books in two currencies, bad input', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startProductStack(
      productConfig((flow) => {
        flow('product-item').direction = 'both';
        (flow('item-prices').target as Record<string, unknown>).entries = [
          { pricebook: 'Standard Price Book', price: 'BASEPRICE', currency: 'USD' },
          { pricebook: 'Standard Price Book', price: 'PRICE_EUR', currency: 'EUR' },
          { pricebook: 'Europe', price: 'PRICE_EUR', currency: 'EUR' },
        ];
      }),
    );
  });
  afterAll(() => stack.stop(2000));

  it('fails every item, with the fix, while a configured price book does not exist; the book created and a redrive write the prices once', async () => {
    stack.intacct.userCreate('ITEM', {
      ITEMID: 'EU-1',
      NAME: 'Euro kit',
      ITEMTYPE: 'Kit',
      BASEPRICE: '100',
      PRICE_EUR: '92',
    });
    await poll(stack, 'intacct-delta');
    const [product] = productsOf(stack, 'EU-1');
    expect(product).toBeDefined();
    expect(entriesOf(stack, product?.Id)).toEqual([]);
    const [failure] = await failuresOf(stack, 'item-prices', 'EU-1');
    expect(failure).toMatchObject({ code: 'PRICEBOOK_NOT_FOUND' });
    expect(failure?.hint).toContain('create the price book "Europe" in Salesforce');

    stack.salesforce.asUser.create('Pricebook2', { Name: 'Europe', IsActive: true });
    expect(await redrive(stack)).toBe(1);
    expect(pricesOf(stack, product?.Id)).toEqual([
      ['Europe', 'EUR', 92],
      ['Standard Price Book', 'EUR', 92],
      ['Standard Price Book', 'USD', 100],
    ]);
    expect((await status(stack)).queues.dlq.visible).toBe(0);
  });

  it('fails, with the fix, while a configured currency is not active in Salesforce; nothing of the item is written', async () => {
    const eur = stack.salesforce.records('CurrencyType').find((c) => c.IsoCode === 'EUR');
    stack.salesforce.asUser.update('CurrencyType', String(eur?.Id), { IsActive: false });
    stack.intacct.userCreate('ITEM', {
      ITEMID: 'EU-2',
      NAME: 'Euro pump',
      ITEMTYPE: 'Kit',
      BASEPRICE: '50',
      PRICE_EUR: '46',
    });
    await poll(stack, 'intacct-delta');
    const [product] = productsOf(stack, 'EU-2');
    expect(entriesOf(stack, product?.Id)).toEqual([]);
    const [failure] = await failuresOf(stack, 'item-prices', 'EU-2');
    expect(failure).toMatchObject({ code: 'CURRENCY_NOT_ENABLED' });
    expect(failure?.message).toContain('EUR is not active in Salesforce');
    expect(failure?.hint).toContain('Manage Currencies');

    stack.salesforce.asUser.update('CurrencyType', String(eur?.Id), { IsActive: true });
    expect(await redrive(stack)).toBe(1);
    expect(pricesOf(stack, product?.Id)).toEqual([
      ['Europe', 'EUR', 46],
      ['Standard Price Book', 'EUR', 46],
      ['Standard Price Book', 'USD', 50],
    ]);
  });

  it('refuses a price that is not a number, by name, and writes no entry of that item', async () => {
    stack.intacct.userCreate('ITEM', {
      ITEMID: 'BAD-1',
      NAME: 'Odd',
      ITEMTYPE: 'Kit',
      BASEPRICE: '12',
      PRICE_EUR: 'twelve',
    });
    await poll(stack, 'intacct-delta');
    const [product] = productsOf(stack, 'BAD-1');
    expect(product).toBeDefined();
    expect(entriesOf(stack, product?.Id)).toEqual([]);
    const [failure] = await failuresOf(stack, 'item-prices', 'BAD-1');
    expect(failure).toMatchObject({ code: 'INVALID_NUMBER' });
    expect(failure?.message).toContain('PRICE_EUR of ITEM BAD-1 is "twelve", not a number');
    expect(failure?.hint).toContain('correct PRICE_EUR of BAD-1 in Intacct');
  });

  it('creates one Intacct item with a valid type and the configured GL group for a new Salesforce product, and no price it does not have', async () => {
    const id = stack.salesforce.asUser.create('Product2', {
      Name: 'SF Gizmo',
      ProductCode: 'SFG-1',
      IsActive: true,
      Family: 'Software',
    });
    await poll(stack, 'salesforce-delta', 'intacct-delta', 'salesforce-delta');
    const items = stack.intacct.records('ITEM').filter((i) => i.ITEMID === 'SFG-1');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      NAME: 'SF Gizmo',
      ITEMTYPE: 'Non-Inventory (Sales only)',
      GLGROUP: 'Sales Items',
      STATUS: 'active',
    });
    expect(stack.salesforce.record('Product2', id)?.Intacct_Item_Id__c).toBe('SFG-1');
    expect(productsOf(stack, 'SFG-1')).toHaveLength(1);
    // Intacct has no price for it: no price book entry (a zero price would be a price).
    expect(entriesOf(stack, id)).toEqual([]);
  });
});

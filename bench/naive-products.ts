/**
 * The naive baseline for products: one item at a time, one call per step, as a typical recipe
 * does — read the item, look the product up by code, create it, look up the standard price book
 * (cached), create its entry; for a price change: read the item, find its entry, update it.
 * The project's own clients with batching off, as many lanes as the Intacct cap allows.
 */
import { readByQuery } from '#shared/intacct/index.ts';
import { naiveClients, quote } from './naive-clients.ts';
import type { Simulators } from './stack.ts';

export function makeNaiveProducts(sims: Simulators, lanes: number) {
  const { salesforce, intacct } = naiveClients(sims, lanes);
  let standard: Promise<string> | undefined;
  const standardBook = () => {
    standard ??= salesforce
      .query('SELECT Id FROM Pricebook2 WHERE IsStandard = true')
      .then(([b]) => String(b?.Id));
    return standard;
  };
  const readItem = async (itemId: string) =>
    (
      await intacct.execute(
        readByQuery({
          object: 'ITEM',
          fields: ['ITEMID', 'NAME', 'ITEMTYPE', 'BASEPRICE', 'UOMGRP', 'STATUS'],
          query: `ITEMID = ${quote(itemId)}`,
          pagesize: 1,
        }),
      )
    ).rows[0];
  const check = (r: { success: boolean; errors: Array<{ message: string }> } | undefined, what: string) => {
    if (r?.success !== true) throw new Error(`${what} failed: ${r?.errors[0]?.message}`);
  };
  return {
    async itemToProduct(itemId: string): Promise<void> {
      const item = await readItem(itemId);
      if (item === undefined) return;
      const [found] = await salesforce.query(`SELECT Id FROM Product2 WHERE ProductCode = ${quote(itemId)}`);
      let productId = found?.Id as string | undefined;
      if (productId === undefined) {
        const [r] = await salesforce.create('Product2', [
          { Name: item.NAME, ProductCode: itemId, Intacct_Item_Id__c: itemId, IsActive: true },
        ]);
        check(r, `create of product ${itemId}`);
        productId = r?.id;
      }
      const [entry] = await salesforce.create('PricebookEntry', [
        {
          Pricebook2Id: await standardBook(),
          Product2Id: productId,
          UnitPrice: Number(item.BASEPRICE),
          IsActive: true,
        },
      ]);
      check(entry, `create of the price of ${itemId}`);
    },
    async priceToEntry(itemId: string): Promise<void> {
      const item = await readItem(itemId);
      if (item === undefined) return;
      const [product] = await salesforce.query(
        `SELECT Id FROM Product2 WHERE ProductCode = ${quote(itemId)}`,
      );
      const [entry] = await salesforce.query(
        `SELECT Id FROM PricebookEntry WHERE Product2Id = ${quote(String(product?.Id))} AND Pricebook2Id = ${quote(await standardBook())}`,
      );
      const [r] = await salesforce.update('PricebookEntry', [
        { Id: String(entry?.Id), UnitPrice: Number(item.BASEPRICE) },
      ]);
      check(r, `update of the price of ${itemId}`);
    },
  };
}

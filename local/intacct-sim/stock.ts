/**
 * Stock in the simulated company: quantities per item and warehouse (ITEMWAREHOUSEINFO rows),
 * changed by movements the way inventory transactions change them in Intacct.
 */
import type { OpContext } from './context.ts';
import { businessError } from './errors.ts';
import { STOCK_QUANTITIES } from './objects.ts';
import { insert, touch } from './records.ts';
import type { SimRecord } from './store.ts';

export type StockChange = Partial<Record<(typeof STOCK_QUANTITIES)[number], number>>;

export function moveStock(
  ctx: OpContext,
  itemId: string,
  warehouseId: string,
  change: StockChange,
): SimRecord {
  const item = ctx.store.findBy('ITEM', 'ITEMID', itemId);
  if (item === undefined) throw businessError(`No item ${itemId}.`, 'Create the item first.');
  if (item.fields.ITEMTYPE !== 'Inventory' && item.fields.ITEMTYPE !== 'Stockable Kit')
    throw businessError(`Item ${itemId} is not an inventory item.`, 'Only inventory items carry stock.');
  if (ctx.store.findBy('WAREHOUSE', 'WAREHOUSEID', warehouseId) === undefined)
    throw businessError(`No warehouse ${warehouseId}.`, 'Create the warehouse first.');
  let row = ctx.store
    .all('ITEMWAREHOUSEINFO')
    .find((r) => r.fields.ITEMID === itemId && r.fields.WAREHOUSEID === warehouseId);
  if (row === undefined)
    row = insert(ctx, 'ITEMWAREHOUSEINFO', {
      ITEMID: itemId,
      WAREHOUSEID: warehouseId,
      ...Object.fromEntries(STOCK_QUANTITIES.map((q) => [q, '0'])),
    });
  for (const [field, amount] of Object.entries(change)) {
    const next = Number(row.fields[field] ?? 0) + (amount ?? 0);
    row.fields[field] = String(Math.round(next * 10_000) / 10_000);
  }
  touch(ctx, row, false);
  if (ctx.settings.stockTouchesItem === true) touch(ctx, item, false);
  return row;
}

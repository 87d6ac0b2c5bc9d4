/**
 * Product scenarios (issue 12) on the bench stack: `products` (N new Intacct items become Product2
 * records with their standard price book entries through the intacct-delta schedule: the mirror
 * and the price projection) and `price-change` (every item's base price changes; the next poll
 * updates the entries and nothing else).
 */
import type { SObjectRecord } from '#local/salesforce-sim/validate.ts';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { measured, stateStoreOf } from './pipeline.ts';
import { progress, step } from './progress.ts';
import type { BenchStack, Simulators } from './stack.ts';
import type { PipelineRun } from './types.ts';

/** Creates `count` items in the Intacct simulator, as a user would (no API transactions counted). */
export function createItems(
  sims: Simulators,
  tag: string,
  count: number,
  price = (i: number) => 10 + (i % 90),
) {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const id = `${tag}-${String(i).padStart(6, '0')}`;
    sims.intacct.userCreate('ITEM', {
      ITEMID: id,
      NAME: `Bench item ${id}`,
      ITEMTYPE: i % 3 === 0 ? 'Inventory' : 'Non-Inventory (Sales only)',
      BASEPRICE: String(price(i)),
      UOMGRP: 'Each',
    });
    ids.push(id);
  }
  return ids;
}

/** Standard-book entries by product, and products by item ID. */
function catalogue(stack: BenchStack, tag: string) {
  const products = new Map<string, SObjectRecord>();
  for (const p of stack.salesforce.records('Product2'))
    if (String(p.Intacct_Item_Id__c ?? '').startsWith(`${tag}-`))
      products.set(String(p.Intacct_Item_Id__c), p);
  const entries = new Map<string, SObjectRecord[]>();
  for (const e of stack.salesforce.records('PricebookEntry'))
    entries.set(String(e.Product2Id), [...(entries.get(String(e.Product2Id)) ?? []), e]);
  return { products, entries };
}

/**
 * Moves the Intacct watermarks of every flow but the product flows past the overlap window, so the
 * product scenarios' polls read products only (the earlier scenarios' customers would otherwise
 * be re-read and skipped inside the measured window).
 */
async function isolateProductFlows(stack: BenchStack, config: SyncConfig): Promise<void> {
  const state = stateStoreOf(stack);
  const past = new Date(Date.now() + config.delta.overlapSeconds * 1000 + 60_000).toISOString();
  for (const flow of config.flows)
    if (flow.intacctObject !== 'ITEM') await state.setWatermark(flow.name, 'intacct', past);
}

export async function productsBackfill(
  stack: BenchStack,
  config: SyncConfig,
  n: number,
): Promise<PipelineRun> {
  await isolateProductFlows(stack, config);
  progress('products: creating items in the Intacct simulator');
  const ids = createItems(stack, 'PX', n);
  step(`products: ${n} items created in the Intacct store`);
  const m = await measured(
    stack,
    'products: price entries',
    n,
    () => stack.salesforce.records('PricebookEntry').length,
    async () => {
      await stack.runtime.runSchedule('intacct-delta');
    },
  );
  const { products, entries } = catalogue(stack, 'PX');
  const priced = ids.filter((id) => {
    const p = products.get(id);
    return p !== undefined && (entries.get(String(p.Id))?.length ?? 0) === 1;
  });
  return {
    name: 'products',
    records: n,
    changed: n,
    costs: m.costs,
    wallMs: m.wallMs,
    latencyMs: null,
    checks: {
      settled: m.settled,
      jobs: m.jobs,
      products: products.size,
      pricedOnce: priced.length,
      duplicateProducts:
        stack.salesforce.records('Product2').length -
        new Set(stack.salesforce.records('Product2').map((p) => p.ProductCode)).size,
    },
  };
}

/** Every bench item's price changes in Intacct; the next poll rewrites the entries only. */
export async function priceChange(stack: BenchStack, n: number): Promise<PipelineRun> {
  const items = stack.intacct.records('ITEM').filter((i) => String(i.ITEMID).startsWith('PX-'));
  for (const item of items)
    stack.intacct.userUpdate('ITEM', String(item.ITEMID), { BASEPRICE: String(Number(item.BASEPRICE) + 1) });
  const expected = new Map(items.map((i) => [String(i.ITEMID), Number(i.BASEPRICE) + 1]));
  const correct = () => {
    const { products, entries } = catalogue(stack, 'PX');
    let ok = 0;
    for (const [id, price] of expected) {
      const p = products.get(id);
      if (p !== undefined && entries.get(String(p.Id))?.[0]?.UnitPrice === price) ok++;
    }
    return ok;
  };
  const m = await measured(stack, 'price-change: entries updated', n, correct, async () => {
    await stack.runtime.runSchedule('intacct-delta');
  });
  return {
    name: 'price-change',
    records: items.length,
    changed: items.length,
    costs: m.costs,
    wallMs: m.wallMs,
    latencyMs: null,
    checks: { settled: m.settled, jobs: m.jobs, skipped: m.skipped, pricesCorrect: correct() },
  };
}

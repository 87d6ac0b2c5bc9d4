/**
 * Compares both simulators' data for the account-customer flow: each Salesforce account linked by
 * its Intacct ID must carry the same values as its Intacct customer for every mapped field (the
 * canonical forms the engine compares), and no Intacct customer name may appear twice.
 */
import { loadSyncConfig } from '#shared/config/sync-config.ts';
import { mirrorFlow } from '#shared/sync/flows.ts';
import { canonical, type Values } from '#shared/sync/mapping.ts';
import type { LocalStack } from './local-stack.ts';

function flatten(record: Record<string, unknown>, prefix = '', out: Values = {}): Values {
  for (const [k, v] of Object.entries(record)) {
    if (v !== null && typeof v === 'object') flatten(v as Record<string, unknown>, `${prefix}${k}.`, out);
    else out[`${prefix}${k}`] = v === undefined || v === null ? null : String(v);
  }
  return out;
}

export function compareAccounts(stack: LocalStack, configFile = 'sync.config.json') {
  const flow = mirrorFlow(loadSyncConfig(configFile).flows, 'account-customer');
  const mismatches: Array<{
    account: string;
    field: string;
    salesforce: string | null;
    intacct: string | null;
  }> = [];
  const unlinked: string[] = [];
  let linked = 0;
  for (const account of stack.salesforce.records('Account')) {
    const key = account.Intacct_Customer_Id__c;
    const customer = typeof key === 'string' ? stack.intacct.record('CUSTOMER', key) : undefined;
    if (customer === undefined) {
      unlinked.push(String(account.Id));
      continue;
    }
    linked++;
    const sf = canonical(flow, 'salesforce', flatten(account as Record<string, unknown>));
    const ia = canonical(flow, 'intacct', flatten(customer as Record<string, unknown>));
    for (const f of flow.fields) {
      const a = sf[f.salesforce] ?? null;
      const b = ia[f.intacct] ?? null;
      // Compare in one format: the Salesforce value as it would be written to Intacct.
      const aAsIntacct = canonical(flow, 'intacct', { [f.intacct]: a })[f.intacct] ?? null;
      if (aAsIntacct !== b && a !== b)
        mismatches.push({ account: String(account.Id), field: f.intacct, salesforce: a, intacct: b });
    }
  }
  const names = stack.intacct.records('CUSTOMER').map((c) => String(c.NAME));
  const duplicateNames = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  return { linked, unlinked, mismatches, duplicateNames };
}

/**
 * Every Intacct item is one Product2 (by Intacct_Item_Id__c) with a standard price book entry at
 * the item's base price, and inventory items carry their stock summed over the warehouses.
 */
export function compareProducts(stack: LocalStack): { items: number; mismatches: string[] } {
  const sf = stack.salesforce;
  const mismatches: string[] = [];
  const standard = sf.records('Pricebook2').find((b) => b.IsStandard === true);
  const items = stack.intacct.records('ITEM');
  for (const item of items) {
    const id = String(item.ITEMID);
    const products = sf.records('Product2').filter((p) => p.Intacct_Item_Id__c === id);
    if (products.length !== 1) {
      mismatches.push(`${id}: ${products.length} products`);
      continue;
    }
    const product = products[0] as Record<string, unknown>;
    const entries = sf
      .records('PricebookEntry')
      .filter((e) => e.Product2Id === product.Id && e.Pricebook2Id === standard?.Id);
    if (entries.length !== 1 || Number(entries[0]?.UnitPrice) !== Number(item.BASEPRICE))
      mismatches.push(
        `${id}: standard price ${entries.map((e) => e.UnitPrice).join(',')} ≠ ${String(item.BASEPRICE)}`,
      );
    const rows = stack.intacct.records('ITEMWAREHOUSEINFO').filter((r) => r.ITEMID === id);
    if (rows.length > 0) {
      const onHand = rows.reduce((n, r) => n + Number(r.QTYONHAND), 0);
      if (Number(product.Intacct_Quantity_On_Hand__c) !== onHand)
        mismatches.push(`${id}: on hand ${String(product.Intacct_Quantity_On_Hand__c)} ≠ ${onHand}`);
    }
  }
  return { items: items.length, mismatches };
}

/** Every won Opportunity is exactly one Intacct sales document (by EXTERNALID), its DOCID written back. */
export function compareOrders(stack: LocalStack): { won: number; missing: string[] } {
  const won = stack.salesforce.records('Opportunity').filter((o) => o.IsWon === true);
  const docs = stack.intacct.records('SODOCUMENT');
  const missing = won
    .filter((o) => {
      const mine = docs.filter((d) => d.EXTERNALID === o.Id);
      return mine.length !== 1 || mine[0]?.DOCID !== o.Intacct_Document_Id__c;
    })
    .map((o) => String(o.Name));
  return { won: won.length, missing };
}

/**
 * Every Intacct AR invoice is one Salesforce invoice record with its balance, and every Account
 * with invoices shows their open balance (the sum of what is due).
 */
export function compareReceivables(stack: LocalStack): { invoices: number; mismatches: string[] } {
  const invoices = stack.intacct.records('ARINVOICE');
  const records = stack.salesforce.records('Intacct_Invoice__c');
  const mismatches: string[] = [];
  const dueByAccount = new Map<string, number>();
  for (const inv of invoices) {
    const mine = records.filter((r) => r.Name === inv.RECORDID);
    const record = mine[0];
    if (mine.length !== 1 || record === undefined) {
      mismatches.push(`${String(inv.RECORDID)}: ${mine.length} Salesforce records`);
      continue;
    }
    if (Number(record.Due__c) !== Number(inv.TRX_TOTALDUE))
      mismatches.push(
        `${String(inv.RECORDID)}: due ${String(record.Due__c)} in Salesforce, ${String(inv.TRX_TOTALDUE)} in Intacct`,
      );
    const account = String(record.Account__c);
    dueByAccount.set(account, (dueByAccount.get(account) ?? 0) + Number(inv.TRX_TOTALDUE));
  }
  for (const [id, due] of dueByAccount) {
    const shown = Number(
      stack.salesforce.records('Account').find((a) => a.Id === id)?.Intacct_Balance_Due__c,
    );
    if (Math.abs(shown - due) > 0.005)
      mismatches.push(`Account ${id}: balance ${shown}, open invoices ${due}`);
  }
  return { invoices: invoices.length, mismatches };
}

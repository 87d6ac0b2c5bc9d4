/**
 * Pre-flight validation (DESIGN §4): before a document is written, what Intacct would refuse is
 * checked from one batched read of the items and one of the customers — items exist and are
 * active, the customer is active and visible in the routed entity — and from the config: the
 * entity is known and the currency enabled there. Each refusal names the record, the missing thing
 * and the fix. A closed period is Intacct's to say (no public API lists closed periods per
 * entity): its refusal of the create is turned into the same kind of failure (see create.ts).
 */
import type { DocumentFlow } from '../../document-schema.ts';
import { pending } from '../../kernel/work-items.ts';
import type { KindContext } from '../context.ts';
import { type DocumentItem, refuse } from './item.ts';

export async function preflight(
  context: KindContext,
  flow: DocumentFlow,
  items: readonly DocumentItem[],
): Promise<void> {
  for (const item of pending(items)) checkRouting(flow, item);
  const live = pending(items).filter((i) => i.draft !== undefined);
  if (live.length === 0) return;
  const itemIds = [...new Set(live.flatMap((i) => i.draft?.lines.map((l) => l.itemId) ?? []))];
  const customerIds = [...new Set(live.map((i) => i.draft?.customerId ?? ''))];
  const [found, customers] = await Promise.all([
    context.intacct.read(
      'ITEM',
      ['STATUS'],
      itemIds.filter((i) => i !== ''),
    ),
    context.intacct.read('CUSTOMER', ['STATUS', 'MEGAENTITYID'], customerIds),
  ]);
  for (const item of live) {
    const draft = item.draft;
    if (draft === undefined) continue;
    const rows = item.rows ?? [];
    const bad = draft.lines.findIndex((l) => found.get(l.itemId)?.values.STATUS !== 'active');
    if (bad >= 0) {
      const line = draft.lines[bad];
      const row = rows[bad] ?? {};
      const product = row[flow.lines.item.nameField] ?? row[flow.lines.item.field] ?? 'the product';
      const inactive = line !== undefined && found.has(line.itemId);
      refuse(
        flow,
        item,
        inactive ? 'ITEM_INACTIVE' : 'ITEM_NOT_IN_INTACCT',
        inactive
          ? `line ${bad + 1}: Intacct item ${line?.itemId} (product "${product}") is inactive`
          : `line ${bad + 1}: product "${product}" has no Intacct item${line?.itemId ? ` (expected ITEMID ${line.itemId})` : ''}`,
        inactive
          ? `activate item ${line?.itemId} in Intacct (or replace the product on the line), then run sfi redrive`
          : `create the item ${line?.itemId || '(the product code)'} in Intacct or link the product (flow ${flow.lines.item.via}), then run sfi redrive`,
        { line: bad + 1, product: row[flow.lines.item.field], itemId: line?.itemId },
      );
      continue;
    }
    const customer = customers.get(draft.customerId);
    const owner = customer?.values.MEGAENTITYID ?? null;
    if (customer === undefined || customer.values.STATUS !== 'active')
      refuse(
        flow,
        item,
        customer === undefined ? 'CUSTOMER_NOT_IN_INTACCT' : 'CUSTOMER_INACTIVE',
        `Intacct customer ${draft.customerId} is ${customer === undefined ? 'gone' : 'inactive'}`,
        customer === undefined
          ? `the linked customer was deleted in Intacct; relink the account (flow ${flow.customer.via}), then run sfi redrive`
          : `activate customer ${draft.customerId} in Intacct, then run sfi redrive`,
      );
    else if (owner !== null && owner !== draft.entity)
      refuse(
        flow,
        item,
        'CUSTOMER_NOT_IN_ENTITY',
        `Intacct customer ${draft.customerId} belongs to entity ${owner}, but the document routes to ${draft.entity || 'the top level'}`,
        `share the customer with entity ${draft.entity || 'top level'} in Intacct, or fix the routing rules of flow ${flow.name}, then run sfi redrive`,
      );
  }
}

function checkRouting(flow: DocumentFlow, item: DocumentItem): void {
  const draft = item.draft;
  const entities = flow.routing.entities;
  if (draft === undefined || entities === undefined) return;
  const listed = entities[draft.entity];
  if (listed === undefined) {
    if (draft.entity !== '')
      refuse(
        flow,
        item,
        'ENTITY_UNKNOWN',
        `the document routes to entity "${draft.entity}", which routing.entities does not list`,
        `add the entity to routing.entities of flow ${flow.name} (or fix the rule), then run sfi redrive`,
      );
    return;
  }
  if (draft.currency !== undefined && !listed.currencies.includes(draft.currency))
    refuse(
      flow,
      item,
      'CURRENCY_NOT_ENABLED',
      `currency ${draft.currency} is not enabled in Intacct entity ${draft.entity || 'top level'} (enabled: ${listed.currencies.join(', ')})`,
      `enable ${draft.currency} for the entity in Intacct and add it to routing.entities, or route the record elsewhere, then run sfi redrive`,
    );
}

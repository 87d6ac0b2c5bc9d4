import { ApiError } from './api-error.ts';
import type { RuleContext } from './rule-context.ts';
import type { SObjectRecord } from './validate.ts';

const integrity = (message: string, fields: string[] = []) =>
  new ApiError(400, 'FIELD_INTEGRITY_EXCEPTION', message, fields);

const itemsOf = (ctx: RuleContext, orderId: unknown) =>
  orderId ? ctx.find('OrderItem', (r) => r.OrderId === orderId && r.IsDeleted !== true) : [];

/**
 * Order rules: OrderNumber is an auto-number; activation needs at least one order product; the
 * price book and currency are fixed once products exist. Salesforce enforces these, but the exact
 * error codes and wording here are [unverified].
 */
export function orderRules(
  draft: SObjectRecord,
  input: SObjectRecord,
  isCreate: boolean,
  ctx: RuleContext,
): void {
  if (isCreate) {
    draft.OrderNumber = String(ctx.autoNumber('Order.OrderNumber') + 99).padStart(8, '0');
    draft.TotalAmount = 0;
  }
  const items = itemsOf(ctx, draft.Id);
  if ('Status' in input && draft.Status === 'Activated' && items.length === 0)
    throw integrity('You can’t activate an order that has no order products. Add a product, then activate.', [
      'Status',
    ]);
  const current = isCreate ? undefined : ctx.get('Order', String(draft.Id));
  for (const field of ['Pricebook2Id', 'CurrencyIsoCode']) {
    if (current && items.length > 0 && field in input && current[field] !== draft[field])
      throw integrity(`field integrity exception: ${field} (cannot change it while the order has products)`, [
        field,
      ]);
  }
}

/**
 * Order product rules: the entry must be in the order's price book and currency (the price book
 * must be set first [unverified]), and an Activated order's products cannot be added or changed.
 */
export function orderItemRules(draft: SObjectRecord, isCreate: boolean, ctx: RuleContext): void {
  const order = ctx.get('Order', String(draft.OrderId));
  if (!order) throw integrity('OrderId or PricebookEntryId does not exist', ['OrderId']);
  if (order.Status === 'Activated')
    throw integrity(
      `You can’t add or change products on an activated order (${String(order.OrderNumber)}). Deactivate it first.`,
      ['OrderId'],
    );
  if (isCreate) {
    const entry = ctx.get('PricebookEntry', String(draft.PricebookEntryId));
    if (!entry) throw integrity('OrderId or PricebookEntryId does not exist', ['PricebookEntryId']);
    if (!order.Pricebook2Id)
      throw integrity('field integrity exception: Pricebook2Id (price book not set on the order)', [
        'Pricebook2Id',
      ]);
    if (order.Pricebook2Id !== entry.Pricebook2Id)
      throw integrity(
        'field integrity exception: PricebookEntryId (pricebook entry is in a different pricebook than the one assigned to the order)',
        ['PricebookEntryId'],
      );
    if (entry.CurrencyIsoCode !== order.CurrencyIsoCode)
      throw integrity(
        'field integrity exception: PricebookEntryId (pricebook entry currency code does not match order currency code)',
        ['PricebookEntryId'],
      );
    draft.CurrencyIsoCode = order.CurrencyIsoCode ?? null;
    draft.Product2Id = entry.Product2Id;
    draft.ListPrice = entry.UnitPrice;
    draft.OrderItemNumber = String(ctx.autoNumber('OrderItem.OrderItemNumber')).padStart(10, '0');
  }
  draft.TotalPrice = Math.round(Number(draft.Quantity) * Number(draft.UnitPrice) * 100) / 100;
}

/** Roll-up after an order product is saved or deleted: the order's TotalAmount. */
export function orderTotal(record: SObjectRecord, ctx: RuleContext): void {
  const orderId = String(record.OrderId);
  const amount = itemsOf(ctx, orderId).reduce((sum, r) => sum + Number(r.TotalPrice ?? 0), 0);
  ctx.touch('Order', orderId, { TotalAmount: Math.round(amount * 100) / 100 });
}

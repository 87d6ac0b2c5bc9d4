import { ApiError } from './api-error.ts';
import { orderItemRules, orderRules, orderTotal } from './order-rules.ts';
import type { RuleContext } from './rule-context.ts';
import { CURRENCY_OBJECTS, OPPORTUNITY_STAGES } from './schema/objects.ts';
import type { SObjectRecord } from './validate.ts';

const integrity = (message: string, fields: string[] = []) =>
  new ApiError(400, 'FIELD_INTEGRITY_EXCEPTION', message, fields);

/**
 * Derived fields and cross-record checks Salesforce enforces on save, applied to the merged record
 * (`draft`) before it is stored. `input` holds only the fields the caller sent.
 */
export function applyBeforeSave(
  object: string,
  draft: SObjectRecord,
  input: SObjectRecord,
  isCreate: boolean,
  ctx: RuleContext,
): void {
  // Custom objects of a multi-currency org carry CurrencyIsoCode too.
  if (CURRENCY_OBJECTS.includes(object) || object.endsWith('__c')) currency(draft, input, isCreate, ctx);
  switch (object) {
    case 'Opportunity': {
      const stage = OPPORTUNITY_STAGES.find((s) => s.name === draft.StageName);
      draft.IsWon = stage?.won ?? false;
      draft.IsClosed = stage?.closed ?? false;
      if ('StageName' in input && !('Probability' in input)) draft.Probability = stage?.probability ?? null;
      if (isCreate) draft.HasOpportunityLineItem = false;
      break;
    }
    case 'Contact':
      draft.Name = [draft.FirstName, draft.LastName]
        .filter((p) => typeof p === 'string' && p !== '')
        .join(' ');
      break;
    case 'PricebookEntry':
      if (isCreate) checkPricebookEntry(draft, ctx);
      break;
    case 'OpportunityLineItem':
      lineItem(draft, input, isCreate, ctx);
      break;
    case 'Order':
      orderRules(draft, input, isCreate, ctx);
      break;
    case 'OrderItem':
      orderItemRules(draft, isCreate, ctx);
      break;
  }
}

/**
 * A multi-currency org: CurrencyIsoCode defaults to the corporate currency and must be an active
 * CurrencyType. The error is a restricted picklist's [message unverified].
 */
function currency(draft: SObjectRecord, input: SObjectRecord, isCreate: boolean, ctx: RuleContext): void {
  const types = ctx.find('CurrencyType', () => true);
  if (types.length === 0) return;
  if (isCreate && (draft.CurrencyIsoCode === undefined || draft.CurrencyIsoCode === null))
    draft.CurrencyIsoCode = types.find((t) => t.IsCorporate === true)?.IsoCode ?? null;
  if (!isCreate && !('CurrencyIsoCode' in input)) return;
  if (!types.some((t) => t.IsoCode === draft.CurrencyIsoCode && t.IsActive === true))
    throw new ApiError(
      400,
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      `Currency ISO Code: invalid currency code: ${String(draft.CurrencyIsoCode)}`,
      ['CurrencyIsoCode'],
    );
}

function checkPricebookEntry(draft: SObjectRecord, ctx: RuleContext): void {
  const book = ctx.get('Pricebook2', String(draft.Pricebook2Id));
  const product = ctx.get('Product2', String(draft.Product2Id));
  if (!book || !product)
    throw integrity('Pricebook2Id or Product2Id does not exist', ['Pricebook2Id', 'Product2Id']);
  // One entry per (price book, product, currency); the standard price comes first in each currency.
  const sameProduct = (r: SObjectRecord) =>
    r.Product2Id === draft.Product2Id && r.IsDeleted !== true && r.CurrencyIsoCode === draft.CurrencyIsoCode;
  if (ctx.find('PricebookEntry', (r) => sameProduct(r) && r.Pricebook2Id === draft.Pricebook2Id).length > 0) {
    throw new ApiError(400, 'DUPLICATE_VALUE', 'This price definition already exists in this price book', []);
  }
  if (book.IsStandard !== true) {
    const standard = ctx.find('PricebookEntry', (r) => {
      if (!sameProduct(r)) return false;
      return ctx.get('Pricebook2', String(r.Pricebook2Id))?.IsStandard === true;
    });
    if (standard.length === 0) {
      throw new ApiError(
        400,
        'STANDARD_PRICE_NOT_DEFINED',
        'Before creating a custom price, create a standard price.',
        [],
      );
    }
  } else if (draft.UseStandardPrice === true) {
    throw integrity('A standard price entry cannot use the standard price', ['UseStandardPrice']);
  }
  draft.Name = product.Name ?? null;
  draft.ProductCode = product.ProductCode ?? null;
}

function lineItem(draft: SObjectRecord, input: SObjectRecord, isCreate: boolean, ctx: RuleContext): void {
  if (isCreate) {
    const entry = ctx.get('PricebookEntry', String(draft.PricebookEntryId));
    const opp = ctx.get('Opportunity', String(draft.OpportunityId));
    if (!entry || !opp) throw integrity('OpportunityId or PricebookEntryId does not exist');
    if (entry.CurrencyIsoCode !== opp.CurrencyIsoCode) {
      throw integrity(
        'field integrity exception: PricebookEntryId (pricebook entry currency code does not match opportunity currency code)',
        ['PricebookEntryId'],
      );
    }
    draft.CurrencyIsoCode = opp.CurrencyIsoCode ?? null;
    if (opp.Pricebook2Id && opp.Pricebook2Id !== entry.Pricebook2Id) {
      throw integrity(
        'field integrity exception: PricebookEntryId (pricebook entry is in a different pricebook than the one assigned to the opportunity)',
        ['PricebookEntryId'],
      );
    }
    if (!opp.Pricebook2Id) ctx.touch('Opportunity', String(opp.Id), { Pricebook2Id: entry.Pricebook2Id });
    draft.Product2Id = entry.Product2Id;
    draft.ListPrice = entry.UnitPrice;
    draft.Name = `${String(opp.Name)} ${String(entry.Name)}`;
    draft.ProductCode = entry.ProductCode ?? null;
  }
  const gaveUnit = input.UnitPrice !== undefined && input.UnitPrice !== null;
  const gaveTotal = input.TotalPrice !== undefined && input.TotalPrice !== null;
  if (gaveUnit && gaveTotal) {
    throw integrity(
      'field integrity exception: TotalPrice (only one of unit price or total price may be specified)',
      ['TotalPrice'],
    );
  }
  const qty = Number(draft.Quantity);
  // Zero is refused; a negative quantity (a return or credit line) is allowed.
  if (qty === 0 || !Number.isFinite(qty))
    throw integrity('field integrity exception: Quantity (quantity must be nonzero)', ['Quantity']);
  if (gaveTotal) draft.UnitPrice = Number(draft.TotalPrice) / qty;
  if (draft.UnitPrice === null || draft.UnitPrice === undefined) {
    throw new ApiError(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [UnitPrice]', [
      'UnitPrice',
    ]);
  }
  // Subtotal is Quantity × UnitPrice; TotalPrice is the Subtotal less the Discount percentage
  const discount = Number(draft.Discount ?? 0);
  draft.Subtotal = Math.round(qty * Number(draft.UnitPrice) * 100) / 100;
  draft.TotalPrice = Math.round(qty * Number(draft.UnitPrice) * (1 - discount / 100) * 100) / 100;
}

/** Roll-ups after a save: an Opportunity's Amount and HasOpportunityLineItem follow its line items, an Order's TotalAmount its products. */
export function applyAfterSave(object: string, record: SObjectRecord, ctx: RuleContext): void {
  if (object === 'OrderItem') orderTotal(record, ctx);
  if (object !== 'OpportunityLineItem') return;
  const oppId = String(record.OpportunityId);
  const items = ctx.find('OpportunityLineItem', (r) => r.OpportunityId === oppId && r.IsDeleted !== true);
  const amount = items.reduce((sum, r) => sum + Number(r.TotalPrice ?? 0), 0);
  ctx.touch('Opportunity', oppId, {
    Amount: Math.round(amount * 100) / 100,
    HasOpportunityLineItem: items.length > 0,
  });
}

import { KEY_PREFIXES } from '../ids.ts';
import { systemFields } from './system-fields.ts';
import type { FieldDef, ObjectDef } from './types.ts';

/** The object's key prefix (custom objects would get `a00`). */
export const prefix = (name: string): string => KEY_PREFIXES[name] ?? 'a00';

/**
 * The org is multi-currency (DESIGN §4): every object that carries money has CurrencyIsoCode, a
 * picklist of the org's active currencies (the CurrencyType records), defaulting to the corporate one.
 */
const CURRENCY: FieldDef = { name: 'CurrencyIsoCode', type: 'picklist', length: 3 };

/** Objects with a CurrencyIsoCode of their own (line items follow their opportunity or order). */
export const CURRENCY_OBJECTS = ['Account', 'Product2', 'PricebookEntry', 'Opportunity', 'Order'];

const currencyOf = (object: string): FieldDef[] => {
  // A price book entry's currency is locked after creation: a price in another currency is another entry.
  if (object === 'PricebookEntry') return [{ ...CURRENCY, createOnly: true }];
  if (object === 'OpportunityLineItem' || object === 'OrderItem') return [{ ...CURRENCY, readOnly: true }];
  return CURRENCY_OBJECTS.includes(object) ? [CURRENCY] : [];
};

/** An object's fields: the system fields, its own, then CurrencyIsoCode where it has one. */
export const own = (object: string, fields: FieldDef[]): ObjectDef['fields'] => [
  ...systemFields(object),
  ...fields,
  ...currencyOf(object),
];

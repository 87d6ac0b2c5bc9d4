import type { OpContext } from './context.ts';
import { businessError } from './errors.ts';
import type { SimRecord, SimStore } from './store.ts';

/**
 * The demo company's fixed rates, as value in USD of one unit. Real Intacct looks rates up in the
 * "Intacct Daily Rate" table by date; a fixed table keeps test amounts predictable.
 */
const USD_VALUE: Record<string, number> = { USD: 1, GBP: 1.25, EUR: 1.08, CAD: 0.73 };

/** Base and enabled currencies of a currency scope (an entity, or '' for the top level). */
export interface EntityCurrencies {
  base: string;
  enabled: string[];
}

/** The currencies of an entity ('' = top level), or undefined for an unknown entity. */
export function currenciesOf(store: SimStore, entityId: string): EntityCurrencies | undefined {
  if (entityId === '') return { base: store.topLevel.baseCurrency, enabled: store.topLevel.currencies };
  const entity = store.entities.find((e) => e.id === entityId);
  return entity ? { base: entity.baseCurrency, enabled: entity.currencies } : undefined;
}

/** Sets an entity's currencies; the base currency is always enabled, as it is in Intacct. */
export function setCurrencies(store: SimStore, entityId: string, c: EntityCurrencies): void {
  const enabled = [...new Set([c.base, ...c.enabled])];
  if (entityId === '') {
    store.topLevel = { baseCurrency: c.base, currencies: enabled };
    return;
  }
  const entity = store.entities.find((e) => e.id === entityId);
  if (!entity) throw new Error(`unknown entity ${entityId}`);
  entity.baseCurrency = c.base;
  entity.currencies = enabled;
}

/** Units of `to` for one unit of `from`, from the fixed table (1 for the same currency). */
export function exchangeRate(from: string, to: string): number {
  if (from === to) return 1;
  const f = USD_VALUE[from];
  const t = USD_VALUE[to];
  if (f === undefined || t === undefined)
    throw businessError(`No exchange rate from ${from} to ${to} on the Intacct Daily Rate.`);
  return Number((f / t).toFixed(6));
}

/** A transaction's currency: its own, the entity's base, and the rate from one to the other. */
export interface DocCurrency {
  currency: string;
  base: string;
  rate: number;
}

/**
 * Resolves the currency block of a transaction in the session's entity: the currency defaults to
 * the entity's base and must be enabled there. Intacct's wording of these errors is [unverified].
 */
export function documentCurrency(
  ctx: OpContext,
  block: { currency?: string; baseCurrency?: string; exchangeRate?: string },
): DocCurrency {
  const scope = currenciesOf(ctx.store, ctx.entityId) ?? { base: 'USD', enabled: ['USD'] };
  const where = ctx.entityId === '' ? 'the top level' : `entity ${ctx.entityId}`;
  if (block.baseCurrency && block.baseCurrency !== scope.base)
    throw businessError(
      `Base currency ${block.baseCurrency} does not match the base currency ${scope.base} of ${where}.`,
      'Leave basecurr empty or give the base currency of the entity the session is in.',
    );
  const currency = block.currency || scope.base;
  if (!scope.enabled.includes(currency))
    throw businessError(
      `Currency ${currency} is not enabled for ${where}.`,
      `Use one of: ${scope.enabled.join(', ')}, or enable ${currency} in the entity.`,
    );
  const given = block.exchangeRate === undefined ? undefined : Number(block.exchangeRate);
  if (given !== undefined && !(given > 0))
    throw businessError(`Exchange rate '${block.exchangeRate}' must be a positive number.`);
  return {
    currency,
    base: scope.base,
    rate: currency === scope.base ? 1 : (given ?? exchangeRate(currency, scope.base)),
  };
}

/**
 * LOCATIONENTITY rows, made from the store's entities so currency changes show at once. The top
 * level lists every entity, an entity session only itself [unverified]; CURRENCY as the name of
 * the base-currency field is [unverified].
 */
export function entityRecords(ctx: OpContext): SimRecord[] {
  return ctx.store.entities
    .filter((e) => ctx.entityId === '' || e.id === ctx.entityId)
    .map((e) => ({
      object: 'LOCATIONENTITY',
      recordNo: e.recordNo,
      entity: '',
      fields: {
        RECORDNO: String(e.recordNo),
        LOCATIONID: e.id,
        NAME: e.name,
        CURRENCY: e.baseCurrency,
        STATUS: 'active',
      },
    }));
}

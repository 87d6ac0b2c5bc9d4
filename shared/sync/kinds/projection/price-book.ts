/**
 * The price-book projection: an item's prices become PricebookEntry records, one per (product,
 * price book, currency). Every configured book and currency is checked before anything is written;
 * an entry is found by that composite key, updated only where it differs, created otherwise —
 * the standard price book's entries in a first phase, custom ones after (Salesforce refuses a
 * custom price before the standard one: STANDARD_PRICE_NOT_DEFINED).
 */
import { SyncError } from '#shared/errors.ts';
import type { ProjectionFlow } from '../../flow-schema.ts';
import { controlIds } from '../../kernel/control-ids.ts';
import { failed } from '../../kernel/failures.ts';
import { pending } from '../../kernel/work-items.ts';
import { payloadHash, type Values } from '../../mapping.ts';
import type { SideRecord, WriteOp } from '../../ports.ts';
import { TRANSFORMS } from '../../transforms.ts';
import type { KindContext } from '../context.ts';
import { numberOf } from './figures.ts';
import type { ProjectionItem } from './item.ts';

type PriceBookTarget = Extract<ProjectionFlow['target'], { type: 'price-book-entries' }>;
export type Book = { id: string; standard: boolean };
type Entry = { book: Book; name: string; currency?: string; price: string; active: string };

const ENTRY_FIELDS = ['Pricebook2Id', 'Product2Id', 'UnitPrice', 'IsActive'];

/** Sets each item's desired entries (price and active flag per book and currency), checked. */
export function desiredPrices(flow: ProjectionFlow, target: PriceBookTarget, items: ProjectionItem[]): void {
  for (const item of pending(items)) {
    try {
      const values = item.source?.values ?? {};
      const active = TRANSFORMS.activeFlag.toSalesforce(values[target.activeField] ?? 'active') ?? 'true';
      const desired: Values = {};
      for (const e of target.entries) {
        // No price in Intacct: no entry (a zero price would be a price).
        const raw = values[e.price] ?? null;
        if (raw === null || raw.trim() === '') continue;
        desired[`${e.pricebook}|${e.currency ?? ''}`] = `${numberOf(flow, item.id, e.price, raw)}|${active}`;
      }
      item.desired = desired;
      item.hash = payloadHash(desired);
    } catch (error) {
      item.outcome = failed(error as SyncError, flow.name, item.id, {
        salesforceId: item.salesforceId,
        intacctKey: item.id,
      });
    }
  }
}

/**
 * The configured price books by name, for the items that need writing: a book that does not
 * exist (or twice) or a currency that is not active fails each of them with the fix.
 */
export async function checkBooks(
  context: KindContext,
  flow: ProjectionFlow,
  target: PriceBookTarget,
  items: ProjectionItem[],
): Promise<Map<string, Book>> {
  if (items.length === 0) return new Map();
  const found = await priceBooks(context, target);
  const problem = 'problem' in found ? found.problem : await currencyProblem(context, target);
  if (problem !== undefined)
    for (const item of items)
      item.outcome = failed(problem, flow.name, item.id, {
        salesforceId: item.salesforceId,
        intacctKey: item.id,
      });
  return 'books' in found ? found.books : new Map();
}

/** Reads the items' existing entries and plans creates and updates per item, in two phases. */
export async function planPrices(
  context: KindContext,
  flow: ProjectionFlow,
  target: PriceBookTarget,
  books: ReadonlyMap<string, Book>,
  items: ProjectionItem[],
): Promise<void> {
  const multiCurrency = target.entries.some((e) => e.currency !== undefined);
  const fields = multiCurrency ? [...ENTRY_FIELDS, 'CurrencyIsoCode'] : ENTRY_FIELDS;
  const existing = await context.salesforce.findBy(
    'PricebookEntry',
    fields,
    'Product2Id',
    items.map((i) => i.salesforceId as string),
  );
  const byProduct = new Map<string, SideRecord[]>();
  for (const r of existing) {
    const product = r.values.Product2Id ?? '';
    byProduct.set(product, [...(byProduct.get(product) ?? []), r]);
  }
  for (const item of items) {
    const product = item.salesforceId as string;
    const have = byProduct.get(product) ?? [];
    const entries: Entry[] = target.entries.flatMap((e) => {
      const desired = item.desired?.[`${e.pricebook}|${e.currency ?? ''}`];
      if (desired === undefined || desired === null) return [];
      const [price = '', active = 'true'] = desired.split('|');
      return [
        { book: books.get(e.pricebook) as Book, name: e.pricebook, currency: e.currency, price, active },
      ];
    });
    const phases: WriteOp[][] = [[], []];
    for (const [n, entry] of entries.entries()) {
      const found = have.find(
        (r) =>
          r.values.Pricebook2Id === entry.book.id &&
          (entry.currency === undefined || r.values.CurrencyIsoCode === entry.currency),
      );
      const values: Values = { UnitPrice: entry.price, IsActive: entry.active };
      const ref = `${item.id}#${n}`;
      const controlId = controlIds.perVersion(flow.name, 'price', ref, item.source?.version, item.hash ?? '');
      if (found !== undefined) {
        const same =
          Number(found.values.UnitPrice) === Number(entry.price) &&
          TRANSFORMS.boolean.salesforce(found.values.IsActive ?? null) === entry.active;
        if (!same) phases[0]?.push({ kind: 'update', ref, id: found.id, values, controlId });
        continue;
      }
      if (!entry.book.standard && !hasStandard(entries, have, entry.currency)) {
        item.outcome = failed(
          new SyncError(`price book "${entry.name}" needs a standard price first`, {
            code: 'STANDARD_PRICE_NOT_DEFINED',
            retryable: false,
            hint: `add an entry for the standard price book${entry.currency ? ` in ${entry.currency}` : ''} to the flow's target.entries, then run sfi redrive`,
          }),
          flow.name,
          item.id,
          { salesforceId: product, intacctKey: item.id },
        );
        break;
      }
      const create: Values = {
        ...values,
        Pricebook2Id: entry.book.id,
        Product2Id: product,
        ...(entry.currency === undefined ? {} : { CurrencyIsoCode: entry.currency }),
      };
      phases[entry.book.standard ? 0 : 1]?.push({ kind: 'create', ref, values: create, controlId });
    }
    if (item.outcome === undefined) item.ops = phases;
  }
}

function hasStandard(entries: readonly Entry[], have: readonly SideRecord[], currency: string | undefined) {
  const standardIds = new Set(entries.filter((e) => e.book.standard).map((e) => e.book.id));
  return (
    entries.some((e) => e.book.standard && e.currency === currency) ||
    have.some(
      (r) =>
        standardIds.has(r.values.Pricebook2Id ?? '') &&
        (currency === undefined || r.values.CurrencyIsoCode === currency),
    )
  );
}

/** The configured price books by name; one that does not exist, or exists twice, is a problem. */
async function priceBooks(
  context: KindContext,
  target: PriceBookTarget,
): Promise<{ books: Map<string, Book> } | { problem: SyncError }> {
  const names = [...new Set(target.entries.map((e) => e.pricebook))];
  const rows = await context.salesforce.findBy('Pricebook2', ['Name', 'IsStandard'], 'Name', names);
  const books = new Map<string, Book>();
  for (const name of names) {
    const found = rows.filter((r) => r.values.Name === name);
    const [only] = found;
    if (found.length === 1 && only !== undefined) {
      books.set(name, { id: only.id, standard: only.values.IsStandard === 'true' });
      continue;
    }
    const problem = new SyncError(
      found.length === 0
        ? `price book "${name}" does not exist in Salesforce`
        : `${found.length} price books are named "${name}" (${found.map((r) => r.id).join(', ')})`,
      {
        code: found.length === 0 ? 'PRICEBOOK_NOT_FOUND' : 'PRICEBOOK_AMBIGUOUS',
        retryable: false,
        hint:
          found.length === 0
            ? `create the price book "${name}" in Salesforce or correct target.entries in the sync config, then run sfi redrive`
            : `rename all but one of the price books named "${name}", then run sfi redrive`,
      },
    );
    return { problem };
  }
  return { books };
}

/** A configured currency the org does not have active. */
async function currencyProblem(
  context: KindContext,
  target: PriceBookTarget,
): Promise<SyncError | undefined> {
  const codes = [...new Set(target.entries.flatMap((e) => (e.currency === undefined ? [] : [e.currency])))];
  if (codes.length === 0) return undefined;
  const rows = await context.salesforce.findBy('CurrencyType', ['IsoCode', 'IsActive'], 'IsoCode', codes);
  const active = new Set(rows.filter((r) => r.values.IsActive === 'true').map((r) => r.values.IsoCode));
  const missing = codes.filter((c) => !active.has(c));
  if (missing.length === 0) return undefined;
  return new SyncError(`currency ${missing.join(', ')} is not active in Salesforce`, {
    code: 'CURRENCY_NOT_ENABLED',
    retryable: false,
    hint: `activate ${missing.join(', ')} in Salesforce (Setup → Manage Currencies) or remove it from target.entries, then run sfi redrive`,
    meta: { currencies: missing },
  });
}

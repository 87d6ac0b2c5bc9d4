import type { OpContext } from './context.ts';
import { businessError } from './errors.ts';
import { findVisible, money } from './records.ts';
import type { SimRecord } from './store.ts';
import { childText, type FieldMap, type XNode } from './xml.ts';

/** One `sotransitem` (or `updatesotransitem`) as the handlers read it; absent elements stay undefined. */
export interface LineInput {
  itemId?: string;
  itemDesc?: string;
  quantity?: string;
  unit?: string;
  discountPercent?: string;
  price?: string;
  sourceLineKey?: string;
  locationId?: string;
  departmentId?: string;
  classId?: string;
  projectId?: string;
  memo?: string;
}

/** Reads a line element. */
export function lineInput(n: XNode): LineInput {
  const t = (name: string) => childText(n, name);
  return {
    itemId: t('itemid'),
    itemDesc: t('itemdesc'),
    quantity: t('quantity'),
    unit: t('unit'),
    discountPercent: t('discountpercent'),
    price: t('price'),
    sourceLineKey: t('sourcelinekey'),
    locationId: t('locationid'),
    departmentId: t('departmentid'),
    classId: t('classid'),
    projectId: t('projectid'),
    memo: t('memo'),
  };
}

const numberOf = (value: string | undefined, label: string, what: string): number => {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(n))
    throw businessError(`${label}: ${what} must be a number, got '${value ?? ''}'.`);
  return n;
};

const discountOf = (value: string | undefined, label: string): number => {
  const d = numberOf(value, label, 'discountpercent');
  if (d < 0 || d > 100) throw businessError(`${label}: discountpercent must be between 0 and 100.`);
  return d;
};

/**
 * A new SODOCUMENTENTRY row (line `lineNo`, 0-based) in the document's currency; the price
 * defaults to the item's BASEPRICE as is (real Intacct would use a price list [unverified]).
 * PRICE_BEFORE_DISCOUNT is the simulator's own field, kept so a later discount change can reprice.
 * Purchasing lines are built the same way, numbered from their own `sequence`.
 */
export function buildLine(
  ctx: OpContext,
  input: LineInput,
  lineNo: number,
  rate: number,
  sequence = 'SODOCUMENTENTRY',
): FieldMap {
  const label = `Line ${lineNo + 1}`;
  const itemId = input.itemId ?? '';
  const item = findVisible(ctx, 'ITEM', { id: itemId });
  if (!item) throw businessError(`${label}: Invalid Item '${itemId}' specified.`, 'Use an existing item ID.');
  if (item.fields.STATUS === 'inactive') throw businessError(`${label}: Item '${itemId}' is inactive.`);
  const quantity = numberOf(input.quantity, label, 'quantity');
  const price =
    input.price === undefined ? Number(item.fields.BASEPRICE ?? 0) : numberOf(input.price, label, 'price');
  const discount = input.discountPercent === undefined ? undefined : discountOf(input.discountPercent, label);
  const line: FieldMap = {
    RECORDNO: String(ctx.store.nextRecordNo(sequence)),
    LINE_NO: String(lineNo),
    ITEMID: itemId,
    ITEMDESC: input.itemDesc ?? String(item.fields.NAME ?? ''),
    QUANTITY: String(quantity),
    UNIT: input.unit ?? 'Each',
    DISCOUNTPERCENT: discount === undefined ? '' : String(discount),
    PRICE_BEFORE_DISCOUNT: String(price),
    LOCATIONID: input.locationId ?? '',
    DEPARTMENTID: input.departmentId ?? '',
    CLASSID: input.classId ?? '',
    PROJECTID: input.projectId ?? '',
    MEMO: input.memo ?? '',
  };
  priceLine(line, rate);
  return line;
}

/** Applies an `updatesotransitem` to a copy of a stored line; `customerid`-like keys are not per line. */
export function updatedLine(line: FieldMap, input: LineInput, lineNo: number, rate: number): FieldMap {
  const label = `Line ${lineNo + 1}`;
  const out = { ...line };
  if (input.quantity !== undefined) out.QUANTITY = String(numberOf(input.quantity, label, 'quantity'));
  if (input.price !== undefined) out.PRICE_BEFORE_DISCOUNT = String(numberOf(input.price, label, 'price'));
  if (input.discountPercent !== undefined)
    out.DISCOUNTPERCENT = String(discountOf(input.discountPercent, label));
  const text: Array<[keyof LineInput, string]> = [
    ['memo', 'MEMO'],
    ['itemDesc', 'ITEMDESC'],
    ['locationId', 'LOCATIONID'],
    ['departmentId', 'DEPARTMENTID'],
  ];
  for (const [from, to] of text) {
    const v = input[from];
    if (v !== undefined) out[to] = v;
  }
  priceLine(out, rate);
  return out;
}

/**
 * Derives the amounts: UIPRICE/TRX_PRICE is the price after discount and UIVALUE/TRX_VALUE the
 * line value, both in the document currency; PRICE/VALUE are the same in base currency.
 */
function priceLine(line: FieldMap, rate: number): void {
  const discount = Number(line.DISCOUNTPERCENT || 0);
  const unit = Number(line.PRICE_BEFORE_DISCOUNT) * (1 - discount / 100);
  const value = unit * Number(line.QUANTITY);
  line.UIPRICE = money(unit);
  line.TRX_PRICE = money(unit);
  line.UIVALUE = money(value);
  line.TRX_VALUE = money(value);
  line.PRICE = money(unit * rate);
  line.VALUE = money(value * rate);
}

/** The stored lines of a document. */
export function entriesOf(doc: SimRecord): FieldMap[] {
  const e = (doc.fields.SODOCUMENTENTRIES as FieldMap | undefined)?.sodocumententry;
  return Array.isArray(e) ? e : e && typeof e === 'object' ? [e] : [];
}

/** Stores lines and totals: TRX_ totals in the document currency, SUBTOTAL/TOTAL in base currency. */
export function setEntries(doc: SimRecord, lines: FieldMap[]): void {
  const rate = Number(doc.fields.EXCHANGE_RATE ?? 1);
  const total = lines.reduce((s, l) => s + Number(l.TRX_VALUE), 0);
  doc.fields.SODOCUMENTENTRIES = {
    sodocumententry: lines.map((l) => ({
      ...l,
      DOCHDRNO: String(doc.recordNo),
      DOCHDRID: String(doc.fields.DOCID),
    })),
  };
  doc.fields.TRX_SUBTOTAL = money(total);
  doc.fields.TRX_TOTAL = money(total);
  doc.fields.SUBTOTAL = money(total * rate);
  doc.fields.TOTAL = money(total * rate);
}

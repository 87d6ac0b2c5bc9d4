import type { DateParts } from './ar-ap.ts';
import type { OpContext } from './context.ts';
import { businessError } from './errors.ts';
import { findVisible, touch } from './records.ts';
import { entriesOf, type LineInput } from './sales-lines.ts';
import { intacctDate, type SimRecord } from './store.ts';

/**
 * Which definitions each one converts from (the workflow of the demo company's definitions; real
 * companies configure it per transaction definition).
 */
const SOURCES: Record<string, string[]> = {
  'Sales Order': ['Sales Quote'],
  'Sales Invoice': ['Sales Order', 'Sales Quote'],
};

/** States a document can be converted from (Draft documents are not yet in the workflow [unverified]). */
const CONVERTIBLE = ['Pending', 'Partially Converted'];

/** Quantity of a source line not yet converted (QTY_CONVERTED is the simulator's field [unverified]). */
const leftOf = (line: Record<string, unknown>) => Number(line.QUANTITY) - Number(line.QTY_CONVERTED ?? 0);

/** The `createdfrom` document: visible, of a definition the target converts from, open, same customer. */
export function conversionSource(ctx: OpContext, docId: string, type: string, customerId: string): SimRecord {
  const source = findVisible(ctx, 'SODOCUMENT', { id: docId });
  if (!source) throw businessError(`Cannot find the source transaction '${docId}' given in createdfrom.`);
  const from = String(source.fields.DOCPARID);
  if (!(SOURCES[type] ?? []).includes(from))
    throw businessError(`A ${type} cannot be created from a ${from} ('${docId}').`);
  const state = String(source.fields.STATE);
  if (!CONVERTIBLE.includes(state))
    throw businessError(
      `'${docId}' is ${state} and cannot be converted.`,
      `Only ${CONVERTIBLE.join(' or ')} transactions can be converted.`,
    );
  if (source.fields.CUSTVENDID !== customerId)
    throw businessError(
      `'${docId}' belongs to customer ${String(source.fields.CUSTVENDID)}, not ${customerId}.`,
    );
  return source;
}

/**
 * Links each new line to a source line and returns the links plus a function that records the
 * converted quantities and the source's new state (called once everything has been validated).
 * A line without `sourcelinekey` takes the first source line of the same item with quantity left:
 * whether Intacct links such lines at all is [unverified].
 */
export function planConversion(
  ctx: OpContext,
  source: SimRecord,
  lines: LineInput[],
): { links: Array<string | undefined>; apply: () => void } {
  const sourceLines = entriesOf(source);
  const left = new Map(sourceLines.map((l) => [String(l.RECORDNO), leftOf(l)]));
  const links = lines.map((l, i) => {
    const key =
      l.sourceLineKey ??
      sourceLines.find((s) => s.ITEMID === l.itemId && (left.get(String(s.RECORDNO)) ?? 0) > 0)?.RECORDNO;
    if (key === undefined) return undefined;
    const remaining = left.get(String(key));
    if (remaining === undefined)
      throw businessError(
        `Line ${i + 1}: sourcelinekey ${String(key)} is not a line of '${String(source.fields.DOCID)}'.`,
        'Use the RECORDNO of a line of the createdfrom transaction.',
      );
    const quantity = Number(l.quantity);
    if (quantity > remaining + 1e-9)
      throw businessError(
        `Line ${i + 1}: quantity ${quantity} exceeds the ${remaining} left to convert on source line ${String(key)}.`,
      );
    left.set(String(key), remaining - quantity);
    return String(key);
  });
  const apply = () => {
    for (const s of sourceLines) {
      s.QTY_CONVERTED = String(Number(s.QUANTITY) - (left.get(String(s.RECORDNO)) ?? 0));
    }
    const done = sourceLines.every((s) => leftOf(s) <= 1e-9);
    source.fields.STATE = done ? 'Converted' : 'Partially Converted';
    touch(ctx, source, false);
  };
  return { links, apply };
}

/** The lines a user converting the whole document would get: every quantity still open. */
export function remainingLines(source: SimRecord): LineInput[] {
  const lines = entriesOf(source)
    .filter((l) => leftOf(l) > 1e-9)
    .map((l) => ({
      itemId: String(l.ITEMID),
      itemDesc: String(l.ITEMDESC ?? ''),
      quantity: String(leftOf(l)),
      unit: String(l.UNIT ?? 'Each'),
      price: String(l.PRICE_BEFORE_DISCOUNT ?? l.UIPRICE),
      ...(l.DISCOUNTPERCENT ? { discountPercent: String(l.DISCOUNTPERCENT) } : {}),
      sourceLineKey: String(l.RECORDNO),
      locationId: String(l.LOCATIONID ?? ''),
      departmentId: String(l.DEPARTMENTID ?? ''),
      classId: String(l.CLASSID ?? ''),
      projectId: String(l.PROJECTID ?? ''),
      memo: String(l.MEMO ?? ''),
    }));
  if (lines.length === 0)
    throw businessError(`'${String(source.fields.DOCID)}' has nothing left to convert.`);
  return lines;
}

/** Today on the simulator clock as a legacy date block. */
export function today(ctx: OpContext): DateParts {
  const [month = '', day = '', year = ''] = intacctDate(ctx.now).split('/');
  return { year, month, day };
}

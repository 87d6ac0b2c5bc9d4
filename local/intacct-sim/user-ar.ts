import { createArAdjustment } from './ar-adjustments.ts';
import { type ArLine, createArInvoice, requireCustomer } from './ar-ap.ts';
import type { OpContext } from './context.ts';
import { documentCurrency } from './entities.ts';
import { businessError } from './errors.ts';
import { checkDimensions, checkOpenPeriod, linesOf } from './records.ts';
import { intacctDate, parseIntacctDate, type SimRecord } from './store.ts';
import type { FieldMap } from './xml.ts';

const text = (fields: FieldMap, name: string): string | undefined => {
  const v = fields[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/** `MM/DD/YYYY` of a user's date field (any form parseIntacctDate reads), or undefined when absent. */
function dateField(fields: FieldMap, name: string): string | undefined {
  const v = text(fields, name);
  if (v === undefined) return undefined;
  const ms = parseIntacctDate(v);
  if (!Number.isFinite(ms)) throw businessError(`${name} '${v}' is not a valid date.`, 'Use MM/DD/YYYY.');
  return intacctDate(ms);
}

/**
 * The lines a user typed: `{items}.{item}` maps (ACCOUNTNO, AMOUNT or TRX_AMOUNT in the
 * document's currency, MEMO, LOCATIONID, DEPARTMENTID, ITEMID), or else one line of TOTALENTERED
 * on account 4000.
 */
function userLines(ctx: OpContext, fields: FieldMap, items: string, item: string): ArLine[] {
  const block = fields[items];
  const given = block && typeof block === 'object' && !Array.isArray(block) ? linesOf(block[item]) : [];
  const total = text(fields, 'TOTALENTERED');
  const raw = given.length > 0 ? given : total === undefined ? [] : [{ AMOUNT: total }];
  if (raw.length === 0) throw businessError(`Give ${items}.${item} lines or TOTALENTERED.`);
  checkDimensions(ctx, raw, false);
  return raw.map((l, i) => {
    const amount = Number(l.TRX_AMOUNT ?? l.AMOUNT);
    if (!Number.isFinite(amount)) throw businessError(`Line ${i + 1}: AMOUNT must be a number.`);
    const s = (k: string) => (typeof l[k] === 'string' ? (l[k] as string) : undefined);
    return {
      accountNo: s('ACCOUNTNO') ?? '4000',
      amount,
      memo: s('MEMO'),
      locationId: s('LOCATIONID'),
      departmentId: s('DEPARTMENTID'),
      itemId: s('ITEMID'),
    };
  });
}

/**
 * The common part: customer, document date (default today), GL posting date (default the
 * document date; a closed period refuses it, as it does create_invoice's dateposted) and currency.
 */
function header(ctx: OpContext, fields: FieldMap) {
  const customer = requireCustomer(ctx, text(fields, 'CUSTOMERID'));
  const created = dateField(fields, 'WHENCREATED') ?? intacctDate(ctx.now);
  const posted = dateField(fields, 'WHENPOSTED') ?? created;
  checkOpenPeriod(ctx, posted, parseIntacctDate(posted));
  const currency = documentCurrency(ctx, {
    currency: text(fields, 'CURRENCY'),
    exchangeRate: text(fields, 'EXCHANGE_RATE'),
  });
  return { customer, created, posted, currency };
}

/**
 * An AR invoice entered in Accounts Receivable (MODULEKEY '4.AR'). Fields: CUSTOMERID (required),
 * WHENCREATED, WHENPOSTED and WHENDUE (`MM/DD/YYYY`; default today, WHENCREATED, WHENCREATED;
 * WHENPOSTED must be in an open period), TERMNAME, RECORDID,
 * DESCRIPTION, EXTERNALID, CURRENCY, EXCHANGE_RATE, and either ARINVOICEITEMS.ARINVOICEITEM lines
 * or a TOTALENTERED amount.
 */
export function userArInvoice(ctx: OpContext, fields: FieldMap): SimRecord {
  const { customer, created, posted, currency } = header(ctx, fields);
  return createArInvoice(ctx, {
    customer,
    whenCreated: created,
    whenPosted: posted,
    whenDue: dateField(fields, 'WHENDUE'),
    termName: text(fields, 'TERMNAME'),
    recordId: text(fields, 'RECORDID'),
    description: text(fields, 'DESCRIPTION'),
    externalId: text(fields, 'EXTERNALID'),
    currency,
    moduleKey: '4.AR',
    lines: userLines(ctx, fields, 'ARINVOICEITEMS', 'ARINVOICEITEM'),
  });
}

/**
 * An AR adjustment; a negative total makes a credit memo. Fields as {@link userArInvoice}
 * (without WHENDUE/TERMNAME), plus INVOICENO, with ARADJUSTMENTITEMS.ARADJUSTMENTITEM lines or a
 * TOTALENTERED amount.
 */
export function userArAdjustment(ctx: OpContext, fields: FieldMap): SimRecord {
  const { customer, created, posted, currency } = header(ctx, fields);
  return createArAdjustment(ctx, {
    customer,
    whenCreated: created,
    whenPosted: posted,
    recordId: text(fields, 'RECORDID'),
    description: text(fields, 'DESCRIPTION'),
    invoiceNo: text(fields, 'INVOICENO'),
    externalId: text(fields, 'EXTERNALID'),
    currency,
    lines: userLines(ctx, fields, 'ARADJUSTMENTITEMS', 'ARADJUSTMENTITEM'),
  });
}

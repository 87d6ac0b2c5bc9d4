/**
 * General ledger detail lines and revenue recognition schedules. Neither is written by the API in
 * the simulator except by posting schedule entries: GL lines are seeded (the simulator does not
 * post AR/AP transactions to the GL), schedules are seeded as Order Entry would generate them.
 * Posting an entry writes its two GL lines (credit revenue, debit deferred revenue; MODULEKEY
 * '8.SO', journal 'RRJ', book ACCRUAL), so both revenue sources agree; the journal symbol and
 * the deferred revenue account ('2100' unless given) are the simulator's choice.
 */
import type { OpContext } from './context.ts';
import { businessError } from './errors.ts';
import type { Handler } from './handler.ts';
import { checkOpenPeriod, findVisible, insert, money, touch } from './records.ts';
import { intacctDate, parseIntacctDate, type SimRecord } from './store.ts';
import { childText } from './xml.ts';

/** One GL detail line to put in. Amounts are debit positive, credit negative. */
export interface GlEntryInput {
  accountNo: string;
  /** Base-currency amount: positive = debit, negative = credit. */
  amount: number | string;
  /** Transaction-currency amount, same sign rule; default `amount`. */
  trxAmount?: number | string;
  /** `MM/DD/YYYY` or `YYYY-MM-DD`. */
  entryDate: string;
  /** Default `entryDate`. */
  batchDate?: string;
  /** Default 'ACCRUAL'. */
  bookId?: string;
  /** Default the entity's base currency. */
  currency?: string;
  customerId?: string;
  vendorId?: string;
  departmentId?: string;
  locationId?: string;
  itemId?: string;
  /** Default '2.GL'. */
  moduleKey?: string;
  /** Default { symbol: 'GJ', title: 'General Journal' }. */
  journal?: { symbol: string; title?: string };
  accountTitle?: string;
  batchTitle?: string;
  description?: string;
  docNumber?: string;
  recordType?: string;
  batchKey?: string;
  lineNo?: number;
}

function dateText(value: string, what: string): string {
  const ms = parseIntacctDate(value);
  if (!Number.isFinite(ms)) throw businessError(`${what} '${value}' is not a valid date.`, 'Use MM/DD/YYYY.');
  return intacctDate(ms);
}

const baseCurrency = (ctx: OpContext) =>
  ctx.store.entities.find((e) => e.id === ctx.entityId)?.baseCurrency ?? ctx.store.topLevel.baseCurrency;

/** Writes one GLDETAIL line (AMOUNT signed or not per the glAmountSign setting at write time). */
export function insertGlEntry(ctx: OpContext, input: GlEntryInput): SimRecord {
  const amount = Number(input.amount);
  const trx = Number(input.trxAmount ?? input.amount);
  if (!Number.isFinite(amount) || !Number.isFinite(trx))
    throw businessError(`GL amount '${String(input.amount)}' is not a number.`);
  const debit = amount >= 0;
  const signed = ctx.settings.glAmountSign !== 'unsigned';
  const shown = (n: number) => money(signed ? n : Math.abs(n));
  const entryDate = dateText(input.entryDate, 'entryDate');
  const base = baseCurrency(ctx);
  return insert(ctx, 'GLDETAIL', {
    ACCOUNTNO: input.accountNo,
    ACCOUNTTITLE: input.accountTitle ?? '',
    BOOKID: input.bookId ?? 'ACCRUAL',
    BATCHKEY: input.batchKey ?? '',
    BATCH_TITLE: input.batchTitle ?? input.description ?? '',
    BATCH_DATE: input.batchDate ? dateText(input.batchDate, 'batchDate') : entryDate,
    ENTRY_DATE: entryDate,
    ENTRY_STATE: 'Posted',
    LINE_NO: String(input.lineNo ?? 1),
    TR_TYPE: debit ? '1' : '-1',
    AMOUNT: shown(amount),
    DEBITAMOUNT: debit ? money(amount) : '0.00',
    CREDITAMOUNT: debit ? '0.00' : money(-amount),
    TRX_AMOUNT: shown(trx),
    TRX_DEBITAMOUNT: debit ? money(trx) : '0.00',
    TRX_CREDITAMOUNT: debit ? '0.00' : money(-trx),
    CURRENCY: input.currency ?? base,
    BASECURR: base,
    CUSTOMERID: input.customerId ?? '',
    VENDORID: input.vendorId ?? '',
    DEPARTMENTID: input.departmentId ?? '',
    LOCATIONID: input.locationId ?? '',
    ITEMID: input.itemId ?? '',
    MODULEKEY: input.moduleKey ?? '2.GL',
    RECORDTYPE: input.recordType ?? '',
    RECORDID: '',
    DOCNUMBER: input.docNumber ?? '',
    DESCRIPTION: input.description ?? '',
    ENTRYDESCRIPTION: input.description ?? '',
    JOURNAL: { SYMBOL: input.journal?.symbol ?? 'GJ', TITLE: input.journal?.title ?? 'General Journal' },
  });
}

/** A revenue recognition schedule to put in, with its entries (as OE generates them from a line). */
export interface RevRecScheduleInput {
  customerId: string;
  /** Revenue account of the entries; default '4000'. */
  accountNo?: string;
  /** Deferred revenue account posting debits; default '2100'. */
  deferredAccountNo?: string;
  docId?: string;
  docEntryKey?: string;
  invoiceNo?: string;
  templateId?: string;
  itemId?: string;
  departmentId?: string;
  locationId?: string;
  currency?: string;
  description?: string;
  /** Entries in order; `posted` ones are posted at once (GL lines written, no period check). */
  entries: Array<{ postingDate: string; amount: number | string; posted?: boolean; description?: string }>;
}

/** Creates a schedule and its entries; returns both. */
export function seedRevRecSchedule(
  ctx: OpContext,
  input: RevRecScheduleInput,
): { schedule: SimRecord; entries: SimRecord[] } {
  const customer = findVisible(ctx, 'CUSTOMER', { id: input.customerId });
  if (!customer) throw businessError(`Invalid Customer '${input.customerId}' specified.`);
  const schedule = insert(ctx, 'REVRECSCHEDULE', {
    REVRECTEMPLATEID: input.templateId ?? 'Straight line',
    RECMETHOD: 'Straight line',
    STATUS: 'Not Started',
    DOCENTRYKEY: input.docEntryKey ?? '',
    DOCID: input.docId ?? '',
    INVOICENO: input.invoiceNo ?? '',
    CUSTOMERID: input.customerId,
    DESCRIPTION: input.description ?? '',
  });
  const entries = input.entries.map((e) =>
    insert(ctx, 'REVRECSCHEDULEENTRY', {
      REVRECSCHEDULEKEY: String(schedule.recordNo),
      DOCENTRYKEY: input.docEntryKey ?? '',
      POSTINGDATE: dateText(e.postingDate, 'postingDate'),
      ACCOUNTNO: input.accountNo ?? '4000',
      DEFERREDREVACCOUNTNO: input.deferredAccountNo ?? '2100',
      AMOUNT: money(Number(e.amount)),
      TRX_AMOUNT: money(Number(e.amount)),
      POSTED: 'false',
      POSTED_AMOUNT: '0.00',
      ACTUALPOSTINGDATE: '',
      GLBATCHKEY: '',
      CURRENCY: input.currency ?? baseCurrency(ctx),
      BASECURR: baseCurrency(ctx),
      CUSTOMERID: input.customerId,
      CUSTOMERNAME: String(customer.fields.NAME ?? ''),
      ITEMID: input.itemId ?? '',
      DEPARTMENTID: input.departmentId ?? '',
      LOCATIONID: input.locationId ?? '',
      DESCRIPTION: e.description ?? '',
    }),
  );
  entries.forEach((entry, i) => {
    if (input.entries[i]?.posted) postRevRecEntry(ctx, entry, { checkPeriod: false });
  });
  return { schedule, entries };
}

function requireEntry(ctx: OpContext, recordNo: string | undefined): SimRecord {
  const entry = findVisible(ctx, 'REVRECSCHEDULEENTRY', { recordNo: recordNo ?? '' });
  if (!entry) throw businessError(`Revenue recognition schedule entry '${recordNo ?? ''}' does not exist.`);
  return entry;
}

/** The schedule's STATUS from its entries: none posted, some, or all. */
function updateScheduleStatus(ctx: OpContext, scheduleKey: string): void {
  const schedule = ctx.store.get('REVRECSCHEDULE', Number(scheduleKey));
  if (!schedule || ['On Hold', 'Terminated', 'Partially Terminated'].includes(String(schedule.fields.STATUS)))
    return;
  const entries = ctx.store
    .all('REVRECSCHEDULEENTRY')
    .filter((e) => e.fields.REVRECSCHEDULEKEY === scheduleKey);
  const posted = entries.filter((e) => e.fields.POSTED === 'true').length;
  schedule.fields.STATUS =
    posted === 0 ? 'Not Started' : posted === entries.length ? 'Completed' : 'In Progress';
  touch(ctx, schedule, false);
}

/**
 * Posts an entry on its POSTINGDATE (the `post_revrecscheduleentry` effect): POSTED 'true',
 * POSTED_AMOUNT, ACTUALPOSTINGDATE today, the two GL lines (GLBATCHKEY ties them to the entry),
 * WHENMODIFIED moved on the entry and its schedule. A closed period refuses it when checked.
 */
export function postRevRecEntry(ctx: OpContext, entry: SimRecord, opts: { checkPeriod: boolean }): SimRecord {
  if (entry.fields.POSTED === 'true')
    throw businessError(`Revenue recognition schedule entry ${entry.recordNo} is already posted.`);
  const date = String(entry.fields.POSTINGDATE);
  if (opts.checkPeriod) checkOpenPeriod(ctx, date, parseIntacctDate(date));
  const amount = Number(entry.fields.AMOUNT);
  const batchKey = String(ctx.store.nextRecordNo('GLBATCH'));
  const line = {
    entryDate: date,
    customerId: String(entry.fields.CUSTOMERID ?? ''),
    departmentId: String(entry.fields.DEPARTMENTID ?? ''),
    locationId: String(entry.fields.LOCATIONID ?? ''),
    itemId: String(entry.fields.ITEMID ?? ''),
    currency: String(entry.fields.CURRENCY ?? ''),
    moduleKey: '8.SO',
    journal: { symbol: 'RRJ', title: 'Revenue Recognition Journal' },
    description: `Revenue recognition entry ${entry.recordNo}`,
    recordType: 'revrec',
    batchKey,
  };
  insertGlEntry(ctx, { ...line, accountNo: String(entry.fields.ACCOUNTNO), amount: -amount, lineNo: 1 });
  insertGlEntry(ctx, { ...line, accountNo: String(entry.fields.DEFERREDREVACCOUNTNO), amount, lineNo: 2 });
  entry.fields.POSTED = 'true';
  entry.fields.POSTED_AMOUNT = money(amount);
  entry.fields.ACTUALPOSTINGDATE = intacctDate(ctx.now);
  entry.fields.GLBATCHKEY = batchKey;
  touch(ctx, entry, false);
  updateScheduleStatus(ctx, String(entry.fields.REVRECSCHEDULEKEY));
  return entry;
}

/** Unposts an entry: its GL lines go (the simulator removes them rather than reversing them). */
export function unpostRevRecEntry(ctx: OpContext, entry: SimRecord): SimRecord {
  if (entry.fields.POSTED !== 'true')
    throw businessError(`Revenue recognition schedule entry ${entry.recordNo} is not posted.`);
  const batchKey = String(entry.fields.GLBATCHKEY);
  for (const gl of ctx.store.all('GLDETAIL'))
    if (gl.fields.BATCHKEY === batchKey && gl.fields.RECORDTYPE === 'revrec')
      ctx.store.remove('GLDETAIL', gl.recordNo);
  entry.fields.POSTED = 'false';
  entry.fields.POSTED_AMOUNT = '0.00';
  entry.fields.ACTUALPOSTINGDATE = '';
  entry.fields.GLBATCHKEY = '';
  touch(ctx, entry, false);
  updateScheduleStatus(ctx, String(entry.fields.REVRECSCHEDULEKEY));
  return entry;
}

/** `post_revrecscheduleentry` / `unpost_revrecscheduleentry` (legacy, by `<recordno>`). */
export function revRecHandler(post: boolean): Handler {
  return (fn, ctx) => {
    const entry = requireEntry(ctx, childText(fn, 'recordno'));
    if (post) postRevRecEntry(ctx, entry, { checkPeriod: true });
    else unpostRevRecEntry(ctx, entry);
    return { transactions: 1 };
  };
}

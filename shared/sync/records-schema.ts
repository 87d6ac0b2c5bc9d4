/**
 * The `records` target of a projection (DESIGN §4): each Intacct record (an ARINVOICE, ARPYMT,
 * ARADJUSTMENT) becomes one read-only Salesforce record, upserted on an external-ID field whose
 * value is the record's stable key. Its lookups resolve through other flows' links; related
 * Intacct rows (the sales document an invoice came from, a payment's details) are read in bulk
 * per batch; roll-ups recompute parent fields (an Account's balance due) from the child records.
 */
import * as z from 'zod/v4';
import { iaField, sfField } from './schema-parts.ts';
import { TRANSFORM_NAMES } from './transforms.ts';

/** A value of the record, or of a related row (`RELATED.FIELD`, e.g. ORIGIN.CREATEDFROM). */
const sourceField = z
  .string()
  .regex(
    /^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)?$/,
    'use an Intacct field name, or NAME.FIELD for a field of a related read (e.g. ORIGIN.DOCID)',
  );

/** Rows of another Intacct object that belong to each record, read in one query per batch. */
const relatedRead = z.strictObject({
  /** How its fields are named in the rest of the target: `ORIGIN` → ORIGIN.DOCID. */
  name: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'use an upper-case name, e.g. ORIGIN'),
  object: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'use the Intacct object name, e.g. SODOCUMENT'),
  /** The related object's field that holds `on`'s value (SODOCUMENT.PRRECORDKEY = the invoice's RECORDNO). */
  match: iaField,
  /** The record's value to match (a field, or a field of an earlier related read). */
  on: sourceField.default('RECORDNO'),
  fields: z.array(iaField).min(1, 'name the fields to read'),
});

const fieldMap = z.strictObject({
  salesforce: sfField,
  intacct: sourceField,
  transform: z.enum(TRANSFORM_NAMES).default('text'),
});

/** A fixed value written on every record: a vendor Account's `Type` = `Vendor`, or its RecordTypeId. */
const constant = z.strictObject({
  salesforce: sfField,
  value: z.string().min(1, 'give the value to write'),
});

/**
 * One line of text about a related read's rows, e.g. a bill's lines: `2 lines: 6000 Office 120.00;
 * 6100 Travel 40.00`. Each row is its `fields` joined by spaces (empty ones left out), rows in the
 * order Intacct returns them (RECORDNO); cut to `maxLength` with a closing `…`.
 */
const summary = z.strictObject({
  salesforce: sfField,
  /** The related read whose rows are summarised (its `name`). */
  of: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'name a related read, e.g. LINES'),
  fields: z.array(iaField).min(1, 'name the fields of a row to show'),
  /** The Salesforce field's length. */
  maxLength: z.number().int().min(20).max(131_072).default(255),
});

/** A Salesforce lookup filled through another flow's links (CUSTOMERID → the Account's ID). */
const lookup = z.strictObject({
  salesforce: sfField,
  /** The flow whose links turn the value into a Salesforce ID. */
  via: z.string(),
  /** Candidates in order: the first whose value is linked by `via` wins (ORIGIN.CREATEDFROM, ORIGIN.DOCID). */
  intacct: z.array(sourceField).min(1),
  /**
   * `true`: a record whose value is not linked yet waits (retries) until it is, e.g. an invoice
   * until its customer's Account exists; `false`: the lookup stays empty.
   */
  required: z.boolean().default(false),
});

const rollupField = z.strictObject({
  /** The parent's field that receives the figure. */
  salesforce: sfField,
  aggregate: z.enum(['sum', 'max', 'min', 'count', 'latest']),
  /** The child field aggregated (`latest`: the value of the child written last). */
  of: sfField.optional(),
  /**
   * Only children whose date field lies before today less `days` (overdue invoices: Due_Date__c,
   * 0 days), and whose `of` is not zero.
   */
  overdue: z.strictObject({ field: sfField, days: z.number().int().min(0).default(0) }).optional(),
});

/** Figures on the parent records the children look up (an Account's open balance). */
const rollup = z.strictObject({
  /** The parent object, and the child lookup that names it. */
  parent: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'use the object API name, e.g. Account'),
  lookup: sfField,
  fields: z.array(rollupField).min(1, 'name at least one field to roll up'),
});

export const recordsTarget = z.strictObject({
  type: z.literal('records'),
  /** The Salesforce external-ID field the records are upserted on. */
  externalId: sfField,
  /**
   * The record's stable key, the external ID's value: the first candidate with a value, with its
   * prefix. An invoice made from a sales document keeps that document's key when Intacct replaces
   * it (an edited order gets a new invoice RECORDNO), so the Salesforce record stays one.
   */
  key: z
    .array(z.strictObject({ intacct: sourceField, prefix: z.string().max(8).default('') }))
    .min(1, 'name at least one key field'),
  related: z.array(relatedRead).default([]),
  /** The record's Name: the first of these with a value (the invoice number), else its key. */
  name: z.array(sourceField).default([]),
  fields: z.array(fieldMap).min(1, 'name at least one field to write'),
  lookups: z.array(lookup).default([]),
  constants: z.array(constant).default([]),
  summaries: z.array(summary).default([]),
  rollups: z.array(rollup).default([]),
});

export type RecordsTarget = z.infer<typeof recordsTarget>;

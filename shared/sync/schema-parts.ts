/**
 * The pieces every flow kind's schema is built from: field names on each side, the fields every
 * flow has, and the Intacct filter conditions.
 */
import * as z from 'zod/v4';

export const sfField = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/, 'use a Salesforce field API name');
export const iaField = z
  .string()
  .regex(
    /^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)*$/,
    'use an Intacct field name (dotted for nested, e.g. DISPLAYCONTACT.PHONE1)',
  );

/** What every kind of flow has. */
export const flowBase = {
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,40}$/, 'use lower-case letters, digits and dashes, starting with a letter'),
  salesforceObject: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'use the object API name, e.g. Account'),
  intacctObject: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'use the Intacct object name, e.g. CUSTOMER'),
  /** The flow's switch: a flow set to `false` is validated but not run (no polls, jobs, writes). */
  enabled: z.boolean().default(true),
};

/** Conditions an Intacct record must meet to sync (delta polls and full reads). */
export const intacctFilter = z
  .array(
    z.strictObject({
      field: iaField,
      /** `lessthan` / `greaterthan` compare numbers (credit memos: TOTALENTERED lessthan 0). */
      op: z.enum(['equalto', 'notequalto', 'isnull', 'isnotnull', 'in', 'lessthan', 'greaterthan']),
      value: z.string().optional(),
      /** For `in`: the values (e.g. the warehouses whose stock counts). */
      values: z.array(z.string()).min(1).optional(),
    }),
  )
  .default([]);

/**
 * A condition on a Salesforce record's field (dotted for a parent's, e.g. Account.BillingCountry),
 * as its canonical string ("true"/"false" for checkboxes): evaluated on the record in memory and
 * turned into SOQL for polls.
 */
export const salesforceCondition = z.strictObject({
  field: sfField,
  op: z.enum(['equals', 'notEquals', 'in']),
  value: z.string().optional(),
  values: z.array(z.string()).min(1).optional(),
});

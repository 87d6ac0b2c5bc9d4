/**
 * The per-flow part of the sync config: a union on `kind` (DESIGN §4). `mirror` (the default when
 * `kind` is left out): direction, field map with owners and transforms, match keys, ID write-back,
 * deletion and missing-target behaviour. `document`, `projection`, `alert` and `report` join the
 * union with the flows that use them; each shares `name` and the two objects. Field paths on the
 * Intacct side may be dotted for nested elements (DISPLAYCONTACT.MAILADDRESS.CITY).
 */
import * as z from 'zod/v4';
import { TRANSFORM_NAMES } from './transforms.ts';

const sfField = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/, 'use a Salesforce field API name');
const iaField = z
  .string()
  .regex(
    /^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)*$/,
    'use an Intacct field name (dotted for nested, e.g. DISPLAYCONTACT.PHONE1)',
  );

export const fieldMapSchema = z.strictObject({
  salesforce: sfField,
  intacct: iaField,
  /** Who may change the field: the other system never overwrites it. `latest`: newest change wins. */
  owner: z.enum(['salesforce', 'intacct', 'latest']).default('latest'),
  transform: z.enum(TRANSFORM_NAMES).default('text'),
});

/** What every kind of flow has. */
const flowBase = {
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,40}$/, 'use lower-case letters, digits and dashes, starting with a letter'),
  salesforceObject: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'use the object API name, e.g. Account'),
  intacctObject: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'use the Intacct object name, e.g. CUSTOMER'),
};

export const mirrorFlowSchema = z.strictObject({
  kind: z.literal('mirror'),
  ...flowBase,
  /** `both`, or one-way. One-way flows ignore changes from the other side. */
  direction: z.enum(['both', 'toIntacct', 'toSalesforce']).default('both'),
  /** The Intacct natural key (CUSTOMERID, CONTACTNAME …) and how a new record gets one. */
  intacctKey: z
    .object({
      field: iaField,
      /** Salesforce field the key is taken from on create; when empty, `prefix` + the Salesforce ID. */
      fromSalesforce: sfField.optional(),
      prefix: z.string().max(4).default('SF'),
      maxLength: z.number().int().min(8).max(100).default(20),
    })
    .optional(),
  /** Salesforce external-ID field that receives the Intacct key (written back after create/link). */
  salesforceKeyField: sfField.optional(),
  /** Looked up in the target before any create, in order; the first that matches exactly one record links it. */
  matchKeys: z.array(z.strictObject({ salesforce: sfField, intacct: iaField })).default([]),
  fields: z.array(fieldMapSchema).default([]),
  /** A Salesforce lookup to another flow's record (e.g. Contact.AccountId → its customer's key), Salesforce → Intacct. */
  parent: z
    .object({
      flow: z.string(),
      salesforceField: sfField,
      intacctField: iaField,
    })
    .optional(),
  /**
   * Conditions an Intacct record must meet to sync (delta polls), e.g. contacts with a last name,
   * which leaves out the display contacts Intacct keeps for every customer and vendor.
   */
  intacctFilter: z
    .array(
      z.strictObject({
        field: iaField,
        op: z.enum(['equalto', 'notequalto', 'isnull', 'isnotnull']),
        value: z.string().optional(),
      }),
    )
    .default([]),
  /** What a delete in Salesforce does in Intacct: make the record inactive, or nothing. */
  onSalesforceDelete: z.enum(['deactivate', 'ignore']).default('deactivate'),
  /**
   * A linked target that no longer exists (deleted in Intacct, purged from Salesforce's recycle
   * bin) is never silently re-created: `fail` records a failure naming both IDs and the fix,
   * `unlink` forgets the pair, `recreate` creates the target anew.
   */
  onTargetMissing: z.enum(['fail', 'unlink', 'recreate']).default('fail'),
  /** Optional SOQL condition limiting which Salesforce records sync (e.g. "Type = 'Customer'"). */
  salesforceFilter: z.string().max(500).optional(),
});

export const FLOW_KINDS = ['mirror'] as const;
const PLANNED_KINDS = ['document', 'projection', 'alert', 'report'];

/** A flow: `kind` picks the schema (and the engine's runner); without `kind`, a mirror. */
export const flowSchema = z.preprocess(
  (raw) =>
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !('kind' in raw)
      ? { kind: 'mirror', ...raw }
      : raw,
  z.discriminatedUnion('kind', [mirrorFlowSchema], {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `set "kind" to one of: ${FLOW_KINDS.join(', ')} (${PLANNED_KINDS.join(', ')} are not available yet)`
        : undefined,
  }),
);

export type FlowConfig = z.infer<typeof flowSchema>;
export type FieldMap = z.infer<typeof fieldMapSchema>;

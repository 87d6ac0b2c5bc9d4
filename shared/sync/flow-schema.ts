/**
 * The per-flow part of the sync config: a union on `kind` (DESIGN §4). `mirror` (the default when
 * `kind` is left out): direction, field map with owners and transforms, match keys, ID write-back,
 * deletion and missing-target behaviour. `document`, `projection`, `alert` and `report` join the
 * union with the flows that use them; each shares `name` and the two objects. Field paths on the
 * Intacct side may be dotted for nested elements (DISPLAYCONTACT.MAILADDRESS.CITY).
 */
import * as z from 'zod/v4';
import { alertFlowSchema } from './alert-schema.ts';
import { documentFlowSchema } from './document-schema.ts';
import { recordsTarget } from './records-schema.ts';
import { flowBase, iaField, intacctFilter, sfField } from './schema-parts.ts';
import { TRANSFORM_NAMES } from './transforms.ts';

export const fieldMapSchema = z.strictObject({
  salesforce: sfField,
  intacct: iaField,
  /** Who may change the field: the other system never overwrites it. `latest`: newest change wins. */
  owner: z.enum(['salesforce', 'intacct', 'latest']).default('latest'),
  transform: z.enum(TRANSFORM_NAMES).default('text'),
  /**
   * Value translation after the transform, Intacct value → Salesforce value (e.g. ITEMTYPE
   * "Inventory" → Family "Hardware"); the reverse applies towards Intacct. Unlisted values pass as they are.
   */
  values: z.record(z.string(), z.string()).optional(),
});

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
  intacctFilter,
  /** What a delete in Salesforce does in Intacct: make the record inactive, or nothing. */
  onSalesforceDelete: z.enum(['deactivate', 'ignore']).default('deactivate'),
  /**
   * What a delete in Intacct (seen in its audit trail, or as a linked record that is gone) does in
   * Salesforce: `fail` records a failure naming both records and keeps the pair; `deactivate`
   * clears the Salesforce field mapped from STATUS (transform activeFlag); `unlink` forgets the
   * pair; `ignore` does nothing. Salesforce records are never deleted by the sync.
   */
  onIntacctDelete: z.enum(['fail', 'deactivate', 'unlink', 'ignore']).default('fail'),
  /**
   * A linked target that no longer exists (deleted in Intacct, purged from Salesforce's recycle
   * bin) is never silently re-created: `fail` records a failure naming both IDs and the fix,
   * `unlink` forgets the pair, `recreate` creates the target anew.
   */
  onTargetMissing: z.enum(['fail', 'unlink', 'recreate']).default('fail'),
  /** Optional SOQL condition limiting which Salesforce records sync (e.g. "Type = 'Customer'"). */
  salesforceFilter: z.string().max(500).optional(),
  /**
   * Constant Intacct values a record created from Salesforce gets, for fields Salesforce has no
   * source for (an item's ITEMTYPE and GLGROUP). A mapped value wins over a default.
   */
  intacctDefaults: z.record(iaField, z.string()).default({}),
});

/** Quantities or other Intacct figures written onto the Salesforce record another flow links. */
const fieldsTarget = z.strictObject({
  type: z.literal('fields'),
  fields: z
    .array(
      z.strictObject({
        salesforce: sfField,
        intacct: iaField,
        transform: z.enum(TRANSFORM_NAMES).default('number'),
        /** Several source rows per record (one per warehouse): `sum` adds them up. */
        aggregate: z.enum(['sum', 'first']).default('first'),
        /** Fields subtracted from the value, summed the same way (available = on hand less held and reserved). */
        less: z.array(iaField).default([]),
      }),
    )
    .min(1, 'name at least one field to write'),
});

/** Price book entries: one per (product, price book, currency), the price from an Intacct field. */
const priceBookTarget = z.strictObject({
  type: z.literal('price-book-entries'),
  entries: z
    .array(
      z.strictObject({
        /** The price book's Name in Salesforce (the standard one is "Standard Price Book" unless renamed). */
        pricebook: z.string().min(1),
        /** The Intacct field holding the price (BASEPRICE, or a custom field per currency). */
        price: iaField.default('BASEPRICE'),
        /** ISO code, in a multi-currency org; left out, the entry has the org's single currency. */
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/, 'use a three-letter ISO 4217 code, e.g. EUR')
          .optional(),
      }),
    )
    .min(1, 'name at least one price book'),
  /** The Intacct field whose value says whether the entries are active (STATUS active/inactive). */
  activeField: iaField.default('STATUS'),
});

/**
 * The `projection` kind: Intacct records → read-only Salesforce data, resolved through another
 * flow's links (`via`). Intacct → Salesforce only; newest version wins.
 */
export const projectionFlowSchema = z
  .strictObject({
    kind: z.literal('projection'),
    ...flowBase,
    /** The Intacct field naming the record a source row belongs to (ITEMID): the job's record ID. */
    intacctKeyField: iaField,
    /**
     * The flow whose links turn that key into the Salesforce record (product-item: ITEMID →
     * Product2). A `records` target makes its own records and names its lookups' flows instead.
     */
    via: z.string().optional(),
    target: z.discriminatedUnion('type', [fieldsTarget, priceBookTarget, recordsTarget]),
    intacctFilter,
    /**
     * Which schedule polls the source, and how: `delta` reads rows changed since the watermark
     * (WHENMODIFIED); `full` reads every row each time (for figures such as stock quantities whose
     * changes may not move WHENMODIFIED), and unchanged records cost no write.
     */
    poll: z
      .strictObject({
        schedule: z.string().default('intacct-delta'),
        capture: z.enum(['delta', 'full']).default('delta'),
        /**
         * A daily schedule that re-checks what time alone changes (an invoice falling overdue):
         * the invoices whose due date crossed the threshold lately are re-read, their roll-ups
         * (or alert states) recomputed.
         */
        recheck: z.string().optional(),
        /**
         * Other objects whose changes change a record without moving its own WHENMODIFIED (a
         * payment applied to an invoice, reference §2.4): their rows changed in the same window
         * name the records to re-read (ARPYMTDETAIL.RECORDKEY → the invoice's RECORDNO).
         */
        also: z
          .array(
            z.strictObject({
              object: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'use the Intacct object name, e.g. ARPYMTDETAIL'),
              field: iaField,
            }),
          )
          .default([]),
      })
      .prefault({}),
  })
  .superRefine((flow, ctx) => {
    if (flow.target.type !== 'records' && flow.via === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['via'],
        message: 'name the mirror flow whose links give the Salesforce record (e.g. "product-item")',
      });
  });

export const FLOW_KINDS = ['mirror', 'projection', 'document', 'alert'] as const;

/** A flow: `kind` picks the schema (and the engine's runner); without `kind`, a mirror. */
export const flowSchema = z.preprocess(
  (raw) =>
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !('kind' in raw)
      ? { kind: 'mirror', ...raw }
      : raw,
  z.discriminatedUnion(
    'kind',
    [mirrorFlowSchema, projectionFlowSchema, documentFlowSchema, alertFlowSchema],
    {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? `set "kind" to one of: ${FLOW_KINDS.join(', ')} (a report goes in the "reports" section)`
          : undefined,
    },
  ),
);

export type FlowConfig = z.infer<typeof flowSchema>;
export type MirrorFlow = z.infer<typeof mirrorFlowSchema>;
export type ProjectionFlow = z.infer<typeof projectionFlowSchema>;
export type { AlertFlow } from './alert-schema.ts';
export type { DocumentFlow } from './document-schema.ts';
export type FieldMap = z.infer<typeof fieldMapSchema>;

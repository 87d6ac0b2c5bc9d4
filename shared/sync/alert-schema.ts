/**
 * The `alert` kind's config (DESIGN §4): conditions on an Intacct record (a customer on hold, over
 * its credit limit, with overdue invoices) decide a state, written to a Salesforce field of the
 * record another flow links (the Account); each transition into a bad state owes one Task for the
 * record's owner, exactly once.
 */
import * as z from 'zod/v4';
import { flowBase, iaField, sfField } from './schema-parts.ts';

const condition = z.discriminatedUnion('type', [
  /** A checkbox-like field is true (CUSTOMER ONHOLD). */
  z.strictObject({ type: z.literal('flag'), field: iaField }),
  /** A total above a limit, when the limit is set and positive (TOTALDUE over CREDITLIMIT). */
  z.strictObject({
    type: z.literal('over-limit'),
    total: iaField.default('TOTALDUE'),
    limit: iaField.default('CREDITLIMIT'),
  }),
  /** An open invoice of the record due more than `days` days ago (one batched read per batch). */
  z.strictObject({
    type: z.literal('overdue'),
    days: z.number().int().min(0).default(30),
    object: z.string().default('ARINVOICE'),
    /** The invoice's field naming the record (its CUSTOMERID). */
    keyField: iaField.default('CUSTOMERID'),
    dueField: iaField.default('WHENDUE'),
    amountField: iaField.default('TOTALDUE'),
  }),
]);

export const alertFlowSchema = z.strictObject({
  kind: z.literal('alert'),
  ...flowBase,
  /** The Intacct field naming the record (CUSTOMERID): the job's record ID. */
  intacctKeyField: iaField,
  /** The mirror flow whose links give the Salesforce record (account-customer: CUSTOMERID → Account). */
  via: z.string(),
  /** The Salesforce field that shows the state (a picklist with the states' names and `okState`). */
  statusField: sfField,
  /** The states, in order of precedence: the first whose condition holds is the record's state. */
  states: z
    .array(z.strictObject({ name: z.string().min(1).max(40), when: condition }))
    .min(1, 'name at least one state and its condition'),
  /** The state when no condition holds. */
  okState: z.string().min(1).max(40).default('OK'),
  /** The Task each transition into a bad state creates for the record's owner. */
  task: z
    .strictObject({
      priority: z.string().default('High'),
      /** A text field on Task (an Activity custom field) that carries the transition's key. */
      keyField: sfField.default('Intacct_Alert_Key__c'),
      /** Days from today to the Task's due date. */
      dueInDays: z.number().int().min(0).default(0),
      /** Shown before the state in the subject, e.g. "Credit status: On hold". */
      subject: z.string().max(120).default('Credit status'),
    })
    .prefault({}),
  /**
   * The first time a record is seen in a bad state (going live, a new customer): `task` owes a
   * Task as for a transition; `status-only` shows the state without one (no flood at go-live).
   */
  onFirstSight: z.enum(['task', 'status-only']).default('status-only'),
  poll: z
    .strictObject({
      schedule: z.string().default('intacct-delta'),
      /**
       * A daily schedule that finds customers whose invoices crossed the overdue threshold since
       * (time alone changes that state; nothing in Intacct moves).
       */
      recheck: z.string().optional(),
      /** Objects whose changes may change the state without moving the record's WHENMODIFIED. */
      also: z
        .array(
          z.strictObject({
            object: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'use the Intacct object name, e.g. ARINVOICE'),
            field: iaField,
          }),
        )
        .default([]),
    })
    .prefault({}),
});

export type AlertFlow = z.infer<typeof alertFlowSchema>;
export type AlertCondition = z.infer<typeof condition>;

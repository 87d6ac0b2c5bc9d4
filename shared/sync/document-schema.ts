/**
 * The `document` kind's config (DESIGN §4): one Salesforce record and its child lines → one Intacct
 * transaction, created once. The defaults describe a closed-won Opportunity with its
 * OpportunityLineItems becoming a Sales Order; an activated Order with OrderItems is the same
 * shape with other field names.
 */
import * as z from 'zod/v4';
import { flowBase, salesforceCondition, sfField } from './schema-parts.ts';

const dimensionNames = z.enum(['locationid', 'departmentid', 'classid', 'projectid']);
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'use a three-letter ISO 4217 code, e.g. GBP');

/** A line dimension: a constant, a field of the line or header, or the first matching rule. */
const dimension = z
  .strictObject({
    dimension: dimensionNames,
    /** The value when nothing else gives one. */
    constant: z.string().optional(),
    /** A line field (Product2.Family) or, prefixed `header.`, a field of the source record. */
    field: z.string().optional(),
    /** Ordered: the first whose conditions hold (on the header) gives the value. */
    rules: z
      .array(z.strictObject({ when: z.array(salesforceCondition).min(1), value: z.string() }))
      .default([]),
    /** Without a value the document is not written: a failure names the line and the dimension. */
    required: z.boolean().default(false),
  })
  .refine((d) => d.constant !== undefined || d.field !== undefined || d.rules.length > 0, {
    message: 'give the dimension a constant, a field or rules',
  });

export const documentFlowSchema = z.strictObject({
  kind: z.literal('document'),
  ...flowBase,
  /**
   * When a record is ready: every condition holds (default: the Opportunity is won). Teams that
   * bill on contract activation add e.g. Ready_For_Billing__c = true.
   */
  when: z
    .array(salesforceCondition)
    .min(1)
    .default([{ field: 'IsWon', op: 'equals', value: 'true' }]),
  /**
   * Where polls start when the flow has never polled: records changed from this instant on (ISO).
   * Left out, from the moment the flow goes live (less the overlap), so the first poll does not
   * bill every won deal in the org's history; older ones are billed only on purpose (sfi backfill).
   */
  startFrom: z.iso
    .datetime({ offset: true, message: 'write an ISO date-time, e.g. 2026-12-01T00:00:00Z' })
    .optional(),
  /** The Intacct function and transaction definition. */
  target: z
    .discriminatedUnion('function', [
      z.strictObject({
        function: z.literal('create_sotransaction'),
        transactionType: z.string().min(1).default('Sales Order'),
        /** Leave out to use the transaction definition's default state. */
        state: z.enum(['Draft', 'Pending', 'Closed']).optional(),
      }),
      z.strictObject({
        function: z.literal('create_invoice'),
        /** AR lines post to a GL account: the revenue account for every line. */
        glAccountNo: z.string().min(1),
        /** AR needs a due date or terms; the customer's terms apply when neither is mapped. */
        termName: z.string().optional(),
      }),
    ])
    .prefault({ function: 'create_sotransaction' }),
  /**
   * Where the Salesforce ID goes, so the document can always be found again: `externalid` (the
   * field made for it, addressable by update_sotransaction externalkey="true"; read as EXTERNALID)
   * or `referenceno` (read as PONUMBER [unverified]), for companies that use externalid otherwise.
   */
  reference: z.enum(['externalid', 'referenceno']).default('externalid'),
  /** The customer: the account through the account flow's links (synced first if it is not yet). */
  customer: z
    .strictObject({ via: z.string().default('account-customer'), field: sfField.default('AccountId') })
    .prefault({}),
  header: z
    .strictObject({
      /** The document date (CloseDate of an Opportunity, EffectiveDate of an Order). */
      date: sfField.default('CloseDate'),
      dueDate: sfField.optional(),
      /** Payment terms, when no due date is mapped (the customer's terms otherwise). */
      termName: z.string().optional(),
      message: sfField.optional(),
      customerPoNumber: sfField.optional(),
      /** The record's currency; left out (a single-currency org), the entity's base currency. */
      currency: sfField.optional(),
      /** Intacct exchange-rate type; left out, the company's default (Intacct Daily Rate). */
      exchangeRateType: z.string().optional(),
    })
    .prefault({}),
  lines: z
    .strictObject({
      /** The child relationship holding the lines. */
      relationship: z.string().default('OpportunityLineItems'),
      /** The product through the product flow's links; without a link, `codeField` = ITEMID. */
      item: z
        .strictObject({
          via: z.string().default('product-item'),
          field: sfField.default('Product2Id'),
          codeField: sfField.default('ProductCode'),
          nameField: sfField.default('Product2.Name'),
        })
        .prefault({}),
      quantity: sfField.default('Quantity'),
      price: sfField.default('UnitPrice'),
      /** A discount percentage; the price stays the list price and Intacct applies it. */
      discount: sfField.optional(),
      description: sfField.optional(),
      unit: z.string().optional(),
      dimensions: z.array(dimension).default([]),
      /**
       * A record without lines: `fail`, or one line of this item for the header's amount field.
       */
      whenEmpty: z
        .union([
          z.literal('fail'),
          z.strictObject({ item: z.string().min(1), amount: sfField.default('Amount') }),
        ])
        .default('fail'),
    })
    .prefault({}),
  /**
   * Entity routing: the first rule whose conditions hold names the entity (and optionally the
   * currency); else `default`. `entities` lists each entity's enabled currencies, checked before a
   * document is written. Leave all out in a single-entity company.
   */
  routing: z
    .strictObject({
      rules: z
        .array(
          z.strictObject({
            when: z.array(salesforceCondition).min(1),
            entity: z.string().min(1),
            currency: currencyCode.optional(),
          }),
        )
        .default([]),
      default: z.string().default(''),
      entities: z.record(z.string(), z.strictObject({ currencies: z.array(currencyCode).min(1) })).optional(),
    })
    .prefault({}),
  /** Salesforce fields that receive the document's ID, RECORDNO and state after creation. */
  writeBack: z
    .strictObject({
      documentId: sfField.default('Intacct_Document_Id__c'),
      recordNo: sfField.optional(),
      state: sfField.optional(),
    })
    .prefault({}),
  /**
   * A change after the document exists: `ignore`; `update` it (update_sotransaction) while Intacct
   * still lets it be edited, a failure once it is converted or posted; or `fail`.
   */
  afterCreate: z.enum(['ignore', 'update', 'fail']).default('ignore'),
});

export type DocumentFlow = z.infer<typeof documentFlowSchema>;
export type SalesforceCondition = z.infer<typeof salesforceCondition>;

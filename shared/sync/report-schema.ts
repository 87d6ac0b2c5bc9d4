/**
 * The `report` kind (DESIGN §4): a scheduled aggregate of both systems per key and period, written
 * to Salesforce records upserted by (key, period). Reports have no per-record jobs, triggers or
 * links of their own, so they live in the config's `reports` section rather than among the flows
 * the worker runs; they read the flows' links to pair their keys. The one report today is the
 * monthly revenue reconciliation: revenue recognised in Intacct next to closed-won bookings in
 * Salesforce, per customer and month, in the company's base currency.
 */
import * as z from 'zod/v4';
import { flowBase, iaField, sfField } from './schema-parts.ts';

/** Revenue recognised in Intacct: GL detail on the revenue accounts, or posted schedule entries. */
const recognised = z.discriminatedUnion('source', [
  z.strictObject({
    /** GLDETAIL lines on `accounts` in `book`, by BATCH_DATE: credits less debits (revenue is a credit). */
    source: z.literal('gl-detail'),
    accounts: z
      .array(z.string().regex(/^[A-Za-z0-9_.-]{1,24}$/, 'use a GL account number, e.g. 4000'))
      .min(1, 'name the revenue accounts, e.g. ["4000"]'),
    book: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/, 'use a book ID, e.g. ACCRUAL')
      .default('ACCRUAL'),
  }),
  z.strictObject({
    /** Posted REVRECSCHEDULEENTRY rows, by POSTINGDATE (their AMOUNT, base currency). */
    source: z.literal('revrec-entries'),
  }),
]);

/**
 * Bookings in Salesforce: a SOQL aggregate of won opportunities by account and close month. With
 * GROUP BY, Salesforce returns currency sums in the org's corporate currency (converted at the
 * org's rates, dated ones under advanced currency management), which must be `baseCurrency`.
 */
const bookings = z.strictObject({
  object: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'use the object API name')
    .default('Opportunity'),
  amount: sfField.default('Amount'),
  date: sfField.default('CloseDate'),
  account: sfField.default('AccountId'),
  /** A SOQL condition for what counts as booked. */
  where: z.string().min(1).max(500).default('IsWon = true'),
});

export const reportSchema = z.strictObject({
  kind: z.literal('report'),
  ...flowBase,
  salesforceObject: flowBase.salesforceObject.default('Revenue_Reconciliation__c'),
  intacctObject: iaField.default('GLDETAIL'),
  /** The schedule that runs it (monthly, after period end); `sfi run-schedule <it> --period` too. */
  schedule: z.string().default('revenue-reconciliation'),
  /** The mirror flow whose links pair Intacct customers with Salesforce accounts. */
  via: z.string().default('account-customer'),
  recognised,
  bookings: bookings.prefault({}),
  /** The Intacct company's base currency, written on every row. */
  baseCurrency: z.string().regex(/^[A-Z]{3}$/, 'use a three-letter ISO 4217 code, e.g. USD'),
  /** How many closed months a scheduled run covers, the last first (late postings land in them). */
  lookbackMonths: z.number().int().min(1).max(24).default(2),
});

export type ReportConfig = z.infer<typeof reportSchema>;

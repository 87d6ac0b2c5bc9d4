/**
 * The fields of a revenue reconciliation row (`Revenue_Reconciliation__c` in
 * salesforce/force-app), one per account or customer and month, plus a total per month.
 */
export const REPORT_FIELDS = {
  /** Unique external ID: `<period>:<CUSTOMERID>`, `<period>:SF-<AccountId>`, `<period>:TOTAL`. */
  key: 'Reconciliation_Key__c',
  period: 'Period__c',
  periodStart: 'Period_Start__c',
  account: 'Account__c',
  customer: 'Intacct_Customer_Id__c',
  booked: 'Booked__c',
  recognised: 'Recognised__c',
  variance: 'Variance__c',
  variancePercent: 'Variance_Percent__c',
  currency: 'Currency_Code__c',
  sources: 'Sources__c',
  total: 'Is_Total__c',
} as const;

export const REPORT_READ_FIELDS = Object.values(REPORT_FIELDS);

/** Fields holding money (compared to the cent) and the percentage (to a hundredth). */
export const DECIMAL_FIELDS: ReadonlySet<string> = new Set([
  REPORT_FIELDS.booked,
  REPORT_FIELDS.recognised,
  REPORT_FIELDS.variance,
  REPORT_FIELDS.variancePercent,
]);

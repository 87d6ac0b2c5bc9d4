/**
 * Failure classes (DESIGN §9): what kind of fix a failure wants, from its code. Unknown codes are
 * `unknown`; retryable ones that ran out of attempts keep the class of their cause.
 */
export const FAILURE_CLASSES = [
  'validation',
  'missing-reference',
  'duplicate',
  'closed-period',
  'auth-config',
  'rate-limit',
  'connection',
  'unknown',
] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

const BY_CODE: Record<string, FailureClass> = {
  // the data: fix the record at its source
  DOCUMENT_LINE_INVALID: 'validation',
  DOCUMENT_DATE_MISSING: 'validation',
  DOCUMENT_NO_LINES: 'validation',
  DOCUMENT_CUSTOMER_MISSING: 'validation',
  DIMENSION_MISSING: 'validation',
  CURRENCY_NOT_ENABLED: 'validation',
  ENTITY_UNKNOWN: 'validation',
  DOCUMENT_CHANGED: 'validation',
  DOCUMENT_NOT_EDITABLE: 'validation',
  DOCUMENT_FIELD_FIXED: 'validation',
  DOCUMENT_LINE_REMOVED: 'validation',
  DOCUMENT_SOURCE_WITHDRAWN: 'validation',
  INVALID_EMAIL_ADDRESS: 'validation',
  REQUIRED_FIELD_MISSING: 'validation',
  STRING_TOO_LONG: 'validation',
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 'validation',
  FIELD_CUSTOM_VALIDATION_EXCEPTION: 'validation',
  FIELD_INTEGRITY_EXCEPTION: 'validation',
  JOB_INVALID: 'validation',
  // something it points to is not there (yet)
  PARENT_NOT_SYNCED: 'missing-reference',
  ITEM_NOT_IN_INTACCT: 'missing-reference',
  ITEM_INACTIVE: 'missing-reference',
  CUSTOMER_NOT_IN_INTACCT: 'missing-reference',
  CUSTOMER_INACTIVE: 'missing-reference',
  CUSTOMER_NOT_IN_ENTITY: 'missing-reference',
  DOCUMENT_CUSTOMER_FAILED: 'missing-reference',
  DOCUMENT_GONE: 'missing-reference',
  PRICEBOOK_NOT_FOUND: 'missing-reference',
  TARGET_MISSING: 'missing-reference',
  INTACCT_DELETED: 'missing-reference',
  // two records where one is expected
  AMBIGUOUS_MATCH: 'duplicate',
  MATCH_ALREADY_LINKED: 'duplicate',
  DOCUMENT_DUPLICATED: 'duplicate',
  DUPLICATE_VALUE: 'duplicate',
  BL34000061: 'duplicate',
  // the books
  PERIOD_CLOSED: 'closed-period',
  BL03000095: 'closed-period',
  // credentials, permissions, config
  CONFIG_INVALID: 'auth-config',
  FLOW_UNKNOWN: 'auth-config',
  INVALID_SESSION_ID: 'auth-config',
  INSUFFICIENT_ACCESS: 'auth-config',
  INVALID_FIELD: 'auth-config',
  XL03000006: 'auth-config',
  // limits
  GW_0010: 'rate-limit',
  'GW-0010': 'rate-limit',
  REQUEST_LIMIT_EXCEEDED: 'rate-limit',
  REQUEST_LIMIT_EXCEEDED_CONCURRENT: 'rate-limit',
  // the network
  CONNECTION: 'connection',
  TIMEOUT: 'connection',
  ECONNREFUSED: 'connection',
  ECONNRESET: 'connection',
};

export function classify(code: string): FailureClass {
  const known = BY_CODE[code];
  if (known !== undefined) return known;
  if (/^(INTACCT|SALESFORCE)_?(CONNECTION|TIMEOUT)/.test(code)) return 'connection';
  if (/LIMIT/.test(code)) return 'rate-limit';
  if (/AUTH|LOGIN|SESSION|PERMISSION|ACCESS/.test(code)) return 'auth-config';
  return 'unknown';
}

import { SyncError } from '#shared/errors.ts';

/** One error inside a collection result, or the body of a top-level REST error. */
export type SalesforceErrorDetail = { statusCode: string; message: string; fields: string[] };

/** Codes that succeed on a later try: lock contention, platform trouble, concurrency limits. */
const TRANSIENT = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'UNKNOWN_EXCEPTION',
  'QUERY_TIMEOUT',
  'INVALID_SESSION_ID',
  'REQUEST_LIMIT_EXCEEDED_CONCURRENT',
  'INVALID_QUERY_LOCATOR',
  'NETWORK_ERROR',
  'TIMEOUT',
  // Unrecognised failures are treated as transient, like the project's isRetryable does.
  'UNKNOWN',
]);

const HINTS: Record<string, string> = {
  REQUEST_LIMIT_EXCEEDED_DAILY:
    'The org used its 24-hour API allocation; pause scheduled syncs, check /limits, or buy more API calls.',
  REQUEST_LIMIT_EXCEEDED_CONCURRENT: 'Too many long-running requests at once; lower worker concurrency.',
  INVALID_SESSION_ID:
    'The access token was rejected even after a refresh; check the connected app and the user.',
  AUTH_FAILED:
    'Check the Salesforce secret (client ID/secret, username, key/certificate) and the connected app policies.',
  INVALID_FIELD: 'A field in the sync config does not exist or is not visible to the integration user.',
  INVALID_TYPE: 'An object in the sync config does not exist or is not visible to the integration user.',
  MALFORMED_QUERY: 'A generated SOQL query was rejected; report it with the query text.',
  REQUIRED_FIELD_MISSING: 'Map the missing field or give it a default in the sync config.',
  DUPLICATE_VALUE: 'Another record already has this unique value; link the records or fix the source data.',
  STANDARD_PRICE_NOT_DEFINED: 'Create the product’s standard price book entry before the custom one.',
  FIELD_CUSTOM_VALIDATION_EXCEPTION:
    'A validation rule in Salesforce rejected the record; fix the data or the rule.',
};

/** True when a Salesforce error code is worth retrying with backoff. */
export function isTransientCode(code: string): boolean {
  return TRANSIENT.has(code) || /^ERROR_HTTP_(5\d\d|429|420)$/.test(code);
}

/**
 * An error from the Salesforce API: `code` is Salesforce's errorCode/statusCode (with
 * REQUEST_LIMIT_EXCEEDED split into `_DAILY` and `_CONCURRENT`), `retryable` from the code.
 */
export class SalesforceApiError extends SyncError {
  readonly fields: string[];

  constructor(
    code: string,
    message: string,
    options: { fields?: string[]; cause?: unknown; meta?: Record<string, unknown> } = {},
  ) {
    super(`Salesforce ${code}: ${message}`, {
      code,
      retryable: isTransientCode(code),
      ...(HINTS[code] ? { hint: HINTS[code] } : {}),
      cause: options.cause,
      meta: { ...options.meta, ...(options.fields?.length ? { fields: options.fields } : {}) },
    });
    this.fields = options.fields ?? [];
  }
}

/** Getting or refreshing an access token failed (bad credentials are not retryable; outages are). */
export class SalesforceAuthError extends SyncError {
  constructor(
    message: string,
    options: { retryable: boolean; code?: string; cause?: unknown; meta?: Record<string, unknown> },
  ) {
    super(message, {
      code: options.code ?? 'AUTH_FAILED',
      retryable: options.retryable,
      hint: HINTS.AUTH_FAILED,
      cause: options.cause,
      meta: options.meta ?? {},
    });
  }
}

/** Splits REQUEST_LIMIT_EXCEEDED by its message: the daily allocation vs concurrent long requests. */
export function refineCode(code: string, message: string): string {
  if (code !== 'REQUEST_LIMIT_EXCEEDED') return code;
  return /TotalRequests/i.test(message)
    ? 'REQUEST_LIMIT_EXCEEDED_DAILY'
    : 'REQUEST_LIMIT_EXCEEDED_CONCURRENT';
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
]);

/** Turns whatever jsforce threw into a typed error; our own errors pass through unchanged. */
export function toSalesforceError(error: unknown, meta: Record<string, unknown> = {}): SyncError {
  if (error instanceof SyncError) return error;
  const e = error as {
    errorCode?: unknown;
    name?: unknown;
    message?: unknown;
    code?: unknown;
    cause?: { code?: unknown };
    data?: unknown;
  };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const netCode =
    typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  if (netCode && NETWORK_CODES.has(netCode)) {
    return new SalesforceApiError('NETWORK_ERROR', message, { cause: error, meta: { ...meta, netCode } });
  }
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') {
    return new SalesforceApiError('TIMEOUT', message, { cause: error, meta });
  }
  if (typeof e?.errorCode === 'string') {
    const data = e.data as { fields?: unknown } | undefined;
    const fields = Array.isArray(data?.fields) ? data.fields.map(String) : [];
    return new SalesforceApiError(refineCode(e.errorCode, message), message.split('\n')[0] ?? message, {
      fields,
      cause: error,
      meta,
    });
  }
  if (/fetch failed|socket|network/i.test(message)) {
    return new SalesforceApiError('NETWORK_ERROR', message, { cause: error, meta });
  }
  return new SalesforceApiError('UNKNOWN', message, { cause: error, meta });
}

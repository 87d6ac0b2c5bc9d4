import {
  anyErrorMatches,
  IntacctAbortedError,
  IntacctAlreadyExecutedError,
  IntacctAuthenticationError,
  IntacctClosedPeriodError,
  IntacctDuplicateError,
  type IntacctError,
  type IntacctErrorDetail,
  IntacctFunctionError,
  IntacctRateLimitError,
  IntacctRequestError,
  IntacctServerError,
  IntacctSessionError,
  summarizeErrors,
} from './errors.ts';
import type { ParsedAuthentication, ParsedResult } from './response.ts';

const CODE_SHAPE = /^[A-Z]{2,}[A-Z0-9_-]*\d{3,}$/;

/** The errorno if it looks like a code (`BL34000061`, `GW-0010`), else a generic code: errorno can hold prose. */
export function errorCode(errors: readonly IntacctErrorDetail[], fallback: string): string {
  const first = errors.find((e) => CODE_SHAPE.test(e.errorNo) && e.errorNo !== 'BL01001973');
  return first?.errorNo ?? errors.find((e) => CODE_SHAPE.test(e.errorNo))?.errorNo ?? fallback;
}

const TRANSIENT_TEXT = /temporarily off-?line|rate limit exceeded|try again later/i;

/** Control-level failure (nothing ran): credentials, malformed request, rate limit, gateway errors. */
export function classifyControlFailure(
  errors: IntacctErrorDetail[],
  httpStatus: number,
  extra: { retryAfterMs?: number } = {},
): IntacctError {
  const message = `Intacct rejected the request: ${summarizeErrors(errors) || `HTTP ${httpStatus}`}`;
  const code = errorCode(errors, 'INTACCT_CONTROL');
  const base = { level: 'control' as const, errors, code, meta: { httpStatus, ...extra } };
  if (
    httpStatus === 429 ||
    errors.some((e) => e.errorNo === 'GW-0010') ||
    anyErrorMatches(errors, TRANSIENT_TEXT)
  ) {
    return new IntacctRateLimitError(message, { ...base, retryable: true, hint: 'back off and retry' });
  }
  if (
    httpStatus === 401 ||
    code === 'XL03000006' ||
    code === 'XMLGW_JPP0002' ||
    anyErrorMatches(errors, /partner id or password|sign-in information/i)
  ) {
    return new IntacctAuthenticationError(message, {
      ...base,
      retryable: false,
      hint: 'check the Web Services sender ID and password in the Intacct secret',
    });
  }
  if (httpStatus >= 500) return new IntacctServerError(message, { ...base, retryable: true });
  return new IntacctRequestError(message, {
    ...base,
    retryable: false,
    hint:
      code === 'XL03000003'
        ? 'the request XML is malformed or out of schema order; this is a client bug'
        : undefined,
  });
}

/** True for the auth failure that a fresh session fixes. */
export function isInvalidSession(auth: ParsedAuthentication): boolean {
  return anyErrorMatches(auth.errors, /invalid session|session (has )?expired|session .*not valid/i);
}

/** Authentication-level failure (no function ran). */
export function classifyAuthFailure(auth: ParsedAuthentication): IntacctError {
  const message = `Intacct authentication failed: ${summarizeErrors(auth.errors)}`;
  const base = {
    level: 'authentication' as const,
    errors: auth.errors,
    code: errorCode(auth.errors, 'INTACCT_AUTH'),
  };
  if (isInvalidSession(auth)) {
    return new IntacctSessionError(message, { ...base, retryable: true, hint: 'open a new API session' });
  }
  return new IntacctAuthenticationError(message, {
    ...base,
    retryable: false,
    hint: anyErrorMatches(auth.errors, /not authorized|web services authorization/i)
      ? 'authorize the sender ID in the company (Company > Security > Web Services authorizations)'
      : 'check the Intacct user ID, password, company ID and entity',
  });
}

/** A failed or aborted `<result>`; `written` are the rows a partial multi-record write did commit. */
export function classifyFunctionFailure(
  result: ParsedResult,
  written: Record<string, unknown>[] = [],
): IntacctError {
  const errors = result.errors;
  const summary = summarizeErrors(errors) || result.status;
  const message = `Intacct ${result.function || 'function'} ${result.controlId} ${result.status}: ${summary}`;
  const base = {
    level: 'function' as const,
    errors,
    written,
    meta: { function: result.function, controlId: result.controlId, status: result.status },
  };
  if (result.status === 'aborted') {
    return new IntacctAbortedError(message, { ...base, code: 'XL03000009', retryable: true });
  }
  const code = errorCode(errors, 'INTACCT_FUNCTION');
  if (
    anyErrorMatches(
      errors,
      /control ?id .*(already|previously|duplicate|unique)|already (been )?(executed|processed)/i,
    )
  ) {
    return new IntacctAlreadyExecutedError(message, {
      ...base,
      code: 'INTACCT_ALREADY_EXECUTED',
      retryable: false,
      hint: 'a function with this control ID already ran; re-read the record instead of retrying',
    });
  }
  if (code === 'BL34000061' || code === 'PL05000104' || anyErrorMatches(errors, /already exists/i)) {
    return new IntacctDuplicateError(message, {
      ...base,
      code,
      retryable: false,
      hint: 'look the record up by its ID',
    });
  }
  if (anyErrorMatches(errors, /period .*closed|closed period|must be on or after/i)) {
    return new IntacctClosedPeriodError(message, {
      ...base,
      code,
      retryable: false,
      hint: 'post into an open period or reopen the period in Intacct',
    });
  }
  return new IntacctFunctionError(message, {
    ...base,
    code,
    retryable: anyErrorMatches(errors, TRANSIENT_TEXT),
  });
}

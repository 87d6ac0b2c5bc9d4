import { SyncError } from '#shared/errors.ts';

/** One `<error>` of a gateway response, with the support ID pulled out of the message. */
export interface IntacctErrorDetail {
  /** A code like `BL34000061`, or (Intacct does this) the message itself. */
  errorNo: string;
  description?: string;
  description2?: string;
  correction?: string;
  /** The `[Support ID: …]` suffix, URL-decoded. */
  supportId?: string;
}

/** Which layer of the response reported the problem. */
export type IntacctErrorLevel = 'transport' | 'control' | 'authentication' | 'function';

interface IntacctErrorOptions {
  code: string;
  retryable: boolean;
  level: IntacctErrorLevel;
  errors?: IntacctErrorDetail[];
  hint?: string;
  cause?: unknown;
  meta?: Record<string, unknown>;
}

/** Base of every Intacct client error; `errors` holds the gateway's own error list when there was one. */
export class IntacctError extends SyncError {
  readonly level: IntacctErrorLevel;
  readonly errors: readonly IntacctErrorDetail[];

  constructor(message: string, options: IntacctErrorOptions) {
    super(message, {
      code: options.code,
      retryable: options.retryable,
      hint: options.hint,
      cause: options.cause,
      meta: { level: options.level, ...options.meta, errors: options.errors ?? [] },
    });
    this.level = options.level;
    this.errors = options.errors ?? [];
  }
}

/** The request never got a usable answer (socket error, DNS, reset). Retryable. */
export class IntacctConnectionError extends IntacctError {}
/** No answer within the client timeout. Retryable for reads; for writes see {@link IntacctUnknownOutcomeError}. */
export class IntacctTimeoutError extends IntacctError {}
/** HTTP 429 or `GW-0010`: the company's concurrency/rate limit was hit. Retryable with backoff. */
export class IntacctRateLimitError extends IntacctError {}
/** HTTP 5xx, or a body that is not XML (a CDN's HTML page). Retryable with backoff. */
export class IntacctServerError extends IntacctError {}
/**
 * A write may or may not have committed (HTTP 524, a timeout or a broken body after a write was
 * sent). Never retry blindly: re-read by the natural key first, then retry with the same control ID.
 */
export class IntacctUnknownOutcomeError extends IntacctError {}
/** Wrong sender ID/password, wrong user login, or a sender not authorized for the company. Permanent. */
export class IntacctAuthenticationError extends IntacctError {}
/** The session is unknown or expired; the client re-logs in once and replays before surfacing this. */
export class IntacctSessionError extends IntacctError {}
/** Control-level failure other than credentials: malformed request (`XL03000003`), demo expired, `GW-*`. */
export class IntacctRequestError extends IntacctError {}
/** A function failed; `errors` has Intacct's errorno/description2/correction. */
export class IntacctFunctionError extends IntacctError {
  /** Records a multi-record create/update did write before failing (partial success). */
  readonly written: readonly Record<string, unknown>[];
  constructor(message: string, options: IntacctErrorOptions & { written?: Record<string, unknown>[] }) {
    super(message, options);
    this.written = options.written ?? [];
  }
}
/** The record already exists (`BL34000061` or "already exists" text). */
export class IntacctDuplicateError extends IntacctFunctionError {}
/** Posting into a closed accounting period. */
export class IntacctClosedPeriodError extends IntacctFunctionError {}
/** The function's control ID was already executed (`uniqueid=true` replay protection). */
export class IntacctAlreadyExecutedError extends IntacctFunctionError {}
/** Rolled back because a sibling failed in a `transaction=true` operation (`XL03000009`). Retryable. */
export class IntacctAbortedError extends IntacctFunctionError {}

/** Decodes `%7E`-style escapes and pulls `[Support ID: x]` out of a message. */
export function decodeSupportId(text: string): { text: string; supportId?: string } {
  let decoded = text;
  try {
    decoded = text.includes('%') ? decodeURIComponent(text) : text;
  } catch {
    decoded = text;
  }
  const match = /\[Support ID:\s*([^\]]+)\]/i.exec(decoded);
  if (!match?.[1]) return { text: decoded };
  return { text: decoded.replace(match[0], '').trim(), supportId: match[1].trim() };
}

/** A readable one-line summary of Intacct's error list (tags stripped, empty parts skipped). */
export function summarizeErrors(errors: readonly IntacctErrorDetail[]): string {
  return errors
    .map((e) =>
      [e.errorNo, e.description, e.description2, e.correction]
        .filter((p): p is string => typeof p === 'string' && p.trim().length > 0)
        .map((p) => p.replace(/<[^>]*>/g, '').trim())
        .join(' '),
    )
    .join('; ');
}

/** True when the text of any error matches. `errorno` is searched too: it sometimes holds the message. */
export function anyErrorMatches(errors: readonly IntacctErrorDetail[], pattern: RegExp): boolean {
  return errors.some((e) =>
    [e.errorNo, e.description, e.description2, e.correction].some((p) => p && pattern.test(p)),
  );
}

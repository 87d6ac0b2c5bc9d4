/**
 * The one base error of the project. `code` is stable (tests and failure records key on it),
 * `retryable` decides what the queue does with the job (retry with backoff vs DLQ now), `hint`
 * says what an operator should do, and `meta` holds non-sensitive context (record IDs, status codes).
 */
export class SyncError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  readonly meta: Readonly<Record<string, unknown>>;

  constructor(
    message: string,
    options: {
      code: string;
      retryable: boolean;
      hint?: string;
      cause?: unknown;
      meta?: Record<string, unknown>;
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.retryable = options.retryable;
    this.hint = options.hint;
    this.meta = options.meta ?? {};
  }

  /** A plain object safe to log or store in a failure record (no stack, no secrets). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      hint: this.hint,
      meta: this.meta,
    };
  }
}

/** Input or configuration that can never succeed as given. */
export class ValidationError extends SyncError {
  constructor(
    message: string,
    options: { code?: string; hint?: string; meta?: Record<string, unknown> } = {},
  ) {
    super(message, { code: options.code ?? 'VALIDATION', retryable: false, ...options });
  }
}

/** True when an error (ours or not) should be retried; unknown errors are treated as transient. */
export function isRetryable(error: unknown): boolean {
  return error instanceof SyncError ? error.retryable : true;
}

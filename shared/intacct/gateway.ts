import { classifyControlFailure } from './classify.ts';
import type { IntacctCounters } from './counters.ts';
import {
  IntacctError,
  IntacctRateLimitError,
  IntacctServerError,
  IntacctTimeoutError,
  IntacctUnknownOutcomeError,
} from './errors.ts';
import type { ConcurrencyLimiter } from './limiter.ts';
import { type ParsedResponse, parseResponse } from './response.ts';
import { type FetchLike, type HttpReply, postXml } from './transport.ts';
import { looksLikeXml } from './xml.ts';

/** Everything one HTTP exchange with retries needs. */
export interface GatewayDeps {
  fetch: FetchLike;
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  limiter: ConcurrencyLimiter;
  counters: IntacctCounters;
  userAgent: string;
}

/** A request body and whether it carries writes (which decides what an unclear answer means). */
export interface ComposedRequest {
  xml: string;
  hasWrites: boolean;
}

/**
 * Sends one request body and returns a parsed response whose control block succeeded. Retries
 * connection errors, 5xx, HTML bodies and 429/GW-0010 with exponential backoff; when the request
 * carries writes, a 524, a timeout or a garbled 2xx body is an unknown outcome and is never retried.
 */
export async function sendRequest(
  deps: GatewayDeps,
  url: string,
  xml: string,
  options: { hasWrites: boolean },
): Promise<ParsedResponse> {
  const response = await sendComposed(deps, url, () => ({ xml, hasWrites: options.hasWrites }));
  if (response === undefined) throw new Error('unreachable: a fixed body is always sent');
  return response;
}

/**
 * {@link sendRequest} for a body composed only once a request slot is held: `compose` runs at
 * most once, inside the slot, and its body is what every retry re-sends. Answers undefined, having
 * sent nothing, when `compose` has nothing to send.
 */
export async function sendComposed(
  deps: GatewayDeps,
  url: string,
  compose: () => ComposedRequest | undefined,
): Promise<ParsedResponse | undefined> {
  let composed: ComposedRequest | undefined;
  let asked = false;
  let lastError: IntacctError | undefined;
  for (let attempt = 0; attempt <= deps.maxRetries; attempt++) {
    if (attempt > 0) {
      deps.counters.retries += 1;
      const backoff = Math.min(deps.retryMaxDelayMs, deps.retryBaseDelayMs * 2 ** (attempt - 1));
      await deps.sleep(backoff * (0.5 + deps.random() / 2));
    }
    const hasWrites = () => composed?.hasWrites === true;
    try {
      const reply = await deps.limiter.run(async () => {
        if (!asked) {
          asked = true;
          composed = compose();
        }
        if (composed === undefined) return undefined;
        deps.counters.httpRequests += 1;
        return postXml(deps.fetch, url, composed.xml, {
          timeoutMs: deps.timeoutMs,
          userAgent: deps.userAgent,
        });
      });
      if (reply === undefined) return undefined;
      const parsed = interpret(reply, hasWrites());
      deps.limiter.onSuccess();
      return parsed;
    } catch (error) {
      if (!(error instanceof IntacctError)) throw error;
      if (error instanceof IntacctTimeoutError && hasWrites()) throw unknownOutcome('timed out', error);
      if (error instanceof IntacctRateLimitError) {
        deps.counters.rateLimited += 1;
        deps.limiter.onRateLimited(error.meta.retryAfterMs as number | undefined);
      }
      if (!error.retryable || error instanceof IntacctUnknownOutcomeError) throw error;
      lastError = error;
    }
  }
  throw lastError ?? new Error('unreachable');
}

function unknownOutcome(what: string, cause?: unknown, status?: number): IntacctUnknownOutcomeError {
  return new IntacctUnknownOutcomeError(
    `Intacct ${what} after a write was sent; it may or may not have committed`,
    {
      code: 'INTACCT_UNKNOWN_OUTCOME',
      retryable: true,
      level: 'transport',
      cause,
      hint: 're-read the record by its natural key before retrying with the same control ID',
      meta: status === undefined ? {} : { httpStatus: status },
    },
  );
}

function interpret(reply: HttpReply, hasWrites: boolean): ParsedResponse {
  const { status } = reply;
  if (status === 524) {
    // the CDN cut the connection while the gateway kept processing
    if (hasWrites) throw unknownOutcome('answered HTTP 524', undefined, status);
    throw serverError(reply);
  }
  const isXml = looksLikeXml(reply.body);
  if (!isXml) {
    if (status >= 200 && status < 300 && hasWrites)
      throw unknownOutcome('returned a non-XML body', undefined, status);
    if (status === 429) throw classifyControlFailure([], 429, { retryAfterMs: reply.retryAfterMs });
    throw serverError(reply);
  }
  let parsed: ParsedResponse;
  try {
    parsed = parseResponse(reply.body);
  } catch (cause) {
    if (status < 300 && hasWrites) throw unknownOutcome('returned an unreadable body', cause, status);
    throw serverError(reply, cause);
  }
  if (parsed.control.status !== 'success' || status >= 400) {
    if (status >= 500 && parsed.controlErrors.length === 0) throw serverError(reply);
    throw classifyControlFailure(parsed.controlErrors, status, { retryAfterMs: reply.retryAfterMs });
  }
  return parsed;
}

function serverError(reply: HttpReply, cause?: unknown): IntacctServerError {
  const kind = looksLikeXml(reply.body) ? 'an error' : 'a non-XML body';
  return new IntacctServerError(`Intacct answered HTTP ${reply.status} with ${kind}`, {
    code: reply.status >= 500 ? `HTTP_${reply.status}` : 'INTACCT_BAD_RESPONSE',
    retryable: true,
    level: 'transport',
    cause,
    meta: { httpStatus: reply.status, bodyStart: reply.body.slice(0, 120) },
  });
}

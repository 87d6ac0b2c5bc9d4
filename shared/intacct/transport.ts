import { IntacctConnectionError, IntacctTimeoutError } from './errors.ts';

/** The subset of WHATWG `fetch` the client uses; inject a fake in tests. */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

/** What came back over HTTP, before any XML interpretation. */
export interface HttpReply {
  status: number;
  contentType: string;
  retryAfterMs?: number;
  body: string;
}

/** POSTs one request body the way the official SDKs do (application/xml, gzip accepted). */
export async function postXml(
  fetchImpl: FetchLike,
  url: string,
  body: string,
  options: { timeoutMs: number; userAgent: string },
): Promise<HttpReply> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const res = await fetchImpl(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/xml',
        'Accept-Encoding': 'gzip',
        'User-Agent': options.userAgent,
      },
      body,
      signal,
    });
    const text = await res.text();
    const retryAfter = Number(res.headers.get('retry-after'));
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      body: text,
    };
  } catch (cause) {
    if (signal.aborted) {
      throw new IntacctTimeoutError(`Intacct did not answer within ${options.timeoutMs} ms`, {
        code: 'INTACCT_TIMEOUT',
        retryable: true,
        level: 'transport',
        cause,
        meta: { timeoutMs: options.timeoutMs },
      });
    }
    throw new IntacctConnectionError(
      `could not reach Intacct: ${(cause as Error)?.message ?? String(cause)}`,
      {
        code: 'INTACCT_CONNECTION',
        retryable: true,
        level: 'transport',
        cause,
      },
    );
  }
}

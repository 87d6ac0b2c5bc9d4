/**
 * Checks the webhook makes before it reads a secret or parses a body: where the request comes
 * from and how big it is. Each returns the reason for a refusal, or undefined to go on.
 */
import { cidrMatcher } from '#shared/http/cidr.ts';
import type { HttpRequest } from '#shared/http/types.ts';

/**
 * Refuses an address outside `cidrs` (webhook.allowedSourceCidrs); with no list, every address
 * passes. The address is API Gateway's `requestContext.http.sourceIp`, which a client cannot set.
 */
export function sourceCheck(
  cidrs: readonly string[] | undefined,
): (request: HttpRequest) => string | undefined {
  if (cidrs === undefined || cidrs.length === 0) return () => undefined;
  const inside = cidrMatcher(cidrs);
  return (request) => {
    const address = request.sourceIp ?? '';
    return inside(address)
      ? undefined
      : `source address ${address || 'unknown'} is not in webhook.allowedSourceCidrs`;
  };
}

/**
 * Refuses a body over `maxBytes`, first by its declared content-length (nothing read), then by
 * its real size, so neither a large body nor a lying header reaches a parser.
 */
export function oversizeReason(request: HttpRequest, maxBytes: number): string | undefined {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > maxBytes)
    return `body exceeds ${maxBytes} bytes (content-length ${declared})`;
  // A string's length never exceeds its UTF-8 byte count: a long body is refused without counting.
  if (request.body.length > maxBytes || Buffer.byteLength(request.body, 'utf8') > maxBytes)
    return `body exceeds ${maxBytes} bytes`;
  return undefined;
}

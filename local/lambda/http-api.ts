/**
 * Local HTTP API (API Gateway v2): matches a request against the stack's routes and builds the
 * payload-format-2.0 event Lambda receives, including base64 bodies for non-text content types.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

export interface Route {
  method: string;
  path: string;
}

/** Finds the route and its path parameters, or undefined. */
export function matchRoute(routes: readonly Route[], method: string, path: string) {
  const parts = path.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((segment, i) => {
      const part = parts[i] ?? '';
      if (segment.startsWith('{') && segment.endsWith('}')) {
        params[segment.slice(1, -1)] = decodeURIComponent(part);
        return true;
      }
      return segment === part;
    });
    if (ok) return { route, params };
  }
  return undefined;
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|soap\+xml|x-www-form-urlencoded))/i;

/**
 * Reads a request body up to `limit` bytes; beyond it API Gateway answers 413, and so do we. The
 * excess is read and dropped so the connection stays usable for the client's next request.
 */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? 'too-large' : Buffer.concat(chunks);
}

/**
 * The client's address as API Gateway reports it: the TCP peer (a client cannot set it by header),
 * an IPv4 peer of a dual-stack socket written as plain IPv4 rather than `::ffff:a.b.c.d`.
 */
export function sourceIpOf(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export function toEvent(
  request: IncomingMessage,
  route: Route,
  params: Record<string, string>,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://local');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers))
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  const isText = TEXT_TYPES.test(headers['content-type'] ?? '');
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    pathParameters: Object.keys(params).length > 0 ? params : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: sourceIpOf(request),
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length === 0 ? undefined : isText ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/** Normalises a Lambda HTTP result (string or structured) into status, headers and body. */
export function fromResult(result: APIGatewayProxyResultV2) {
  if (typeof result === 'string')
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: result };
  const body = result.body ?? '';
  return {
    statusCode: result.statusCode ?? 200,
    headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
    body: result.isBase64Encoded ? Buffer.from(body, 'base64') : body,
  };
}

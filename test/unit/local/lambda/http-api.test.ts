import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '#infra/definitions.ts';
import { matchRoute, toEvent } from '#local/lambda/http-api.ts';

const request = (headers: Record<string, string>, url = '/salesforce/outbound-message/tok?x=1') =>
  ({
    url,
    method: 'POST',
    headers,
    httpVersion: '1.1',
    socket: { remoteAddress: '127.0.0.1' },
  }) as unknown as IncomingMessage;

describe('local HTTP API', () => {
  it('matches the stack routes and extracts path parameters', () => {
    expect(matchRoute(ROUTES, 'POST', '/salesforce/outbound-message/abc')?.params).toEqual({ token: 'abc' });
    expect(matchRoute(ROUTES, 'POST', '/salesforce/outbound-message')?.route.path).toBe(
      '/salesforce/outbound-message',
    );
    expect(matchRoute(ROUTES, 'GET', '/salesforce/outbound-message')).toBeUndefined();
    expect(matchRoute(ROUTES, 'POST', '/salesforce/outbound-message/a/b')).toBeUndefined();
  });

  it('builds a payload-format 2.0 event, base64-encoding non-text bodies as API Gateway does', () => {
    const match = matchRoute(ROUTES, 'POST', '/salesforce/outbound-message/tok');
    if (match === undefined) throw new Error('route not matched');
    const text = toEvent(
      request({ 'content-type': 'text/xml' }),
      match.route,
      match.params,
      Buffer.from('<x/>'),
    );
    expect(text).toMatchObject({
      version: '2.0',
      routeKey: 'POST /salesforce/outbound-message/{token}',
      rawPath: '/salesforce/outbound-message/tok',
      rawQueryString: 'x=1',
      pathParameters: { token: 'tok' },
      body: '<x/>',
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST' }, stage: '$default' },
    });
    const binary = toEvent(
      request({ 'content-type': 'application/octet-stream' }),
      match.route,
      match.params,
      Buffer.from('<x/>'),
    );
    expect(binary.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.body ?? '', 'base64').toString()).toBe('<x/>');
  });
});

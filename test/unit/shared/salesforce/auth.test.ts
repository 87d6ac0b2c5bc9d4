import { generateKeyPairSync, verify } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { parseSalesforceConfig } from '#shared/salesforce/config.ts';
import { SalesforceAuthError } from '#shared/salesforce/errors.ts';
import { jwtAudience, signJwtAssertion } from '#shared/salesforce/jwt.ts';
import { cachedToken, clearTokenCache, fetchToken } from '#shared/salesforce/token.ts';

afterEach(() => clearTokenCache());

const base = { loginUrl: 'https://acme.my.salesforce.com/', clientId: 'cid', clientSecret: 'sec' };

describe('Salesforce config', () => {
  test('defaults the API version to 62.0 and strips a trailing slash', () => {
    const c = parseSalesforceConfig({ ...base, authFlow: 'client_credentials' });
    expect(c).toMatchObject({ apiVersion: '62.0', loginUrl: 'https://acme.my.salesforce.com' });
  });

  test('names what each flow is missing without echoing secrets', () => {
    expect(() =>
      parseSalesforceConfig({ loginUrl: 'https://x.test', clientId: 'c', authFlow: 'jwt' }),
    ).toThrow(/username.*privateKey/s);
    expect(() => parseSalesforceConfig({ ...base, authFlow: 'password' })).toThrow(/username/);
  });
});

describe('JWT bearer assertion', () => {
  test('is RS256-signed with iss, sub, aud and a short exp', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const jwt = signJwtAssertion(
      { clientId: 'cid', username: 'u@x', audience: 'https://login.salesforce.com' },
      pem,
      1_000_000,
    );
    const [h = '', p = '', s = ''] = jwt.split('.');
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    expect(claims).toMatchObject({ iss: 'cid', sub: 'u@x', aud: 'https://login.salesforce.com' });
    expect(claims.exp - 1000).toBeLessThanOrEqual(180);
    expect(verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))).toBe(true);
  });

  test('audience follows the login host', () => {
    expect(jwtAudience('https://acme.my.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtAudience('https://test.salesforce.com')).toBe('https://test.salesforce.com');
    expect(jwtAudience('http://127.0.0.1:4010')).toBe('http://127.0.0.1:4010');
  });
});

describe('token endpoint', () => {
  test('sends client credentials in the body and caches the token per login identity', async () => {
    const config = parseSalesforceConfig({ ...base, authFlow: 'client_credentials' });
    const bodies: string[] = [];
    const fake = (async (_url: string, init: RequestInit) => {
      bodies.push(String(init.body));
      return new Response(
        JSON.stringify({
          access_token: 'tok',
          instance_url: 'https://acme.my.salesforce.com',
          id: 'https://l/id/00D/005',
          issued_at: '1',
        }),
        { status: 200, headers: { 'Content-Type': 'application/json' } },
      );
    }) as unknown as typeof fetch;
    const token = await fetchToken(config, { fetch: fake });
    expect(token).toMatchObject({ accessToken: 'tok', orgId: '00D', userId: '005' });
    expect(bodies[0]).toContain('grant_type=client_credentials');
    expect(bodies[0]).toContain('client_secret=sec');
    expect(cachedToken(config)?.accessToken).toBe('tok');
  });

  test('invalid_grant is a non-retryable auth error; a 503 is retryable', async () => {
    const config = parseSalesforceConfig({ ...base, authFlow: 'client_credentials' });
    const reply = (status: number, body: string) =>
      (async () => new Response(body, { status })) as unknown as typeof fetch;
    const bad = await fetchToken(config, {
      fetch: reply(400, '{"error":"invalid_grant","error_description":"authentication failure"}'),
    }).catch((e) => e);
    expect(bad).toBeInstanceOf(SalesforceAuthError);
    expect(bad).toMatchObject({ retryable: false });
    const down = await fetchToken(config, { fetch: reply(503, '<html>down</html>') }).catch((e) => e);
    expect(down).toMatchObject({ retryable: true });
  });
});

import { createPrivateKey, sign } from 'node:crypto';

/** Claims of a Salesforce JWT bearer assertion. */
export type JwtBearerClaims = {
  clientId: string;
  username: string;
  audience: string;
  lifetimeSeconds?: number;
};

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * The `aud` Salesforce expects: login.salesforce.com or test.salesforce.com for those hosts,
 * otherwise the login URL itself (My Domain, or the local simulator).
 */
export function jwtAudience(loginUrl: string): string {
  const host = new URL(loginUrl).host;
  if (host === 'test.salesforce.com' || host.endsWith('.sandbox.my.salesforce.com'))
    return 'https://test.salesforce.com';
  if (host.endsWith('salesforce.com')) return 'https://login.salesforce.com';
  return loginUrl;
}

/**
 * Builds and signs (RS256) a JWT bearer assertion: `iss` = consumer key, `sub` = username,
 * `aud` = login host, `exp` a few minutes ahead (Salesforce allows at most 3 minutes of validity).
 */
export function signJwtAssertion(claims: JwtBearerClaims, privateKeyPem: string, nowMs = Date.now()): string {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = b64url(
    JSON.stringify({
      iss: claims.clientId,
      sub: claims.username,
      aud: claims.audience,
      exp: Math.floor(nowMs / 1000) + (claims.lifetimeSeconds ?? 170),
    }),
  );
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), createPrivateKey(privateKeyPem));
  return `${header}.${payload}.${b64url(signature)}`;
}

import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** Claims the simulator checks on a JWT bearer assertion. */
export type JwtClaims = { iss?: unknown; sub?: unknown; aud?: unknown; exp?: unknown };

/** Reads a PEM public key or X.509 certificate (the "certificate uploaded to the connected app"). */
export function loadVerificationKey(pem: string): KeyObject {
  return createPublicKey(pem);
}

/**
 * Verifies an RS256 JWT's signature and returns its claims; undefined when the token is malformed,
 * not RS256, or not signed by the key.
 */
export function verifyRs256(assertion: string, key: KeyObject): JwtClaims | undefined {
  const parts = assertion.split('.');
  if (parts.length !== 3) return undefined;
  const [head = '', body = '', sig = ''] = parts;
  try {
    const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: unknown };
    if (header.alg !== 'RS256') return undefined;
    const ok = verify('RSA-SHA256', Buffer.from(`${head}.${body}`), key, Buffer.from(sig, 'base64url'));
    if (!ok) return undefined;
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as JwtClaims;
  } catch {
    return undefined;
  }
}

import type { SalesforceConfig } from './config.ts';
import { SalesforceAuthError } from './errors.ts';
import { jwtAudience, signJwtAssertion } from './jwt.ts';

/** An access token and where to use it. */
export type SalesforceToken = {
  accessToken: string;
  instanceUrl: string;
  issuedAt: number;
  userId?: string;
  orgId?: string;
};

type FetchLike = typeof fetch;

/** Tokens survive across warm Lambda invocations: module scope, keyed by who logs in where. */
const cache = new Map<string, SalesforceToken>();

/** Cache key: the login identity (never the secret itself). */
export function tokenCacheKey(config: SalesforceConfig): string {
  return JSON.stringify([config.loginUrl, config.authFlow, config.clientId, config.username ?? '']);
}

export function cachedToken(config: SalesforceConfig): SalesforceToken | undefined {
  return cache.get(tokenCacheKey(config));
}

/** Forgets a token (after Salesforce rejected it), so the next call fetches a new one. */
export function forgetToken(config: SalesforceConfig): void {
  cache.delete(tokenCacheKey(config));
}

/** Clears every cached token (tests, credential rotation). */
export function clearTokenCache(): void {
  cache.clear();
}

function grantBody(config: SalesforceConfig, now: number): URLSearchParams {
  const body = new URLSearchParams();
  switch (config.authFlow) {
    case 'jwt':
      body.set('grant_type', 'urn:ietf:params:oauth:grant-type:jwt-bearer');
      body.set(
        'assertion',
        signJwtAssertion(
          {
            clientId: config.clientId,
            username: config.username ?? '',
            audience: config.audience ?? jwtAudience(config.loginUrl),
          },
          config.privateKey ?? '',
          now,
        ),
      );
      break;
    case 'client_credentials':
      body.set('grant_type', 'client_credentials');
      body.set('client_id', config.clientId);
      body.set('client_secret', config.clientSecret ?? '');
      break;
    case 'password':
      body.set('grant_type', 'password');
      body.set('client_id', config.clientId);
      body.set('client_secret', config.clientSecret ?? '');
      body.set('username', config.username ?? '');
      body.set('password', config.password ?? '');
      break;
  }
  return body;
}

/**
 * Asks the token endpoint for a new access token with the configured flow and caches it.
 * Rejected credentials are a non-retryable {@link SalesforceAuthError}; outages are retryable.
 */
export async function fetchToken(
  config: SalesforceConfig,
  options: { fetch?: FetchLike; now?: () => number; timeoutMs?: number } = {},
): Promise<SalesforceToken> {
  const doFetch = options.fetch ?? fetch;
  const now = options.now?.() ?? Date.now();
  let res: Response;
  try {
    res = await doFetch(`${config.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: grantBody(config, now),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (cause) {
    throw new SalesforceAuthError('Salesforce token endpoint unreachable', {
      retryable: true,
      code: 'AUTH_UNREACHABLE',
      cause,
    });
  }
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Non-JSON (an HTML error page): handled below by the status check.
  }
  if (!res.ok || typeof body.access_token !== 'string' || typeof body.instance_url !== 'string') {
    const error = typeof body.error === 'string' ? body.error : `HTTP_${res.status}`;
    const description =
      typeof body.error_description === 'string' ? body.error_description : 'no description';
    throw new SalesforceAuthError(`Salesforce login (${config.authFlow}) failed: ${error}: ${description}`, {
      retryable: res.status >= 500 || res.status === 429,
      meta: { status: res.status, error, flow: config.authFlow },
    });
  }
  const idParts = typeof body.id === 'string' ? body.id.split('/') : [];
  const token: SalesforceToken = {
    accessToken: body.access_token,
    instanceUrl: body.instance_url.replace(/\/+$/, ''),
    issuedAt: Number(body.issued_at ?? now),
    ...(idParts.length >= 2 ? { orgId: idParts.at(-2), userId: idParts.at(-1) } : {}),
  };
  cache.set(tokenCacheKey(config), token);
  return token;
}

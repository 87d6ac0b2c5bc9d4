import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyRs256 } from '../auth/jwt-verify.ts';
import type { SimContext } from '../context.ts';
import { readBody, sendJson } from '../http.ts';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const JWT_AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];

type OAuthFailure = { status: number; error: string; description: string };

const fail = (error: string, description: string, status = 400): OAuthFailure => ({
  status,
  error,
  description,
});

function tokenResponse(ctx: SimContext, userId: string, clientId: string, refreshToken?: string) {
  const { token } = ctx.tokens.issue(userId, clientId);
  const id = `${ctx.loginUrl()}/id/${ctx.org.orgId}/${userId}`;
  const issuedAt = String(ctx.now());
  return {
    access_token: token,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    signature: createHmac('sha256', ctx.org.clientSecret)
      .update(id + issuedAt)
      .digest('base64'),
    scope: 'api',
    instance_url: ctx.instanceUrl(),
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}

/** Client credentials may come in the body (jsforce) or as HTTP Basic auth (other clients). */
function clientOf(req: IncomingMessage, form: URLSearchParams): { id: string | null; secret: string | null } {
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
  if (basic?.[1]) {
    const [id = '', secret = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
  }
  return { id: form.get('client_id'), secret: form.get('client_secret') };
}

function grant(ctx: SimContext, req: IncomingMessage, form: URLSearchParams): object | OAuthFailure {
  const org = ctx.org;
  const client = clientOf(req, form);
  const grantType = form.get('grant_type');
  if (client.id !== null && client.id !== org.clientId)
    return fail('invalid_client_id', 'client identifier invalid');
  const secretOk = client.secret === org.clientSecret;
  switch (grantType) {
    case 'password': {
      if (client.id === null || !secretOk) return fail('invalid_client', 'invalid client credentials');
      const password = form.get('password') ?? '';
      const passwordOk = password === org.password || password === org.password + org.securityToken;
      if (form.get('username') !== org.username || !passwordOk)
        return fail('invalid_grant', 'authentication failure');
      return tokenResponse(ctx, org.userId, org.clientId);
    }
    case 'client_credentials':
      if (client.id === null || !secretOk) return fail('invalid_client', 'invalid client credentials');
      return tokenResponse(ctx, org.userId, org.clientId);
    case JWT_GRANT: {
      const claims = verifyRs256(form.get('assertion') ?? '', org.jwtKey);
      if (!claims) return fail('invalid_grant', 'invalid assertion');
      if (claims.iss !== org.clientId) return fail('invalid_client_id', 'client identifier invalid');
      if (claims.sub !== org.username) return fail('invalid_grant', "user hasn't approved this consumer");
      const auds = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!auds.some((a) => a === ctx.loginUrl() || JWT_AUDIENCES.includes(String(a)))) {
        return fail('invalid_grant', 'audience is invalid');
      }
      if (typeof claims.exp !== 'number' || claims.exp * 1000 <= ctx.now())
        return fail('invalid_grant', 'expired authorization code');
      return tokenResponse(ctx, org.userId, org.clientId);
    }
    case 'refresh_token': {
      const session = ctx.tokens.refreshSession(form.get('refresh_token') ?? '');
      if (!session) return fail('invalid_grant', 'expired access/refresh token');
      if (client.id !== null && client.id !== session.clientId)
        return fail('invalid_client_id', 'client identifier invalid');
      return tokenResponse(ctx, session.userId, session.clientId);
    }
    default:
      return fail('unsupported_grant_type', 'grant type not supported');
  }
}

/** `POST /services/oauth2/token` and `/revoke`. */
export async function handleOAuth(ctx: SimContext, req: IncomingMessage, res: ServerResponse, path: string) {
  const form = new URLSearchParams(await readBody(req));
  if (path.endsWith('/revoke')) {
    const token = form.get('token');
    if (token) ctx.tokens.revoke(token);
    res.writeHead(200).end();
    return;
  }
  const result = grant(ctx, req, form);
  if ('error' in result && 'description' in result) {
    sendJson(res, result.status, { error: result.error, error_description: result.description });
  } else {
    sendJson(res, 200, result);
  }
}

/** `GET /id/{org}/{user}`: the identity URL on the login host (token in query or header). */
export function handleIdentity(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL) {
  const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const session = ctx.tokens.check(url.searchParams.get('oauth_token') ?? bearer);
  if (!session) {
    res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Bad_OAuth_Token');
    return;
  }
  const user = ctx.store.get('User', session.userId);
  const base = `${ctx.instanceUrl()}/services/data/v{version}`;
  sendJson(res, 200, {
    id: `${ctx.loginUrl()}/id/${ctx.org.orgId}/${session.userId}`,
    asserted_user: true,
    user_id: session.userId,
    organization_id: ctx.org.orgId,
    username: user?.Username ?? ctx.org.username,
    nick_name: 'integration',
    display_name: user?.Name ?? 'Integration User',
    email: user?.Email ?? 'integration@example.com',
    active: true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    urls: {
      rest: `${base}/`,
      sobjects: `${base}/sobjects/`,
      query: `${base}/query/`,
      limits: `${base}/limits/`,
      profile: `${ctx.instanceUrl()}/${session.userId}`,
    },
    is_app_installed: true,
  });
}

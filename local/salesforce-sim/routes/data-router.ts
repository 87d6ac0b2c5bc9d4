import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../api-error.ts';
import { limitHeader, type SimContext } from '../context.ts';
import { parseJsonBody, readBody, sendApiError, sendHtml, sendJson } from '../http.ts';
import { COLLECTION_ROUTES } from './collections.ts';
import { batchSizeOf, type QueryCursors } from './query.ts';
import type { Route } from './route-types.ts';
import { SOBJECT_ROUTES } from './sobjects.ts';

/** URI length above which Salesforce answers 414. */
const MAX_URI = 16_384;
const SUPPORTED = ['58.0', '59.0', '60.0', '61.0', '62.0', '63.0', '64.0', '65.0'];

const QUERY_ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/(query|queryAll)\/?$/,
    name: 'query',
    handle: (c) => ({
      status: 200,
      body: c.cursors.run(
        c.ctx,
        c.version,
        c.url.searchParams.get('q'),
        c.params[0] === 'queryAll',
        batchSizeOf(c.req),
      ),
    }),
  },
  {
    method: 'GET',
    pattern: /^\/(?:query|queryAll)\/([\w-]+)\/?$/,
    name: 'queryMore',
    handle: (c) => ({ status: 200, body: c.cursors.more(c.version, c.params[0] ?? '', batchSizeOf(c.req)) }),
  },
  {
    method: 'GET',
    pattern: /^\/limits\/?$/,
    name: 'limits',
    handle: (c) => ({
      status: 200,
      body: {
        DailyApiRequests: {
          Max: c.ctx.usage.max,
          Remaining: Math.max(0, c.ctx.usage.max - c.ctx.usage.used),
        },
        DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
        DataStorageMB: { Max: 5, Remaining: 5 },
        SingleEmail: { Max: 15, Remaining: 15 },
      },
    }),
  },
  {
    method: 'GET',
    pattern: /^\/?$/,
    name: 'resources',
    handle: (c) => {
      const base = `/services/data/v${c.version}`;
      const names = ['sobjects', 'query', 'queryAll', 'limits', 'composite', 'search', 'tooling'];
      return {
        status: 200,
        body: {
          ...Object.fromEntries(names.map((n) => [n, `${base}/${n}`])),
          identity: `${c.ctx.loginUrl()}/id/${c.ctx.org.orgId}/${c.userId}`,
        },
      };
    },
  },
];

const ROUTES: Route[] = [...QUERY_ROUTES, ...SOBJECT_ROUTES, ...COLLECTION_ROUTES];

/** Fault checks that happen before routing, in the order Salesforce would hit them. */
function gate(ctx: SimContext): ApiError | 'html' | undefined {
  if (ctx.usage.used >= ctx.usage.max) {
    return new ApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
  }
  if (ctx.faults.concurrentLimitNext > 0) {
    ctx.faults.concurrentLimitNext--;
    return new ApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.');
  }
  if (ctx.faults.errorRate > 0 && ctx.faults.random() < ctx.faults.errorRate) {
    return new ApiError(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable');
  }
  const f = ctx.faults.failNext;
  if (f.count > 0) {
    f.count--;
    if (f.html) return 'html';
    return f.status === 503
      ? new ApiError(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable')
      : new ApiError(
          f.status,
          'UNKNOWN_EXCEPTION',
          'An unexpected error occurred. Please include this ErrorId if you contact support',
        );
  }
  return undefined;
}

/** Everything under `/services/data`: versions, auth, limits, faults, then the route. */
export async function handleData(
  ctx: SimContext,
  cursors: QueryCursors,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const rest = url.pathname.slice('/services/data'.length);
  if (rest === '' || rest === '/') {
    sendJson(
      res,
      200,
      SUPPORTED.map((v) => ({ label: `v${v}`, url: `/services/data/v${v}`, version: v })),
    );
    return;
  }
  const vm = /^\/v(\d+\.\d)(\/.*)?$/.exec(rest);
  if (!vm?.[1] || !SUPPORTED.includes(vm[1])) {
    sendApiError(res, new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist'));
    return;
  }
  const version = vm[1];
  const sub = vm[2] ?? '/';
  const bearer = /^(?:Bearer|OAuth) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const session = ctx.tokens.check(bearer);
  if (!session) {
    sendApiError(res, new ApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'));
    return;
  }
  if ((req.url ?? '').length > MAX_URI) {
    sendApiError(res, new ApiError(414, 'URI_TOO_LONG', 'The request URI is too long'), limitHeader(ctx));
    return;
  }
  const blocked = gate(ctx);
  if (blocked === 'html') return sendHtml(res, ctx.faults.failNext.status, limitHeader(ctx));
  if (blocked) return sendApiError(res, blocked, limitHeader(ctx));
  const route = ROUTES.find((r) => r.method === req.method && r.pattern.test(sub));
  if (!route) {
    const known = ROUTES.some((r) => r.pattern.test(sub));
    const err = known
      ? new ApiError(
          405,
          'METHOD_NOT_ALLOWED',
          `HTTP Method '${req.method}' not allowed. Allowed are GET, PATCH, POST, DELETE`,
        )
      : new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return sendApiError(res, err, limitHeader(ctx));
  }
  ctx.usage.used++;
  ctx.usage.byRoute.set(route.name, (ctx.usage.byRoute.get(route.name) ?? 0) + 1);
  try {
    const body = parseJsonBody(await readBody(req));
    if (route.dml) {
      ctx.usage.dml++;
      if (!route.name.startsWith('collections.') && ctx.faults.lockRowOnDml.has(ctx.usage.dml)) {
        throw new ApiError(
          400,
          'UNABLE_TO_LOCK_ROW',
          'unable to obtain exclusive access to this record or 1 records',
        );
      }
    }
    const params = (route.pattern.exec(sub) ?? []).slice(1).map((p) => p ?? '');
    const result = route.handle({ ctx, cursors, req, url, version, userId: session.userId, params, body });
    sendJson(res, result.status, result.body, limitHeader(ctx));
  } catch (error) {
    if (error instanceof ApiError) return sendApiError(res, error, limitHeader(ctx));
    throw error;
  }
}

/**
 * `sfi console`: the human page for a stack, served on 127.0.0.1 with the operator's own AWS
 * credentials (no hosted UI, no new way in). One HTML page at `/` (inline CSS and script, nothing
 * fetched from elsewhere) and its JSON API under `/api/`. `sfi local` serves the same handler at
 * its control URL.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type OpsContext, opsStores } from '../context.ts';
import { API_ROUTES, consoleApi, errorAnswer } from './api.ts';
import { newConsoleToken, refusal } from './guard.ts';
import { consolePage } from './page.ts';

const MAX_BODY = 64 * 1024;

const SAFE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response
    .writeHead(status, { ...SAFE_HEADERS, 'content-type': 'application/json; charset=utf-8' })
    .end(`${JSON.stringify(body)}\n`);
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown> | 'too-large' | 'bad'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const body = JSON.parse(text) as unknown;
    return typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : 'bad';
  } catch {
    return 'bad';
  }
}

/**
 * The console as a request handler: answers `/` and `/api/*` (true), anything else is left to the
 * caller (false). `context` is asked for on the first request that needs the stack.
 */
export function consoleHandler(options: { context: () => Promise<OpsContext>; token?: string }) {
  const token = options.token ?? newConsoleToken();
  let api: Promise<ReturnType<typeof consoleApi>> | undefined;
  const apiFor = () => {
    api ??= options.context().then((context) => consoleApi(context, opsStores(context)));
    // A stack that could not be opened is asked for again on the next request.
    api.catch(() => {
      api = undefined;
    });
    return api;
  };
  return async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> => {
    const method = request.method ?? 'GET';
    const isPage = url.pathname === '/';
    if (!isPage && !url.pathname.startsWith('/api/')) return false;
    const refused = refusal(request, token);
    if (refused !== undefined) {
      sendJson(response, refused.status, {
        error: refused.error,
        message: refused.message,
        hint: refused.hint,
      });
      return true;
    }
    if (isPage && method === 'GET') {
      const nonce = randomBytes(16).toString('base64');
      response
        .writeHead(200, {
          ...SAFE_HEADERS,
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        })
        .end(consolePage({ token, nonce }));
      return true;
    }
    const body = method === 'POST' ? await readJson(request) : {};
    if (body === 'too-large' || body === 'bad') {
      sendJson(response, body === 'bad' ? 400 : 413, {
        error: 'BAD_REQUEST',
        message: body === 'bad' ? 'the body is not a JSON object' : `the body is over ${MAX_BODY} bytes`,
        hint: 'send a JSON object',
      });
      return true;
    }
    let answer: Awaited<ReturnType<ReturnType<typeof consoleApi>>>;
    try {
      answer = await (await apiFor())(method, url, body);
    } catch (error) {
      answer = errorAnswer(error);
    }
    if (answer === undefined) {
      sendJson(response, 404, {
        error: 'NOT_FOUND',
        message: `no route ${method} ${url.pathname}`,
        hint: `the routes are: ${API_ROUTES.join('; ')}`,
      });
      return true;
    }
    sendJson(response, answer.status, answer.body);
    return true;
  };
}

/**
 * Serves the console for `context` on 127.0.0.1:`port` (default 0: a free port) until `close()`;
 * `url` is where to open it. Closing does not close the context (its owner does).
 */
export async function startConsole(options: {
  context: OpsContext;
  port?: number;
}): Promise<{ url: string; close(): Promise<void> }> {
  const handle = consoleHandler({ context: async () => options.context });
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://console');
    handle(request, response, url)
      .then((handled) => {
        if (!handled)
          sendJson(response, 404, { error: 'NOT_FOUND', message: `no page ${url.pathname}`, hint: 'open /' });
      })
      .catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, errorAnswer(error).body);
        else response.end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

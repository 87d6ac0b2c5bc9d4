/**
 * What keeps another web page from driving the console, which acts with the operator's AWS
 * credentials: every request must name the console itself as its Host (a DNS-rebound name is
 * refused before it can read the page or the data), a browser's Origin must be the console's own,
 * and every action needs the token of the page it was clicked in, as a header a cross-site form
 * or image cannot send (a cross-origin fetch with it needs a preflight, which is never answered).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-sfi-console-token';

export interface Refusal {
  status: 403 | 415;
  error: string;
  message: string;
  hint: string;
}

/** A fresh random token: one per console server (the page carries it, the actions send it back). */
export const newConsoleToken = (): string => randomBytes(24).toString('base64url');

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Why this request is refused, or undefined when it may go on. */
export function refusal(request: IncomingMessage, token: string): Refusal | undefined {
  const port = request.socket.localPort;
  const hosts = LOOPBACK_NAMES.map((name) => `${name}:${port}`);
  const host = request.headers.host ?? '';
  if (!hosts.includes(host)) {
    return {
      status: 403,
      error: 'HOST_REFUSED',
      message: `the console answers only as ${hosts[0]}, not as "${host}"`,
      hint: `open http://${hosts[0]}/ (the address the console printed)`,
    };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    return {
      status: 403,
      error: 'ORIGIN_REFUSED',
      message: `requests from ${origin} are refused`,
      hint: 'use the console page itself; other pages may not act on your stack',
    };
  }
  if ((request.method ?? 'GET') === 'GET') return undefined;
  const given = request.headers[TOKEN_HEADER];
  if (typeof given !== 'string' || !sameToken(given, token)) {
    return {
      status: 403,
      error: 'TOKEN_REFUSED',
      message: `an action needs the console's token in the ${TOKEN_HEADER} header`,
      hint: 'reload the console page (a restarted console has a new token) and click again',
    };
  }
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
    return {
      status: 415,
      error: 'JSON_REQUIRED',
      message: 'an action takes a JSON body (content-type: application/json)',
      hint: 'send the body as JSON',
    };
  }
  return undefined;
}

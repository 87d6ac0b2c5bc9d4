import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error.ts';

/** Largest request body accepted (Salesforce's non-multipart limit is 50 MB). */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;

/** Reads a request body, refusing bodies above the limit without buffering them. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'REQUEST_ENTITY_TOO_LARGE', 'request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON request body; Salesforce answers JSON_PARSER_ERROR for anything unparsable. */
export function parseJsonBody(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    throw new ApiError(
      400,
      'JSON_PARSER_ERROR',
      'Unexpected character in request body: the body is not valid JSON',
    );
  }
}

/** Sends JSON with the content type jsforce keys its parsing on, plus any extra headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(status === 204 ? {} : { 'Content-Type': 'application/json;charset=UTF-8' }),
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(status === 204 ? undefined : text);
}

/** Sends a top-level REST error array `[{ message, errorCode, fields? }]`. */
export function sendApiError(
  res: ServerResponse,
  error: ApiError,
  headers: Record<string, string> = {},
): void {
  sendJson(res, error.status, [error.toRest()], headers);
}

/** A 5xx with an HTML body, like an unreachable org behind Salesforce's edge. */
export function sendHtml(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  const text = `<html><head><title>${status}</title></head><body>Service Unavailable</body></html>`;
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/html;charset=UTF-8',
    'Content-Length': String(text.length),
  });
  res.end(text);
}

/**
 * The console's guard (issue 15, `sfi console`): it acts with the operator's AWS credentials, so
 * no other web page may drive it. Over a stack whose clients fail any call: an action without the
 * page's token, with a wrong one, from another Origin, as a cross-site form, or under a
 * DNS-rebound Host is refused before the stack is touched; the page itself is not served to a
 * foreign Host (it carries the token). With the token, a bad argument comes back with its hint.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_HEADER } from '#shared/ops/console/guard.ts';
import { startConsole } from '#shared/ops/console/server.ts';
import type { OpsContext } from '#shared/ops/context.ts';
import { accountsOnlyConfig } from '../../helpers/ops.ts';

let touched = 0;
const refuse = () => {
  touched++;
  throw new Error('the stack was touched');
};
const context: OpsContext = {
  where: 'a stack nobody may touch',
  config: accountsOnlyConfig(),
  outputs: {
    stateTable: 'state',
    crosswalkTable: 'crosswalk',
    ledgerTable: 'ledger',
    jobsQueueUrl: 'http://127.0.0.1:9/jobs',
    deadLetterQueueUrl: 'http://127.0.0.1:9/dlq',
    schedulerFunction: 'scheduler',
  } as OpsContext['outputs'],
  sqs: { send: refuse } as unknown as OpsContext['sqs'],
  db: { send: refuse } as unknown as OpsContext['db'],
  invokeScheduler: async () => refuse(),
};

let served: { url: string; close(): Promise<void> };
let origin: string;
let token: string;

/** A raw request (fetch may not set Host): status, headers and body text. */
function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; headers: Record<string, unknown>; text: string }>(
    (resolve, reject) => {
      const req = httpRequest(new URL(path, served.url), {
        method: options.method ?? 'GET',
        headers: options.headers,
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end(options.body);
    },
  );
}

const redrive = (headers: Record<string, string>) =>
  send('/api/redrive', { method: 'POST', headers, body: JSON.stringify({ id: '001A' }) });

beforeAll(async () => {
  served = await startConsole({ context });
  origin = served.url.replace(/\/$/, '');
  const page = await send('/', {});
  token = /name="sfi-console-token" content="([^"]+)"/.exec(page.text)?.[1] ?? '';
});
afterAll(() => served.close());

describe('console guard', () => {
  it('serves its page on 127.0.0.1 with a token and a CSP that runs only its own inline script', async () => {
    const page = await send('/', {});
    expect(page.status).toBe(200);
    expect(token).toMatch(/^[\w-]{32}$/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'nonce-/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.text).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });

  it('refuses an action without the token, with a wrong token, or from another origin, and touches nothing', async () => {
    const json = { 'content-type': 'application/json' };
    const missing = await redrive({ ...json, origin });
    expect(missing.status).toBe(403);
    expect(JSON.parse(missing.text)).toMatchObject({
      error: 'TOKEN_REFUSED',
      hint: expect.stringContaining('reload the console page'),
    });
    expect((await redrive({ ...json, origin, [TOKEN_HEADER]: `${token.slice(1)}x` })).status).toBe(403);
    const foreign = await redrive({ ...json, origin: 'https://evil.example', [TOKEN_HEADER]: token });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.text)).toMatchObject({ error: 'ORIGIN_REFUSED' });
    // What a cross-site <form> can send: no custom header, a form body.
    const form = await send('/api/redrive', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: 'id=001A',
    });
    expect(form.status).toBe(403);
    expect(touched).toBe(0);
  });

  it('refuses a DNS-rebound Host for the page and the data, so the token never leaves', async () => {
    const port = new URL(served.url).port;
    const page = await send('/', { headers: { host: `rebound.example:${port}` } });
    expect(page.status).toBe(403);
    expect(page.text).not.toContain(token);
    expect(JSON.parse(page.text)).toMatchObject({
      error: 'HOST_REFUSED',
      hint: expect.stringContaining('127.0.0.1'),
    });
    expect((await send('/api/status', { headers: { host: `rebound.example:${port}` } })).status).toBe(403);
    expect(touched).toBe(0);
  });

  it('takes an action only as JSON, and answers a bad argument with its code and hint', async () => {
    const text = await send('/api/replay', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin, [TOKEN_HEADER]: token },
      body: '{}',
    });
    expect(text.status).toBe(415);
    const unknown = await send('/api/replay', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, [TOKEN_HEADER]: token },
      body: JSON.stringify({ flow: 'acount-customer', source: 'salesforce', id: '001A' }),
    });
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.text)).toEqual({
      error: 'FLOW_UNKNOWN',
      message: 'no flow "acount-customer" in the sync config; the flows are: account-customer',
      hint: 'give one of those names (sfi status lists them too)',
    });
    expect(touched).toBe(0);
  });
});

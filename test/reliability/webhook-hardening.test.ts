/**
 * The webhook's checks before parsing, on the whole local pipeline with the real handler and the
 * local HTTP API: an address outside webhook.allowedSourceCidrs, a wrong path token (compared in
 * constant time), an oversize body (declared by content-length, or chunked with none). Each is
 * refused with its reason and nothing reaches the jobs queue; an allowed request still gets in.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { MAX_OUTBOUND_MESSAGE_BYTES } from '#shared/outbound-message/parse.ts';
import { fakeId, outboundMessage } from '../fixtures/outbound-message.ts';
import { testConfig } from '../helpers/config.ts';
import { type JobObserver, observeJobs } from '../helpers/reliability.ts';

let stack: LocalStack;
let observer: JobObserver;

beforeAll(async () => {
  const config = testConfig();
  stack = await startLocalStack({
    // Only 127.0.0.1 is "Salesforce": the tests send from 127.0.0.2 to be outside.
    config: {
      ...config,
      webhook: { ...config.webhook, allowedSourceCidrs: ['127.0.0.1/32', '2001:db8::/32'] },
    },
    seed: 'empty',
    timers: false,
    runtime: { visibilityTimeoutSeconds: 2 },
  });
  observer = observeJobs(stack);
  await stack.runtime.crashWorker();
});
afterAll(() => stack.stop(2000));

/** POSTs with node:http, so the local address, the length header and chunking are ours to pick. */
function post(
  url: string,
  body: string,
  options: { from?: string; chunked?: boolean; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'text/xml; charset=utf-8', ...options.headers };
    if (!options.chunked) headers['content-length'] ??= String(Buffer.byteLength(body));
    const req = httpRequest(url, { method: 'POST', headers, localAddress: options.from }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    // In 64 KB pieces: chunked transfer when no length was given.
    for (let i = 0; i < body.length; i += 65_536) req.write(body.slice(i, i + 65_536));
    req.end();
  });
}

async function refusedWithoutJobs(send: () => Promise<{ status: number; text: string }>) {
  const before = observer.received.size;
  const response = await send();
  expect(await stack.runtime.queueDepths()).toMatchObject({ jobs: { visible: 0, inFlight: 0, delayed: 0 } });
  expect(observer.received.size).toBe(before);
  return response;
}

const message = (n: number, pad = 0) =>
  outboundMessage({
    orgId: stack.ready.salesforce.orgId,
    notifications: [
      {
        id: fakeId('04l', n),
        fields: { Id: fakeId('001', n), Name: `H ${n}`, Description: 'x'.repeat(pad) },
      },
    ],
  });

describe('webhook hardening on the local pipeline', () => {
  it('refuses an address outside webhook.allowedSourceCidrs with 403 before parsing', async () => {
    // Billion laughs: parsing it would answer 400 (DOCTYPE); the allowlist answers first.
    const { status, text } = await refusedWithoutJobs(() =>
      post(stack.runtime.webhookUrl, '<!DOCTYPE lolz [<!ENTITY lol "lol">]><lolz>&lol;</lolz>', {
        from: '127.0.0.2',
      }),
    );
    expect(status).toBe(403);
    expect(text).toContain('source address 127.0.0.2 is not in webhook.allowedSourceCidrs');
  });

  it('refuses a wrong path token with 403 before parsing', async () => {
    const token = stack.runtime.webhookSecret.salesforcePathToken;
    const wrong = `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`;
    const { status, text } = await refusedWithoutJobs(() =>
      post(`${stack.runtime.controlUrl}/salesforce/outbound-message/${wrong}`, '<broken', {}),
    );
    expect(status).toBe(403);
    expect(text).toMatch(/wrong or missing path token/);
  });

  it('refuses an oversize body by its content-length with 413 before parsing', async () => {
    const { status, text } = await refusedWithoutJobs(() =>
      post(stack.runtime.webhookUrl, message(1, MAX_OUTBOUND_MESSAGE_BYTES)),
    );
    expect(status).toBe(413);
    expect(text).toMatch(/body exceeds 2097152 bytes \(content-length \d+\)/);
  });

  it('refuses an oversize chunked body (no content-length) by its real size with 413', async () => {
    const { status, text } = await refusedWithoutJobs(() =>
      post(stack.runtime.webhookUrl, message(2, MAX_OUTBOUND_MESSAGE_BYTES), { chunked: true }),
    );
    expect(status).toBe(413);
    expect(text).toContain('body exceeds 2097152 bytes<');
  });

  it('still accepts a valid message from an allowed address, after all of the above', async () => {
    const before = observer.received.size;
    const { status, text } = await post(stack.runtime.webhookUrl, message(3), { from: '127.0.0.1' });
    expect([status, text]).toEqual([200, expect.stringContaining('<Ack>true</Ack>')]);
    await expect.poll(() => observer.received.size, { timeout: 20_000 }).toBe(before + 1);
  });
});

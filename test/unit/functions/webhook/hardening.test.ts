/**
 * The webhook's checks before parsing: source allowlist, body size (declared and real), path token
 * and per-source Intacct secrets, and the push replay window. Each refusal enqueues nothing, and
 * the parsers are never called for a refused request.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parseWebhookSecret } from '#functions/webhook/settings.ts';
import { makeWebhook, type WebhookDeps } from '#functions/webhook/use-case.ts';
import type { JobQueue } from '#shared/aws/job-queue.ts';
import type { HttpRequest } from '#shared/http/types.ts';
import type { Job } from '#shared/jobs/job.ts';
import { createLogger } from '#shared/observability/logger.ts';
import { fakeId, ORG_ID, outboundMessage } from '../../../fixtures/outbound-message.ts';

const parsers = vi.hoisted(() => ({ outbound: vi.fn(), push: vi.fn() }));
vi.mock('#shared/outbound-message/parse.ts', async (original) => {
  const real = await original<typeof import('#shared/outbound-message/parse.ts')>();
  return { ...real, parseOutboundMessage: parsers.outbound.mockImplementation(real.parseOutboundMessage) };
});
vi.mock('#functions/webhook/intacct-push.ts', async (original) => {
  const real = await original<typeof import('#functions/webhook/intacct-push.ts')>();
  return { ...real, parseIntacctPush: parsers.push.mockImplementation(real.parseIntacctPush) };
});

const token = 't'.repeat(32);
const secrets = { salesforcePathToken: token, intacctSources: { erp: 'e'.repeat(32), mw: 'm'.repeat(32) } };
let accepted: Job[];
let clock: number;
const queue: JobQueue = {
  enqueue: async (jobs) => {
    accepted.push(...jobs);
    return { enqueued: jobs.length, failed: [] };
  },
};
beforeEach(() => {
  accepted = [];
  clock = Date.parse('2026-11-01T10:00:00Z');
  parsers.outbound.mockClear();
  parsers.push.mockClear();
});

const webhook = (deps: Partial<WebhookDeps> = {}) =>
  makeWebhook({
    queue,
    orgId: ORG_ID,
    flows: [{ name: 'account-customer', salesforceObject: 'Account', intacctObject: 'CUSTOMER' }],
    secret: async () => secrets,
    logger: createLogger({ service: 'test', level: 'silent' }),
    now: () => new Date(clock),
    ...deps,
  });
const message = outboundMessage({
  notifications: [{ id: fakeId('04l', 1), fields: { Id: fakeId('001', 1) } }],
});
const outbound = (over: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'POST',
  routeKey: 'POST /salesforce/outbound-message/{token}',
  headers: { 'content-type': 'text/xml' },
  pathParameters: { token },
  body: message,
  requestId: 'r1',
  sourceIp: '13.108.1.2',
  ...over,
});
const push = (
  headers: Record<string, string> = {},
  body = '{"object":"CUSTOMER","id":"C1"}',
): HttpRequest => ({
  method: 'POST',
  routeKey: 'POST /intacct/events',
  headers: { 'content-type': 'application/json', 'x-sfi-secret': 'e'.repeat(32), ...headers },
  pathParameters: {},
  body,
  requestId: 'r2',
});

describe('webhook: before parsing', () => {
  const allowlisted = () => webhook({ allowedSourceCidrs: ['13.108.0.0/14', '2001:db8::/32'] });

  it('refuses an outbound message from outside webhook.allowedSourceCidrs with 403, unparsed', async () => {
    const response = await allowlisted()(outbound({ sourceIp: '198.51.100.7' }));
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('source address 198.51.100.7 is not in webhook.allowedSourceCidrs');
    expect(parsers.outbound).not.toHaveBeenCalled();
    expect(accepted).toEqual([]);
  });

  it('accepts IPv4, IPv6 and IPv4-mapped addresses inside the ranges', async () => {
    for (const sourceIp of ['13.108.1.2', '2001:db8::5', '::ffff:13.109.0.1'])
      expect((await allowlisted()(outbound({ sourceIp }))).statusCode, sourceIp).toBe(200);
    expect(accepted).toHaveLength(3);
    // The spies see accepted requests: their silence on refused ones means something.
    expect(parsers.outbound).toHaveBeenCalledTimes(3);
  });

  it('refuses an oversize body by its content-length and by its real size with 413, unparsed', async () => {
    const declared = await webhook()(
      outbound({ headers: { 'content-type': 'text/xml', 'content-length': String(3 * 1024 * 1024) } }),
    );
    expect([declared.statusCode, declared.body]).toEqual([
      413,
      expect.stringContaining('content-length 3145728'),
    ]);
    const big = await webhook()(
      outbound({ body: message.replace('</sf:Id>', `</sf:Id>${' '.repeat(2_100_000)}`) }),
    );
    expect([big.statusCode, big.body]).toEqual([413, expect.stringContaining('body exceeds 2097152 bytes')]);
    const pushed = await webhook()(push({}, `{"object":"CUSTOMER","id":"${'x'.repeat(300 * 1024)}"}`));
    expect(pushed.statusCode).toBe(413);
    expect(parsers.outbound).not.toHaveBeenCalled();
    expect(parsers.push).not.toHaveBeenCalled();
    expect(accepted).toEqual([]);
  });

  it('refuses a wrong path token with 403, unparsed', async () => {
    const response = await webhook()(outbound({ pathParameters: { token: `${token.slice(1)}x` } }));
    expect(response.statusCode).toBe(403);
    expect(parsers.outbound).not.toHaveBeenCalled();
  });
});

describe('webhook: Intacct push sources and replay window', () => {
  it('takes each source secret (header or path) and refuses any other value, unparsed', async () => {
    const hook = webhook();
    expect((await hook(push())).statusCode).toBe(202);
    expect((await hook(push({ 'x-sfi-secret': 'm'.repeat(32) }))).statusCode).toBe(202);
    const byPath = {
      ...push(),
      headers: { 'content-type': 'application/json' },
      pathParameters: { token: 'm'.repeat(32) },
    };
    expect((await hook(byPath)).statusCode).toBe(202);
    expect(parsers.push).toHaveBeenCalledTimes(3);
    parsers.push.mockClear();
    expect((await hook(push({ 'x-sfi-secret': 'x'.repeat(32) }))).statusCode).toBe(403);
    expect(parsers.push).not.toHaveBeenCalled();
  });

  it('keeps intacctSharedSecret working as the source "default" beside named ones', async () => {
    const hook = webhook({ secret: async () => ({ ...secrets, intacctSharedSecret: 's'.repeat(32) }) });
    expect((await hook(push({ 'x-sfi-secret': 's'.repeat(32) }))).statusCode).toBe(202);
  });

  it('refuses a timestamp outside the window, either way, and a bad one with 403', async () => {
    const hook = webhook({ intacctPush: { replayWindowSeconds: 300, requireReplayHeaders: false } });
    const at = (s: number) => ({ 'x-sfi-timestamp': String(Math.floor(clock / 1000) + s) });
    expect((await hook(push(at(-299)))).statusCode).toBe(202);
    expect((await hook(push({ 'x-sfi-timestamp': new Date(clock - 60_000).toISOString() }))).statusCode).toBe(
      202,
    );
    const old = await hook(push(at(-301)));
    expect([old.statusCode, JSON.parse(old.body).message]).toEqual([
      403,
      expect.stringMatching(/301 s off; the replay window is 300 s/),
    ]);
    expect((await hook(push(at(400)))).statusCode).toBe(403);
    expect((await hook(push({ 'x-sfi-timestamp': 'yesterday' }))).statusCode).toBe(403);
    expect(accepted).toHaveLength(2);
  });

  it('refuses a request ID already accepted within the window with 409, per source, and takes it after the window', async () => {
    const hook = webhook();
    expect((await hook(push({ 'x-sfi-request-id': 'abc' }))).statusCode).toBe(202);
    const again = await hook(push({ 'x-sfi-request-id': 'abc' }));
    expect([again.statusCode, JSON.parse(again.body).error]).toEqual([409, 'REPLAYED']);
    expect((await hook(push({ 'x-sfi-request-id': 'abc', 'x-sfi-secret': 'm'.repeat(32) }))).statusCode).toBe(
      202,
    );
    clock += 301_000;
    expect((await hook(push({ 'x-sfi-request-id': 'abc' }))).statusCode).toBe(202);
    expect(accepted).toHaveLength(3);
  });

  it('does not count a request that failed to enqueue, so the sender may retry it', async () => {
    let fail = true;
    const flaky: JobQueue = {
      enqueue: async (jobs) =>
        fail
          ? { enqueued: 0, failed: jobs.map((job) => ({ job, code: 'X', message: 'x' })) }
          : queue.enqueue(jobs),
    };
    const hook = webhook({ queue: flaky });
    expect((await hook(push({ 'x-sfi-request-id': 'r-9' }))).statusCode).toBe(503);
    fail = false;
    expect((await hook(push({ 'x-sfi-request-id': 'r-9' }))).statusCode).toBe(202);
  });

  it('with requireReplayHeaders, refuses a push without both headers', async () => {
    const hook = webhook({ intacctPush: { replayWindowSeconds: 300, requireReplayHeaders: true } });
    expect((await hook(push({ 'x-sfi-request-id': 'a' }))).statusCode).toBe(403);
    const ts = String(Math.floor(clock / 1000));
    expect((await hook(push({ 'x-sfi-timestamp': ts, 'x-sfi-request-id': 'a' }))).statusCode).toBe(202);
  });
});

describe('webhook secret shape', () => {
  it('reads named sources and names a bad one without its value', () => {
    expect(parseWebhookSecret({ intacctSources: { erp: 'e'.repeat(16) } })).toEqual({
      intacctSources: { erp: 'e'.repeat(16) },
    });
    expect(() => parseWebhookSecret({ intacctSources: { erp: 'short-value' } })).toThrow(
      /^intacctSources\.erp: use a random string/,
    );
    expect(() => parseWebhookSecret({ intacctSources: { erp: 'short-value' } })).not.toThrow(/short-value/);
    expect(() => parseWebhookSecret({ intacctSources: { 'Bad Name': 'e'.repeat(16) } })).toThrow(
      /lower-case/,
    );
    expect(() => parseWebhookSecret({ intacctSources: ['e'.repeat(16)] })).toThrow(/map each source name/);
  });
});

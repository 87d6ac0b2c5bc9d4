import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import type { LocalRuntime } from '#local/runtime.ts';
import { fakeId, outboundMessage } from '../../fixtures/outbound-message.ts';
import { eventually, testConfig } from '../../helpers/config.ts';

interface StatusDoc {
  idle: boolean;
  queues: Record<'jobs' | 'dlq', { visible: number; inFlight: number }>;
  flows: Record<string, { received: number }>;
  worker: { messages: number };
  recentFailures: Array<{ code: string; flow: string; hint?: string }>;
  schedules: Array<{ name: string; lastRun?: { status: string } }>;
}

describe('webhook → jobs queue → worker, with the real handlers', () => {
  let stack: LocalStack;
  let runtime: LocalRuntime;
  const status = async (query = ''): Promise<StatusDoc> =>
    (await fetch(`${runtime.controlUrl}/status${query}`)).json() as Promise<StatusDoc>;
  const post = (url: string, body: string, contentType = 'text/xml; charset=utf-8') =>
    fetch(url, { method: 'POST', headers: { 'content-type': contentType, soapaction: '""' }, body });

  beforeAll(async () => {
    // Empty simulators: the notifications below name records Salesforce does not have, so the
    // worker's re-read finds nothing and skips them; what is counted is what reached the worker.
    stack = await startLocalStack({
      config: testConfig({ worker: { batchSize: 50 } }),
      timers: false,
      seed: 'empty',
    });
    runtime = stack.runtime;
  });
  afterAll(() => stack.stop(1000));

  it('acks a 100-notification message and the worker records exactly those 100 jobs', async () => {
    const body = outboundMessage({
      notifications: Array.from({ length: 100 }, (_, i) => ({
        id: fakeId('04l', i),
        fields: { Id: fakeId('001', i), Name: `Account ${i}`, SystemModstamp: '2026-11-01T10:00:00.000Z' },
      })),
    });
    const response = await post(runtime.webhookUrl, body);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/xml');
    expect(await response.text()).toMatch(
      /<notificationsResponse[^>]*><Ack>true<\/Ack><\/notificationsResponse>/,
    );
    const done = await status('?waitForIdle=30');
    expect(done.idle).toBe(true);
    expect(done.flows['account-customer']?.received).toBe(100);
    expect(done.worker.messages).toBe(100);
    expect(done.queues.dlq.visible).toBe(0);
  });

  const rejections: Array<[string, () => Promise<Response>, number, RegExp]> = [
    [
      'a foreign organization ID',
      () =>
        post(
          runtime.webhookUrl,
          outboundMessage({
            orgId: '00D999999999999AAA',
            notifications: [{ id: fakeId('04l', 1), fields: { Id: fakeId('001', 1) } }],
          }),
        ),
      403,
      /not the configured org/,
    ],
    [
      'a wrong path token',
      () =>
        post(
          `${runtime.controlUrl}/salesforce/outbound-message/wrong-token`,
          outboundMessage({ notifications: [{ id: fakeId('04l', 1), fields: { Id: fakeId('001', 1) } }] }),
        ),
      403,
      /path token/,
    ],
    [
      'no path token',
      () =>
        post(
          `${runtime.controlUrl}/salesforce/outbound-message`,
          outboundMessage({ notifications: [{ id: fakeId('04l', 1), fields: { Id: fakeId('001', 1) } }] }),
        ),
      403,
      /path token/,
    ],
    ['malformed XML', () => post(runtime.webhookUrl, '<soapenv:Envelope><unclosed>'), 400, /malformed XML/],
    [
      'a DOCTYPE with entities (billion laughs)',
      () =>
        post(
          runtime.webhookUrl,
          `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><x>&lol2;</x>`,
        ),
      400,
      /DOCTYPE/,
    ],
    [
      'a JSON body',
      () => post(runtime.webhookUrl, '{"hello":"world"}', 'application/json'),
      415,
      /content type/,
    ],
    [
      'an object with no flow',
      () =>
        post(
          runtime.webhookUrl,
          outboundMessage({
            objectType: 'Case',
            notifications: [{ id: fakeId('04l', 1), fields: { Id: fakeId('500', 1) } }],
          }),
        ),
      400,
      /no flow is configured for Salesforce object Case/,
    ],
    [
      'a SOAP body that is not a notification',
      () => post(runtime.webhookUrl, '<Envelope><Body><other/></Body></Envelope>'),
      400,
      /not an outbound message/,
    ],
  ];

  it.each(rejections)(
    'refuses %s with a clear reason and enqueues nothing',
    async (_what, send, code, reason) => {
      const before = (await status('?waitForIdle=10')).worker.messages;
      const response = await send();
      expect(response.status).toBe(code);
      const text = await response.text();
      expect(text).toMatch(reason);
      expect(text).not.toContain('<Ack>true</Ack>');
      const after = await status('?waitForIdle=10');
      expect(after.worker.messages).toBe(before);
      expect(after.queues.jobs.visible + after.queues.jobs.inFlight).toBe(0);
    },
  );

  it('answers 413 for a body over the API Gateway limit without invoking the webhook', async () => {
    const response = await post(runtime.webhookUrl, `<x>${'a'.repeat(11 * 1024 * 1024)}</x>`);
    expect(response.status).toBe(413);
  });

  it('turns an authenticated Intacct push event into a job and refuses a missing secret', async () => {
    const event = JSON.stringify({ object: 'CUSTOMER', id: 'C-1001', whenModified: '11/01/2026 10:00:00' });
    const refused = await fetch(runtime.intacctPushUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: event,
    });
    expect(refused.status).toBe(403);
    const before = (await status('?waitForIdle=10')).flows['account-customer']?.received ?? 0;
    const accepted = await fetch(runtime.intacctPushUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-sfi-secret': runtime.webhookSecret.intacctSharedSecret,
      },
      body: event,
    });
    expect(accepted.status).toBe(202);
    // One job per flow that takes CUSTOMER changes: account-customer and the credit-status alert.
    expect(await accepted.json()).toEqual({ accepted: 2 });
    const after = await status('?waitForIdle=10');
    expect(after.flows['account-customer']?.received).toBe(before + 1);
  });

  it('runs a schedule on demand and records the run', async () => {
    const response = await fetch(`${runtime.controlUrl}/schedules/intacct-delta/run`, { method: 'POST' });
    expect(response.status).toBe(200);
    const doc = await status();
    expect(doc.schedules.map((s) => s.name)).toEqual([
      'salesforce-delta',
      'intacct-delta',
      'stock-levels',
      'reconcile',
      'receivables-daily',
      // not in schedules[]: notifications.digestMinutes sets its rate
      'failure-digest',
    ]);
    expect(doc.schedules.find((s) => s.name === 'intacct-delta')?.lastRun?.status).toBe('ok');
    const unknown = await fetch(`${runtime.controlUrl}/schedules/nope/run`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain(
      'use one of: salesforce-delta, intacct-delta, stock-levels, reconcile, receivables-daily, failure-digest',
    );
  });

  it('dead-letters a job for an unconfigured flow at once, with its reason in the failure log', async () => {
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    const job = {
      v: 1,
      flow: 'no-such-flow',
      source: 'salesforce',
      object: 'Account',
      recordId: fakeId('001', 7),
      reason: 'replay',
      correlationId: 'c-1',
      enqueuedAt: new Date().toISOString(),
    };
    await runtime.sqs.send(
      new SendMessageCommand({ QueueUrl: runtime.aws.queues.jobs, MessageBody: JSON.stringify(job) }),
    );
    await eventually(async () => (await status()).queues.dlq.visible === 1, 20_000, 'the DLQ');
    const doc = await status('?waitForIdle=10');
    expect(doc.recentFailures[0]).toMatchObject({ code: 'FLOW_UNKNOWN', flow: 'no-such-flow' });
    expect(doc.recentFailures[0]?.hint).toContain('sync.config.json');
  });
});

/**
 * Bad input corpus for the webhook's two routes, on the whole local pipeline: every hostile or
 * broken request gets a clear rejection (status + a message naming the problem), the webhook keeps
 * serving, and nothing reaches the jobs queue. Injection-looking values are data: they sync
 * verbatim both ways (see the last describe block).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { fakeId, outboundMessage } from '../fixtures/outbound-message.ts';
import { testConfig } from '../helpers/config.ts';
import { runSchedule, settle, writeCounts } from '../helpers/local-stack.ts';
import { type JobObserver, observeJobs, postOutbound, postPush } from '../helpers/reliability.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/bad-input/${name}`, import.meta.url), 'utf8');

let stack: LocalStack;
let observer: JobObserver;

beforeAll(async () => {
  stack = await startLocalStack({
    config: testConfig(),
    seed: 'empty',
    timers: false,
    runtime: { visibilityTimeoutSeconds: 2 },
  });
  observer = observeJobs(stack);
  // Restart the worker's polling so every receive from now on goes through the observer.
  await stack.runtime.crashWorker();
});
afterAll(() => stack.stop(2000));

/** Sends a request and checks nothing was enqueued because of it (queue empty, no job received). */
async function refusedWithoutJobs(send: () => Promise<Response>): Promise<{ status: number; text: string }> {
  const before = observer.received.size;
  const response = await send();
  const text = await response.text();
  const depths = await stack.runtime.queueDepths();
  expect(depths.jobs).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  expect(observer.received.size).toBe(before);
  return { status: response.status, text };
}

const orgId = () => stack.ready.salesforce.orgId;
const account = (n: number, fields: Record<string, string> = {}) => ({
  id: fakeId('04l', n),
  fields: { Id: fakeId('001', n), Name: `Account ${n}`, ...fields },
});
const valid = (n = 1) => outboundMessage({ orgId: orgId(), notifications: [account(n)] });

describe('webhook: outbound-message corpus', () => {
  const cases: Array<[string, () => Promise<Response>, number, RegExp]> = [
    ['malformed XML', () => postOutbound(stack, '<soapenv:Envelope><soapenv:Body>'), 400, /malformed XML/],
    [
      'mismatched tags',
      () => postOutbound(stack, valid().replace('</notifications>', '</notification>')),
      400,
      /malformed XML/,
    ],
    ['an empty body', () => postOutbound(stack, ''), 400, /empty body/],
    [
      'binary garbage',
      () => postOutbound(stack, '\u0000\u0001\u00ff\ufffd<<>>'),
      400,
      /malformed XML|not an outbound/,
    ],
    ['XXE with an external file entity', () => postOutbound(stack, fixture('xxe-file.xml')), 400, /DOCTYPE/],
    [
      'a lower-case doctype with a remote parameter entity',
      () => postOutbound(stack, fixture('xxe-parameter-entity.xml')),
      400,
      /DOCTYPE/,
    ],
    ['billion laughs', () => postOutbound(stack, fixture('billion-laughs.xml')), 400, /DOCTYPE/],
    [
      'a JSON content type',
      () => postOutbound(stack, valid(), { contentType: 'application/json' }),
      415,
      /content type must be text\/xml, got &quot;application\/json&quot;/,
    ],
    [
      'a form content type',
      () => postOutbound(stack, valid(), { contentType: 'application/x-www-form-urlencoded' }),
      415,
      /content type/,
    ],
    [
      'a text/plain content type',
      () => postOutbound(stack, valid(), { contentType: 'text/plain' }),
      415,
      /content type/,
    ],
    [
      'a wrong organization ID',
      () =>
        postOutbound(stack, outboundMessage({ orgId: '00D000000000002AAA', notifications: [account(1)] })),
      403,
      /organization 00D000000000002AAA is not the configured org/,
    ],
    [
      'an organization ID that is not a Salesforce ID',
      () => postOutbound(stack, outboundMessage({ orgId: "00D' OR '1'='1", notifications: [account(1)] })),
      400,
      /OrganizationId/,
    ],
    [
      'a body over the 2 MB message limit',
      () =>
        postOutbound(
          stack,
          outboundMessage({
            orgId: orgId(),
            notifications: [account(1, { Description: 'x'.repeat(2_200_000) })],
          }),
        ),
      413,
      /body exceeds/,
    ],
    [
      '101 notifications',
      () =>
        postOutbound(
          stack,
          outboundMessage({
            orgId: orgId(),
            notifications: Array.from({ length: 101 }, (_, i) => account(i)),
          }),
        ),
      400,
      /more than 100 notifications/,
    ],
    [
      'an unknown object type',
      () =>
        postOutbound(
          stack,
          outboundMessage({
            orgId: orgId(),
            objectType: 'Case',
            notifications: [{ id: fakeId('04l', 1), fields: { Id: fakeId('500', 1) } }],
          }),
        ),
      400,
      /no flow is configured for Salesforce object Case/,
    ],
    [
      'mixed object types in one message',
      () =>
        postOutbound(
          stack,
          outboundMessage({ orgId: orgId(), notifications: [account(1)] }).replace(
            '</notifications>',
            `<Notification><Id>${fakeId('04l', 2)}</Id><sObject xsi:type="sf:Case" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>${fakeId('500', 2)}</sf:Id></sObject></Notification></notifications>`,
          ),
        ),
      400,
      /several object types: Account, Case/,
    ],
    [
      'a SOQL-injection record ID',
      () =>
        postOutbound(
          stack,
          outboundMessage({
            orgId: orgId(),
            notifications: [{ id: fakeId('04l', 1), fields: { Id: "001' OR Name != '" } }],
          }),
        ),
      400,
      /no valid sObject Id/,
    ],
    [
      'a notification ID that is not a Salesforce ID',
      () =>
        postOutbound(
          stack,
          outboundMessage({
            orgId: orgId(),
            notifications: [{ id: "x' OR 1=1 --", fields: { Id: fakeId('001', 1) } }],
          }),
        ),
      400,
      /Notification 1 needs an Id/,
    ],
    [
      'markup smuggled into a field (XML injection)',
      () =>
        postOutbound(
          stack,
          valid().replace(
            '<sf:Name>Account 1</sf:Name>',
            '<sf:Name>Account 1</sf:Name><sf:Phone><inject>1</inject></sf:Phone>',
          ),
        ),
      400,
      /field Phone is not a simple value/,
    ],
    [
      'an sObject without xsi:type',
      () => postOutbound(stack, valid().replace('xsi:type="sf:Account"', '')),
      400,
      /no xsi:type/,
    ],
    [
      'a SOAP body that is not a notification',
      () => postOutbound(stack, '<Envelope><Body><query>SELECT Id FROM Account</query></Body></Envelope>'),
      400,
      /not an outbound message/,
    ],
    [
      'a JSON body sent as XML',
      () => postOutbound(stack, '{"Id":"001000000000001AAA"}'),
      400,
      /malformed XML|not an outbound/,
    ],
  ];

  it.each(cases)('refuses %s with a reason and enqueues nothing', async (_what, send, code, reason) => {
    const { status, text } = await refusedWithoutJobs(send);
    expect(status).toBe(code);
    expect(text).toMatch(reason);
    expect(text).toContain('<faultstring>');
    expect(text).not.toContain('<Ack>true</Ack>');
  });

  it('answers 413 for a body over the 10 MB API Gateway limit and enqueues nothing', async () => {
    const { status } = await refusedWithoutJobs(() =>
      postOutbound(stack, `<x>${'a'.repeat(10 * 1024 * 1024 + 10)}</x>`),
    );
    expect(status).toBe(413);
  });

  it('refuses a wrong path token before reading the body', async () => {
    const { status, text } = await refusedWithoutJobs(() =>
      postOutbound(stack, fixture('billion-laughs.xml'), {
        url: `${stack.runtime.controlUrl}/salesforce/outbound-message/${'0'.repeat(32)}`,
      }),
    );
    expect(status).toBe(403);
    expect(text).toMatch(/path token/);
  });

  it('still acks a valid message after the whole corpus (no crash, no poisoned state)', async () => {
    const before = observer.received.size;
    const response = await postOutbound(stack, valid(4242));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<Ack>true</Ack>');
    await settle(stack, 30_000);
    expect(observer.received.size).toBe(before + 1);
    expect(observer.jobs().at(-1)).toMatchObject({ recordId: fakeId('001', 4242), reason: 'webhook' });
  });
});

describe('webhook: Intacct push corpus', () => {
  const event = { object: 'CUSTOMER', id: 'C-1', whenModified: '11/01/2026 10:00:00' };
  const cases: Array<[string, () => Promise<Response>, number, RegExp]> = [
    ['no shared secret', () => postPush(stack, JSON.stringify(event), { secret: null }), 403, /x-sfi-secret/],
    [
      'a wrong shared secret',
      () => postPush(stack, JSON.stringify(event), { secret: 'f'.repeat(32) }),
      403,
      /x-sfi-secret/,
    ],
    [
      'a text/plain content type',
      () => postPush(stack, JSON.stringify(event), { contentType: 'text/plain' }),
      415,
      /application\/json/,
    ],
    [
      'an XML body',
      () => postPush(stack, '<event><object>CUSTOMER</object></event>', { contentType: 'application/xml' }),
      415,
      /application\/json/,
    ],
    ['malformed JSON', () => postPush(stack, '{"object":"CUSTOMER",'), 400, /not JSON/],
    ['an empty body', () => postPush(stack, ''), 400, /not JSON/],
    ['JSON null', () => postPush(stack, 'null'), 400, /expected an object/],
    ['a JSON string', () => postPush(stack, '"CUSTOMER"'), 400, /expected an object/],
    [
      'an object with no flow',
      () => postPush(stack, JSON.stringify({ ...event, object: 'VENDOR' })),
      400,
      /no flow is configured for Intacct object VENDOR/,
    ],
    [
      'a lower-case object name',
      () => postPush(stack, JSON.stringify({ ...event, object: 'customer' })),
      400,
      /object: use the Intacct object name/,
    ],
    [
      'a missing id',
      () => postPush(stack, JSON.stringify({ object: 'CUSTOMER' })),
      400,
      /id: give the record's ID/,
    ],
    [
      'a numeric id',
      () => postPush(stack, JSON.stringify({ object: 'CUSTOMER', id: 42 })),
      400,
      /id: give the record's ID/,
    ],
    [
      'an id over 200 characters',
      () => postPush(stack, JSON.stringify({ object: 'CUSTOMER', id: 'C'.repeat(201) })),
      400,
      /id: give the record's ID/,
    ],
    [
      'a numeric whenModified',
      () => postPush(stack, JSON.stringify({ ...event, whenModified: 20261101 })),
      400,
      /whenModified/,
    ],
    ['an empty array', () => postPush(stack, '[]'), 400, /send 1 to 100 events/],
    [
      '101 events',
      () =>
        postPush(stack, JSON.stringify(Array.from({ length: 101 }, (_, i) => ({ ...event, id: `C-${i}` })))),
      400,
      /send 1 to 100 events/,
    ],
    [
      'one bad event among good ones',
      () => postPush(stack, JSON.stringify([event, { ...event, id: 'C-2' }, { object: 'CUSTOMER' }])),
      400,
      /2\.id/,
    ],
    [
      'a body over 256 KB',
      () => postPush(stack, JSON.stringify({ ...event, pad: 'x'.repeat(300 * 1024) })),
      413,
      /body exceeds/,
    ],
    [
      'a __proto__ payload',
      () => postPush(stack, '{"__proto__":{"object":"CUSTOMER","id":"C-1"}}'),
      400,
      /object: use the Intacct object name/,
    ],
  ];

  it.each(cases)('refuses %s with a reason and enqueues nothing', async (_what, send, code, reason) => {
    const { status, text } = await refusedWithoutJobs(send);
    expect(status).toBe(code);
    const body = JSON.parse(text) as { error?: string; message?: string };
    expect(body.error).toEqual(expect.any(String));
    expect(body.message).toMatch(reason);
  });

  it('takes injection-looking IDs as data: enqueued verbatim, re-read as missing, nothing written or dead-lettered', async () => {
    const ids = ["C-1' or CUSTOMERID != '", '<![CDATA[x]]>&amp;', '</query><delete/>', "%' OR 1=1 --"];
    const before = observer.received.size;
    const writes = writeCounts(stack);
    const response = await postPush(
      stack,
      JSON.stringify(ids.map((id) => ({ object: 'CUSTOMER', id, whenModified: 'not a date' }))),
    );
    // Each goes to both flows that take CUSTOMER changes (account-customer, credit-status).
    const jobs = 2 * ids.length;
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: jobs });
    const done = await settle(stack, 30_000);
    expect(observer.received.size).toBe(before + jobs);
    expect(
      observer
        .jobs()
        .slice(-jobs)
        .map((j) => j.recordId)
        .sort(),
    ).toEqual([...ids, ...ids].sort());
    expect(done.queues.dlq.visible).toBe(0);
    expect(writeCounts(stack)).toEqual(writes);
    expect(stack.salesforce.records('Account')).toHaveLength(0);
  });
});

describe('injection-looking values sync verbatim as data', () => {
  const nasty = [
    "Robert'); DELETE FROM Account;--",
    '<![CDATA[x]]>&amp;',
    "O'Brien \\' OR Name LIKE '%",
    ']]></NAME><CUSTOMERID>HIJACK</CUSTOMERID><NAME>',
    'Zoë & Søn "quoted" <b>bold</b> ☃',
  ];

  it('Salesforce → Intacct: each Account becomes one CUSTOMER whose NAME is exactly the Account Name', async () => {
    const ids = nasty.map((name, i) =>
      stack.salesforce.asUser.create('Account', { Name: name, AccountNumber: `INJ-${i}` }),
    );
    const done = await settle(stack, 60_000);
    expect(done.queues.dlq.visible).toBe(0);
    for (const [i, name] of nasty.entries()) {
      const customers = stack.intacct.records('CUSTOMER').filter((c) => c.CUSTOMERID === `INJ-${i}`);
      expect(customers).toHaveLength(1);
      expect(customers[0]?.NAME).toBe(name);
      expect(customers[0]?.DISPLAYCONTACT).toMatchObject({ PRINTAS: name });
      expect(stack.salesforce.record('Account', ids[i] as string)?.Intacct_Customer_Id__c).toBe(`INJ-${i}`);
    }
    expect(stack.intacct.record('CUSTOMER', 'HIJACK')).toBeUndefined();
  });

  it('Intacct → Salesforce: each CUSTOMER becomes one Account named exactly like it, and back again unchanged', async () => {
    for (const [i, name] of nasty.entries())
      stack.intacct.userCreate('CUSTOMER', {
        CUSTOMERID: `IAINJ-${i}`,
        NAME: `${name} (ia)`,
        DISPLAYCONTACT: { PRINTAS: `${name} (ia)` },
      });
    await runSchedule(stack, 'intacct-delta');
    const done = await settle(stack, 60_000);
    expect(done.queues.dlq.visible).toBe(0);
    const accounts = stack.salesforce.records('Account');
    for (const [i, name] of nasty.entries()) {
      const matching = accounts.filter((a) => a.Intacct_Customer_Id__c === `IAINJ-${i}`);
      expect(matching).toHaveLength(1);
      expect(matching[0]?.Name).toBe(`${name} (ia)`);
    }
    // A change made in Salesforce to one of them goes back with the name untouched.
    const target = accounts.find((a) => a.Intacct_Customer_Id__c === 'IAINJ-0');
    stack.salesforce.asUser.update('Account', String(target?.Id), { Phone: "+1 555 0100'--" });
    await settle(stack, 60_000);
    expect(stack.intacct.record('CUSTOMER', 'IAINJ-0')).toMatchObject({
      NAME: `${nasty[0]} (ia)`,
      DISPLAYCONTACT: { PHONE1: "+1 555 0100'--" },
    });
    expect(stack.intacct.records('CUSTOMER')).toHaveLength(2 * nasty.length);
    expect(stack.salesforce.records('Account')).toHaveLength(2 * nasty.length);
  });
});

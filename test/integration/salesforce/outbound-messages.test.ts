import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, describe, expect, test } from 'vitest';
import { type SalesforceSimulator, startSalesforceSimulator } from '#local/salesforce-sim/index.ts';

const ACK =
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
  '<out:notificationsResponse xmlns:out="http://soap.sforce.com/2005/09/outbound"><out:Ack>true</out:Ack></out:notificationsResponse>' +
  '</soapenv:Body></soapenv:Envelope>';

type Received = {
  headers: Record<string, unknown>;
  body: string;
  notifications: Array<{ id: string; type: string; fields: Record<string, string> }>;
};
type Reply = 'ack' | 'nack' | 'json' | 'hang';

const parser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (n) => n === 'Notification',
});

function parse(body: string): Received['notifications'] {
  const doc = parser.parse(body) as {
    Envelope: { Body: { notifications: { Notification: Array<Record<string, unknown>> } } };
  };
  return doc.Envelope.Body.notifications.Notification.map((n) => {
    const { '@_type': type, ...fields } = n.sObject as Record<string, string>;
    const plain = Object.fromEntries(Object.entries(fields).filter(([k]) => !k.startsWith('@_')));
    return { id: String(n.Id), type: String(type), fields: plain };
  });
}

let sim: SalesforceSimulator | undefined;
let server: Server | undefined;

afterEach(async () => {
  await sim?.stop();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  sim = undefined;
  server = undefined;
});

/** A listener on 127.0.0.1 that answers each POST as `replies` says (then acks). */
async function listener(replies: Reply[] = []): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body, notifications: parse(body) });
      const reply = replies.shift() ?? 'ack';
      if (reply === 'hang') return;
      if (reply === 'json') res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
      else if (reply === 'nack') res.writeHead(500, { 'Content-Type': 'text/xml' }).end('<error/>');
      else res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' }).end(ACK);
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/om`, received };
}

describe('outbound-message sender', () => {
  test('an Account change posts a real-format SOAP notification and the Ack drains the outbox', async () => {
    const { url, received } = await listener();
    sim = await startSalesforceSimulator({ seed: 'demo', outboundEndpoint: url });
    const id = sim.asUser.create('Account', { Name: 'Tom & Jerry <Ltd>', Phone: null });
    expect(await sim.outbound.waitForDrain(5000)).toBe(true);
    expect(received).toHaveLength(1);
    const msg = received[0];
    expect(msg?.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(msg?.headers.soapaction).toBe('""');
    expect(msg?.body).toContain('<notifications xmlns="http://soap.sforce.com/2005/09/outbound">');
    expect(msg?.body).toContain(`<OrganizationId>${sim.readyInfo().orgId}</OrganizationId>`);
    expect(msg?.body).toContain('<SessionId xsi:nil="true"/>');
    expect(msg?.body).toContain('xsi:type="sf:Account" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"');
    expect(msg?.body).toContain('Tom &amp; Jerry &lt;Ltd&gt;');
    const [n] = msg?.notifications ?? [];
    expect(n?.id.startsWith('04l')).toBe(true);
    expect(n?.fields).toMatchObject({ Id: id, Name: 'Tom & Jerry <Ltd>' });
    expect(n?.fields).not.toHaveProperty('Phone');
    expect(sim.outbound.stats()).toMatchObject({
      deliveries: 1,
      acks: 1,
      nacks: 0,
      delivered: 1,
      pending: 0,
    });
  });

  test('an Opportunity notifies only when IsWon becomes true', async () => {
    const { url, received } = await listener();
    sim = await startSalesforceSimulator({ seed: 'demo', outboundEndpoint: url });
    const opp = sim.records('Opportunity').find((o) => o.IsWon === false);
    sim.asUser.update('Opportunity', String(opp?.Id), { Description: 'no OM for this' });
    sim.asUser.update('Opportunity', String(opp?.Id), { StageName: 'Closed Won' });
    sim.asUser.update('Opportunity', String(opp?.Id), { Description: 'still won, no second OM' });
    expect(await sim.outbound.waitForDrain(5000)).toBe(true);
    expect(received.flatMap((r) => r.notifications)).toHaveLength(1);
    expect(received[0]?.notifications[0]?.fields).toMatchObject({ IsWon: 'true', StageName: 'Closed Won' });
  });

  test('changes of one transaction are batched into one POST per object type', async () => {
    const { url, received } = await listener();
    sim = await startSalesforceSimulator({ seed: 'empty' });
    for (let i = 0; i < 120; i++) sim.asUser.create('Account', { Name: `Batch ${i}` });
    sim.asUser.create('Contact', { LastName: 'Solo' });
    sim.setOutboundEndpoint(url);
    expect(await sim.outbound.waitForDrain(5000)).toBe(true);
    const sizes = received.map((r) => ({
      n: r.notifications.length,
      types: new Set(r.notifications.map((x) => x.type)),
    }));
    expect(sizes.every((s) => s.n <= 100 && s.types.size === 1)).toBe(true);
    expect(sizes.reduce((a, s) => a + s.n, 0)).toBe(121);
  });

  test('a nack, a JSON 200 and a timeout are retried with the same notification Id and fresh data', async () => {
    const { url, received } = await listener(['nack', 'json', 'hang']);
    sim = await startSalesforceSimulator({
      seed: 'empty',
      outboundEndpoint: url,
      timeScale: 10_000,
      // 2,000 simulated seconds = 200 real ms per attempt before the hung request counts as failed.
      outbound: { attemptTimeoutMs: 2_000_000 },
    });
    const id = sim.asUser.create('Account', { Name: 'Before' });
    await new Promise((r) => setImmediate(r));
    sim.asUser.update('Account', id, { Name: 'After' });
    expect(await sim.outbound.waitForDrain(10_000)).toBe(true);
    const deliveriesOfFirst = received.filter((r) =>
      r.notifications.some((n) => n.id === received[0]?.notifications[0]?.id),
    );
    expect(deliveriesOfFirst.length).toBe(4);
    expect(deliveriesOfFirst.at(-1)?.notifications[0]?.fields.Name).toBe('After');
    expect(sim.outbound.stats()).toMatchObject({ nacks: 3, dropped: 0 });
  });

  test('a notification never acked is dropped after the retention window', async () => {
    const { url, received } = await listener(Array.from({ length: 100 }, () => 'nack' as const));
    sim = await startSalesforceSimulator({ seed: 'empty', outboundEndpoint: url, timeScale: 1_000_000 });
    sim.asUser.create('Account', { Name: 'Never acked' });
    expect(await sim.outbound.waitForDrain(10_000)).toBe(true);
    expect(sim.outbound.stats()).toMatchObject({ dropped: 1, acks: 0 });
    expect(received.length).toBeGreaterThan(1);
  });

  test('the duplicate knob redelivers an acked POST with the same notification Ids', async () => {
    const { url, received } = await listener();
    sim = await startSalesforceSimulator({
      seed: 'empty',
      outboundEndpoint: url,
      outbound: { duplicateRate: 1 },
    });
    sim.asUser.create('Account', { Name: 'Twice' });
    expect(await sim.outbound.waitForDrain(5000)).toBe(true);
    expect(received).toHaveLength(2);
    expect(received[1]?.notifications[0]?.id).toBe(received[0]?.notifications[0]?.id);
  });

  test('the reorder knob delivers newer notifications first', async () => {
    const { url, received } = await listener();
    sim = await startSalesforceSimulator({ seed: 'empty', outbound: { reorder: true } });
    sim.asUser.create('Account', { Name: 'First' });
    sim.asUser.create('Account', { Name: 'Second' });
    sim.setOutboundEndpoint(url);
    expect(await sim.outbound.waitForDrain(5000)).toBe(true);
    expect(received.flatMap((r) => r.notifications.map((n) => n.fields.Name))).toEqual(['Second', 'First']);
  });
});

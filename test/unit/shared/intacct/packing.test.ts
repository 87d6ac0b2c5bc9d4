/**
 * How the client packs functions into requests while the cap is busy (DESIGN §8): a request takes
 * its functions only once it holds a slot, so what queued meanwhile rides together, reads first.
 */
import { describe, expect, it } from 'vitest';
import { IntacctClient } from '#shared/intacct/client.ts';
import { create, readByName } from '#shared/intacct/functions/generic.ts';
import type { FetchLike } from '#shared/intacct/transport.ts';
import * as fx from './fixtures.ts';

const { credentials } = fx;

const functionsOf = (body: string) =>
  [...body.matchAll(/<function controlid="([^"]+)">([\s\S]*?)<\/function>/g)].map((m) => ({
    id: m[1] ?? '',
    write: (m[2] ?? '').includes('<create>'),
  }));

/** Answers every function with success; each request is held until the test lets it go. */
function gatedGateway() {
  const sent: string[] = [];
  const gates: Array<() => void> = [];
  const fetch: FetchLike = async (_url, init) => {
    sent.push(init.body);
    await new Promise<void>((resolve) => gates.push(resolve));
    const results = functionsOf(init.body).map(({ id, write }) =>
      write
        ? `<result><status>success</status><function>create</function><controlid>${id}</controlid><data listtype="objects" count="1"><customer><RECORDNO>1</RECORDNO><CUSTOMERID>${id}</CUSTOMERID></customer></data></result>`
        : `<result><status>success</status><function>readByName</function><controlid>${id}</controlid><data listtype="CUSTOMER" count="1"><CUSTOMER><CUSTOMERID>${id}</CUSTOMERID></CUSTOMER></data></result>`,
    );
    return {
      status: 200,
      headers: { get: (n: string) => (n === 'content-type' ? 'text/xml' : null) },
      text: async () => fx.ok(results.join('')),
    };
  };
  /** Lets the oldest held request answer, once it has been sent. */
  const answerNext = async () => {
    for (let i = 0; i < 100 && gates.length === 0; i++) await new Promise((r) => setTimeout(r, 1));
    const gate = gates.shift();
    if (!gate) throw new Error('no request is waiting for an answer');
    gate();
  };
  return { fetch, sent, answerNext };
}

const read = (key: string) => readByName({ object: 'CUSTOMER', keys: [key] });
const write = (key: string) =>
  create({ object: 'CUSTOMER', fields: { CUSTOMERID: key } }, { controlId: key });
const tick = () => new Promise((r) => setTimeout(r, 5));

function client(fetch: FetchLike, maxFunctionsPerRequest = 100) {
  return new IntacctClient({
    credentials,
    fetch,
    useSessions: false,
    concurrency: 1,
    maxFunctionsPerRequest,
    sleep: async () => {},
  });
}

describe('IntacctClient packing while the cap is busy', () => {
  it('sends what queued during a busy slot in the next request, reads ahead of writes', async () => {
    const gw = gatedGateway();
    const c = client(gw.fetch);
    const first = c.execute(read('r0'));
    await tick();
    // the slot is busy with r0: these wait, and go out together once it frees
    const w1 = c.execute(write('w1'));
    const w2 = c.execute(write('w2'));
    const r1 = c.execute(read('r1'));
    await tick();
    expect(gw.sent).toHaveLength(1);
    await gw.answerNext();
    await first;
    await gw.answerNext();
    const [written, , readBack] = await Promise.all([w1, w2, r1]);
    expect(gw.sent).toHaveLength(2);
    expect(functionsOf(gw.sent[1] ?? '').map((f) => f.id)).toEqual([expect.stringMatching(/.+/), 'w1', 'w2']);
    expect(functionsOf(gw.sent[1] ?? '')[0]?.write).toBe(false);
    // each caller still gets its own result
    expect(written.records[0]?.CUSTOMERID).toBe('w1');
    expect(readBack[0]?.CUSTOMERID).toBe(functionsOf(gw.sent[1] ?? '')[0]?.id);
  });

  it('splits a backlog into full requests and never puts one control ID twice in a request', async () => {
    const gw = gatedGateway();
    const c = client(gw.fetch, 2);
    const first = c.execute(read('r0'));
    await tick();
    const later = [
      c.execute(write('a')),
      c.execute(write('b')),
      c.execute(write('a')),
      c.execute(write('c')),
      c.execute(write('d')),
    ];
    await tick();
    for (let i = 0; i < 4; i++) await gw.answerNext();
    await first;
    await Promise.all(later);
    const requests = gw.sent.slice(1).map((b) => functionsOf(b).map((f) => f.id));
    // a, b | a (its twin waits) c | d — every function carried once, no request above 2
    expect(requests.flat().sort()).toEqual(['a', 'a', 'b', 'c', 'd']);
    for (const r of requests) {
      expect(r.length).toBeLessThanOrEqual(2);
      expect(new Set(r).size).toBe(r.length);
    }
    expect(requests).toHaveLength(3);
  });

  it('gives every queued function the error of a request that failed before it was composed', async () => {
    const failing: FetchLike = async () => {
      throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    };
    const c = new IntacctClient({
      credentials,
      fetch: failing,
      concurrency: 1,
      maxRetries: 0,
      sleep: async () => {},
    });
    // with sessions on, the session cannot open: nothing is composed, every caller hears why
    const outcomes = await Promise.allSettled([c.execute(read('x')), c.execute(write('y'))]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(c.counters.functions).toBe(1);
  });
});

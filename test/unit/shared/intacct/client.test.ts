import { describe, expect, it } from 'vitest';
import { IntacctClient } from '#shared/intacct/client.ts';
import {
  IntacctAuthenticationError,
  IntacctDuplicateError,
  IntacctRateLimitError,
  IntacctUnknownOutcomeError,
} from '#shared/intacct/errors.ts';
import { create, readByName, readByQuery } from '#shared/intacct/functions/generic.ts';
import { readByQueryAll } from '#shared/intacct/paging.ts';
import type { FetchLike } from '#shared/intacct/transport.ts';
import * as fx from './fixtures.ts';

const { credentials } = fx;

type Reply = { status?: number; body: string; type?: string };

/** A fetch that answers from a script and records what was sent (no network). */
function scripted(replies: Array<Reply | ((body: string) => Reply)>) {
  const sent: Array<{ url: string; body: string }> = [];
  const fetch: FetchLike = async (url, init) => {
    sent.push({ url, body: init.body });
    const next = replies.shift();
    if (!next) throw new Error('no scripted reply left');
    const r = typeof next === 'function' ? next(init.body) : next;
    return {
      status: r.status ?? 200,
      headers: {
        get: (n: string) => (n === 'content-type' ? (r.type ?? 'text/xml; encoding="UTF-8"') : null),
      },
      text: async () => r.body,
    };
  };
  return { fetch, sent };
}

const noSleep = async () => {};
/** Fixture sessions time out at 2026-01-01T12:00Z; the clock sits two hours before. */
const clock = () => Date.parse('2026-01-01T10:00:00Z');
const session = () => ({ body: fx.apiSession('S1..', 'https://na9.example.test/ia/xml/xmlgw.phtml') });
const rowsResult = (controlId: string, rows: string) =>
  `<result><status>success</status><function>readByName</function><controlid>${controlId}</controlid><data listtype="CUSTOMER" count="1">${rows}</data></result>`;
const controlIdsOf = (body: string) =>
  [...body.matchAll(/<function controlid="([^"]+)">/g)].map((m) => m[1] ?? '');

/** Answers every function of a request with a readByName row named after its control ID. */
const echoRows = (body: string): Reply => ({
  body: fx.ok(
    controlIdsOf(body)
      .map((id) => rowsResult(id, `<CUSTOMER><CUSTOMERID>${id}</CUSTOMERID></CUSTOMER>`))
      .join(''),
  ),
});

describe('IntacctClient', () => {
  it('opens a session by login in its own request, then follows the returned endpoint', async () => {
    const { fetch, sent } = scripted([session(), echoRows]);
    const client = new IntacctClient({ credentials, fetch, sleep: noSleep, now: clock });
    await client.execute(readByName({ object: 'CUSTOMER', keys: ['A'] }));
    expect(sent[0]?.url).toBe(credentials.endpoint);
    expect(sent[0]?.body).toContain(
      '<login><userid>u</userid><companyid>co</companyid><password>up</password></login>',
    );
    expect(controlIdsOf(sent[0]?.body ?? '')).toEqual(['sessionProvider']);
    expect(sent[1]?.url).toBe('https://na9.example.test/ia/xml/xmlgw.phtml');
    expect(sent[1]?.body).toContain('<sessionid>S1..</sessionid>');
  });

  it('packs concurrent calls into one request and routes each result to its caller', async () => {
    const { fetch, sent } = scripted([session(), echoRows]);
    const client = new IntacctClient({ credentials, fetch, sleep: noSleep, now: clock });
    const calls = ['a', 'b', 'c'].map((k) => client.execute(readByName({ object: 'CUSTOMER', keys: [k] })));
    const results = await Promise.all(calls);
    expect(sent).toHaveLength(2);
    const ids = controlIdsOf(sent[1]?.body ?? '');
    expect(results.map((r) => r[0]?.CUSTOMERID)).toEqual(ids);
    expect(client.counters).toMatchObject({ httpRequests: 2, apiTransactions: 3 });
  });

  it('splits a burst into requests of at most maxFunctionsPerRequest functions', async () => {
    const { fetch, sent } = scripted([session(), echoRows, echoRows, echoRows]);
    const client = new IntacctClient({
      credentials,
      fetch,
      sleep: noSleep,
      now: clock,
      maxFunctionsPerRequest: 2,
    });
    await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((k) => client.execute(readByName({ object: 'CUSTOMER', keys: [k] }))),
    );
    expect(sent.slice(1).map((s) => controlIdsOf(s.body).length)).toEqual([2, 2, 1]);
  });

  it('sends writes with uniqueid=true and the caller control ID, and refuses writes without one', async () => {
    const created = `<result><status>success</status><function>create</function><controlid>acct-1-v1</controlid><data listtype="objects" count="1"><customer><RECORDNO>9</RECORDNO><CUSTOMERID>A</CUSTOMERID></customer></data></result>`;
    const { fetch, sent } = scripted([session(), { body: fx.ok(created) }]);
    const client = new IntacctClient({ credentials, fetch, sleep: noSleep, now: clock });
    const r = await client.execute(
      create({ object: 'CUSTOMER', fields: { CUSTOMERID: 'A' } }, { controlId: 'acct-1-v1' }),
    );
    expect(r.records).toEqual([{ object: 'CUSTOMER', RECORDNO: '9', CUSTOMERID: 'A' }]);
    expect(sent[1]?.body).toContain('<uniqueid>true</uniqueid>');
    expect(sent[1]?.body).toContain('<function controlid="acct-1-v1">');
    expect(() =>
      client.execute({
        ...create({ object: 'CUSTOMER', fields: {} }, { controlId: 'x' }),
        controlId: undefined,
      }),
    ).toThrow(/controlId/);
  });

  it('gives each caller its own failure when one function of a batch fails', async () => {
    const reply = (body: string): Reply => {
      const [good, bad] = controlIdsOf(body);
      return {
        body: fx.ok(
          `${rowsResult(good ?? '', '<CUSTOMER><CUSTOMERID>A</CUSTOMERID></CUSTOMER>')}<result><status>failure</status><function>create</function><controlid>${bad}</controlid><data listtype="objects" count="0"/><errormessage><error><errorno>BL34000061</errorno><description2>Another Customer with the given value(s) B already exists</description2></error></errormessage></result>`,
        ),
      };
    };
    const { fetch } = scripted([session(), reply]);
    const client = new IntacctClient({ credentials, fetch, sleep: noSleep, now: clock });
    const ok = client.execute(readByName({ object: 'CUSTOMER', keys: ['A'] }));
    const dup = client.execute(
      create({ object: 'CUSTOMER', fields: { CUSTOMERID: 'B' } }, { controlId: 'b-1' }),
    );
    await expect(ok).resolves.toHaveLength(1);
    await expect(dup).rejects.toBeInstanceOf(IntacctDuplicateError);
  });

  it('re-logs in once and replays when the session is invalid', async () => {
    const { fetch, sent } = scripted([
      session(),
      { body: fx.invalidSession },
      { body: fx.apiSession('S2..', 'https://na9.example.test/ia/xml/xmlgw.phtml') },
      echoRows,
    ]);
    const client = new IntacctClient({ credentials, fetch, sleep: noSleep, now: clock });
    const rows = await client.execute(readByName({ object: 'CUSTOMER', keys: ['A'] }));
    expect(rows).toHaveLength(1);
    expect(sent[3]?.body).toContain('<sessionid>S2..</sessionid>');
    expect(client.counters.sessionsOpened).toBe(2);
  });

  it('surfaces a second invalid session instead of looping', async () => {
    const { fetch } = scripted([
      session(),
      { body: fx.invalidSession },
      session(),
      { body: fx.invalidSession },
    ]);
    const client = new IntacctClient({ credentials, fetch, sleep: noSleep, now: clock });
    await expect(client.execute(readByName({ object: 'CUSTOMER', keys: ['A'] }))).rejects.toMatchObject({
      name: 'IntacctSessionError',
    });
  });

  it('opens a new session before the cached one times out', async () => {
    let now = Date.parse('2026-01-01T10:00:00Z');
    const { fetch, sent } = scripted([session(), echoRows, session(), echoRows]);
    const client = new IntacctClient({
      credentials,
      fetch,
      sleep: noSleep,
      now: () => now,
      sessionRefreshMarginMs: 60_000,
    });
    await client.execute(readByName({ object: 'CUSTOMER', keys: ['A'] }));
    now = Date.parse('2026-01-01T11:59:30Z'); // 30 s before the 12:00 sessiontimeout
    await client.execute(readByName({ object: 'CUSTOMER', keys: ['A'] }));
    expect(sent.filter((s) => s.body.includes('<getAPISession/>'))).toHaveLength(2);
  });

  it('retries 429, 5xx and HTML bodies with backoff and then succeeds', async () => {
    const sleeps: number[] = [];
    const { fetch } = scripted([
      session(),
      { status: 429, body: fx.gatewayRateLimit },
      { status: 502, body: '<!DOCTYPE html><html><body>Bad gateway</body></html>', type: 'text/html' },
      { status: 200, body: '<html><body>wait</body></html>', type: 'text/html' },
      echoRows,
    ]);
    const client = new IntacctClient({
      credentials,
      fetch,
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 1,
      retryBaseDelayMs: 100,
      now: clock,
    });
    await expect(client.execute(readByName({ object: 'CUSTOMER', keys: ['A'] }))).resolves.toHaveLength(1);
    expect(client.counters).toMatchObject({ retries: 3, rateLimited: 1 });
    expect(sleeps.filter((ms) => ms >= 100)).toEqual(expect.arrayContaining([100, 200, 400]));
  });

  it('gives up with a typed retryable error after maxRetries', async () => {
    const { fetch } = scripted([
      session(),
      ...Array.from({ length: 3 }, () => ({ status: 429, body: fx.gatewayRateLimit })),
    ]);
    const client = new IntacctClient({ credentials, fetch, sleep: noSleep, now: clock, maxRetries: 2 });
    const error = await client.execute(readByName({ object: 'CUSTOMER', keys: ['A'] })).catch((e) => e);
    expect(error).toBeInstanceOf(IntacctRateLimitError);
    expect(error.retryable).toBe(true);
  });

  it('treats 524 on a write as an unknown outcome and never resends it', async () => {
    const { fetch, sent } = scripted([
      session(),
      { status: 524, body: '<html>timeout</html>', type: 'text/html' },
    ]);
    const client = new IntacctClient({ credentials, fetch, sleep: noSleep, now: clock });
    const error = await client
      .execute(create({ object: 'CUSTOMER', fields: { CUSTOMERID: 'A' } }, { controlId: 'a-1' }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(IntacctUnknownOutcomeError);
    expect(sent).toHaveLength(2);
  });

  it('retries a 524 on a read-only request', async () => {
    const { fetch, sent } = scripted([
      session(),
      { status: 524, body: '<html>timeout</html>', type: 'text/html' },
      echoRows,
    ]);
    const client = new IntacctClient({ credentials, fetch, sleep: noSleep, now: clock });
    await expect(client.execute(readByName({ object: 'CUSTOMER', keys: ['A'] }))).resolves.toHaveLength(1);
    expect(sent).toHaveLength(3);
  });

  it('fails fast on a bad sender and on HTTP 401 with an XML body', async () => {
    const a = scripted([{ body: fx.badSender }]);
    const e1 = await new IntacctClient({ credentials, fetch: a.fetch, sleep: noSleep })
      .execute(readByName({ object: 'CUSTOMER', keys: ['A'] }))
      .catch((e) => e);
    expect(e1).toBeInstanceOf(IntacctAuthenticationError);
    expect(a.sent).toHaveLength(1);
    const b = scripted([{ status: 401, body: fx.unauthorized401 }]);
    const e2 = await new IntacctClient({ credentials, fetch: b.fetch, sleep: noSleep })
      .execute(readByName({ object: 'CUSTOMER', keys: ['A'] }))
      .catch((e) => e);
    expect(e2).toMatchObject({ name: 'IntacctAuthenticationError', code: 'XMLGW_JPP0002', retryable: false });
  });

  it('pages readByQuery with readMore until numremaining is 0', async () => {
    const page =
      (id: string, remaining: number, resultId: string) =>
      (body: string): Reply => ({
        body: fx.ok(
          fx
            .readByQueryPage(`<customer><CUSTOMERID>${id}</CUSTOMERID></customer>`, remaining, resultId)
            .replace('<controlid>q</controlid>', `<controlid>${controlIdsOf(body)[0]}</controlid>`),
        ),
      });
    const { fetch, sent } = scripted([session(), page('A', 2, 'R@1'), page('B', 1, 'R@1'), page('C', 0, '')]);
    const client = new IntacctClient({ credentials, fetch, sleep: noSleep, now: clock });
    const ids: unknown[] = [];
    for await (const row of readByQueryAll(client, { object: 'CUSTOMER', query: "STATUS = 'T'" }))
      ids.push(row.CUSTOMERID);
    expect(ids).toEqual(['A', 'B', 'C']);
    expect(sent[2]?.body).toContain('<readMore><resultId>R@1</resultId></readMore>');
    expect(client.counters.apiTransactions).toBe(3);
  });

  it('logs in on every request when sessions are off, with the entity as locationid', async () => {
    const { fetch, sent } = scripted([echoRows]);
    const client = new IntacctClient({
      credentials: { ...credentials, entityId: 'E200' },
      fetch,
      sleep: noSleep,
      now: clock,
      useSessions: false,
    });
    await client.execute(
      readByQuery({ object: 'CUSTOMER' }).name === 'readByQuery'
        ? readByName({ object: 'CUSTOMER', keys: ['A'] })
        : readByName({ object: 'X', keys: [] }),
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toContain('<locationid>E200</locationid></login>');
  });
});

/**
 * Faults on the whole local pipeline, all at once: random transient errors on both APIs (Salesforce
 * 503s; Intacct 429s, 5xx and 524s after a committed write), 429 storms and Salesforce concurrency
 * limits, expired sessions and tokens on both sides, duplicated and reordered outbound messages,
 * and a worker instance killed mid-batch. Besides, a few records can never sync (permanent
 * failures). The run must end with 0 lost, 0 duplicates, and exactly those records in the DLQ,
 * each with its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { eventually, testConfig } from '../helpers/config.ts';
import { runSchedule, settle, status } from '../helpers/local-stack.ts';
import {
  type DeadLetterEntry,
  type JobObserver,
  observeJobs,
  readDeadLetters,
} from '../helpers/reliability.ts';

const N_SF = 100; // accounts created in Salesforce
const N_IA = 100; // customers created in Intacct
const TWINS = 3; // Salesforce contacts whose email matches two Intacct contacts: AMBIGUOUS_MATCH
const LONG_PHONE = 3; // Intacct customers whose phone is too long for Salesforce: STRING_TOO_LONG

describe('the pipeline under every fault at once', () => {
  let stack: LocalStack;
  let observer: JobObserver;
  let dead: DeadLetterEntry[] = [];
  const sfAccounts: string[] = [];
  const twinContacts: string[] = [];
  const longPhoneKeys = Array.from({ length: LONG_PHONE }, (_, i) => `LONGPH-${i}`);

  beforeAll(async () => {
    stack = await startLocalStack({
      // The mirror kernel under every fault at once. The credit-status alert would add, for each
      // customer whose Account never syncs, a PARENT_NOT_SYNCED beside the account's own failure
      // after its whole retry ladder (about a minute here): how references wait is covered by the
      // price and receivables tests.
      config: { ...testConfig(), flows: testConfig().flows.filter((f) => f.kind !== 'alert') },
      seed: 'empty',
      timers: false,
      runtime: { visibilityTimeoutSeconds: 2 },
    });
    observer = observeJobs(stack);
  });
  afterAll(() => stack.stop(2000));

  it('ends with 0 lost and 0 duplicates on either side', async () => {
    const sf = stack.salesforce;
    const ia = stack.intacct;
    sf.outbound.configure({ duplicateRate: 0.3, reorder: true });
    sf.setFaults({ errorRate: 0.1, concurrentLimitNext: 3, failNext: { count: 2 } });
    ia.setFaults({ rate429: 0.04, rate5xx: 0.03, rate524: 0.03 });
    // A 429 storm on the first requests, with a session expiry in the middle of it.
    ia.injectFaults('429', '429', '429', '429', '429', 'expire-sessions', '524', '429', '429', '429');

    // Permanent failures first, so they are in the same batches as good records.
    for (let i = 0; i < TWINS; i++)
      for (const side of ['a', 'b'])
        ia.userCreate('CONTACT', {
          CONTACTNAME: `Twin ${i}${side}`,
          PRINTAS: `Twin ${i}${side}`,
          EMAIL1: `twin${i}@faults.example`,
        });
    for (let i = 0; i < TWINS; i++)
      twinContacts.push(
        sf.asUser.create('Contact', { LastName: `Twin ${i}`, Email: `twin${i}@faults.example` }),
      );
    for (const [i, key] of longPhoneKeys.entries())
      ia.userCreate('CUSTOMER', {
        CUSTOMERID: key,
        NAME: `Long Phone ${i}`,
        DISPLAYCONTACT: { PRINTAS: `Long Phone ${i}`, PHONE1: `+1 555 ${'0'.repeat(60)}` },
      });

    for (let i = 0; i < N_SF; i++) {
      sfAccounts.push(
        sf.asUser.create('Account', {
          Name: `Fault SF ${i}`,
          AccountNumber: `FSF-${i}`,
          Phone: `+1 555 1${i}`,
        }),
      );
      ia.userCreate('CUSTOMER', {
        CUSTOMERID: `FIA-${i}`,
        NAME: `Fault IA ${i}`,
        DISPLAYCONTACT: { PRINTAS: `Fault IA ${i}`, PHONE1: `+1 555 2${i}` },
      });
      if (i === N_SF / 2) {
        // Changes while the first notifications are being worked on: updates race creates.
        for (const id of sfAccounts.slice(0, 10))
          sf.asUser.update('Account', id, { Website: 'https://changed.example' });
      }
    }
    await runSchedule(stack, 'intacct-delta').catch(() => undefined);

    // Kill a worker instance while it holds a batch.
    await eventually(
      async () => ((await status(stack)) as unknown as { worker: { inFlight: number } }).worker.inFlight > 0,
      30_000,
      'a batch in flight',
    );
    await stack.runtime.crashWorker();
    sf.expireTokens();
    ia.expireSessions();
    ia.injectFaults('429', '429', '429', '429', '429', '429');
    sf.setFaults({ concurrentLimitNext: 5 });

    // Delta polls under faults: a failed poll keeps its watermark and the next one re-reads.
    for (let round = 0; round < 3; round++) {
      await runSchedule(stack, 'salesforce-delta').catch(() => undefined);
      await runSchedule(stack, 'intacct-delta').catch(() => undefined);
      await settle(stack, 120_000);
    }
    sf.setFaults({ errorRate: 0 });
    ia.setFaults({ rate429: 0, rate5xx: 0, rate524: 0 });
    sf.outbound.configure({ duplicateRate: 0, reorder: false });
    await runSchedule(stack, 'salesforce-delta');
    await runSchedule(stack, 'intacct-delta');
    const done = await settle(stack, 120_000);

    // The faults really happened.
    const injected = ia.counters().faultsInjected;
    expect(injected['429'] ?? 0).toBeGreaterThanOrEqual(11);
    expect(injected['524'] ?? 0).toBeGreaterThanOrEqual(1);
    expect(injected['expire-sessions'] ?? 0).toBeGreaterThanOrEqual(1);
    expect(sf.outbound.stats().duplicates).toBeGreaterThanOrEqual(1);
    expect([...observer.received.values()].some((n) => n > 1)).toBe(true); // redeliveries

    // 0 lost: every good record on each side has its one counterpart, linked and up to date.
    const customers = ia.records('CUSTOMER');
    const accounts = sf.records('Account');
    for (let i = 0; i < N_SF; i++) {
      const linked = customers.filter((c) => c.CUSTOMERID === `FSF-${i}`);
      expect(linked).toHaveLength(1);
      expect(linked[0]).toMatchObject({ NAME: `Fault SF ${i}`, DISPLAYCONTACT: { PHONE1: `+1 555 1${i}` } });
      expect(sf.record('Account', sfAccounts[i] as string)?.Intacct_Customer_Id__c).toBe(`FSF-${i}`);
    }
    for (const id of sfAccounts.slice(0, 10))
      expect(
        customers.find((c) => c.CUSTOMERID === sf.record('Account', id)?.AccountNumber)?.DISPLAYCONTACT,
      ).toMatchObject({
        URL1: 'https://changed.example',
      });
    for (let i = 0; i < N_IA; i++) {
      const linked = accounts.filter((a) => a.Intacct_Customer_Id__c === `FIA-${i}`);
      expect(linked).toHaveLength(1);
      expect(linked[0]).toMatchObject({ Name: `Fault IA ${i}`, Phone: `+1 555 2${i}` });
    }

    // 0 duplicates: no extra record on either side, no name twice.
    expect(customers).toHaveLength(N_SF + N_IA + LONG_PHONE);
    expect(accounts).toHaveLength(N_SF + N_IA);
    expect(new Set(customers.map((c) => c.NAME)).size).toBe(customers.length);
    expect(new Set(accounts.map((a) => a.Name)).size).toBe(accounts.length);
    expect(ia.records('CONTACT').filter((c) => String(c.EMAIL1).startsWith('twin'))).toHaveLength(2 * TWINS);
    for (const id of twinContacts) expect(sf.record('Contact', id)?.Intacct_Contact_Id__c ?? null).toBeNull();

    expect(done.queues.jobs).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    dead = await readDeadLetters(stack);
  }, 300_000);

  it('has every permanent failure in the DLQ with its reason', () => {
    const expected = new Map<string, [string, RegExp]>([
      ...twinContacts.map((id): [string, [string, RegExp]] => [
        id,
        ['AMBIGUOUS_MATCH', /2 CONTACT records match EMAIL1/],
      ]),
      ...longPhoneKeys.map((key): [string, [string, RegExp]] => [key, ['STRING_TOO_LONG', /Phone/]]),
    ]);
    for (const [id, [code, reason]] of expected) {
      const entries = dead.filter((d) => d.job?.recordId === id);
      expect(entries.length, `DLQ entries for ${id}`).toBeGreaterThanOrEqual(1);
      for (const entry of entries) {
        expect(entry.attributes.errorCode).toBe(code);
        expect(entry.attributes.errorMessage).toMatch(reason);
        expect(entry.attributes.hint ?? '').not.toBe('');
      }
    }
    // Whatever else is there carries its reason too (none was moved there silently by maxReceiveCount).
    for (const entry of dead) expect(entry.attributes.errorCode ?? '', entry.body).not.toBe('');
  });

  it('dead-letters nothing but the permanent failures', () => {
    const expected = new Set([...twinContacts, ...longPhoneKeys]);
    const others = dead.filter((d) => !expected.has(d.job?.recordId ?? ''));
    expect(others.map((d) => `${d.job?.recordId} ${d.attributes.errorCode}`)).toEqual([]);
  });

  it('records each permanent failure in the failure log with both IDs and a fix', async () => {
    const failures = (await status(stack)).recentFailures;
    for (const id of [...twinContacts, ...longPhoneKeys]) {
      const failure = failures.find((f) => f.ids.recordId === id);
      expect(failure, `failure record for ${id}`).toBeDefined();
      expect(failure?.code).toMatch(/^(AMBIGUOUS_MATCH|STRING_TOO_LONG)$/);
      expect(failure?.hint ?? '').not.toBe('');
    }
    expect(failures.find((f) => f.ids.recordId === twinContacts[0])?.message).toMatch(
      /2 CONTACT records match EMAIL1/,
    );
  });
});

/**
 * The store's indexes (by ID, by field value, by datetime) must change no answer: on stores built
 * by random creates, updates (the clock moving both ways), deletes, undeletes, purges and rolled
 * back transactions, every narrowed query returns exactly what the scan returns. The scan is the
 * same WHERE clause wrapped in NOT (NOT (…)), a shape no index applies to.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { seededRandom } from '#local/common/seeded-random.ts';
import { IdFactory } from '#local/salesforce-sim/ids.ts';
import { SchemaRegistry } from '#local/salesforce-sim/schema/registry.ts';
import { seedEmpty } from '#local/salesforce-sim/seed.ts';
import { executeQuery } from '#local/salesforce-sim/soql/execute.ts';
import { parseSoql } from '#local/salesforce-sim/soql/parser.ts';
import { RecordStore } from '#local/salesforce-sim/store.ts';

const START = Date.parse('2026-03-01T00:00:00Z');
let clock = START;
let store: RecordStore;
let user = '';

const soqlTime = (ms: number) => new Date(ms).toISOString().replace('.000', '');
const query = (q: string, includeDeleted = false) =>
  executeQuery({ store, version: '62.0', includeDeleted, now: clock }, parseSoql(q));
/** The same query with its WHERE clause wrapped so that no index applies. */
const scanned = (select: string, where: string, rest = '', includeDeleted = false) =>
  query(`${select} WHERE NOT (NOT (${where})) ${rest}`, includeDeleted);
const indexed = (select: string, where: string, rest = '', includeDeleted = false) =>
  query(`${select} WHERE ${where} ${rest}`, includeDeleted);

/** Random writes through the store's own API; returns every Account and Contact ID ever made. */
function churn(random: () => number, steps: number) {
  const accounts: string[] = [];
  const contacts: string[] = [];
  const pick = (list: string[]) => list[Math.floor(random() * list.length)] ?? '';
  const attempt = (write: () => unknown) => {
    try {
      write();
    } catch {
      // deleted, purged or duplicate: the store refused it, as it would over the API
    }
  };
  for (let i = 0; i < steps; i++) {
    // mostly forward in whole seconds, sometimes back (a test clock): SystemModstamp can go down
    clock += random() < 0.1 ? -3000 : Math.floor(random() * 3) * 1000;
    const r = random();
    const n = Math.floor(random() * 40);
    if (r < 0.3 || accounts.length === 0)
      accounts.push(String(store.create('Account', { Name: `A${i}`, AccountNumber: `N-${n}` }, user).Id));
    else if (r < 0.45)
      attempt(() =>
        contacts.push(
          String(
            store.create(
              'Contact',
              { LastName: `C${i}`, AccountId: pick(accounts), Intacct_Contact_Id__c: `K-${n}` },
              user,
            ).Id,
          ),
        ),
      );
    else if (r < 0.65)
      attempt(() => store.update('Account', pick(accounts), { AccountNumber: `n-${n}` }, user));
    else if (r < 0.72)
      attempt(() => store.update('Contact', pick(contacts), { Intacct_Contact_Id__c: `k-${n}` }, user));
    else if (r < 0.8) attempt(() => store.delete('Account', pick(accounts), user));
    else if (r < 0.85) attempt(() => store.undelete('Account', pick(accounts), user));
    else if (r < 0.88) attempt(() => store.purge('Account', pick(accounts)));
    else if (r < 0.94)
      // allOrNone: the second write fails, so the first is undone
      attempt(() =>
        store.transaction(() => {
          accounts.push(String(store.create('Account', { Name: `T${i}`, AccountNumber: `N-${n}` }, user).Id));
          store.update('Account', 'not-an-id', {}, user);
        }),
      );
    else attempt(() => store.delete('Contact', pick(contacts), user));
  }
  return { accounts, contacts };
}

beforeEach(() => {
  clock = START;
  store = new RecordStore(new SchemaRegistry(), new IdFactory(), () => clock);
  user = seedEmpty(store, 'u@x.example.com').integrationUserId;
});

describe('indexed queries answer what the scan answers', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    test(`random store ${seed}: ID lists, datetime windows, keyset pages, external IDs, child rows`, () => {
      const random = seededRandom(seed);
      const { accounts, contacts } = churn(random, 400);
      const ACC = 'SELECT Id, Name, AccountNumber, SystemModstamp, IsDeleted FROM Account';
      let narrowedSomething = 0;
      for (let k = 0; k < 25; k++) {
        const from = START + Math.floor(random() * 300) * 1000;
        const until = from + Math.floor(random() * 200) * 1000;
        const ids = accounts.filter(() => random() < 0.2);
        // a 15-character ID and one no record has: the key lookup must treat them as the scan does
        const id15 = (accounts[0] ?? '').slice(0, 15);
        const idList = [...ids, id15, '001000000000000AAA'].map((id) => `'${id}'`).join(', ');
        const last = query(
          `${ACC} WHERE SystemModstamp >= ${soqlTime(from)} ORDER BY SystemModstamp, Id LIMIT 1`,
        ).records[0];
        const cases: [string, string][] = [
          [
            `SystemModstamp >= ${soqlTime(from)} AND SystemModstamp < ${soqlTime(until)}`,
            'ORDER BY SystemModstamp ASC, Id ASC',
          ],
          [`SystemModstamp > ${soqlTime(from)}`, ''],
          [`SystemModstamp <= ${soqlTime(until)} AND Name LIKE 'A%'`, 'ORDER BY SystemModstamp DESC LIMIT 7'],
          [`SystemModstamp = ${soqlTime(from)}`, ''],
          [
            `SystemModstamp >= ${soqlTime(from)} AND (SystemModstamp > ${String(last?.SystemModstamp ?? soqlTime(from)).replace('.000+0000', 'Z')} OR (SystemModstamp = ${String(last?.SystemModstamp ?? soqlTime(from)).replace('.000+0000', 'Z')} AND Id > '${String(last?.Id ?? '')}'))`,
            'ORDER BY SystemModstamp ASC, Id ASC LIMIT 50',
          ],
          [`Id IN (${idList})`, ''],
          [`Id IN (${idList}) AND AccountNumber != 'N-1'`, 'ORDER BY Name'],
          [`Id = '${id15}'`, ''],
          [`Id = '${pick(accounts, random)}' OR SystemModstamp > ${soqlTime(from)}`, ''],
        ];
        for (const [where, rest] of cases)
          for (const includeDeleted of [false, true]) {
            const expected = scanned(ACC, where, rest, includeDeleted);
            const actual = indexed(ACC, where, rest, includeDeleted);
            expect(actual, `${where} ${rest} (queryAll: ${includeDeleted})`).toEqual(expected);
            if (actual.records.length > 0) narrowedSomething++;
          }
        const parent = pick(accounts, random);
        // queryAll, so a deleted parent (and deleted children) are in both answers
        const withChildren = query(
          `SELECT Id, (SELECT Id, LastName FROM Contacts) FROM Account WHERE Id = '${parent}'`,
          true,
        ).records[0]?.Contacts as { records: unknown[] } | null | undefined;
        const children = scanned(
          'SELECT Id, LastName FROM Contact',
          `AccountId = '${parent}'`,
          '',
          true,
        ).records;
        expect(withChildren?.records ?? []).toEqual(children);
        if (children.length > 0) narrowedSomething++;
        for (const n of [0, 1, 7, 39]) {
          for (const [object, field, value] of [
            ['Account', 'AccountNumber', `N-${n}`],
            ['Contact', 'Intacct_Contact_Id__c', `k-${n}`],
          ] as const) {
            const scan = store
              .list(object)
              .filter((r) => String(r[field]).toLowerCase() === value.toLowerCase());
            expect(store.findByField(object, field, value)).toEqual(scan);
          }
        }
      }
      expect(contacts.length).toBeGreaterThan(0);
      expect(narrowedSomething).toBeGreaterThan(50);
    });
  }

  test('a unique external ID is still refused case-blind after the first holder changes it', () => {
    const a = String(store.create('Contact', { LastName: 'A', Intacct_Contact_Id__c: 'KEY-1' }, user).Id);
    expect(() => store.create('Contact', { LastName: 'B', Intacct_Contact_Id__c: 'key-1' }, user)).toThrow(
      expect.objectContaining({ errorCode: 'DUPLICATE_VALUE' }),
    );
    store.update('Contact', a, { Intacct_Contact_Id__c: 'KEY-2' }, user);
    expect(store.create('Contact', { LastName: 'B', Intacct_Contact_Id__c: 'key-1' }, user).Id).toBeTruthy();
    expect(store.findByField('Contact', 'Intacct_Contact_Id__c', 'key-2').map((r) => r.Id)).toEqual([a]);
  });
});

function pick(list: string[], random: () => number): string {
  return list[Math.floor(random() * list.length)] ?? '';
}

import { beforeEach, describe, expect, test } from 'vitest';
import { IdFactory } from '#local/salesforce-sim/ids.ts';
import { SchemaRegistry } from '#local/salesforce-sim/schema/registry.ts';
import { seedEmpty } from '#local/salesforce-sim/seed.ts';
import { executeQuery } from '#local/salesforce-sim/soql/execute.ts';
import { parseSoql } from '#local/salesforce-sim/soql/parser.ts';
import { RecordStore } from '#local/salesforce-sim/store.ts';

let store: RecordStore;
let u = '';
const run = (q: string, includeDeleted = false) =>
  executeQuery(
    { store, version: '62.0', includeDeleted, now: Date.parse('2026-06-15T12:00:00Z') },
    parseSoql(q),
  );

beforeEach(() => {
  store = new RecordStore(new SchemaRegistry(), new IdFactory(), () => Date.parse('2026-06-15T12:00:00Z'));
  u = seedEmpty(store, 'u@x.example.com').integrationUserId;
  const a = store.create('Account', { Name: "O'Brien \\ Sons" }, u);
  store.create('Account', { Name: 'Beta', Type: 'Prospect' }, u);
  store.create('Account', { Name: 'gamma 50%' }, u);
  store.create('Contact', { LastName: 'Child', AccountId: a.Id }, u);
});

describe('SOQL subset', () => {
  test('Order is an object and relationship name, not only the ORDER of ORDER BY', () => {
    expect(parseSoql('SELECT Id FROM Order ORDER BY Id').from).toBe('Order');
    expect(parseSoql('SELECT Order.OrderNumber FROM OrderItem').select).toEqual([
      { kind: 'field', path: ['Order', 'OrderNumber'] },
    ]);
    expect(() => parseSoql('SELECT Id FROM Account ORDER Name')).toThrow();
  });

  test('string literals honour backslash escapes', () => {
    expect(run("SELECT Name FROM Account WHERE Name = 'O\\'Brien \\\\ Sons'").records).toHaveLength(1);
  });

  test('= is case-insensitive; LIKE supports wildcards and escaped %', () => {
    expect(run("SELECT Id FROM Account WHERE Name = 'BETA'").totalSize).toBe(1);
    expect(run("SELECT Id FROM Account WHERE Name LIKE '%50\\%'").totalSize).toBe(1);
    expect(run("SELECT Id FROM Account WHERE Name LIKE 'b_ta'").totalSize).toBe(1);
  });

  test('NOT, OR, parentheses, IN/NOT IN and null follow SOQL semantics', () => {
    expect(run("SELECT Id FROM Account WHERE Type = null AND NOT (Name = 'Beta')").totalSize).toBe(2);
    expect(run("SELECT Id FROM Account WHERE Name IN ('Beta', 'gamma 50%') OR Type != null").totalSize).toBe(
      2,
    );
    expect(run("SELECT Id FROM Account WHERE Type NOT IN ('Other')").totalSize).toBe(1);
  });

  test('datetime literals must be unquoted and typed; date literals on datetime fields are refused', () => {
    expect(run('SELECT Id FROM Account WHERE SystemModstamp >= 2026-06-15T12:00:00Z').totalSize).toBe(3);
    expect(run('SELECT Id FROM Account WHERE CreatedDate = TODAY').totalSize).toBe(3);
    expect(() => run("SELECT Id FROM Account WHERE SystemModstamp > '2026-01-01T00:00:00Z'")).toThrow(
      /filter criterion/,
    );
    expect(() => run('SELECT Id FROM Account WHERE SystemModstamp > 2026-01-01')).toThrow();
  });

  test('COUNT(), ORDER BY with NULLS LAST, LIMIT and OFFSET', () => {
    expect(run('SELECT COUNT() FROM Account')).toMatchObject({ totalSize: 3, records: [] });
    const rows = run(
      'SELECT Name FROM Account ORDER BY Type ASC NULLS LAST, Name DESC LIMIT 2 OFFSET 1',
    ).records;
    expect(rows.map((r) => r.Name)).toEqual(["O'Brien \\ Sons", 'gamma 50%']);
  });

  test('reports MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE', () => {
    expect(() => run('SELECT FROM Account')).toThrow(
      expect.objectContaining({ errorCode: 'MALFORMED_QUERY' }),
    );
    expect(() => run('SELECT Bogus FROM Account')).toThrow(
      expect.objectContaining({ errorCode: 'INVALID_FIELD' }),
    );
    expect(() => run('SELECT Id FROM Bogus')).toThrow(expect.objectContaining({ errorCode: 'INVALID_TYPE' }));
    expect(() => run('SELECT Owner.Bogus FROM Account')).toThrow(
      expect.objectContaining({ errorCode: 'INVALID_FIELD' }),
    );
  });

  test('queryAll includes soft-deleted rows with IsDeleted', () => {
    const beta = run("SELECT Id FROM Account WHERE Name = 'Beta'").records[0];
    store.delete('Account', String(beta?.Id), u);
    expect(run('SELECT Id FROM Account').totalSize).toBe(2);
    expect(run('SELECT Id FROM Account WHERE IsDeleted = true', true).totalSize).toBe(1);
  });

  test('child subqueries nest results and empty ones are null; parent paths nest objects', () => {
    const rows = run('SELECT Name, (SELECT LastName FROM Contacts) FROM Account ORDER BY Name').records;
    expect(rows.find((r) => r.Name === 'Beta')?.Contacts).toBeNull();
    expect(rows.find((r) => r.Name === "O'Brien \\ Sons")?.Contacts).toMatchObject({
      totalSize: 1,
      done: true,
    });
    const child = run('SELECT Account.Name FROM Contact').records[0];
    expect(child?.Account).toMatchObject({ attributes: { type: 'Account' }, Name: "O'Brien \\ Sons" });
  });
});

import { describe, expect, test } from 'vitest';
import {
  chunkForInClause,
  escapeSoqlLike,
  escapeSoqlString,
  soql,
  soqlDate,
  soqlDateTime,
  soqlName,
} from '#shared/salesforce/soql.ts';

describe('SOQL builder', () => {
  test('escapes backslash before quote so a trailing backslash cannot close the literal', () => {
    expect(escapeSoqlString("O'Brien \\ Co")).toBe("O\\'Brien \\\\ Co");
    expect(soql`SELECT Id FROM Account WHERE Name = ${"x\\' OR Name != '"}`).toBe(
      "SELECT Id FROM Account WHERE Name = 'x\\\\\\' OR Name != \\''",
    );
  });

  test('formats datetimes without fractional seconds and dates as YYYY-MM-DD, unquoted', () => {
    expect(soqlDateTime(new Date('2026-01-31T23:59:59.987Z')).text).toBe('2026-01-31T23:59:59Z');
    expect(soqlDate('2026-02-03').text).toBe('2026-02-03');
    expect(
      soql`WHERE SystemModstamp > ${new Date('2026-01-01T00:00:00Z')} AND IsWon = ${true} AND Amount > ${5}`,
    ).toBe('WHERE SystemModstamp > 2026-01-01T00:00:00Z AND IsWon = true AND Amount > 5');
  });

  test('renders arrays as IN lists and null as null', () => {
    expect(soql`WHERE Id IN ${['a', "b'"]} AND ParentId = ${null}`).toBe(
      "WHERE Id IN ('a', 'b\\'') AND ParentId = null",
    );
  });

  test('escapes LIKE wildcards from data', () => {
    expect(escapeSoqlLike('50%_off')).toBe('50\\%\\_off');
  });

  test('rejects names that are not identifiers', () => {
    expect(() => soqlName('Name; DELETE')).toThrow();
    expect(soqlName('Account.Owner.Name').text).toBe('Account.Owner.Name');
  });

  test('chunks IN values so each encoded query fits the URI budget', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `001Rx${String(i).padStart(10, '0')}AAA`);
    const base = 'SELECT Id FROM Account WHERE Id IN ';
    const chunks = chunkForInClause(ids, { baseQuery: base, uriBudget: 8000 });
    expect(chunks.flat()).toEqual(ids);
    for (const c of chunks) {
      expect(encodeURIComponent(base + soql`${c}`).length).toBeLessThan(8000);
    }
    expect(chunks.length).toBeGreaterThan(1);
  });
});

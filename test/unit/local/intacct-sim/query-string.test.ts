import { describe, expect, it } from 'vitest';
import type { FieldReader } from '#local/intacct-sim/compare.ts';
import { compileQuery } from '#local/intacct-sim/query-string.ts';

const row =
  (fields: Record<string, string>, codes: Record<string, string> = {}): FieldReader =>
  (f) => ({ value: fields[f], code: codes[f] });
const acme = row(
  {
    NAME: "Jane's Deli",
    STATUS: 'active',
    CREDITLIMIT: '500',
    WHENMODIFIED: '02/01/2026 10:00:00',
    EMPTY: '',
  },
  { STATUS: 'T' },
);

describe('readByQuery query grammar', () => {
  it.each([
    ["NAME = 'Jane\\'s Deli'", true],
    ["STATUS = 'T'", true],
    ["STATUS <> 'T'", false],
    ['CREDITLIMIT > 100 AND CREDITLIMIT <= 500', true],
    ["WHENMODIFIED >= '01/31/2026 23:59:59'", true],
    ["WHENMODIFIED < '02/01/2026'", false],
    ["NAME LIKE 'Jane%'", true],
    ["NAME NOT LIKE '%Deli'", false],
    ["STATUS IN ('F', 'T')", true],
    ["STATUS NOT IN ('F')", true],
    ['EMPTY IS NULL AND MISSING IS NULL AND NAME IS NOT NULL', true],
    ["NOT (STATUS = 'F' OR CREDITLIMIT < 10)", true],
    ["(STATUS = 'F' OR NAME LIKE 'J_ne%') AND CREDITLIMIT = 500", true],
    ['', true],
  ])('evaluates %s as %s', (query, expected) => {
    expect(compileQuery(query)(acme)).toBe(expected);
  });

  it('matches strings case-sensitively', () => {
    expect(compileQuery("NAME LIKE 'jane%'")(acme)).toBe(false);
  });

  it.each(["NAME = 'open", 'NAME =', "NAME ~ 'x'", "(NAME = 'x'", "NAME = 'x' garbage"])(
    'rejects %s with the message in errorno',
    (query) => {
      expect(() => compileQuery(query)).toThrow(
        expect.objectContaining({ errors: [expect.objectContaining({ errorno: 'Query Failed' })] }),
      );
    },
  );
});

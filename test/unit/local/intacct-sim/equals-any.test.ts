import { describe, expect, it } from 'vitest';
import { applyCompare, equalsAny } from '#local/intacct-sim/compare.ts';

// Numbers, dates in both spellings, text, blanks and near-misses of each.
const SAMPLES = [
  '',
  ' ',
  '0',
  '5',
  ' 5 ',
  '5.0',
  '50000',
  '50000.0',
  '-1',
  '1e3',
  '1000',
  '12/01/2026',
  '12/1/2026',
  '2026-12-01',
  '2026-12-01T10:00:00',
  '12/01/2026 10:00:00',
  '12/02/2026',
  'ACME-1',
  'acme-1',
  'Acme-1',
  'C-0012',
  'C-12',
  'true',
  'NaN',
];

describe('the Intacct simulator: equalsAny (the in filter by set lookups)', () => {
  it('agrees with one comparison per literal for every pair of sample values', () => {
    for (const ci of [false, true]) {
      for (let size = 1; size <= 3; size++) {
        for (let start = 0; start + size <= SAMPLES.length; start++) {
          const literals = SAMPLES.slice(start, start + size);
          const matches = equalsAny(literals, ci);
          for (const value of SAMPLES) {
            const slow = literals.some((lit) => applyCompare({ value }, '=', lit, ci));
            expect(matches(value), `${JSON.stringify(value)} in ${JSON.stringify(literals)} (ci ${ci})`).toBe(
              slow,
            );
          }
        }
      }
    }
  });
});

import { describe, expect, test } from 'vitest';
import { canonicalId, IdFactory, isValidId, toId18 } from '#local/salesforce-sim/ids.ts';

describe('Salesforce IDs', () => {
  test('computes the case-safety suffix of known real IDs', () => {
    expect(toId18('00Dxx0000001gPF')).toBe('00Dxx0000001gPFEAY');
    expect(toId18('001xx000003DGb2')).toBe('001xx000003DGb2AAG');
  });

  test('rejects an 18-character ID whose suffix does not match', () => {
    expect(isValidId('001xx000003DGb2AAG')).toBe(true);
    expect(isValidId('001xx000003DGb2AAH')).toBe(false);
    expect(canonicalId('001xx000003DGb2')).toBe('001xx000003DGb2AAG');
  });

  test('mints unique valid IDs with the key prefix', () => {
    const f = new IdFactory();
    const ids = Array.from({ length: 500 }, () => f.next('006'));
    expect(new Set(ids).size).toBe(500);
    expect(ids.every((id) => id.startsWith('006') && isValidId(id) && id.length === 18)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { closedPeriods, intacctDate, parsePeriods } from '#shared/sync/kinds/report/periods.ts';

describe('report periods', () => {
  it('reads a month and a range, with each month first and last day', () => {
    expect(parsePeriods('2024-02')).toEqual([{ id: '2024-02', first: '2024-02-01', last: '2024-02-29' }]);
    expect(parsePeriods('2025-11..2026-02').map((p) => [p.id, p.last])).toEqual([
      ['2025-11', '2025-11-30'],
      ['2025-12', '2025-12-31'],
      ['2026-01', '2026-01-31'],
      ['2026-02', '2026-02-28'],
    ]);
  });

  it('refuses what is not a month or range, a backwards range and one over two years', () => {
    for (const bad of ['2026-13', '2026-1', '2026-01..', '2026-01..2026-02..2026-03', 'Nov'])
      expect(() => parsePeriods(bad)).toThrow(/YYYY-MM/);
    expect(() => parsePeriods('2026-03..2026-01')).toThrow(/ends before it starts/);
    expect(() => parsePeriods('2024-01..2026-01')).toThrow(/25 months/);
  });

  it('takes the closed months before today, the latest first', () => {
    expect(closedPeriods('2026-01-02', 2).map((p) => p.id)).toEqual(['2025-12', '2025-11']);
  });

  it('writes dates as Intacct filters want them', () => {
    expect(intacctDate('2026-11-30')).toBe('11/30/2026');
  });
});

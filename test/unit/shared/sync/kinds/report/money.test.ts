import { describe, expect, it } from 'vitest';
import { formatCents, percentOf, toCents } from '#shared/sync/kinds/report/money.ts';

describe('money in cents', () => {
  it('reads decimal strings and numbers exactly, rounding to the cent half away from zero', () => {
    expect(toCents('1234.5')).toBe(123_450n);
    expect(toCents('-0.015')).toBe(-2n);
    expect(toCents('0.014')).toBe(1n);
    expect(toCents(0.1 + 0.2)).toBe(30n);
    expect(toCents('1e3')).toBe(100_000n);
    expect(toCents('12')).toBe(1200n);
    expect(toCents('abc')).toBeUndefined();
    expect(toCents('')).toBeUndefined();
    expect(toCents(null)).toBeUndefined();
  });

  it('adds a million cents of 0.10 to exactly 100000.00, where floating point drifts', () => {
    let sum = 0n;
    let float = 0;
    for (let i = 0; i < 1_000_000; i++) {
      sum += toCents('0.10') ?? 0n;
      float += 0.1;
    }
    expect(formatCents(sum)).toBe('100000.00');
    expect(float).not.toBe(100_000);
  });

  it('formats cents with two places and a sign', () => {
    expect(formatCents(-1230n)).toBe('-12.30');
    expect(formatCents(5n)).toBe('0.05');
  });

  it('gives a percentage with two places, none of zero', () => {
    expect(percentOf(-5000n, 100_000n)).toBe('-5.00');
    expect(percentOf(1n, 3n)).toBe('33.33');
    expect(percentOf(2n, 3n)).toBe('66.67');
    expect(percentOf(1n, 0n)).toBeUndefined();
  });
});

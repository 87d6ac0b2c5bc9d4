import { describe, expect, it } from 'vitest';
import { controlIds } from '#shared/sync/kernel/control-ids.ts';

describe('control-ID policies', () => {
  it('per version: the same write again has the same ID; another version or payload another', () => {
    const a = controlIds.perVersion('f', 'update', '001A', 'v1', 'h1');
    expect(controlIds.perVersion('f', 'update', '001A', 'v1', 'h1')).toBe(a);
    expect(controlIds.perVersion('f', 'update', '001A', 'v2', 'h1')).not.toBe(a);
    expect(controlIds.perVersion('f', 'update', '001A', 'v1', 'h2')).not.toBe(a);
  });

  it('once per record: one ID for a record whatever its version (a document is created once)', () => {
    expect(controlIds.oncePerRecord('orders', 'create', '006A')).toBe(
      controlIds.oncePerRecord('orders', 'create', '006A'),
    );
    expect(controlIds.oncePerRecord('orders', 'create', '006A')).not.toBe(
      controlIds.oncePerRecord('orders', 'create', '006B'),
    );
  });

  it('per transition and per period: a new ID for each entry into a condition and each period', () => {
    const hold = controlIds.perTransition('credit', 'C1', 'onhold', '2026-11-01T00:00:00Z');
    expect(controlIds.perTransition('credit', 'C1', 'onhold', '2026-11-01T00:00:00Z')).toBe(hold);
    expect(controlIds.perTransition('credit', 'C1', 'onhold', '2026-11-20T00:00:00Z')).not.toBe(hold);
    const nov = controlIds.perPeriod('revenue', 'C1', '2026-11', 'h');
    expect(controlIds.perPeriod('revenue', 'C1', '2026-12', 'h')).not.toBe(nov);
    // Every ID fits Intacct's control ID (and stays readable in logs).
    expect(nov).toMatch(/^sfi-[a-z]+-[0-9a-f]{24}$/);
  });
});

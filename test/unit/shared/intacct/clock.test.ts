import { describe, expect, it } from 'vitest';
import { companyClock, timeZoneProblem } from '#shared/intacct/clock.ts';

describe('the Intacct company clock', () => {
  it('reads wall-clock timestamps as instants in the company zone, and writes instants back', () => {
    const west = companyClock('America/Los_Angeles');
    // Winter: UTC−8; summer: UTC−7.
    expect(west.toInstant('12/02/2026 01:30:00')).toBe('2026-12-02T09:30:00.000Z');
    expect(west.toInstant('07/01/2026 01:30:00')).toBe('2026-07-01T08:30:00.000Z');
    expect(west.format(Date.parse('2026-12-02T09:30:00.000Z'))).toBe('12/02/2026 01:30:00');
    const east = companyClock('Australia/Brisbane');
    expect(east.toInstant('12/02/2026 20:00:05')).toBe('2026-12-02T10:00:05.000Z');
    expect(east.format(Date.parse('2026-12-31T23:59:59.900Z'))).toBe('01/01/2027 09:59:59');
  });

  it('round-trips every hour of a day that changes to daylight-saving time', () => {
    const clock = companyClock('America/New_York');
    for (let h = 0; h < 24; h++) {
      const ms = Date.UTC(2026, 2, 8, h, 15, 0);
      expect(clock.toInstant(clock.format(ms))).toBe(new Date(ms).toISOString());
    }
  });

  it('defaults to UTC, refuses what is not a timestamp, and names a bad zone', () => {
    expect(companyClock().toInstant('01/02/2026 03:04:05')).toBe('2026-01-02T03:04:05.000Z');
    expect(companyClock().toInstant('2026-01-02')).toBeUndefined();
    expect(timeZoneProblem('Europe/Berlin')).toBeUndefined();
    expect(timeZoneProblem('Mars/Olympus')).toContain('not an IANA time zone');
  });
});

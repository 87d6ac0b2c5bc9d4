import { describe, expect, it } from 'vitest';
import { cidrMatcher, cidrProblem } from '#shared/http/cidr.ts';

describe('CIDR ranges', () => {
  const inside = cidrMatcher(['13.108.0.0/14', '2001:db8::/32', '198.51.100.9/32']);

  it('matches IPv4, IPv6 and IPv4-mapped IPv6 addresses inside the ranges', () => {
    for (const ip of ['13.108.0.1', '13.111.255.255', '2001:db8::1', '::ffff:13.109.1.1', '198.51.100.9'])
      expect(inside(ip), ip).toBe(true);
  });

  it('refuses addresses outside, and anything that is not an address', () => {
    for (const ip of ['13.112.0.0', '127.0.0.1', '::1', '2001:db9::1', '198.51.100.10', '', 'localhost'])
      expect(inside(ip), ip).toBe(false);
  });

  it('accepts prefix lengths up to 32 / 128 and explains anything else', () => {
    expect(cidrProblem('0.0.0.0/0')).toBeUndefined();
    expect(cidrProblem('::/0')).toBeUndefined();
    expect(cidrProblem('10.0.0.0')).toMatch(/no prefix length/);
    expect(cidrProblem('10.0.0.0/x')).toMatch(/0–32/);
    expect(cidrProblem('10.0.0.256/8')).toMatch(/not an IPv4 or IPv6 address/);
  });
});

/**
 * IPv4 and IPv6 CIDR ranges: checked once when the config is validated, matched per request by the
 * webhook. Built on node:net's BlockList (no dependency in the webhook bundle), which also matches
 * an IPv4-mapped IPv6 address (`::ffff:13.108.0.1`) against an IPv4 range.
 */
import { BlockList, isIP } from 'node:net';

/** Why `cidr` is not a usable range (e.g. `13.108.0.0/14`, `2001:db8::/32`), or undefined when it is. */
export function cidrProblem(cidr: string): string | undefined {
  const slash = cidr.indexOf('/');
  if (slash < 0) return `"${cidr}" has no prefix length: write it as address/bits, e.g. 13.108.0.0/14`;
  const address = cidr.slice(0, slash);
  const bits = cidr.slice(slash + 1);
  const family = isIP(address);
  if (family === 0) return `"${address}" is not an IPv4 or IPv6 address`;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max)
    return `"${cidr}": the prefix length must be 0–${max} for an IPv${family} range`;
  return undefined;
}

/**
 * A predicate that is true for an address inside any of `cidrs` (which must have passed
 * cidrProblem). An address that is not an IP at all is outside.
 */
export function cidrMatcher(cidrs: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = '', bits = ''] = cidr.split('/');
    list.addSubnet(address, Number(bits), isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
  return (address) => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
}

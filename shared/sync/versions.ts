/**
 * Record versions: Salesforce SystemModstamp (ISO 8601, UTC) and Intacct WHENMODIFIED
 * (MM/DD/YYYY HH:MM:SS with no zone; the reference leaves its zone unverified, so the offset of
 * the company's clock is a parameter, default UTC). Versions compare as epoch milliseconds.
 */

/** Epoch ms of a version string, or undefined when it cannot be read. */
export function versionMs(version: string | undefined, intacctOffsetMinutes = 0): number | undefined {
  if (version === undefined || version === '') return undefined;
  const ia = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(version);
  if (ia !== null) {
    const [, mm, dd, yyyy, h, mi, s] = ia.map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return Date.UTC(yyyy, mm - 1, dd, h, mi, s) - intacctOffsetMinutes * 60_000;
  }
  const ms = Date.parse(version);
  return Number.isNaN(ms) ? undefined : ms;
}

/** True when `candidate` is known to be older than or equal to `synced`. */
export function isNotNewer(candidate: string | undefined, synced: string | undefined): boolean {
  const c = versionMs(candidate);
  const s = versionMs(synced);
  return c !== undefined && s !== undefined && c <= s;
}

/**
 * True when `candidate` is known to be strictly older than `synced` (so it must not be applied).
 * Equal versions are not stale: WHENMODIFIED has one-second resolution, so a second change within
 * the same second carries the same version; the payload hash decides those.
 */
export function isOlder(candidate: string | undefined, synced: string | undefined): boolean {
  const c = versionMs(candidate);
  const s = versionMs(synced);
  return c !== undefined && s !== undefined && c < s;
}

/** Intacct's WHENMODIFIED format for a UTC instant (filters in delta queries). */
export function toIntacctTimestamp(ms: number, intacctOffsetMinutes = 0): string {
  const d = new Date(ms + intacctOffsetMinutes * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

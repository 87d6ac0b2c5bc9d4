/**
 * Record versions: Salesforce SystemModstamp and Intacct WHENMODIFIED, both as ISO 8601 instants
 * (the Intacct port, the polls and the push webhook read WHENMODIFIED in the company's time zone:
 * `shared/intacct/clock.ts`). Versions compare as epoch milliseconds. A bare `MM/DD/YYYY HH:MM:SS`
 * (a job enqueued before versions were instants) still reads, as UTC.
 */
import { parseWallClock } from '#shared/intacct/clock.ts';

/** Epoch ms of a version string, or undefined when it cannot be read. */
export function versionMs(version: string | undefined): number | undefined {
  if (version === undefined || version === '') return undefined;
  const wall = parseWallClock(version);
  if (wall !== undefined) return wall;
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

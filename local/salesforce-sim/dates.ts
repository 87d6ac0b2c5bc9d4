/**
 * Formats an instant the way Salesforce REST JSON does: `2026-05-20T20:49:32.000+0000`. Salesforce
 * keeps datetimes to the second (the milliseconds read `.000`, as in the reference's examples), so
 * the simulator does too: several records saved in one second share a SystemModstamp, which is
 * what keyset paging by (SystemModstamp, Id) must cope with.
 */
export function formatRestDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('Z', '+0000');
}

/** Formats an instant the way SOAP (outbound messages) does: `2026-05-20T20:49:32.000Z`. */
export function formatSoapDateTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Parses a stored or incoming datetime (`…Z`, `…+0000`, `…+00:00`); NaN when not a datetime. */
export function parseDateTime(value: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)(Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  if (!m) return Number.NaN;
  const zone = m[2] ?? 'Z';
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  return Date.parse(`${m[1]}${offset}`);
}

/** True for a calendar date literal `YYYY-MM-DD` that exists. */
export function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

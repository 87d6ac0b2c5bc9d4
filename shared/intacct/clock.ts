/**
 * The Intacct company's clock. WHENMODIFIED and the other audit timestamps carry no zone: they
 * are the company's wall-clock time (`MM/DD/YYYY HH:MM:SS`). Everything past the API boundary
 * compares instants, so a timestamp read from Intacct becomes ISO UTC here, and an instant written
 * into a filter becomes the company's wall-clock time. The zone is an IANA name (default UTC);
 * daylight-saving changes are handled by the platform's time-zone data.
 */

const WALL = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/;

export interface CompanyClock {
  readonly timeZone: string;
  /** A company timestamp as an ISO UTC instant; undefined when it is not `MM/DD/YYYY HH:MM:SS`. */
  toInstant(timestamp: string): string | undefined;
  /** An instant (epoch ms) as the company's wall-clock timestamp. */
  format(ms: number): string;
}

/** A wall-clock timestamp (`MM/DD/YYYY HH:MM:SS`) read as if it were UTC; undefined when it is not one. */
export function parseWallClock(timestamp: string): number | undefined {
  const m = WALL.exec(timestamp.trim());
  if (m === null) return undefined;
  const [, mm, dd, yyyy, h, mi, s] = m.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(yyyy, mm - 1, dd, h, mi, s);
}

/** Undefined when the zone is usable; else what is wrong with it. */
export function timeZoneProblem(timeZone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return undefined;
  } catch {
    return `"${timeZone}" is not an IANA time zone; write one like "America/Los_Angeles" or "UTC"`;
  }
}

export function companyClock(timeZone = 'UTC'): CompanyClock {
  // Built on first use: loading a zone's rules takes milliseconds that a cold Lambda whose
  // requests never read the company's clock (the webhook's Salesforce path) need not spend.
  let formatter: Intl.DateTimeFormat | undefined;
  /** The wall-clock time at `ms`, read as if it were UTC (so offset = wall − ms). */
  const wallMs = (ms: number): number => {
    formatter ??= new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    const p = Object.fromEntries(formatter.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    return Date.UTC(
      Number(p.year),
      Number(p.month) - 1,
      Number(p.day),
      Number(p.hour),
      Number(p.minute),
      Number(p.second),
    );
  };
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    timeZone,
    toInstant(timestamp) {
      const wall = parseWallClock(timestamp);
      if (wall === undefined) return undefined;
      // The offset at the instant the wall time names: guess with the offset at `wall`, then correct.
      let ms = wall - (wallMs(wall) - wall);
      ms = wall - (wallMs(ms) - ms);
      return new Date(ms).toISOString();
    },
    format(ms) {
      const d = new Date(wallMs(Math.floor(ms / 1000) * 1000));
      return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    },
  };
}

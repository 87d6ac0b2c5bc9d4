/**
 * Report periods are calendar months (`YYYY-MM`) of the Intacct company's calendar. A run names
 * one month or a range (`2026-01..2026-03`); a scheduled run takes the last closed months.
 */
import { ValidationError } from '#shared/errors.ts';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** The most months one run may cover (two years). */
export const MAX_PERIODS = 24;

export interface Period {
  /** `YYYY-MM`. */
  id: string;
  /** First and last day, `YYYY-MM-DD`. */
  first: string;
  last: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function period(id: string): Period {
  const m = MONTH.exec(id);
  if (m === null) throw invalid(id);
  const [year, month] = [Number(m[1]), Number(m[2])];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { id, first: `${id}-01`, last: `${id}-${pad(days)}` };
}

const shift = (id: string, months: number): string => {
  const [year, month] = id.split('-').map(Number) as [number, number];
  const at = new Date(Date.UTC(year, month - 1 + months, 1));
  return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}`;
};

/** `YYYY-MM` or `YYYY-MM..YYYY-MM` as its months in order; a clear error for anything else. */
export function parsePeriods(text: string): Period[] {
  const [from = '', to = from, extra] = text.split('..');
  if (extra !== undefined || !MONTH.test(from) || !MONTH.test(to)) throw invalid(text);
  if (to < from)
    throw new ValidationError(`period range "${text}" ends before it starts`, {
      code: 'PERIOD_INVALID',
      hint: 'write the earlier month first, e.g. 2026-01..2026-03',
    });
  const ids = [from];
  while ((ids.at(-1) as string) < to) ids.push(shift(ids.at(-1) as string, 1));
  if (ids.length > MAX_PERIODS)
    throw new ValidationError(
      `period range "${text}" has ${ids.length} months; one run covers at most ${MAX_PERIODS}`,
      {
        code: 'PERIOD_INVALID',
        hint: 'split the range into runs of two years or less',
      },
    );
  return ids.map(period);
}

/** The `count` months before the one `today` (`YYYY-MM-DD`, the company's date) is in, the latest first. */
export function closedPeriods(today: string, count: number): Period[] {
  const current = today.slice(0, 7);
  return Array.from({ length: count }, (_, i) => period(shift(current, -(i + 1))));
}

/** `YYYY-MM-DD` as Intacct writes dates in filters (`MM/DD/YYYY`). */
export const intacctDate = (day: string) => `${day.slice(5, 7)}/${day.slice(8, 10)}/${day.slice(0, 4)}`;

function invalid(text: string): ValidationError {
  return new ValidationError(`period must be YYYY-MM or YYYY-MM..YYYY-MM, got "${text}"`, {
    code: 'PERIOD_INVALID',
    hint: 'give a month like 2026-11, or a range like 2026-01..2026-03',
  });
}

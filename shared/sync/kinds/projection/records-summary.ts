/**
 * The one-line summary of a record's related rows a `records` target writes (a bill's lines on
 * the bill record): the count, then each row's fields joined by spaces, rows joined by "; ".
 * Salesforce refuses a text longer than the field, so the summary is cut to fit, ending in "…".
 */
import type { Values } from '../../mapping.ts';

export function summarise(
  rows: readonly Values[],
  fields: readonly string[],
  maxLength: number,
): string | null {
  if (rows.length === 0) return null;
  const parts = rows.map((row) =>
    fields
      .map((f) => row[f]?.trim() ?? '')
      .filter((v) => v !== '')
      .join(' '),
  );
  const text = `${rows.length} ${rows.length === 1 ? 'line' : 'lines'}: ${parts.join('; ')}`;
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1).trimEnd()}…`;
}

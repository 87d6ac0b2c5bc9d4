/**
 * `sfi failures [--open|--resolved|--all] [--flow F] [--class C] [--code C] [--json|--csv]` lists
 * failure records (open ones by default, with their count, class, both IDs, cause and fix);
 * `sfi failures resolve [<flow>] <recordId>` marks one record's open failures resolved.
 */
import { type FailureFilter, listFailures, resolveFailure } from '#shared/ops/failure-query.ts';
import type { TargetFlags } from '#shared/ops/target.ts';
import { printJson, withTarget } from './with-target.ts';

interface FailureRow {
  state: string;
  count: number;
  class: string;
  flow: string;
  code: string;
  firstSeen: string;
  at: string;
  message: string;
  hint?: string;
  ids: Record<string, string | undefined>;
}

const COLUMNS = [
  'state',
  'count',
  'class',
  'flow',
  'code',
  'recordId',
  'salesforceId',
  'intacctKey',
  'firstSeen',
  'lastSeen',
  'message',
  'hint',
] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
const csvField = (v: unknown) => {
  const text = v === undefined || v === null ? '' : String(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function toCsv(rows: readonly FailureRow[]): string {
  const lines = rows.map((f) =>
    [
      f.state,
      f.count,
      f.class,
      f.flow,
      f.code,
      f.ids.recordId,
      f.ids.salesforceId,
      f.ids.intacctKey,
      f.firstSeen,
      f.at,
      f.message,
      f.hint,
    ]
      .map(csvField)
      .join(','),
  );
  return `${[COLUMNS.join(','), ...lines].join('\n')}\n`;
}

export async function runFailures(
  flags: TargetFlags,
  options: { filter: FailureFilter; csv: boolean; json: boolean },
): Promise<number> {
  const rows = await withTarget(flags, (context, stores) =>
    listFailures(
      stores.ledger,
      context.config.flows.map((f) => f.name),
      options.filter,
    ),
  );
  if (options.csv) process.stdout.write(toCsv(rows));
  else if (options.json) printJson(rows);
  else process.stdout.write(text(rows, options.filter));
  return 0;
}

function text(rows: readonly FailureRow[], filter: FailureFilter): string {
  if (rows.length === 0) return `no ${filter.state === 'all' ? '' : `${filter.state} `}failures\n`;
  const blocks = rows.map(
    (f) =>
      `${f.state} ${f.flow} ${f.code} (${f.class}) ×${f.count}  first ${f.firstSeen}, last ${f.at}\n` +
      `  record ${f.ids.recordId ?? '-'}  Salesforce ${f.ids.salesforceId ?? '-'}  Intacct ${f.ids.intacctKey ?? '-'}\n` +
      `  cause: ${f.message}\n` +
      (f.hint === undefined ? '' : `  fix:   ${f.hint}\n`),
  );
  return `${blocks.join('\n')}\n${rows.length} failure(s); --json or --csv for all fields\n`;
}

/** `sfi failures resolve [<flow>] <recordId>`. */
export async function runResolve(flags: TargetFlags, recordId: string, flow?: string): Promise<number> {
  const resolved = await withTarget(flags, (context, stores) =>
    resolveFailure(
      stores.ledger,
      context.config.flows.map((f) => f.name),
      recordId,
      flow,
    ),
  );
  printJson({ id: recordId, resolved: resolved.reduce((n, r) => n + r.resolved, 0), flows: resolved });
  return 0;
}

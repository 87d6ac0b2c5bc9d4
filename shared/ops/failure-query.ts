/**
 * Failure records for `sfi failures` and the console: open ones (one per record and code, with
 * their count), resolved ones (kept for the retention period), filtered by flow, class and code;
 * and resolving a record's open failures by hand once its data was fixed elsewhere.
 */
import type { FailureRecord, Ledger } from '#shared/aws/ledger.ts';
import { ValidationError } from '#shared/errors.ts';
import { FAILURE_CLASSES } from '#shared/failure-classes.ts';
import { knownFlow } from './operate.ts';

export interface FailureFilter {
  state: 'open' | 'resolved' | 'all';
  flow?: string;
  class?: string;
  code?: string;
}

/** How many resolved failures are read back (newest first). */
const RESOLVED_READ = 500;

export function checkFailureFilter(flows: readonly string[], filter: FailureFilter): void {
  if (filter.flow !== undefined) knownFlow(flows, filter.flow);
  if (filter.class !== undefined && !(FAILURE_CLASSES as readonly string[]).includes(filter.class)) {
    throw new ValidationError(`no failure class "${filter.class}"`, {
      code: 'CLASS_UNKNOWN',
      hint: `use one of: ${FAILURE_CLASSES.join(', ')}`,
    });
  }
}

export async function listFailures(
  ledger: Ledger,
  flows: readonly string[],
  filter: FailureFilter,
): Promise<FailureRecord[]> {
  checkFailureFilter(flows, filter);
  const wanted = filter.flow === undefined ? flows : [filter.flow];
  const open =
    filter.state === 'resolved' ? [] : (await Promise.all(wanted.map((f) => ledger.openFailures(f)))).flat();
  const resolved =
    filter.state === 'open'
      ? []
      : (await ledger.recentFailures(RESOLVED_READ)).filter(
          (f) => f.state === 'resolved' && wanted.includes(f.flow),
        );
  return [...open, ...resolved]
    .filter((f) => filter.class === undefined || f.class === filter.class)
    .filter((f) => filter.code === undefined || f.code === filter.code)
    .sort((a, b) => b.at.localeCompare(a.at));
}

/**
 * Resolves the open failures of one record: in the given flow, or in every flow that has one.
 * Returns what was resolved per flow; nothing open is an error that says where to look.
 */
export async function resolveFailure(
  ledger: Ledger,
  flows: readonly string[],
  recordId: string,
  flow?: string,
  now = new Date(),
): Promise<Array<{ flow: string; resolved: number }>> {
  const wanted = flow === undefined ? flows : [knownFlow(flows, flow)];
  const out: Array<{ flow: string; resolved: number }> = [];
  for (const f of wanted) {
    const resolved = await ledger.resolveFailures(f, [recordId], now.toISOString());
    if (resolved > 0) out.push({ flow: f, resolved });
  }
  if (out.length === 0) {
    throw new ValidationError(
      `no open failure for ${recordId}${flow === undefined ? ' in any flow' : ` in ${flow}`}`,
      {
        code: 'FAILURE_NOT_FOUND',
        hint: 'give the record ID "sfi failures" lists (the recordId column); a failure resolves itself when its record syncs',
      },
    );
  }
  return out;
}

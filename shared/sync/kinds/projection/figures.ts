/**
 * What a projection should show in Salesforce for one source record, canonical and checked: a
 * figure that is not a number is refused by name (nothing of the record is written), never
 * written as a wrong total.
 */
import { SyncError } from '#shared/errors.ts';
import type { ProjectionFlow } from '../../flow-schema.ts';
import type { Values } from '../../mapping.ts';
import { TRANSFORMS } from '../../transforms.ts';

type FieldsTarget = Extract<ProjectionFlow['target'], { type: 'fields' }>;

/** A finite number from an Intacct value (blank counts as 0), or a failure naming field and record. */
export function numberOf(
  flow: ProjectionFlow,
  recordId: string,
  field: string,
  value: string | null,
): number {
  if (value === null || value.trim() === '') return 0;
  const n = Number(value);
  if (Number.isFinite(n)) return n;
  throw new SyncError(`${field} of ${flow.intacctObject} ${recordId} is "${value}", not a number`, {
    code: 'INVALID_NUMBER',
    retryable: false,
    hint: `correct ${field} of ${recordId} in Intacct, then run sfi redrive (the next change syncs it too)`,
    meta: { field, value },
  });
}

/** The Salesforce values of a `fields` projection (Product2 quantities …). */
export function fieldValues(
  flow: ProjectionFlow,
  target: FieldsTarget,
  recordId: string,
  source: Values,
): Values {
  const out: Values = {};
  for (const f of target.fields) {
    const raw = source[f.intacct] ?? null;
    if (f.transform !== 'number' && f.less.length === 0) {
      out[f.salesforce] = TRANSFORMS[f.transform].toSalesforce(raw);
      continue;
    }
    let n = numberOf(flow, recordId, f.intacct, raw);
    for (const less of f.less) n -= numberOf(flow, recordId, less, source[less] ?? null);
    out[f.salesforce] = String(Math.round(n * 10_000) / 10_000);
  }
  return out;
}

/**
 * After a create or link towards Intacct, Salesforce's external-ID field gets the Intacct key.
 * The write-back is a write like any other: recorded as ours on the link (`keyWrittenBackAt`),
 * retried when transient, and a permanent refusal (validation rule, field-level security) is a
 * failure with its reason and hint. The link is recorded either way, so a retry only writes back.
 */
import { SyncError } from '#shared/errors.ts';
import type { MirrorFlow } from '../../flow-schema.ts';
import { failed, wrap } from '../../kernel/failures.ts';
import type { Side } from '../../mapping.ts';
import type { KindContext } from '../context.ts';
import type { MirrorItem } from './item.ts';

export async function writeBack(
  context: KindContext,
  flow: MirrorFlow,
  from: Side,
  items: readonly MirrorItem[],
): Promise<void> {
  const field = flow.salesforceKeyField;
  if (from !== 'salesforce' || field === undefined) return;
  // Also when the record was skipped as unchanged: a write-back lost earlier heals on the next change.
  const keyOf = (i: MirrorItem) => i.target?.id ?? i.link?.intacctKey;
  const due = items.filter(
    (i) =>
      i.outcome?.status === 'done' &&
      keyOf(i) !== undefined &&
      i.source !== undefined &&
      i.source.deleted !== true &&
      field in i.source.values &&
      (i.source.values[field] ?? null) !== keyOf(i),
  );
  if (due.length === 0) return;
  const ids = (i: MirrorItem) => ({ salesforceId: i.id, intacctKey: keyOf(i) });
  const hint = `let the integration user edit ${flow.salesforceObject}.${field} (field-level security, validation rules), then run sfi redrive`;
  try {
    const ops = due.map((i) => ({
      kind: 'update' as const,
      ref: i.id,
      id: i.id,
      values: { [field]: keyOf(i) ?? null },
      controlId: '',
    }));
    // Setting a field to a value is idempotent: a call that failed in transit is sent again at once
    // (twice), so a passing 503 does not cost the whole job another attempt.
    const results = await withRetries(() => context.salesforce.write(flow.salesforceObject, ops));
    const at = context.now().toISOString();
    const byRef = new Map(due.map((i) => [i.id, i]));
    for (const r of results) {
      const item = byRef.get(r.ref);
      if (item === undefined) continue;
      if (r.ok) {
        item.wroteBackAt = at;
        continue;
      }
      const error = new SyncError(`write-back of ${field} refused: ${r.error.message}`, {
        code: r.error.code,
        retryable: r.error.retryable,
        hint: r.error.retryable ? r.error.hint : hint,
        cause: r.error,
        meta: r.error.meta,
      });
      item.logger.warn('write-back failed', { code: r.error.code, retryable: r.error.retryable });
      item.after = failed(error, flow.name, item.id, ids(item));
    }
  } catch (error) {
    const e = wrap(error, 'WRITE_BACK_FAILED');
    context.logger.warn('write-back failed', { flow: flow.name, code: e.code, records: due.length });
    for (const item of due) item.after = failed(e, flow.name, item.id, ids(item));
  }
}

async function withRetries<T>(fn: () => Promise<T>, attempts = 3, baseMs = 200): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !wrap(error, 'WRITE_BACK_FAILED').retryable) throw error;
      await new Promise((r) => setTimeout(r, baseMs * 2 ** (attempt - 1)));
    }
  }
}

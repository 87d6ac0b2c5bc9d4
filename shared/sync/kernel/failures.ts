/**
 * Failures as the kernel hands them on (DESIGN §3.6, §9): a SyncError tied to both systems'
 * record IDs, retryable or not, with a hint that says what to do.
 */
import { SyncError } from '#shared/errors.ts';
import type { ItemOutcome } from './work-items.ts';

export interface RecordIds {
  salesforceId?: string;
  intacctKey?: string;
}

/** The error with the flow and record in its message and both IDs in its metadata, as an outcome. */
export function failed(error: SyncError, flow: string, recordId: string, ids: RecordIds): ItemOutcome {
  const withIds = new SyncError(`${flow} ${recordId}: ${error.message}`, {
    code: error.code,
    retryable: error.retryable,
    hint: error.hint,
    cause: error,
    meta: { ...error.meta, recordId, ...definedOnly(ids) },
  });
  return error.retryable ? { status: 'retry', error: withIds } : { status: 'dead', error: withIds };
}

/** Any thrown value as a SyncError (unknown errors count as transient). */
export function wrap(error: unknown, code: string): SyncError {
  if (error instanceof SyncError) return error;
  return new SyncError((error as Error)?.message ?? String(error), { code, retryable: true, cause: error });
}

export function internal(message: string): SyncError {
  return new SyncError(message, { code: 'INTERNAL', retryable: true });
}

function definedOnly(ids: RecordIds): RecordIds {
  return Object.fromEntries(Object.entries(ids).filter(([, v]) => v !== undefined));
}

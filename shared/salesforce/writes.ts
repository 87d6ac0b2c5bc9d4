import type { SalesforceErrorDetail } from './errors.ts';
import { isTransientCode } from './errors.ts';
import type { SalesforceSession } from './session.ts';
import { soqlName } from './soql.ts';

/** Records per sObject Collections call (Salesforce's limit). */
export const COLLECTION_LIMIT = 200;

/** The outcome of one record of a batch write, in the order the records were given. */
export type WriteResult = {
  index: number;
  success: boolean;
  id?: string;
  /** Upsert only: true when the record was created. */
  created?: boolean;
  errors: SalesforceErrorDetail[];
  /** True when every error is transient (e.g. UNABLE_TO_LOCK_ROW after the retries ran out). */
  retryable: boolean;
};

/** Backoff for UNABLE_TO_LOCK_ROW: tries, base delay (doubled, jittered), and an injectable sleep. */
export type LockRetryOptions = {
  lockRetries?: number;
  lockBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

type RawResult = { id?: string; success: boolean; created?: boolean; errors?: unknown[] };
type Row = Record<string, unknown>;

function details(errors: unknown[] | undefined): SalesforceErrorDetail[] {
  return (errors ?? []).map((e) => {
    const err = e as { statusCode?: unknown; errorCode?: unknown; message?: unknown; fields?: unknown };
    return {
      statusCode: String(err.statusCode ?? err.errorCode ?? 'UNKNOWN'),
      message: String(err.message ?? ''),
      fields: Array.isArray(err.fields) ? err.fields.map(String) : [],
    };
  });
}

const failed = (index: number, statusCode: string, message: string, fields: string[] = []): WriteResult => ({
  index,
  success: false,
  errors: [{ statusCode, message, fields }],
  retryable: false,
});

const sleepDefault = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Sends records in calls of ≤ 200 with allOrNone false, maps each result back to its input index,
 * and re-sends only the records that failed with UNABLE_TO_LOCK_ROW, with jittered exponential backoff.
 */
async function batched(
  rows: Row[],
  send: (chunk: Row[]) => Promise<RawResult[]>,
  options: LockRetryOptions,
): Promise<WriteResult[]> {
  const results: WriteResult[] = new Array(rows.length);
  const sleep = options.sleep ?? sleepDefault;
  const random = options.random ?? Math.random;
  const maxRetries = options.lockRetries ?? 3;
  let todo = rows.map((_, i) => i);
  for (let attempt = 0; todo.length > 0; attempt++) {
    const locked: number[] = [];
    for (let start = 0; start < todo.length; start += COLLECTION_LIMIT) {
      const indices = todo.slice(start, start + COLLECTION_LIMIT);
      const raw = await send(indices.map((i) => rows[i] ?? {}));
      indices.forEach((index, k) => {
        const r = raw[k];
        const errors = details(r?.errors);
        const result: WriteResult = {
          index,
          success: r?.success === true,
          ...(r?.id ? { id: r.id } : {}),
          ...(r?.created === undefined ? {} : { created: r.created }),
          errors: r
            ? errors
            : [{ statusCode: 'UNKNOWN', message: 'no result returned for this record', fields: [] }],
          retryable: !r || (errors.length > 0 && errors.every((e) => isTransientCode(e.statusCode))),
        };
        results[index] = result;
        if (!result.success && errors.some((e) => e.statusCode === 'UNABLE_TO_LOCK_ROW')) locked.push(index);
      });
    }
    if (locked.length === 0 || attempt >= maxRetries) break;
    const base = (options.lockBackoffMs ?? 250) * 2 ** attempt;
    await sleep(base / 2 + random() * base);
    todo = locked;
  }
  return results;
}

/** Creates records through sObject Collections. */
export async function createRecords(
  session: SalesforceSession,
  object: string,
  records: Row[],
  options: LockRetryOptions = {},
) {
  const type = soqlName(object).text;
  return batched(
    records.map(({ attributes: _a, ...r }) => r),
    (chunk) =>
      session.call(
        'create',
        (c) => c.sobject(type).create(chunk, { allOrNone: false }) as Promise<RawResult[]>,
      ),
    options,
  );
}

/** Updates records (each needs `Id`) through sObject Collections; records without Id fail locally. */
export async function updateRecords(
  session: SalesforceSession,
  object: string,
  records: Row[],
  options: LockRetryOptions = {},
) {
  const type = soqlName(object).text;
  const sendable = records
    .map((r, index) => ({ r, index }))
    .filter(({ r }) => typeof r.Id === 'string' && r.Id !== '');
  const sent = await batched(
    sendable.map(({ r: { attributes: _a, ...r } }) => r),
    (chunk) =>
      session.call(
        'update',
        (c) =>
          c.sobject(type).update(chunk as Array<Row & { Id: string }>, { allOrNone: false }) as Promise<
            RawResult[]
          >,
      ),
    options,
  );
  return merge(records.length, sendable, sent, (i) =>
    failed(i, 'MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']),
  );
}

/** Deletes records by ID through sObject Collections (≤ 200 a call), each with its own result. */
export async function deleteRecords(
  session: SalesforceSession,
  object: string,
  ids: readonly string[],
  options: LockRetryOptions = {},
) {
  const type = soqlName(object).text;
  return batched(
    ids.map((Id) => ({ Id })),
    (chunk) =>
      session.call(
        'delete',
        (c) =>
          c.sobject(type).destroy(
            chunk.map((r) => String(r.Id)),
            { allOrNone: false },
          ) as Promise<RawResult[]>,
      ),
    options,
  );
}

/**
 * Upserts records by an external-ID field through sObject Collections (no single-record PATCH,
 * so values with `/`, `?` or `#` are safe). Records without a value fail locally.
 */
export async function upsertRecords(
  session: SalesforceSession,
  object: string,
  externalIdField: string,
  records: Row[],
  options: LockRetryOptions = {},
) {
  const type = soqlName(object).text;
  const field = soqlName(externalIdField).text;
  const sendable = records
    .map((r, index) => ({ r, index }))
    .filter(({ r }) => r[field] !== undefined && r[field] !== null && r[field] !== '');
  const sent = await batched(
    sendable.map(({ r: { attributes: _a, ...r } }) => r),
    (chunk) =>
      session.call(
        'upsert',
        (c) => c.sobject(type).upsert(chunk, field, { allOrNone: false }) as Promise<RawResult[]>,
      ),
    options,
  );
  return merge(records.length, sendable, sent, (i) =>
    failed(i, 'MISSING_ARGUMENT', `${field} not specified`, [field]),
  );
}

function merge(
  total: number,
  sendable: Array<{ index: number }>,
  sent: WriteResult[],
  missing: (index: number) => WriteResult,
): WriteResult[] {
  const out: WriteResult[] = Array.from({ length: total }, (_, i) => missing(i));
  sent.forEach((r, k) => {
    const original = sendable[k]?.index ?? k;
    out[original] = { ...r, index: original };
  });
  return out;
}

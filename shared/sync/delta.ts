/**
 * Delta polls (DESIGN §4 triggers): read whole records changed in a bounded window on one side and
 * turn them into versioned jobs carrying their snapshot, so the worker needs no re-read. Salesforce
 * by SystemModstamp (deleted rows via queryAll), Intacct by WHENMODIFIED; both with an overlap
 * window because timestamps commit late, and a stable order.
 */
import type { IntacctClient } from '#shared/intacct/index.ts';
import { type QueryFilter, queryByKeyset, where } from '#shared/intacct/index.ts';
import type { Job } from '#shared/jobs/job.ts';
import type { SalesforceClient } from '#shared/salesforce/index.ts';
import { normaliseModstamp } from './adapters/salesforce-port.ts';
import type { FlowConfig } from './flow-schema.ts';
import { fieldsToRead, type Values } from './mapping.ts';
import { toIntacctTimestamp, versionMs } from './versions.ts';

export interface DeltaResult {
  jobs: Job[];
  /** The new watermark: the newest version seen, or the old one when nothing changed. */
  watermark: string;
}

/**
 * Re-read this much before the watermark on each poll by default (late-committing transactions
 * carry an earlier SystemModstamp; clock skew). The config's `delta.overlapSeconds` sets it; the
 * re-read records are skipped downstream by their hashes, so the overlap costs reads, not writes.
 */
export const OVERLAP_MS = 300_000;

/** A poll's window: changes after `since` (less the overlap) up to `until`. */
export interface DeltaWindow {
  since: Date;
  until: Date;
  correlationId: string;
  /** Default {@link OVERLAP_MS}. */
  overlapMs?: number;
}

const stringify = (row: Record<string, unknown>, fields: readonly string[]): Values =>
  Object.fromEntries(
    fields.map((f) => [f, row[f] === null || row[f] === undefined || row[f] === '' ? null : String(row[f])]),
  );

export async function salesforceDelta(
  client: SalesforceClient,
  flow: FlowConfig,
  window: DeltaWindow,
): Promise<DeltaResult> {
  const overlapMs = window.overlapMs ?? OVERLAP_MS;
  const fields = fieldsToRead(flow, 'salesforce');
  // SOQL datetime literals have whole seconds: round the bound up so this second's changes are in.
  // Modified and deleted rows are read in the same window, so a delete made while the poll runs
  // cannot lift the watermark past modifications this poll never read.
  const until = new Date(Math.ceil(window.until.getTime() / 1000) * 1000 + 1000);
  const { records, watermark } = await client.queryChangedSince(flow.salesforceObject, fields, window.since, {
    overlapMs,
    until,
    ...(flow.salesforceFilter === undefined ? {} : { where: flow.salesforceFilter }),
  });
  const deleted = await client.queryDeletedSince(
    flow.salesforceObject,
    new Date(window.since.getTime() - overlapMs),
    until,
  );
  const at = new Date().toISOString();
  const base = {
    v: 1 as const,
    flow: flow.name,
    source: 'salesforce' as const,
    object: flow.salesforceObject,
    reason: 'delta' as const,
    enqueuedAt: at,
  };
  const jobs: Job[] = records.map((r) => ({
    ...base,
    recordId: String(r.Id),
    version: normaliseModstamp(r.SystemModstamp),
    correlationId: `${window.correlationId}:${r.Id}`,
    snapshot: stringify(r, fields),
  }));
  // A deleted record has no snapshot: the worker re-reads it (queryAll) and sees IsDeleted.
  for (const d of deleted) {
    jobs.push({
      ...base,
      recordId: d.id,
      version: normaliseModstamp(d.deletedAt),
      correlationId: `${window.correlationId}:${d.id}`,
    });
  }
  const newest = Math.max(
    watermark.getTime(),
    ...deleted.map((d) => versionMs(normaliseModstamp(d.deletedAt)) ?? 0),
  );
  return { jobs, watermark: new Date(newest).toISOString() };
}

export async function intacctDelta(
  client: IntacctClient,
  flow: FlowConfig,
  window: DeltaWindow,
): Promise<DeltaResult> {
  const key = flow.intacctKey?.field ?? 'RECORDNO';
  const fields = [...new Set(['RECORDNO', 'WHENMODIFIED', key, ...fieldsToRead(flow, 'intacct')])];
  const from = toIntacctTimestamp(window.since.getTime() - (window.overlapMs ?? OVERLAP_MS));
  const to = toIntacctTimestamp(window.until.getTime());
  // Keyset paging: rows changed while the poll pages cannot push an unread row out of reach.
  const rows = queryByKeyset(client, {
    object: flow.intacctObject,
    select: fields,
    versionField: 'WHENMODIFIED',
    filter: where.and(
      where.ge('WHENMODIFIED', from),
      where.le('WHENMODIFIED', to),
      ...flow.intacctFilter.map(
        (c): QueryFilter =>
          c.op === 'isnull' || c.op === 'isnotnull'
            ? { op: c.op, field: c.field }
            : { op: c.op, field: c.field, value: c.value ?? '' },
      ),
    ),
    pagesize: 2000,
    showPrivate: true,
  });
  const at = new Date().toISOString();
  const jobs: Job[] = [];
  let newest = window.since.getTime();
  // A row changed during the scan comes again, newer: one job per record, the last read.
  const byRecord = new Map<string, number>();
  for await (const row of rows) {
    const values = stringify(row, fields);
    const version = values.WHENMODIFIED ?? undefined;
    newest = Math.max(newest, versionMs(version) ?? 0);
    const recordId = String(values[key] ?? '');
    const job: Job = {
      v: 1,
      flow: flow.name,
      source: 'intacct',
      object: flow.intacctObject,
      recordId,
      reason: 'delta',
      version,
      correlationId: `${window.correlationId}:${values[key]}`,
      snapshot: values,
      enqueuedAt: at,
    };
    const earlier = byRecord.get(recordId);
    if (earlier === undefined) {
      byRecord.set(recordId, jobs.length);
      jobs.push(job);
    } else jobs[earlier] = job;
  }
  return { jobs, watermark: new Date(newest).toISOString() };
}

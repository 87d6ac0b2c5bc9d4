/**
 * Delta polls (DESIGN §4 triggers): read whole records changed in a bounded window on one side and
 * turn them into versioned jobs carrying their snapshot, so the worker needs no re-read. Salesforce
 * by SystemModstamp (deleted rows via queryAll), Intacct by WHENMODIFIED; both with an overlap
 * window because timestamps commit late, and a stable order.
 */
import type { IntacctClient } from '#shared/intacct/index.ts';
import {
  type CompanyClock,
  companyClock,
  type QueryFilter,
  queryByKeyset,
  where,
} from '#shared/intacct/index.ts';
import type { Job } from '#shared/jobs/job.ts';
import type { SalesforceClient } from '#shared/salesforce/index.ts';
import { normaliseModstamp } from './adapters/salesforce-port.ts';
import type { FlowConfig, MirrorFlow, ProjectionFlow } from './flow-schema.ts';
import { intacctKeyField } from './flows.ts';
import { aggregate, projectionFields } from './kinds/projection/source.ts';
import { fieldsToRead, type Values } from './mapping.ts';
import { versionMs } from './versions.ts';

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
  /** The Intacct company's clock (its time zone); default UTC. */
  clock?: CompanyClock;
  /** Read Intacct deletes from AUDITHISTORY in the same window (mirror flows); default true. */
  intacctDeletes?: boolean;
}

const stringify = (row: Record<string, unknown>, fields: readonly string[]): Values =>
  Object.fromEntries(
    fields.map((f) => [f, row[f] === null || row[f] === undefined || row[f] === '' ? null : String(row[f])]),
  );

export async function salesforceDelta(
  client: SalesforceClient,
  flow: MirrorFlow,
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

/** The Intacct side of a flow as a poll reads it: object, key, fields, conditions. */
function intacctSource(flow: FlowConfig) {
  const key = intacctKeyField(flow);
  const own = flow.kind === 'projection' ? projectionFields(flow) : fieldsToRead(flow, 'intacct');
  return {
    key,
    fields: [...new Set(['RECORDNO', 'WHENMODIFIED', key, ...own])],
    conditions: flow.intacctFilter.map(toQueryFilter),
  };
}

export function toQueryFilter(c: FlowConfig['intacctFilter'][number]): QueryFilter {
  if (c.op === 'isnull' || c.op === 'isnotnull') return { op: c.op, field: c.field };
  if (c.op === 'in') return { op: 'in', field: c.field, values: c.values ?? [] };
  return { op: c.op, field: c.field, value: c.value ?? '' };
}

export async function intacctDelta(
  client: IntacctClient,
  flow: FlowConfig,
  window: DeltaWindow,
): Promise<DeltaResult> {
  if (flow.kind === 'projection' && flow.poll.capture === 'full') return intacctFull(client, flow, window);
  const { key, fields, conditions } = intacctSource(flow);
  const clock = window.clock ?? companyClock();
  // The window in the company's wall-clock time; the upper bound rounded up to the next second.
  const from = clock.format(window.since.getTime() - (window.overlapMs ?? OVERLAP_MS));
  const to = clock.format(Math.ceil(window.until.getTime() / 1000) * 1000);
  // Keyset paging: rows changed while the poll pages cannot push an unread row out of reach.
  const rows = queryByKeyset(client, {
    object: flow.intacctObject,
    select: fields,
    versionField: 'WHENMODIFIED',
    filter: where.and(where.ge('WHENMODIFIED', from), where.le('WHENMODIFIED', to), ...conditions),
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
    const version = values.WHENMODIFIED ? clock.toInstant(values.WHENMODIFIED) : undefined;
    newest = Math.max(newest, versionMs(version) ?? 0);
    const recordId = String(values[key] ?? '');
    const job = intacctJob(flow, recordId, version, values, window.correlationId, at);
    const earlier = byRecord.get(recordId);
    if (earlier === undefined) {
      byRecord.set(recordId, jobs.length);
      jobs.push(job);
    } else jobs[earlier] = job;
  }
  if (flow.kind === 'mirror' && window.intacctDeletes !== false) {
    // Deletes in the same window: a job without a snapshot, which the worker re-reads and finds gone.
    for await (const row of queryByKeyset(client, {
      object: 'AUDITHISTORY',
      select: ['OBJECTKEY', 'ACCESSTIME'],
      versionField: 'ACCESSTIME',
      filter: where.and(
        where.eq('OBJECTTYPE', flow.intacctObject.toLowerCase()),
        where.eq('ACCESSMODE', 'D'),
        where.ge('ACCESSTIME', from),
        where.le('ACCESSTIME', to),
      ),
      pagesize: 2000,
    })) {
      const recordId = String(row.OBJECTKEY ?? '');
      const version = clock.toInstant(String(row.ACCESSTIME ?? ''));
      if (recordId === '') continue;
      newest = Math.max(newest, versionMs(version) ?? 0);
      const earlier = byRecord.get(recordId);
      // A record re-created after its delete keeps the newer job.
      if (earlier !== undefined && (versionMs(jobs[earlier]?.version) ?? 0) > (versionMs(version) ?? 0))
        continue;
      const job: Job = {
        ...intacctJob(flow, recordId, version, {}, window.correlationId, at),
        snapshot: undefined,
      };
      if (earlier === undefined) {
        byRecord.set(recordId, jobs.length);
        jobs.push(job);
      } else jobs[earlier] = job;
    }
  }
  return { jobs, watermark: new Date(newest).toISOString() };
}

/**
 * A full read (projections of figures whose changes may not move WHENMODIFIED, such as stock per
 * warehouse): every row, in RECORDNO keyset order, grouped per record into one job whose version
 * is the time of the read; the worker writes only what differs from what it last wrote.
 */
async function intacctFull(
  client: IntacctClient,
  flow: ProjectionFlow,
  window: DeltaWindow,
): Promise<DeltaResult> {
  const { fields, conditions } = intacctSource(flow);
  const read: Array<Record<string, unknown>> = [];
  const rows = queryByKeyset(client, {
    object: flow.intacctObject,
    select: fields,
    versionField: 'RECORDNO',
    ...(conditions.length === 0 ? {} : { filter: where.and(...conditions) }),
    pagesize: 2000,
    showPrivate: true,
  });
  for await (const row of rows) read.push(row);
  const at = new Date().toISOString();
  const version = window.until.toISOString();
  const jobs = [
    ...aggregate(
      flow,
      read.map((r) => stringify(r, fields)),
    ),
  ].map(([recordId, values]) => intacctJob(flow, recordId, version, values, window.correlationId, at));
  return { jobs, watermark: version };
}

function intacctJob(
  flow: FlowConfig,
  recordId: string,
  version: string | undefined,
  values: Values,
  correlationId: string,
  at: string,
): Job {
  return {
    v: 1,
    flow: flow.name,
    source: 'intacct',
    object: flow.intacctObject,
    recordId,
    reason: 'delta',
    version,
    correlationId: `${correlationId}:${recordId}`,
    snapshot: values,
    enqueuedAt: at,
  };
}

/**
 * Delta polls (DESIGN §4 triggers, §5 "Change capture"): read whole records changed in a bounded
 * window on one side and turn them into versioned jobs carrying their snapshot, so the worker
 * needs no re-read. Salesforce by SystemModstamp (deleted rows via queryAll), Intacct by
 * WHENMODIFIED (deletes from AUDITHISTORY); both with an overlap window because timestamps commit
 * late, in keyset order, one page at a time, so a long poll checkpoints and resumes.
 */
import type { IntacctClient } from '#shared/intacct/index.ts';
import {
  type CompanyClock,
  companyClock,
  type QueryFilter,
  queryByKeyset,
  queryKeysetPage,
  where,
} from '#shared/intacct/index.ts';
import type { Job } from '#shared/jobs/job.ts';
import { type SalesforceClient, soqlName } from '#shared/salesforce/index.ts';
import { normaliseModstamp } from './adapters/salesforce-port.ts';
import { toSoql } from './conditions.ts';
import type { AlertFlow, DocumentFlow, MirrorFlow, ProjectionFlow } from './flow-schema.ts';
import { intacctKeyField } from './flows.ts';
import { alertFields } from './kinds/alert/source.ts';
import { headerFields } from './kinds/document/fields.ts';
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

/** A row's fields as canonical strings (blank is null), as jobs carry them. */
export const stringify = (row: Record<string, unknown>, fields: readonly string[]): Values =>
  Object.fromEntries(
    fields.map((f) => [f, row[f] === null || row[f] === undefined || row[f] === '' ? null : String(row[f])]),
  );

/**
 * Where a poll of one flow on one side stands: its window (kept across invocations, so a resumed
 * poll reads exactly what the first one would have), the phase (modified rows, then deleted ones),
 * the keyset cursor of the last page enqueued, and the newest version enqueued so far — which
 * becomes the watermark only when the window is read to its end.
 */
export interface PollState {
  /** ISO instants: rows with from ≤ version ≤ until (the bounds are re-read: harmless, hashes skip them). */
  from: string;
  until: string;
  /** `also`: rows of the flow's `poll.also` objects, the `alsoIndex`th one (records they name). */
  phase: 'changed' | 'deleted' | 'also';
  alsoIndex?: number;
  cursor?: { version: string; id: string };
  newest: string;
}

/** How a page is read: rows per page (default 2000) and the reason its jobs carry (default `delta`). */
export interface PageOptions {
  pageSize?: number;
  reason?: Job['reason'];
}

/** A poll's next page: its jobs, and the state to go on from (absent: the window is done). */
export interface PollPage {
  jobs: Job[];
  next?: PollState;
  /** The new watermark, when the window is done. */
  watermark?: string;
}

/** Opens a window from the watermark (less the overlap) to now. */
export function openWindow(window: Pick<DeltaWindow, 'since' | 'until' | 'overlapMs'>): PollState {
  return {
    from: new Date(window.since.getTime() - (window.overlapMs ?? OVERLAP_MS)).toISOString(),
    // Whole seconds, rounded up: SOQL literals and WHENMODIFIED have no fractions.
    until: new Date(Math.ceil(window.until.getTime() / 1000) * 1000).toISOString(),
    phase: 'changed',
    newest: window.since.toISOString(),
  };
}

const newer = (a: string, b: string | undefined) =>
  (versionMs(b) ?? 0) > (versionMs(a) ?? 0) && b !== undefined ? b : a;

/** Reads a whole window (tests and small polls): every page, one after another. */
async function wholeWindow(
  window: DeltaWindow,
  page: (state: PollState) => Promise<PollPage>,
): Promise<DeltaResult> {
  let state: PollState | undefined = openWindow(window);
  const jobs: Job[] = [];
  let watermark = window.since.toISOString();
  for (let n = 0; state !== undefined && n < 100_000; n++) {
    const p: PollPage = await page(state);
    jobs.push(...p.jobs);
    state = p.next;
    if (p.watermark !== undefined) watermark = p.watermark;
  }
  return { jobs, watermark };
}

export function salesforceDelta(
  client: SalesforceClient,
  flow: MirrorFlow,
  window: DeltaWindow,
): Promise<DeltaResult> {
  return wholeWindow(window, (state) => salesforcePage(client, flow, state, window.correlationId));
}

/**
 * One page of a Salesforce poll: modified records by keyset (SystemModstamp, Id), 2000 at a time,
 * then the deleted ones (queryAll) in the same window, so a delete made while the poll runs cannot
 * lift the watermark past modifications this poll never read.
 */
export async function salesforcePage(
  client: SalesforceClient,
  flow: SalesforcePolled,
  state: PollState,
  correlationId: string,
  options: PageOptions = {},
): Promise<PollPage> {
  const { fields, where } = salesforceSource(flow);
  // The SOQL upper bound is exclusive: one second past `until` takes in its second.
  const until = new Date(Date.parse(state.until) + 1000);
  const at = new Date().toISOString();
  const base = {
    v: 1 as const,
    flow: flow.name,
    source: 'salesforce' as const,
    object: flow.salesforceObject,
    reason: options.reason ?? 'delta',
    enqueuedAt: at,
  };
  if (state.phase === 'changed') {
    const { records, next } = await client.queryChangedPage(flow.salesforceObject, fields, {
      from: new Date(state.from),
      until,
      ...(options.pageSize === undefined ? {} : { limit: options.pageSize }),
      ...(state.cursor === undefined
        ? {}
        : { after: { modstamp: state.cursor.version, id: state.cursor.id } }),
      ...(where === undefined ? {} : { where }),
    });
    const jobs: Job[] = records.map((r) => ({
      ...base,
      recordId: String(r.Id),
      version: normaliseModstamp(r.SystemModstamp),
      correlationId: `${correlationId}:${r.Id}`,
      snapshot: stringify(r, fields),
    }));
    const newest = jobs.reduce((n, j) => newer(n, j.version), state.newest);
    return {
      jobs,
      next:
        next === undefined
          ? { ...state, phase: 'deleted', cursor: undefined, newest }
          : { ...state, cursor: { version: next.modstamp, id: next.id }, newest },
    };
  }
  const deleted = await client.queryDeletedSince(flow.salesforceObject, new Date(state.from), until);
  // A deleted record has no snapshot: the worker re-reads it (queryAll) and sees IsDeleted.
  const jobs: Job[] = deleted.map((d) => ({
    ...base,
    recordId: d.id,
    version: normaliseModstamp(d.deletedAt),
    correlationId: `${correlationId}:${d.id}`,
  }));
  return { jobs, watermark: jobs.reduce((n, j) => newer(n, j.version), state.newest) };
}

/** The flows polled on the Salesforce side. */
export type SalesforcePolled = MirrorFlow | DocumentFlow;

/**
 * The Salesforce side of a flow as a poll reads it: a mirror's mapped fields and filter; a
 * document's header fields and its readiness conditions (the lines are read by the worker).
 */
function salesforceSource(flow: SalesforcePolled): { fields: string[]; where?: string } {
  // Ready records, and those that already have a document (a reopened deal must be seen: it fails).
  if (flow.kind === 'document')
    return {
      fields: headerFields(flow),
      where: `(${toSoql(flow.when)}) OR ${soqlName(flow.writeBack.documentId).text} != null`,
    };
  return { fields: fieldsToRead(flow, 'salesforce'), where: flow.salesforceFilter };
}

/** The flows polled on the Intacct side (a document flow takes Salesforce changes only). */
export type IntacctPolled = MirrorFlow | ProjectionFlow | AlertFlow;

/** The Intacct side of a flow as a poll reads it: object, key, fields, conditions. */
function intacctSource(flow: IntacctPolled) {
  const key = intacctKeyField(flow);
  const own =
    flow.kind === 'projection'
      ? projectionFields(flow)
      : flow.kind === 'alert'
        ? alertFields(flow)
        : fieldsToRead(flow, 'intacct');
  return {
    key,
    fields: [...new Set(['RECORDNO', 'WHENMODIFIED', key, ...own])],
    conditions: flow.kind === 'alert' ? [] : flow.intacctFilter.map(toQueryFilter),
  };
}

export function toQueryFilter(c: MirrorFlow['intacctFilter'][number]): QueryFilter {
  if (c.op === 'isnull' || c.op === 'isnotnull') return { op: c.op, field: c.field };
  if (c.op === 'in') return { op: 'in', field: c.field, values: c.values ?? [] };
  return { op: c.op, field: c.field, value: c.value ?? '' };
}

export function intacctDelta(
  client: IntacctClient,
  flow: IntacctPolled,
  window: DeltaWindow,
): Promise<DeltaResult> {
  return wholeWindow(window, (state) => intacctPage(client, flow, state, window));
}

/**
 * One page of an Intacct poll: modified rows by keyset (WHENMODIFIED, RECORDNO), 2000 at a time,
 * then — for mirror flows — the deletes of the same window from AUDITHISTORY (a job without a
 * snapshot, which the worker re-reads and finds gone). A full-capture projection reads its rows
 * in one go (its records group rows that a page boundary would split).
 */
export async function intacctPage(
  client: IntacctClient,
  flow: IntacctPolled,
  state: PollState,
  options: Pick<DeltaWindow, 'clock' | 'intacctDeletes' | 'correlationId'> & PageOptions,
): Promise<PollPage> {
  if (flow.kind === 'projection' && flow.poll.capture === 'full')
    return intacctFull(client, flow, state, options);
  const clock = options.clock ?? companyClock();
  const from = clock.format(Date.parse(state.from));
  const to = clock.format(Date.parse(state.until));
  const after =
    state.cursor === undefined ? undefined : { version: state.cursor.version, recordNo: state.cursor.id };
  const at = new Date().toISOString();
  if (state.phase === 'changed') {
    const { key, fields, conditions } = intacctSource(flow);
    const page = await queryKeysetPage(
      client,
      {
        object: flow.intacctObject,
        select: fields,
        versionField: 'WHENMODIFIED',
        filter: where.and(where.ge('WHENMODIFIED', from), where.le('WHENMODIFIED', to), ...conditions),
        pagesize: options.pageSize ?? 2000,
        showPrivate: true,
      },
      after,
    );
    const jobs = page.rows.map((row) => {
      const values = stringify(row, fields);
      const version = values.WHENMODIFIED ? clock.toInstant(values.WHENMODIFIED) : undefined;
      return intacctJob(flow, String(values[key] ?? ''), version, values, options, at);
    });
    const newest = jobs.reduce((n, j) => newer(n, j.version), state.newest);
    const deletesNext = flow.kind === 'mirror' && options.intacctDeletes !== false;
    if (page.next !== undefined)
      return {
        jobs,
        next: { ...state, cursor: { version: page.next.version, id: page.next.recordNo }, newest },
      };
    if (deletesNext) return { jobs, next: { ...state, phase: 'deleted', cursor: undefined, newest } };
    return alsoObjects(flow).length > 0
      ? { jobs, next: { ...state, phase: 'also', alsoIndex: 0, cursor: undefined, newest } }
      : { jobs, watermark: newest };
  }
  if (state.phase === 'also')
    return alsoPage(client, flow, state, { from, to, after, at, clock, ...options });
  const page = await queryKeysetPage(
    client,
    {
      object: 'AUDITHISTORY',
      select: ['OBJECTKEY', 'ACCESSTIME'],
      versionField: 'ACCESSTIME',
      filter: where.and(
        where.eq('OBJECTTYPE', flow.intacctObject.toLowerCase()),
        where.eq('ACCESSMODE', 'D'),
        where.ge('ACCESSTIME', from),
        where.le('ACCESSTIME', to),
      ),
      pagesize: options.pageSize ?? 2000,
    },
    after,
  );
  const jobs = page.rows
    .filter((row) => String(row.OBJECTKEY ?? '') !== '')
    .map((row) => ({
      ...intacctJob(
        flow,
        String(row.OBJECTKEY),
        clock.toInstant(String(row.ACCESSTIME ?? '')),
        {},
        options,
        at,
      ),
      snapshot: undefined,
    }));
  const newest = jobs.reduce((n, j) => newer(n, j.version), state.newest);
  return page.next === undefined
    ? { jobs, watermark: newest }
    : { jobs, next: { ...state, cursor: { version: page.next.version, id: page.next.recordNo }, newest } };
}

/** The objects whose changes name a flow's records (a payment's detail → its invoice). */
function alsoObjects(flow: IntacctPolled): ReadonlyArray<{ object: string; field: string }> {
  return flow.kind === 'mirror' ? [] : flow.poll.also;
}

/**
 * One page of rows of a `poll.also` object changed in the window: each names a record (by the
 * value of its field) that is re-read whole by the worker (no snapshot: the row is not the record).
 */
async function alsoPage(
  client: IntacctClient,
  flow: IntacctPolled,
  state: PollState,
  o: {
    from: string;
    to: string;
    after: { version: string; recordNo: string } | undefined;
    at: string;
    clock: CompanyClock;
    correlationId: string;
  } & PageOptions,
): Promise<PollPage> {
  const objects = alsoObjects(flow);
  const index = state.alsoIndex ?? 0;
  const also = objects[index];
  if (also === undefined) return { jobs: [], watermark: state.newest };
  const page = await queryKeysetPage(
    client,
    {
      object: also.object,
      select: ['RECORDNO', 'WHENMODIFIED', also.field],
      versionField: 'WHENMODIFIED',
      filter: where.and(where.ge('WHENMODIFIED', o.from), where.le('WHENMODIFIED', o.to)),
      pagesize: o.pageSize ?? 2000,
      showPrivate: true,
    },
    o.after,
  );
  const named = new Set(page.rows.map((row) => String(row[also.field] ?? '')).filter((id) => id !== ''));
  const jobs = [...named].map((id) => ({
    ...intacctJob(flow, id, undefined, {}, o, o.at),
    snapshot: undefined,
  }));
  const newest = page.rows.reduce(
    (n, row) => newer(n, row.WHENMODIFIED ? o.clock.toInstant(String(row.WHENMODIFIED)) : undefined),
    state.newest,
  );
  if (page.next !== undefined)
    return {
      jobs,
      next: { ...state, cursor: { version: page.next.version, id: page.next.recordNo }, newest },
    };
  return index + 1 < objects.length
    ? { jobs, next: { ...state, alsoIndex: index + 1, cursor: undefined, newest } }
    : { jobs, watermark: newest };
}

/**
 * A full read (projections of figures whose changes may not move WHENMODIFIED, such as stock per
 * warehouse): every row, in RECORDNO keyset order, grouped per record into one job whose version
 * is the end of the window; the worker writes only what differs from what it last wrote.
 */
async function intacctFull(
  client: IntacctClient,
  flow: ProjectionFlow,
  state: PollState,
  options: { correlationId: string } & PageOptions,
): Promise<PollPage> {
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
  const jobs = [
    ...aggregate(
      flow,
      read.map((r) => stringify(r, fields)),
    ),
  ].map(([recordId, values]) => intacctJob(flow, recordId, state.until, values, options, at));
  return { jobs, watermark: state.until };
}

function intacctJob(
  flow: IntacctPolled,
  recordId: string,
  version: string | undefined,
  values: Values,
  { correlationId, reason }: { correlationId: string } & PageOptions,
  at: string,
): Job {
  return {
    v: 1,
    flow: flow.name,
    source: 'intacct',
    object: flow.intacctObject,
    recordId,
    reason: reason ?? 'delta',
    version,
    correlationId: `${correlationId}:${recordId}`,
    snapshot: values,
    enqueuedAt: at,
  };
}

/**
 * The reconciliation of one mirror flow (DESIGN §5, issue 10): both systems read in full (keyset
 * pages, 2000 rows a call), the flow's links by one table scan, compared (report.ts); with `fix`,
 * one job per record to repair, through the normal pipeline so every promise applies: the side a
 * drifted field should come from (its owner, or for `latest` the side changed last), the record
 * only one side has (where the flow's direction creates it there), the surviving side of a link
 * whose record is gone (the flow's delete policy decides). Duplicates are reported, never fixed.
 */
import type { JobQueue } from '#shared/aws/job-queue.ts';
import {
  type CompanyClock,
  companyClock,
  type IntacctClient,
  queryKeysetPage,
  where,
} from '#shared/intacct/index.ts';
import type { Job } from '#shared/jobs/job.ts';
import type { SalesforceClient } from '#shared/salesforce/index.ts';
import { normaliseModstamp } from '../adapters/salesforce-port.ts';
import { stringify, toQueryFilter } from '../delta.ts';
import type { MirrorFlow } from '../flow-schema.ts';
import { intacctKeyField, takesFrom } from '../flows.ts';
import { fieldsToRead, type Side } from '../mapping.ts';
import type { Crosswalk, Link, SideRecord } from '../ports.ts';
import { compare, LIST_LIMIT, type ReconcileReport } from './report.ts';

export type { ReconcileReport } from './report.ts';

export interface ReconcileDeps {
  salesforce: SalesforceClient;
  intacct: IntacctClient;
  crosswalk: Crosswalk;
  queue: JobQueue;
  clock?: CompanyClock;
  now?: () => Date;
}

const MAX_PAGES = 100_000;

export async function reconcile(
  deps: ReconcileDeps,
  flow: MirrorFlow,
  options: { fix: boolean; correlationId: string },
): Promise<ReconcileReport> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const cost = { salesforceCalls: 0, intacctRequests: 0 };
  const [salesforce, intacct, links] = await Promise.all([
    readSalesforce(deps.salesforce, flow, cost),
    readIntacct(deps.intacct, flow, deps.clock ?? companyClock(), cost),
    (async () => {
      const out: Link[] = [];
      for await (const link of deps.crosswalk.linksOf(flow.name)) out.push(link);
      return out;
    })(),
  ]);
  const found = compare(flow, salesforce, intacct, links);
  const report: ReconcileReport = {
    flow: flow.name,
    startedAt,
    finishedAt: '',
    ...found,
    cost,
  };
  if (options.fix) report.fix = await enqueueFixes(deps.queue, flow, report, options.correlationId, now);
  report.finishedAt = now().toISOString();
  // The stored report keeps the first entries of each list; the counts stay complete.
  return {
    ...report,
    drifted: report.drifted.slice(0, LIST_LIMIT),
    onlyInSalesforce: report.onlyInSalesforce.slice(0, LIST_LIMIT),
    onlyInIntacct: report.onlyInIntacct.slice(0, LIST_LIMIT),
    goneInSalesforce: report.goneInSalesforce.slice(0, LIST_LIMIT),
    goneInIntacct: report.goneInIntacct.slice(0, LIST_LIMIT),
    duplicates: report.duplicates.slice(0, LIST_LIMIT),
  };
}

async function readSalesforce(client: SalesforceClient, flow: MirrorFlow, cost: { salesforceCalls: number }) {
  const fields = fieldsToRead(flow, 'salesforce');
  const out = new Map<string, SideRecord>();
  let after: { modstamp: string; id: string } | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    cost.salesforceCalls++;
    const { records, next } = await client.queryChangedPage(flow.salesforceObject, fields, {
      from: new Date(0),
      until: new Date(Date.now() + 86_400_000),
      ...(after === undefined ? {} : { after }),
      ...(flow.salesforceFilter === undefined ? {} : { where: flow.salesforceFilter }),
    });
    for (const r of records)
      out.set(String(r.Id), {
        id: String(r.Id),
        version: normaliseModstamp(r.SystemModstamp),
        values: stringify(r, fields),
      });
    if (next === undefined) return out;
    after = next;
  }
  return out;
}

async function readIntacct(
  client: IntacctClient,
  flow: MirrorFlow,
  clock: CompanyClock,
  cost: { intacctRequests: number },
) {
  const key = intacctKeyField(flow);
  const fields = [...new Set(['RECORDNO', 'WHENMODIFIED', key, ...fieldsToRead(flow, 'intacct')])];
  const conditions = flow.intacctFilter.map(toQueryFilter);
  const out = new Map<string, SideRecord>();
  let after: { version: string; recordNo: string } | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    cost.intacctRequests++;
    const { rows, next } = await queryKeysetPage(
      client,
      {
        object: flow.intacctObject,
        select: fields,
        versionField: 'RECORDNO',
        ...(conditions.length === 0
          ? {}
          : { filter: conditions.length === 1 ? conditions[0] : where.and(...conditions) }),
        pagesize: 2000,
        showPrivate: true,
      },
      after,
    );
    for (const row of rows) {
      const v = stringify(row, fields);
      const id = v[key];
      if (id === null || id === undefined) continue;
      out.set(id, {
        id,
        version: v.WHENMODIFIED ? clock.toInstant(v.WHENMODIFIED) : undefined,
        recordNo: v.RECORDNO ?? undefined,
        values: v,
      });
    }
    if (next === undefined) return out;
    after = next;
  }
  return out;
}

/** One job per record to repair, from the side that should win (re-read by the worker). */
async function enqueueFixes(
  queue: JobQueue,
  flow: MirrorFlow,
  report: ReconcileReport,
  correlationId: string,
  now: () => Date,
): Promise<NonNullable<ReconcileReport['fix']>> {
  const wanted = new Map<string, { side: Side; id: string }>();
  const want = (side: Side, id: string) => {
    if (takesFrom(flow, side)) wanted.set(`${side}:${id}`, { side, id });
  };
  for (const d of report.drifted)
    for (const side of d.from) want(side, side === 'salesforce' ? d.salesforceId : d.intacctKey);
  for (const id of report.onlyInSalesforce) want('salesforce', id);
  for (const key of report.onlyInIntacct) want('intacct', key);
  // A pair whose record is gone on one side: the survivor's job meets the flow's delete policy.
  for (const g of report.goneInIntacct)
    takesFrom(flow, 'intacct') ? want('intacct', g.intacctKey) : want('salesforce', g.salesforceId);
  for (const g of report.goneInSalesforce)
    takesFrom(flow, 'salesforce') ? want('salesforce', g.salesforceId) : want('intacct', g.intacctKey);
  const at = now().toISOString();
  const jobs: Job[] = [...wanted.values()].map(({ side, id }) => ({
    v: 1,
    flow: flow.name,
    source: side,
    object: side === 'salesforce' ? flow.salesforceObject : flow.intacctObject,
    recordId: id,
    reason: 'reconcile',
    correlationId: `${correlationId}:${id}`,
    enqueuedAt: at,
  }));
  const sent = jobs.length === 0 ? { enqueued: 0, failed: [] } : await queue.enqueue(jobs);
  if (sent.failed.length > 0)
    throw new Error(
      `could not enqueue ${sent.failed.length} of ${jobs.length} repair jobs; run the reconciliation again`,
    );
  return {
    enqueued: sent.enqueued,
    bySide: {
      salesforce: jobs.filter((j) => j.source === 'salesforce').length,
      intacct: jobs.filter((j) => j.source === 'intacct').length,
    },
  };
}

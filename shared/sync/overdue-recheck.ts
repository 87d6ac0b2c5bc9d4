/**
 * What time alone changes (DESIGN §4, receivables): an invoice falls overdue on a day when nothing
 * about it changes in Intacct, so no poll sees it. A daily re-check reads the open invoices whose
 * due date crossed the threshold in the last few days (one query per flow) and names the records
 * to look at again: the customers of an alert flow's `overdue` state, the invoices of a records
 * projection whose roll-ups count overdue amounts. Their jobs carry reason `reconcile`, so the
 * projection recomputes its roll-ups even where the record itself is unchanged.
 */
import { type IntacctClient, queryAll, where } from '#shared/intacct/index.ts';
import type { Job } from '#shared/jobs/job.ts';
import type { FlowConfig } from './flow-schema.ts';

/** Days before the threshold re-read each time: a missed daily run is made up the next day. */
export const RECHECK_LOOKBACK_DAYS = 3;

interface Crossing {
  object: string;
  /** The field whose value names the job's record (CUSTOMERID for an alert, RECORDNO for invoices). */
  keyField: string;
  dueField: string;
  amountField: string;
  days: number;
}

/** Where a flow looks for invoices crossing into overdue, if it has anything that depends on it. */
export function crossingOf(flow: FlowConfig): Crossing | undefined {
  if (flow.kind === 'alert') {
    const when = flow.states.map((s) => s.when).find((w) => w.type === 'overdue');
    return when?.type === 'overdue'
      ? {
          object: when.object,
          keyField: when.keyField,
          dueField: when.dueField,
          amountField: when.amountField,
          days: when.days,
        }
      : undefined;
  }
  if (flow.kind !== 'projection' || flow.target.type !== 'records') return undefined;
  const t = flow.target;
  const overdue = t.rollups.flatMap((r) => r.fields).find((f) => f.overdue !== undefined);
  const intacctOf = (salesforce: string | undefined) =>
    t.fields.find((f) => f.salesforce === salesforce)?.intacct;
  const dueField = intacctOf(overdue?.overdue?.field);
  const amountField = intacctOf(overdue?.of);
  if (overdue?.overdue === undefined || dueField === undefined || amountField === undefined) return undefined;
  return {
    object: flow.intacctObject,
    keyField: flow.intacctKeyField,
    dueField,
    amountField,
    days: overdue.overdue.days,
  };
}

/** `MM/DD/YYYY` of a UTC day `days` before `now`. */
function dayBefore(now: Date, days: number): string {
  const d = new Date(now.getTime() - days * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`;
}

/** One job per record whose open invoices crossed the flow's overdue threshold lately. */
export async function recheckJobs(
  client: IntacctClient,
  flow: FlowConfig,
  now: Date,
  correlationId: string,
): Promise<Job[]> {
  const c = crossingOf(flow);
  if (c === undefined) return [];
  // Due before today less `days` is overdue: the last crossing was due exactly `days + 1` ago.
  const from = dayBefore(now, c.days + RECHECK_LOOKBACK_DAYS);
  const to = dayBefore(now, c.days + 1);
  const ids = new Set<string>();
  for await (const row of queryAll(client, {
    object: c.object,
    select: ['RECORDNO', c.keyField],
    filter: where.and(where.ge(c.dueField, from), where.le(c.dueField, to), where.gt(c.amountField, '0')),
    orderBy: [{ field: 'RECORDNO' }],
    pagesize: 2000,
    showPrivate: true,
  })) {
    const id = String(row[c.keyField] ?? '');
    if (id !== '') ids.add(id);
  }
  const at = now.toISOString();
  return [...ids].map((recordId) => ({
    v: 1,
    flow: flow.name,
    source: 'intacct',
    object: flow.intacctObject,
    recordId,
    reason: 'reconcile',
    correlationId: `${correlationId}:${recordId}`,
    enqueuedAt: at,
  }));
}

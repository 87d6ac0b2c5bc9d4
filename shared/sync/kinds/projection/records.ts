/**
 * The `records` projection (DESIGN §4): each Intacct record → one read-only Salesforce record,
 * upserted on its external ID (so a second write of one key can never add a second record).
 * Per batch: own links and source (snapshot or one re-read), related rows, lookups through other
 * flows' links, one upsert per 200 records for those whose hash differs from the last written,
 * the parents' roll-ups, then the links (conditional: a lost race re-plans from a fresh read and
 * writes again, since the other job's write may have been the older one).
 */
import { SyncError } from '#shared/errors.ts';
import type { ProjectionFlow } from '../../flow-schema.ts';
import { controlIds } from '../../kernel/control-ids.ts';
import { failed } from '../../kernel/failures.ts';
import { type LinkEntry, linksBy, storeLinks } from '../../kernel/links.ts';
import { runStep } from '../../kernel/step.ts';
import { pending } from '../../kernel/work-items.ts';
import type { Link } from '../../ports.ts';
import type { RecordsTarget } from '../../records-schema.ts';
import type { KindContext } from '../context.ts';
import type { RecordItem } from './item.ts';
import { planRecords } from './records-plan.ts';
import { loadRecords } from './records-source.ts';
import { rollUp } from './rollups.ts';

export async function projectRecords(
  context: KindContext,
  flow: ProjectionFlow,
  target: RecordsTarget,
  items: RecordItem[],
): Promise<void> {
  const step = (name: string) => ({ flow: flow.name, step: name, logger: context.logger });
  await loadRecords(context, flow, target, items);
  const planning = pending(items);
  await runStep(step('resolve lookups'), planning, () => planRecords(context, flow, target, planning));
  for (const item of pending(items))
    if (item.force !== true && item.link?.hashToSalesforce === item.hash)
      item.outcome = { status: 'done', action: 'skip:no-change' };
  const writing = pending(items);
  await runStep(step('write'), writing, () => upsert(context, flow, target, writing));
  // A re-check (reason `reconcile`: an invoice fell overdue today) recomputes the roll-ups of an
  // unchanged record too: time changed them, not the record. If that fails, the job retries.
  const rechecked = items.filter(
    (i) =>
      i.job.reason === 'reconcile' && i.outcome?.status === 'done' && i.outcome.action === 'skip:no-change',
  );
  for (const item of rechecked) item.outcome = undefined;
  const rolling = pending(items);
  await runStep(step('roll up'), rolling, () => rollUps(context, flow, target, rolling));
  for (const item of rechecked)
    if (item.outcome === undefined) item.outcome = { status: 'done', action: 'skip:no-change' };
  await runStep(
    step('store links'),
    pending(items),
    () => recordLinks(context, flow, pending(items)),
    'retry',
  );
}

async function upsert(
  context: KindContext,
  flow: ProjectionFlow,
  target: RecordsTarget,
  items: RecordItem[],
): Promise<void> {
  const results = await context.salesforce.write(
    flow.salesforceObject,
    items.map((i) => ({
      kind: 'create' as const,
      ref: i.id,
      values: i.desired ?? {},
      upsertOn: target.externalId,
      controlId: controlIds.perVersion(flow.name, 'upsert', i.id, i.source?.version, i.hash ?? ''),
    })),
  );
  const byRef = new Map(results.map((r) => [r.ref, r]));
  const at = context.now().toISOString();
  for (const item of items) {
    const r = byRef.get(item.id);
    if (r?.ok === true) {
      item.salesforceId = r.id;
      item.writtenAt = at;
      continue;
    }
    const error =
      r === undefined
        ? new SyncError('no result for the write', { code: 'INTERNAL', retryable: true })
        : r.error;
    item.outcome = failed(error, flow.name, item.id, {
      salesforceId: item.link?.salesforceId,
      intacctKey: item.id,
    });
  }
}

/** Each roll-up over the parents the written records name now or named before (a moved invoice). */
async function rollUps(
  context: KindContext,
  flow: ProjectionFlow,
  target: RecordsTarget,
  items: RecordItem[],
): Promise<void> {
  for (const rollup of target.rollups) {
    const parents = new Set<string>();
    for (const item of items)
      for (const v of [item.desired?.[rollup.lookup], item.link?.lastWritten?.values[rollup.lookup]])
        if (v) parents.add(v);
    const { updated, refused } = await rollUp(context, flow.salesforceObject, rollup, [...parents]);
    if (updated > 0) context.logger.info('rolled up', { flow: flow.name, parent: rollup.parent, updated });
    for (const item of items) {
      const parent = item.desired?.[rollup.lookup];
      const error = parent ? refused.get(parent) : undefined;
      if (error !== undefined && item.outcome === undefined)
        item.outcome = failed(
          new SyncError(`${rollup.parent} ${parent} refused its roll-up: ${error.message}`, {
            code: error.code,
            retryable: error.retryable,
            hint: error.hint ?? `fix what ${rollup.parent} ${parent} refuses, then run sfi redrive`,
          }),
          flow.name,
          item.id,
          { salesforceId: item.salesforceId ?? item.link?.salesforceId, intacctKey: item.id },
        );
    }
  }
}

async function recordLinks(context: KindContext, flow: ProjectionFlow, items: RecordItem[]) {
  const now = context.now().toISOString();
  // A link is kept under its Salesforce record's ID: a record that another Intacct record wrote
  // before (the invoice Intacct replaced when its order was edited) takes that link's place.
  const moved = items.filter((i) => i.link?.salesforceId !== i.salesforceId);
  const previous = await linksBy(
    context.crosswalk,
    flow.name,
    'salesforce',
    moved.map((i) => i.salesforceId as string),
  );
  const entries: Array<LinkEntry<RecordItem>> = [];
  for (const item of items) {
    const expected =
      item.link?.salesforceId === item.salesforceId ? item.link : previous.get(item.salesforceId as string);
    const action = item.link === undefined ? 'create' : 'update';
    item.outcome = { status: 'done', action };
    const link: Link = {
      ...(item.link ?? {}),
      flow: flow.name,
      salesforceId: item.salesforceId as string,
      intacctKey: item.id,
      intacctVersion: item.source?.version,
      hashToSalesforce: item.hash,
      lastAction: action,
      lastAt: now,
      lastReason: item.job.reason,
      lastCorrelationId: item.job.correlationId,
      salesforceWrittenAt: item.writtenAt,
      lastWritten: { to: 'salesforce', values: item.desired ?? {} },
    };
    entries.push({ item, link, expected });
  }
  const stored = await storeLinks(context.crosswalk, entries);
  for (const [item, link] of stored)
    item.logger.info('record synced', {
      action: link.lastAction,
      salesforceId: link.salesforceId,
      rev: link.rev,
    });
}

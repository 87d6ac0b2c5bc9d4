/**
 * The `projection` kind (DESIGN §4): Intacct records → read-only Salesforce data. A `records`
 * target (invoices, payments, credit memos) makes one Salesforce record per Intacct record
 * (records.ts); the `fields` and `price-book-entries` targets write onto the record another flow
 * links, through `via`. For those, per batch: the projection's own links (version and hash last
 * written), the source figures, the Salesforce record by `via`; what Salesforce should show,
 * checked before anything is written; unchanged records cost no Salesforce call; the rest is read
 * once, diffed and written in collections (phases: standard prices first); the link records
 * version and hash, conditionally. An older version never overwrites a newer one; a lost race
 * re-plans once from a fresh read (and a `records` item then writes even when its hash matches).
 */
import { SyncError } from '#shared/errors.ts';
import type { ProjectionFlow } from '../../flow-schema.ts';
import { failed } from '../../kernel/failures.ts';
import { type LinkEntry, storeLinks } from '../../kernel/links.ts';
import { runStep } from '../../kernel/step.ts';
import { dedupe, fresh, pending } from '../../kernel/work-items.ts';
import { payloadHash } from '../../mapping.ts';
import type { Link } from '../../ports.ts';
import type { KindContext, KindRunner } from '../context.ts';
import { planFields } from './fields-target.ts';
import { fieldValues } from './figures.ts';
import type { ProjectionItem, RecordItem } from './item.ts';
import { type Book, checkBooks, desiredPrices, planPrices } from './price-book.ts';
import { projectRecords } from './records.ts';
import { loadState } from './state.ts';

export const runProjection: KindRunner<ProjectionFlow> = async (context, flow, jobs) => {
  const items: Array<ProjectionItem & RecordItem> = dedupe(flow.name, jobs, context.logger);
  for (const item of items)
    if (item.job.source !== 'intacct') item.outcome = { status: 'done', action: 'skip:one-way' };
  await project(context, flow, pending(items));
  const raced = items.filter(
    (i) => i.outcome?.status === 'retry' && i.outcome.error.code === 'LINK_CONFLICT',
  );
  if (raced.length > 0) {
    // The state it saw is gone: re-read the source (the newest figures) and plan again.
    const again: Array<ProjectionItem & RecordItem> = raced.map((i) => ({ ...fresh(i), force: true }));
    await project(context, flow, again);
    for (const [n, item] of raced.entries()) item.outcome = again[n]?.outcome;
  }
  return items;
};

async function project(
  context: KindContext,
  flow: ProjectionFlow,
  items: Array<ProjectionItem & RecordItem>,
) {
  const step = (name: string) => ({ flow: flow.name, step: name, logger: context.logger });
  const target = flow.target;
  if (target.type === 'records') return projectRecords(context, flow, target, items);
  await loadState(context, flow, items);
  if (target.type === 'fields') {
    for (const item of pending(items)) {
      try {
        item.desired = fieldValues(flow, target, item.id, item.source?.values ?? {});
        item.hash = payloadHash(item.desired);
      } catch (error) {
        item.outcome = failed(error as SyncError, flow.name, item.id, {
          salesforceId: item.salesforceId,
          intacctKey: item.id,
        });
      }
    }
  } else desiredPrices(flow, target, items);
  // What was last written, from the same record: no Salesforce call at all.
  for (const item of pending(items))
    if (item.link?.hashToSalesforce === item.hash && item.link?.salesforceId === item.salesforceId)
      item.outcome = { status: 'done', action: 'skip:no-change' };
  if (target.type === 'fields') {
    const planning = pending(items);
    await runStep(step('read targets'), planning, () => planFields(context, flow, target, planning));
  } else {
    const checking = pending(items);
    let books = new Map<string, Book>();
    await runStep(step('check price books'), checking, async () => {
      books = await checkBooks(context, flow, target, checking);
    });
    const planning = pending(items);
    await runStep(step('read targets'), planning, () => planPrices(context, flow, target, books, planning));
  }
  await writePhases(context, flow, pending(items));
  await runStep(
    step('store links'),
    pending(items),
    () => recordLinks(context, flow, pending(items)),
    'retry',
  );
}

/** Writes phase by phase; an item with a failed write stops there (its retry re-plans from Salesforce). */
async function writePhases(context: KindContext, flow: ProjectionFlow, items: ProjectionItem[]) {
  for (const phase of [0, 1]) {
    const live = pending(items).filter((i) => (i.ops?.[phase]?.length ?? 0) > 0);
    await runStep({ flow: flow.name, step: 'write', logger: context.logger }, live, async () => {
      const results = await context.salesforce.write(
        flow.salesforceObject,
        live.flatMap((i) => i.ops?.[phase] ?? []),
      );
      const byRef = new Map(results.map((r) => [r.ref, r]));
      const at = context.now().toISOString();
      for (const item of live) {
        item.writtenAt = at;
        for (const op of item.ops?.[phase] ?? []) {
          const r = byRef.get(op.ref);
          if (r?.ok === true) continue;
          const error =
            r === undefined
              ? new SyncError('no result for the write', { code: 'INTERNAL', retryable: true })
              : r.error.code === 'DUPLICATE_VALUE'
                ? new SyncError(r.error.message, {
                    code: 'DUPLICATE_VALUE',
                    retryable: true,
                    hint: 'another job created this record at the same time; the retry updates it',
                  })
                : r.error;
          item.outcome = failed(error, flow.name, item.id, {
            salesforceId: item.salesforceId,
            intacctKey: item.id,
          });
          break;
        }
      }
    });
  }
}

async function recordLinks(context: KindContext, flow: ProjectionFlow, items: ProjectionItem[]) {
  const now = context.now().toISOString();
  const entries: Array<LinkEntry<ProjectionItem>> = [];
  for (const item of items) {
    const ops = item.ops?.flat() ?? [];
    const action = ops.some((o) => o.kind === 'create')
      ? 'create'
      : ops.length > 0
        ? 'update'
        : 'skip:no-change';
    item.outcome = { status: 'done', action };
    // Kept under the Salesforce record's ID (replacing another item's state if `via` relinked it).
    const expected = item.stored;
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
      ...(item.writtenAt === undefined ? {} : { salesforceWrittenAt: item.writtenAt }),
    };
    entries.push({ item, link, expected, pointer: false });
  }
  const stored = await storeLinks(context.crosswalk, entries);
  for (const [item, link] of stored)
    item.logger.info('record synced', {
      action: link.lastAction,
      salesforceId: link.salesforceId,
      rev: link.rev,
    });
}

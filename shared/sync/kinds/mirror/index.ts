/**
 * The `mirror` kind (DESIGN §4): one record ⇄ one record, field owners, match keys. Per direction:
 * links, source state, references, decisions, targets (linked or matched), claimed creates and
 * batched writes, the key written back, links stored conditionally. An item whose link write lost
 * a race re-plans once more in this invocation from a fresh read; if it loses again, it retries.
 */
import type { MirrorFlow } from '../../flow-schema.ts';
import { type LinkEntry, linkConflict, linksBy, storeLinks } from '../../kernel/links.ts';
import { resolveReferences } from '../../kernel/references.ts';
import { loadSources } from '../../kernel/source-state.ts';
import { runStep } from '../../kernel/step.ts';
import { dedupe, fresh, pending, type WorkItem } from '../../kernel/work-items.ts';
import type { Side } from '../../mapping.ts';
import type { KindContext, KindRunner } from '../context.ts';
import { decide } from './decide.ts';
import { direction, type MirrorItem } from './item.ts';
import { linkFor, replaces, stampOnto } from './link-state.ts';
import { matchTargets } from './match.ts';
import { readLinkedTargets } from './targets.ts';
import { planAndWrite, releaseClaims } from './write.ts';
import { writeBack } from './write-back.ts';

export const runMirror: KindRunner<MirrorFlow> = async (context, flow, jobs) => {
  const all: WorkItem[] = [];
  for (const from of ['salesforce', 'intacct'] as const) {
    const mine = jobs.filter((j) => j.job.source === from);
    if (mine.length === 0) continue;
    const items: MirrorItem[] = dedupe(flow.name, mine, context.logger);
    const oneWay =
      (from === 'salesforce' && flow.direction === 'toSalesforce') ||
      (from === 'intacct' && flow.direction === 'toIntacct');
    if (oneWay) for (const item of items) item.outcome = { status: 'done', action: 'skip:one-way' };
    else {
      await syncDirection(context, flow, from, items);
      const raced = items.filter(
        (i) => i.outcome?.status === 'retry' && i.outcome.error.code === 'LINK_CONFLICT',
      );
      if (raced.length > 0) {
        const again = raced.map(fresh);
        await syncDirection(context, flow, from, again);
        for (const [i, item] of raced.entries()) item.outcome = again[i]?.outcome;
      }
    }
    all.push(...items);
  }
  return all;
};

async function syncDirection(context: KindContext, flow: MirrorFlow, from: Side, items: MirrorItem[]) {
  const dir = direction(context, flow, from);
  const step = (name: string) => ({ flow: flow.name, step: name, logger: context.logger });

  // 1. Links first: they decide whether a job's snapshot can be trusted.
  await runStep(step('read links'), items, async () => {
    const links = await linksBy(
      context.crosswalk,
      flow.name,
      from,
      items.map((i) => i.id),
    );
    for (const item of items) item.link = links.get(item.id);
  });
  // 2. Source state: snapshot or batched re-read; then references and the decisions they allow.
  await loadSources({ flow: flow.name, logger: context.logger }, items, from, dir.source);
  // A linked Intacct record that is gone was deleted there (its audit trail sent the job, or any
  // change of it did): the decision follows the flow's onIntacctDelete, never a silent skip.
  if (from === 'intacct')
    for (const item of items)
      if (item.outcome?.status === 'done' && item.outcome.action === 'skip:source-not-found' && item.link) {
        item.outcome = undefined;
        item.source = { id: item.id, version: item.job.version, values: {}, deleted: true };
      }
  await runStep(step('resolve references'), pending(items), () =>
    resolveParent(context, flow, from, pending(items)),
  );
  for (const item of pending(items)) decide(flow, from, item);
  await unlinkDeleted(
    context,
    flow,
    items.filter((i) => i.unlink === true && i.outcome === undefined),
  );
  // 3. Targets: linked ones by ID (a missing one per onTargetMissing), the others by match keys.
  await readLinkedTargets(context, flow, dir, pending(items));
  const unlinked = pending(items).filter((i) => i.target === undefined);
  await runStep(step('match'), unlinked, () => matchTargets(context, flow, dir, unlinked));
  // 4. Plan, claim creates, write; 5. the key back to Salesforce; 6. links.
  const claims = await planAndWrite(context, flow, dir, pending(items));
  await writeBack(context, flow, from, items);
  const linking = items.filter(
    (i) =>
      i.outcome?.status === 'done' &&
      i.source !== undefined &&
      (i.target !== undefined || (i.link !== undefined && i.wroteBackAt !== undefined)) &&
      // A no-op costs no write — except when the target already held the values but the link's
      // hash did not say so (recording it once spares later jobs a target read), or a write-back ran.
      !(
        i.outcome.action.startsWith('skip') &&
        i.link !== undefined &&
        i.outcome.action !== 'skip:no-change' &&
        i.wroteBackAt === undefined
      ),
  );
  await runStep(step('store links'), linking, () => recordLinks(context, flow, from, linking), 'retry');
  for (const item of items)
    if (item.after !== undefined && item.outcome?.status === 'done') item.outcome = item.after;
  await releaseClaims(context, flow, claims);
}

/** The pairs whose Intacct record was deleted, forgotten (onIntacctDelete: unlink). */
async function unlinkDeleted(context: KindContext, flow: MirrorFlow, items: MirrorItem[]) {
  for (const item of items) {
    const link = item.link as NonNullable<MirrorItem['link']>;
    item.outcome = (await context.crosswalk.remove(link))
      ? { status: 'done', action: 'unlink' }
      : linkConflict(flow.name, item.id, 'it was unlinked', link);
    item.logger.info('pair unlinked: deleted in Intacct', { salesforceId: link.salesforceId });
  }
}

/** Contact.AccountId → the parent's Intacct key (Salesforce → Intacct only: Intacct has no lookup back). */
async function resolveParent(context: KindContext, flow: MirrorFlow, from: Side, items: MirrorItem[]) {
  const parent = flow.parent;
  if (parent === undefined || from !== 'salesforce') return;
  await resolveReferences(context.crosswalk, items, [
    {
      via: parent.flow,
      side: 'salesforce',
      valueOf: (i: MirrorItem) => i.source?.values[parent.salesforceField],
      resolved: (i: MirrorItem, link) => {
        i.payload = { [parent.intacctField]: link.intacctKey };
      },
    },
  ]);
}

async function recordLinks(context: KindContext, flow: MirrorFlow, from: Side, items: MirrorItem[]) {
  const now = context.now().toISOString();
  // A re-created Salesforce record pairs the Intacct record with a new ID: the old link goes first.
  for (const item of items.filter((i) => replaces(from, i))) {
    const old = item.link as NonNullable<MirrorItem['link']>;
    if (!(await context.crosswalk.remove(old)))
      item.outcome = linkConflict(flow.name, item.id, 'it was replaced', old);
  }
  const entries: Array<LinkEntry<MirrorItem>> = items
    .filter((i) => i.outcome?.status === 'done')
    .map((item) => {
      const stamp = stampOnto(from, item);
      // Skipped unchanged (no target read) but written back: only the write stamp changes.
      const link =
        item.target === undefined && item.link !== undefined
          ? (stamp?.(item.link) ?? item.link)
          : linkFor(flow, from, item, now);
      return {
        item,
        link,
        expected: replaces(from, item) ? undefined : item.link,
        keyClaimed: item.keyClaimed,
        stamp,
      };
    });
  const stored = await storeLinks(context.crosswalk, entries);
  for (const [item, link] of stored) {
    item.logger.info('record synced', {
      action: link.lastAction,
      salesforceId: link.salesforceId,
      intacctKey: link.intacctKey,
      reason: link.lastReason,
      rev: link.rev,
      fields: Object.keys(item.written ?? {}),
    });
  }
}

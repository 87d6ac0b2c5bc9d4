/**
 * Linked targets, read in one batched call. A linked target that is gone is never silently
 * re-created: the flow's `onTargetMissing` decides — `fail` (a failure naming both IDs and the
 * commands that re-create or unlink it), `unlink` (forget the pair), `recreate` (create it anew).
 */
import { SyncError } from '#shared/errors.ts';
import type { MirrorFlow } from '../../flow-schema.ts';
import { failed } from '../../kernel/failures.ts';
import { linkConflict } from '../../kernel/links.ts';
import { runStep } from '../../kernel/step.ts';
import type { Link } from '../../ports.ts';
import type { KindContext } from '../context.ts';
import { type Direction, idsOf, linkId, type MirrorItem } from './item.ts';

const SYSTEM = { salesforce: 'Salesforce', intacct: 'Intacct' } as const;

export async function readLinkedTargets(
  context: KindContext,
  flow: MirrorFlow,
  dir: Direction,
  items: readonly MirrorItem[],
): Promise<void> {
  const linked = items.filter((i) => i.link !== undefined);
  const targetId = (link: Link) => linkId(link, dir.to);
  const missing: MirrorItem[] = [];
  await runStep({ flow: flow.name, step: 'read targets', logger: context.logger }, linked, async () => {
    const found = await dir.target.port.read(
      dir.target.object,
      dir.target.fields,
      linked.map((i) => targetId(i.link as Link)),
    );
    for (const item of linked) {
      item.target = found.get(targetId(item.link as Link));
      if (item.target?.deleted === true) {
        // In Salesforce's recycle bin: the account's delete is what syncs (deactivation), not this change.
        item.outcome = { status: 'done', action: 'skip:target-deleted' };
      } else if (item.target === undefined) {
        if (item.source?.deleted === true) item.outcome = { status: 'done', action: 'skip:both-deleted' };
        else missing.push(item);
      }
    }
  });
  for (const item of missing) await onMissing(context, flow, dir, item);
}

async function onMissing(context: KindContext, flow: MirrorFlow, dir: Direction, item: MirrorItem) {
  const link = item.link as Link;
  const gone = linkId(link, dir.to);
  if (flow.onTargetMissing === 'recreate') {
    item.recreate = true;
    item.logger.info('linked target missing; re-creating', { target: gone });
    return;
  }
  if (flow.onTargetMissing === 'unlink') {
    const removed = await context.crosswalk.remove(link);
    item.logger.info('linked target missing; unlinked', { target: gone, removed });
    item.outcome = removed
      ? { status: 'done', action: 'unlink' }
      : linkConflict(flow.name, item.id, 'unlinking', link);
    return;
  }
  const what = `${SYSTEM[dir.to]} ${dir.target.object} ${gone}`;
  item.outcome = failed(
    new SyncError(
      `${what}, linked to ${SYSTEM[dir.from]} ${dir.source.object} ${item.id}, no longer exists; it is not re-created`,
      {
        code: 'TARGET_MISSING',
        retryable: false,
        hint: `to create it again run "sfi unlink ${flow.name} ${link.salesforceId}" then "sfi replay ${flow.name} ${item.id} --side ${dir.from}", or set the flow's onTargetMissing to "recreate" or "unlink"`,
      },
    ),
    flow.name,
    item.id,
    idsOf(item, dir.from),
  );
}

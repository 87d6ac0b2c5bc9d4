/**
 * Plans and writes a direction's items in batched calls. Every create is claimed first (towards
 * Intacct: the key's pointer; towards Salesforce: a claim item), so two invocations holding the
 * same new record never both create; so is every new link to a matched target (the pointer), so
 * a new link has one writer. A create that Intacct refuses because the key already exists
 * — a concurrent job of ours got there first — re-reads the record by key and, unless it is linked
 * to another record, becomes an update of what still differs.
 */
import type { SyncError } from '#shared/errors.ts';
import type { MirrorFlow } from '../../flow-schema.ts';
import { claimAll } from '../../kernel/claims.ts';
import { failed } from '../../kernel/failures.ts';
import { linksBy } from '../../kernel/links.ts';
import { runStep } from '../../kernel/step.ts';
import { pending } from '../../kernel/work-items.ts';
import type { ClaimKey, WriteOp } from '../../ports.ts';
import type { KindContext } from '../context.ts';
import { type Direction, idsOf, type MirrorItem } from './item.ts';
import { plan } from './plan.ts';

export async function planAndWrite(
  context: KindContext,
  flow: MirrorFlow,
  dir: Direction,
  items: readonly MirrorItem[],
): Promise<Map<MirrorItem, ClaimKey>> {
  const ops = new Map<MirrorItem, WriteOp>();
  for (const item of pending(items)) {
    const op = plan(flow, dir.to, item);
    if (op !== undefined) ops.set(item, op);
  }
  // Every create, and every new link to a matched target, is claimed first.
  const claims = new Map<MirrorItem, ClaimKey>();
  for (const [item, op] of ops) if (op.kind === 'create') claims.set(item, claimKeyOf(flow, dir, item, op));
  for (const item of items) {
    const matched =
      item.outcome === undefined || (item.outcome.status === 'done' && item.outcome.action === 'link');
    if (matched && item.link === undefined && item.target !== undefined && !claims.has(item))
      claims.set(
        item,
        dir.to === 'intacct'
          ? { pointer: item.target.id, salesforceId: item.id }
          : { pointer: item.id, salesforceId: item.target.id },
      );
  }
  const creating = [...claims.keys()];
  let held: MirrorItem[] = [];
  await runStep({ flow: flow.name, step: 'claim new links', logger: context.logger }, creating, async () => {
    held = await claimAll(
      flow.name,
      creating,
      (item) => claim(context, flow, item, claims.get(item) as ClaimKey),
      (i) => idsOf(i, dir.from),
    );
    for (const item of held) if ('pointer' in (claims.get(item) as ClaimKey)) item.keyClaimed = true;
  });
  const duplicates = await write(
    context,
    flow,
    dir,
    [...ops].filter(([item]) => item.outcome === undefined),
  );
  if (duplicates.length === 0) return claimsOf(held, claims);
  await runStep(
    { flow: flow.name, step: 'settle duplicate', logger: context.logger },
    duplicates,
    async () => {
      await adoptExisting(context, flow, dir, duplicates);
      const again = new Map<MirrorItem, WriteOp>();
      for (const item of pending(duplicates)) {
        const op = plan(flow, dir.to, item);
        if (op !== undefined) again.set(item, op);
      }
      for (const item of await write(context, flow, dir, [...again]))
        item.outcome = failed(
          (item.duplicate as { error: SyncError }).error,
          flow.name,
          item.id,
          idsOf(item, dir.from),
        );
    },
  );
  return claimsOf(held, claims);
}

function claimsOf(held: readonly MirrorItem[], claims: ReadonlyMap<MirrorItem, ClaimKey>) {
  return new Map(held.map((item) => [item, claims.get(item) as ClaimKey]));
}

/**
 * Gives up the claims of items that did not end synced. A claim guards the create while its
 * holder runs; once the holder is done, a later job's match before create (by the key the create
 * gave) finds a create that committed after all, so it need not wait for the claim to expire. A
 * linked item keeps it: its link speaks for the record from now on.
 */
export async function releaseClaims(
  context: KindContext,
  flow: MirrorFlow,
  claims: ReadonlyMap<MirrorItem, ClaimKey>,
): Promise<void> {
  await Promise.all(
    [...claims]
      .filter(([item]) => item.outcome?.status !== 'done')
      .map(([item, key]) =>
        context.crosswalk
          .release(flow.name, key, context.owner)
          .catch((error: unknown) => item.logger.warn('claim not released; it expires by itself', { error })),
      ),
  );
}

/** What a create claims: towards Intacct the key's pointer, else a claim item per generation. */
function claimKeyOf(flow: MirrorFlow, dir: Direction, item: MirrorItem, op: WriteOp | undefined): ClaimKey {
  const key = op?.values[flow.intacctKey?.field ?? ''];
  if (dir.to === 'intacct' && typeof key === 'string' && key !== '')
    return { pointer: key, salesforceId: item.id };
  return { item: `create#${dir.to}#${item.id}#${item.link?.rev ?? 0}` };
}

function claim(context: KindContext, flow: MirrorFlow, item: MirrorItem, key: ClaimKey) {
  if ('pointer' in key)
    return context.crosswalk.claimKey(
      flow.name,
      key.pointer,
      key.salesforceId,
      context.owner,
      context.claimTtlSeconds,
      item.link?.rev ?? 0,
    );
  return context.crosswalk.claim(flow.name, key.item, context.owner, context.claimTtlSeconds);
}

/** Writes the ops; answers the items whose create hit an existing key (their outcome left open). */
async function write(
  context: KindContext,
  flow: MirrorFlow,
  dir: Direction,
  entries: Array<[MirrorItem, WriteOp]>,
): Promise<MirrorItem[]> {
  const duplicates: MirrorItem[] = [];
  const byRef = new Map(entries.map(([item, op]) => [item.id, { item, op }]));
  await runStep(
    { flow: flow.name, step: 'write', logger: context.logger },
    entries.map(([i]) => i),
    async () => {
      if (entries.length === 0) return;
      for (const result of await dir.target.port.write(
        dir.target.object,
        entries.map(([, op]) => op),
      )) {
        const entry = byRef.get(result.ref);
        if (entry === undefined) continue;
        const { item, op } = entry;
        if (!result.ok) {
          const key = op.values[flow.intacctKey?.field ?? ''];
          if (result.duplicate === true && item.duplicate === undefined && typeof key === 'string') {
            item.duplicate = { key, error: result.error };
            duplicates.push(item);
            continue;
          }
          item.outcome = failed(result.error, flow.name, item.id, idsOf(item, dir.from));
          continue;
        }
        const action =
          op.kind === 'create'
            ? item.recreate === true
              ? 'recreate'
              : 'create'
            : item.reactivate === true
              ? 'reactivate'
              : item.link === undefined
                ? 'link+update'
                : 'update';
        item.written = op.values;
        item.writtenAt = context.now().toISOString();
        item.target = {
          id: result.id,
          recordNo: result.recordNo ?? item.target?.recordNo,
          values: { ...item.target?.values, ...op.values },
        };
        item.outcome = { status: 'done', action };
      }
    },
  );
  return duplicates;
}

/** The records that already have the keys these creates gave: adopted as targets unless linked elsewhere. */
async function adoptExisting(context: KindContext, flow: MirrorFlow, dir: Direction, items: MirrorItem[]) {
  const keys = items.map((i) => i.duplicate?.key ?? '');
  const [found, links] = await Promise.all([
    dir.target.port.read(dir.target.object, dir.target.fields, keys),
    linksBy(context.crosswalk, flow.name, dir.to, keys),
  ]);
  for (const item of items) {
    const { key, error } = item.duplicate as { key: string; error: SyncError };
    const existing = found.get(key);
    const owner = links.get(key);
    if (existing === undefined || (owner !== undefined && owner.salesforceId !== item.id)) {
      item.outcome = failed(error, flow.name, item.id, { ...idsOf(item, dir.from), intacctKey: key });
      continue;
    }
    item.logger.info('create found its key taken by a concurrent write of ours; adopting it', {
      target: key,
    });
    item.target = existing;
  }
}

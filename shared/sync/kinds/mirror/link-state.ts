/**
 * The link a synced item leaves: both sides' IDs, the source's version, the hash of what each
 * side now holds in the shape the sync towards it writes, our write stamps, and the audit of the
 * last write. `stamps` is the part that must survive a lost race: when we wrote to each side.
 */
import type { MirrorFlow } from '../../flow-schema.ts';
import { currentState, payloadHash, type Side } from '../../mapping.ts';
import type { Link, SideRecord } from '../../ports.ts';
import type { MirrorItem } from './item.ts';

export function linkFor(flow: MirrorFlow, from: Side, item: MirrorItem, now: string): Link {
  const source = item.source as SideRecord;
  const target = item.target as SideRecord;
  // The hash of each side's state in the shape the sync towards it writes: the payload just
  // written for the target side, the source's own values for the source side.
  const sourceState = currentState(flow, from, source.values);
  // A parent reference is in the payload only when Salesforce has one, so count it only when set.
  const parentRef = flow.parent === undefined ? undefined : source.values[flow.parent.intacctField];
  if (from === 'intacct' && flow.parent !== undefined && typeof parentRef === 'string' && parentRef !== '')
    sourceState[flow.parent.intacctField] = parentRef;
  // A link replaced by a re-created Salesforce record starts afresh: only its audit carries over.
  const previous = item.link !== undefined && replaces(from, item) ? undefined : item.link;
  const salesforceId = from === 'salesforce' ? source.id : target.id;
  return {
    ...(previous ?? {}),
    flow: flow.name,
    salesforceId,
    intacctKey: from === 'salesforce' ? target.id : source.id,
    intacctRecordNo: from === 'salesforce' ? (target.recordNo ?? previous?.intacctRecordNo) : source.recordNo,
    salesforceVersion: from === 'salesforce' ? source.version : previous?.salesforceVersion,
    intacctVersion: from === 'intacct' ? source.version : previous?.intacctVersion,
    hashToIntacct: from === 'salesforce' ? item.hash : payloadHash(sourceState),
    hashToSalesforce: from === 'intacct' ? item.hash : payloadHash(sourceState),
    lastAction: item.outcome?.status === 'done' ? item.outcome.action : 'unknown',
    lastAt: now,
    lastReason: item.job.reason,
    lastCorrelationId: item.job.correlationId,
    ...stamps(from, item, previous),
    lastWritten:
      item.written === undefined
        ? previous?.lastWritten
        : { to: from === 'salesforce' ? 'intacct' : 'salesforce', values: item.written },
    inactive: source.deleted === true ? true : item.reactivate === true ? false : previous?.inactive,
  };
}

/** True when the item's link names another Salesforce record than the one it now pairs with. */
export function replaces(from: Side, item: MirrorItem): boolean {
  return (
    from === 'intacct' &&
    item.link !== undefined &&
    item.target !== undefined &&
    item.link.salesforceId !== item.target.id
  );
}

/** When we last wrote to each side, from this item's writes (the newer of it and `base`'s). */
export function stamps(
  from: Side,
  item: MirrorItem,
  base: Link | undefined,
): Pick<Link, 'intacctWrittenAt' | 'salesforceWrittenAt' | 'keyWrittenBackAt'> {
  const wroteTarget = item.written !== undefined ? item.writtenAt : undefined;
  return {
    intacctWrittenAt: newest(from === 'salesforce' ? wroteTarget : undefined, base?.intacctWrittenAt),
    salesforceWrittenAt: newest(from === 'intacct' ? wroteTarget : undefined, base?.salesforceWrittenAt),
    keyWrittenBackAt: newest(item.wroteBackAt, base?.keyWrittenBackAt),
  };
}

/** The stored link with this item's write stamps merged in (undefined: nothing to merge). */
export function stampOnto(from: Side, item: MirrorItem): ((current: Link) => Link | undefined) | undefined {
  if (item.written === undefined && item.wroteBackAt === undefined) return undefined;
  return (current) => {
    const merged = stamps(from, item, current);
    if (
      merged.intacctWrittenAt === current.intacctWrittenAt &&
      merged.salesforceWrittenAt === current.salesforceWrittenAt &&
      merged.keyWrittenBackAt === current.keyWrittenBackAt
    )
      return undefined;
    return { ...current, ...merged };
  };
}

function newest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

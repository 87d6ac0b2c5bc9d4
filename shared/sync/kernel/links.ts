/**
 * Links (DESIGN §5): read in bulk per batch by either side's ID, written conditionally on the
 * revision that was read. A write that loses its race never overwrites: its own write stamps are
 * merged into the stored link (so the stale-snapshot guard keeps knowing when we wrote), and the
 * item re-plans from the stored state.
 */
import { SyncError } from '#shared/errors.ts';
import type { Side } from '../mapping.ts';
import type { Crosswalk, Link } from '../ports.ts';
import { failed } from './failures.ts';
import type { WorkItem } from './work-items.ts';

/** Links of `ids` by the IDs of `side` (the Salesforce ID or the Intacct key). */
export function linksBy(
  crosswalk: Crosswalk,
  flow: string,
  side: Side,
  ids: readonly string[],
): Promise<Map<string, Link>> {
  if (ids.length === 0) return Promise.resolve(new Map());
  return side === 'salesforce' ? crosswalk.bySalesforceIds(flow, ids) : crosswalk.byIntacctKeys(flow, ids);
}

export interface LinkEntry<T extends WorkItem> {
  item: T;
  link: Link;
  /** The link as the item read it (`undefined`: none). */
  expected: Link | undefined;
  keyClaimed?: boolean;
  /** `false`: read by Salesforce ID only, no pointer by Intacct key (see LinkWrite). */
  pointer?: boolean;
  /** What of this write must survive a lost race (write stamps), applied to the stored link. */
  stamp?: (current: Link) => Link | undefined;
}

/**
 * The outcome of an item whose link changed under it (`LINK_CONFLICT`, retryable): the kind
 * re-plans it from a fresh read, or the job retries.
 */
export function linkConflict(
  flow: string,
  recordId: string,
  during: string,
  link?: Pick<Link, 'salesforceId' | 'intacctKey'>,
): WorkItem['outcome'] {
  return {
    status: 'retry',
    error: new SyncError(`${flow} ${recordId}: the link changed while ${during}`, {
      code: 'LINK_CONFLICT',
      retryable: true,
      hint: 'another job synced the record at the same time; this one re-plans from the stored state',
      meta: { recordId, salesforceId: link?.salesforceId, intacctKey: link?.intacctKey },
    }),
  };
}

/** Attempts at merging write stamps into a link that others keep changing. */
const STAMP_ATTEMPTS = 3;

/** Writes the links; items whose write lost a race get a retryable LINK_CONFLICT outcome. */
export async function storeLinks<T extends WorkItem>(
  crosswalk: Crosswalk,
  entries: ReadonlyArray<LinkEntry<T>>,
): Promise<Map<T, Link>> {
  const stored = new Map<T, Link>();
  const results = await crosswalk.write(
    entries.map(({ link, expected, keyClaimed, pointer }) => ({ link, expected, keyClaimed, pointer })),
  );
  await Promise.all(
    entries.map(async (entry, i) => {
      const result = results[i];
      if (result === undefined) return;
      if (result.ok) {
        stored.set(entry.item, result.link);
        return;
      }
      if (result.reason === 'key-taken') {
        entry.item.outcome = failed(
          new SyncError(
            `Intacct ${entry.link.intacctKey} is already linked to Salesforce ${result.other.salesforceId}`,
            {
              code: 'MATCH_ALREADY_LINKED',
              retryable: false,
              hint: 'two records claim one Intacct record; fix the duplicate at the source (or unlink one with sfi unlink), then run sfi redrive',
            },
          ),
          entry.link.flow,
          entry.item.id,
          { salesforceId: entry.link.salesforceId, intacctKey: entry.link.intacctKey },
        );
        return;
      }
      await mergeStamps(crosswalk, entry, result.current);
      entry.item.logger.info('link changed meanwhile; re-planning', { rev: result.current?.rev });
      entry.item.outcome = linkConflict(entry.link.flow, entry.item.id, 'this job ran', entry.link);
    }),
  );
  return stored;
}

async function mergeStamps<T extends WorkItem>(
  crosswalk: Crosswalk,
  entry: LinkEntry<T>,
  initial: Link | undefined,
): Promise<void> {
  let current = initial;
  for (let attempt = 0; attempt < STAMP_ATTEMPTS && current !== undefined && entry.stamp; attempt++) {
    const stamped = entry.stamp(current);
    if (stamped === undefined) return;
    const [result] = await crosswalk.write([{ link: stamped, expected: current }]);
    if (result === undefined || result.ok || result.reason !== 'conflict') return;
    current = result.current;
  }
}

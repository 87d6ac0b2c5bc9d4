/**
 * References through other flows' links (DESIGN §4 "References"): an Opportunity's AccountId
 * becomes a CUSTOMERID through the account flow, an invoice's CUSTOMERID becomes an AccountId.
 * One batched crosswalk read per referenced flow and direction, several references per record.
 */
import { SyncError } from '#shared/errors.ts';
import type { Side } from '../mapping.ts';
import type { Crosswalk, Link } from '../ports.ts';
import { linksBy } from './links.ts';
import type { WorkItem } from './work-items.ts';

export interface Reference<T extends WorkItem> {
  /** The flow whose links resolve the reference. */
  via: string;
  /** Which side's ID the reference holds. */
  side: Side;
  /** The referenced ID of an item; blank or absent means "no reference". */
  valueOf: (item: T) => string | null | undefined;
  /** Called with the link when the reference resolves. */
  resolved: (item: T, link: Link) => void;
}

/**
 * Resolves every reference of the pending items. An unresolved one (the parent is not synced yet)
 * makes the item retry with PARENT_NOT_SYNCED; the worker runs referenced flows of a batch first,
 * so a parent in the same batch is linked before its children are planned.
 */
export async function resolveReferences<T extends WorkItem>(
  crosswalk: Crosswalk,
  items: readonly T[],
  references: ReadonlyArray<Reference<T>>,
): Promise<void> {
  for (const ref of references) {
    const live = items.filter((i) => i.outcome === undefined);
    const values = live
      .map((i) => ref.valueOf(i))
      .filter((v): v is string => typeof v === 'string' && v !== '');
    const links = await linksBy(crosswalk, ref.via, ref.side, [...new Set(values)]);
    for (const item of live) {
      const value = ref.valueOf(item);
      if (typeof value !== 'string' || value === '') continue;
      const link = links.get(value);
      if (link !== undefined) {
        ref.resolved(item, link);
        continue;
      }
      item.outcome = {
        status: 'retry',
        error: new SyncError(`parent ${value} (flow ${ref.via}) is not synced yet`, {
          code: 'PARENT_NOT_SYNCED',
          retryable: true,
          hint: `the parent record syncs first; if it never does, check the ${ref.via} failures`,
          meta: { recordId: item.id, parent: value },
        }),
      };
    }
  }
}

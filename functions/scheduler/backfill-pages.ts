/**
 * What a backfill reads, shared by the backfill and its dry run: every side a flow syncs from, in
 * keyset pages, with the delta polls' page readers and filters, from `since` (default: the
 * beginning) to the moment the backfill started, no overlap — and jobs marked `backfill`, so the
 * budget governor treats them as bulk work.
 */
import type { CompanyClock, IntacctClient } from '#shared/intacct/index.ts';
import type { SalesforceClient } from '#shared/salesforce/index.ts';
import {
  intacctPage,
  openWindow,
  type PollPage,
  type PollState,
  salesforcePage,
} from '#shared/sync/delta.ts';
import type { FlowConfig } from '#shared/sync/flow-schema.ts';
import { takesFrom } from '#shared/sync/flows.ts';
import type { Side } from '#shared/sync/mapping.ts';

export interface PageReaders {
  salesforce: () => Promise<SalesforceClient>;
  intacct: () => Promise<IntacctClient>;
  /** The Intacct company's clock (config `intacct.timezone`). */
  clock?: CompanyClock;
  /** Read Intacct deletes from AUDITHISTORY too (config `delta.intacctDeletes`). */
  intacctDeletes?: boolean;
}

/** The sides a flow takes changes from, Salesforce first. */
export function backfillSides(flow: FlowConfig): Side[] {
  return (['salesforce', 'intacct'] as const).filter((side) => takesFrom(flow, side));
}

/** The window of a backfill: changes since `since` (ISO; absent: all) up to `until`. */
export function backfillWindow(since: string | undefined, until: Date): PollState {
  return openWindow({ since: new Date(since ?? 0), until, overlapMs: 0 });
}

/** The largest page a reader asks for (both APIs' page size). */
export const MAX_PAGE_SIZE = 2000;

/** One page of a flow's records on one side, as backfill jobs. */
export async function backfillPage(
  readers: PageReaders,
  flow: FlowConfig,
  side: Side,
  state: PollState,
  options: { correlationId: string; pageSize?: number },
): Promise<PollPage> {
  const page = {
    reason: 'backfill' as const,
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
  };
  if (flow.kind === 'document' || (side === 'salesforce' && flow.kind === 'mirror'))
    return salesforcePage(await readers.salesforce(), flow, state, options.correlationId, page);
  return intacctPage(await readers.intacct(), flow, state, {
    clock: readers.clock,
    intacctDeletes: readers.intacctDeletes,
    correlationId: options.correlationId,
    ...page,
  });
}

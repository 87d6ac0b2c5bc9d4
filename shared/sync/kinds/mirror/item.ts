/** A mirror work item and the two ends of one direction of a mirror flow. */
import type { SyncError } from '#shared/errors.ts';
import type { MirrorFlow } from '../../flow-schema.ts';
import type { SourceItem } from '../../kernel/source-state.ts';
import type { ItemOutcome } from '../../kernel/work-items.ts';
import { fieldsToRead, type Side, type Values } from '../../mapping.ts';
import type { Link, SideRecord, SystemPort } from '../../ports.ts';
import type { KindContext } from '../context.ts';

export interface MirrorItem extends SourceItem {
  target?: SideRecord;
  payload?: Values;
  hash?: string;
  /** The values this run wrote to the target, for the audit on the link, and when. */
  written?: Values;
  writtenAt?: string;
  /** The linked target is gone and the flow re-creates it (`onTargetMissing: recreate`). */
  recreate?: boolean;
  /** The Salesforce record was undeleted: its Intacct record becomes active again. */
  reactivate?: boolean;
  /** The Intacct record is gone and the flow forgets the pair (`onIntacctDelete: unlink`). */
  unlink?: boolean;
  /** The create's Intacct key pointer was claimed for this record. */
  keyClaimed?: boolean;
  /** When the Intacct key was written back to Salesforce (a write of ours to Salesforce). */
  wroteBackAt?: string;
  /** The create was refused because its key exists: the key, and Intacct's error. */
  duplicate?: { key: string; error: SyncError };
  /** A failure after the main write landed (the write-back): the link is kept, then this is the outcome. */
  after?: ItemOutcome;
}

export interface Direction {
  from: Side;
  to: Side;
  source: { port: SystemPort; object: string; fields: string[] };
  target: { port: SystemPort; object: string; fields: string[] };
}

export function direction(context: KindContext, flow: MirrorFlow, from: Side): Direction {
  const to: Side = from === 'salesforce' ? 'intacct' : 'salesforce';
  const end = (side: Side) => ({
    port: side === 'salesforce' ? context.salesforce : context.intacct,
    object: side === 'salesforce' ? flow.salesforceObject : flow.intacctObject,
    fields: fieldsToRead(flow, side),
  });
  return { from, to, source: end(from), target: end(to) };
}

/** A link's ID on one side: the Salesforce ID or the Intacct key. */
export function linkId(link: Link, side: Side): string {
  return side === 'salesforce' ? link.salesforceId : link.intacctKey;
}

/** Both systems' IDs of an item, as far as they are known. */
export function idsOf(item: MirrorItem, from: Side): { salesforceId?: string; intacctKey?: string } {
  const other =
    item.target?.id ??
    (item.link === undefined
      ? undefined
      : linkId(item.link, from === 'salesforce' ? 'intacct' : 'salesforce'));
  return from === 'salesforce'
    ? { salesforceId: item.id, intacctKey: other }
    : { intacctKey: item.id, salesforceId: other };
}

/** The Intacct key a Salesforce record gets: a mapped field, else prefix + Salesforce ID. */
export function intacctKeyFor(flow: MirrorFlow, item: MirrorItem): string | undefined {
  const spec = flow.intacctKey;
  if (spec === undefined) return undefined;
  const from = spec.fromSalesforce === undefined ? undefined : item.source?.values[spec.fromSalesforce];
  const key = typeof from === 'string' && from.trim() !== '' ? from.trim() : `${spec.prefix}${item.id}`;
  return key.slice(0, spec.maxLength);
}

/**
 * The decisions made from source state and link alone: map the payload, then skip what is stale
 * (older than what was synced) or unchanged (hashes equal), turn a Salesforce delete into a
 * deactivation and an undelete into a reactivation.
 */
import type { MirrorFlow } from '../../flow-schema.ts';
import { payloadHash, type Side, toIntacct, toSalesforce } from '../../mapping.ts';
import type { SideRecord } from '../../ports.ts';
import { isOlder } from '../../versions.ts';
import type { MirrorItem } from './item.ts';

export function decide(flow: MirrorFlow, from: Side, item: MirrorItem): void {
  const source = item.source as SideRecord;
  const link = item.link;
  const mapped = from === 'salesforce' ? toIntacct(flow, source.values) : toSalesforce(flow, source.values);
  item.payload = { ...mapped, ...item.payload };
  item.hash = payloadHash(item.payload);
  const deactivates = from === 'salesforce' && flow.onSalesforceDelete === 'deactivate';
  if (source.deleted === true) {
    item.outcome = { status: 'done', action: 'skip:deleted' };
    if (deactivates && link !== undefined && link.inactive !== true) {
      item.outcome = undefined;
      item.payload = { STATUS: 'inactive' };
      item.hash = payloadHash(item.payload);
    }
    return;
  }
  if (link === undefined) return;
  const syncedVersion = from === 'salesforce' ? link.salesforceVersion : link.intacctVersion;
  if (isOlder(source.version, syncedVersion)) {
    item.outcome = { status: 'done', action: 'skip:stale' };
    return;
  }
  if (deactivates && link.inactive === true) {
    // Undeleted in Salesforce: the record we made inactive becomes active again, with today's values.
    item.reactivate = true;
    item.payload = { ...item.payload, STATUS: 'active' };
    return;
  }
  const syncedHash = from === 'salesforce' ? link.hashToIntacct : link.hashToSalesforce;
  if (syncedHash === item.hash) item.outcome = { status: 'done', action: 'skip:unchanged' };
}

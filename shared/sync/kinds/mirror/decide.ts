/**
 * The decisions made from source state and link alone: map the payload, then skip what is stale
 * (older than what was synced) or unchanged (hashes equal), turn a Salesforce delete into a
 * deactivation and an undelete into a reactivation.
 */
import { SyncError } from '#shared/errors.ts';
import type { MirrorFlow } from '../../flow-schema.ts';
import { activeFlagField } from '../../flows.ts';
import { failed } from '../../kernel/failures.ts';
import { payloadHash, type Side, toIntacct, toSalesforce } from '../../mapping.ts';
import type { SideRecord } from '../../ports.ts';
import { isOlder } from '../../versions.ts';
import type { MirrorItem } from './item.ts';

/** A linked Intacct record that is gone: the flow's `onIntacctDelete` says what happens. */
function intacctDeleted(flow: MirrorFlow, item: MirrorItem): void {
  const link = item.link as NonNullable<MirrorItem['link']>;
  const field = activeFlagField(flow);
  switch (flow.onIntacctDelete) {
    case 'ignore':
      item.outcome = { status: 'done', action: 'skip:deleted' };
      return;
    case 'unlink':
      item.unlink = true;
      return;
    case 'deactivate':
      if (link.inactive === true || field === undefined)
        item.outcome = { status: 'done', action: 'skip:deleted' };
      else {
        item.payload = { [field]: 'false' };
        item.hash = payloadHash(item.payload);
      }
      return;
    default:
      item.outcome = failed(
        new SyncError(
          `${flow.intacctObject} ${link.intacctKey} was deleted in Intacct; Salesforce ${link.salesforceId} is kept`,
          {
            code: 'INTACCT_DELETED',
            retryable: false,
            hint: `archive or delete Salesforce ${link.salesforceId} if it should go too, then run "sfi unlink ${flow.name} ${link.salesforceId}" (or set onIntacctDelete to deactivate or unlink)`,
          },
        ),
        flow.name,
        item.id,
        { salesforceId: link.salesforceId, intacctKey: link.intacctKey },
      );
  }
}

export function decide(flow: MirrorFlow, from: Side, item: MirrorItem): void {
  const source = item.source as SideRecord;
  const link = item.link;
  const mapped = from === 'salesforce' ? toIntacct(flow, source.values) : toSalesforce(flow, source.values);
  item.payload = { ...mapped, ...item.payload };
  item.hash = payloadHash(item.payload);
  const deactivates = from === 'salesforce' && flow.onSalesforceDelete === 'deactivate';
  if (source.deleted === true && from === 'intacct') {
    intacctDeleted(flow, item);
    return;
  }
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
  // A reconciliation job repairs a target that drifted behind an unchanged source: it goes on to
  // compare with the target itself, and writes only what differs there.
  if (syncedHash === item.hash && item.job.reason !== 'reconcile')
    item.outcome = { status: 'done', action: 'skip:unchanged' };
}

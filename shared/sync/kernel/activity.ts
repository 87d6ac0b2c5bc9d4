/**
 * Recent record activity (the console's "what was written where"): every link a batch stores with a
 * new last action is one audit entry in the ledger, with both IDs, the side written and the fields.
 * Taken from the crosswalk writes so every kind is covered without knowing its items; a skip, or a
 * write that only merges stamps (its last action and time unchanged), is no activity.
 */
import type { AuditEntry } from '#shared/aws/ledger.ts';
import type { Crosswalk, Link } from '../ports.ts';

/** A new last action that is not a skip (a skip's link keeps the fields of the last real write). */
const isNews = (link: Link, expected: Link | undefined) =>
  !link.lastAction.startsWith('skip') &&
  (expected === undefined || link.lastAt !== expected.lastAt || link.lastAction !== expected.lastAction);

function entryOf(link: Link): AuditEntry {
  return {
    flow: link.flow,
    recordId: link.salesforceId,
    id: `${link.rev ?? 0}`,
    at: link.lastAt,
    action: link.lastAction,
    detail: {
      salesforceId: link.salesforceId,
      intacctKey: link.intacctKey,
      reason: link.lastReason,
      correlationId: link.lastCorrelationId,
      // Field names only: the values stay on the link, the ledger keeps no record data.
      // A plain link wrote no fields: the ones on it are an earlier write's.
      ...(link.lastWritten === undefined || link.lastAction === 'link'
        ? {}
        : { to: link.lastWritten.to, fields: Object.keys(link.lastWritten.values) }),
    },
  };
}

/** The crosswalk as the kinds see it, noting each stored link that is news; `take` empties the notes. */
export function recordingCrosswalk(crosswalk: Crosswalk): { crosswalk: Crosswalk; take(): AuditEntry[] } {
  let noted: AuditEntry[] = [];
  const recording: Crosswalk = {
    bySalesforceIds: (flow, ids) => crosswalk.bySalesforceIds(flow, ids),
    byIntacctKeys: (flow, keys) => crosswalk.byIntacctKeys(flow, keys),
    linksOf: (flow) => crosswalk.linksOf(flow),
    remove: (link) => crosswalk.remove(link),
    claim: (flow, key, owner, ttl) => crosswalk.claim(flow, key, owner, ttl),
    release: (flow, key, owner) => crosswalk.release(flow, key, owner),
    claimKey: (...args) => crosswalk.claimKey(...args),
    async write(entries) {
      const results = await crosswalk.write(entries);
      results.forEach((result, i) => {
        if (result.ok && isNews(result.link, entries[i]?.expected)) noted.push(entryOf(result.link));
      });
      return results;
    },
  };
  return {
    crosswalk: recording,
    take() {
      const out = noted;
      noted = [];
      return out;
    },
  };
}

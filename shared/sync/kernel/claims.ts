/**
 * Claims before one-time actions (DESIGN §5): a create is preceded by a claim in the crosswalk that
 * a second invocation respects. A claim lasts as long as an invocation may (its owner is this
 * invocation); a claim held elsewhere makes the item retry, and by then the holder's link exists.
 */
import { SyncError } from '#shared/errors.ts';
import type { ClaimResult, KeyClaimResult } from '../ports.ts';
import { failed, type RecordIds } from './failures.ts';
import type { WorkItem } from './work-items.ts';

/**
 * Claims for every item; answers the items that hold theirs. The others get an outcome: retry
 * (CLAIM_HELD) while another owner's claim is live, dead when the key belongs to another record.
 */
export async function claimAll<T extends WorkItem>(
  flow: string,
  items: readonly T[],
  claim: (item: T) => Promise<ClaimResult | KeyClaimResult>,
  ids: (item: T) => RecordIds,
): Promise<T[]> {
  const results = await Promise.all(items.map((item) => claim(item)));
  const held: T[] = [];
  for (const [i, item] of items.entries()) {
    const result = results[i];
    if (result === undefined) continue;
    if (result.held) {
      held.push(item);
    } else if ('other' in result) {
      item.outcome = failed(
        new SyncError(`the Intacct key is already linked to Salesforce ${result.other.salesforceId}`, {
          code: 'MATCH_ALREADY_LINKED',
          retryable: false,
          hint: 'two Salesforce records would get one Intacct key; make the key field unique at the source, then run sfi redrive',
        }),
        flow,
        item.id,
        { ...ids(item), intacctKey: result.other.intacctKey },
      );
    } else {
      item.logger.info('create claimed by another job; retrying', { until: result.until });
      item.outcome = {
        status: 'retry',
        error: new SyncError(
          `${flow} ${item.id}: another job is creating this record (claim until ${result.until})`,
          {
            code: 'CLAIM_HELD',
            retryable: true,
            hint: 'a concurrent job holds the create; this one retries and then finds its link',
            meta: { recordId: item.id, ...ids(item), claimedUntil: result.until },
          },
        ),
      };
    }
  }
  return held;
}

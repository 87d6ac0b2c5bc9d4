/**
 * What a `records` projection shows in Salesforce for one Intacct record: the mapped fields, the
 * stable key in the external-ID field, and each lookup resolved through its flow's links (one
 * batched crosswalk read per lookup). A required lookup that is not linked yet makes the record
 * wait (retry) rather than land without its Account.
 */
import { SyncError } from '#shared/errors.ts';
import type { ProjectionFlow } from '../../flow-schema.ts';
import { failed } from '../../kernel/failures.ts';
import { linksBy } from '../../kernel/links.ts';
import { pending } from '../../kernel/work-items.ts';
import { payloadHash, type Values } from '../../mapping.ts';
import type { RecordsTarget } from '../../records-schema.ts';
import { TRANSFORMS } from '../../transforms.ts';
import type { KindContext } from '../context.ts';
import type { RecordItem } from './item.ts';
import { valuesOf } from './records-source.ts';
import { summarise } from './records-summary.ts';

export async function planRecords(
  context: KindContext,
  flow: ProjectionFlow,
  target: RecordsTarget,
  items: RecordItem[],
): Promise<void> {
  for (const item of pending(items)) {
    const desired: Values = {};
    for (const f of target.fields) {
      const value = valuesOf(target, item, f.intacct).join(', ');
      desired[f.salesforce] = TRANSFORMS[f.transform].toSalesforce(value === '' ? null : value);
    }
    for (const c of target.constants) desired[c.salesforce] = c.value;
    for (const s of target.summaries)
      desired[s.salesforce] = summarise(item.related?.[s.of] ?? [], s.fields, s.maxLength);
    const key = target.key
      .map((k) => ({ k, value: valuesOf(target, item, k.intacct)[0] }))
      .find((c) => c.value !== undefined);
    if (key === undefined) {
      item.outcome = failed(
        new SyncError(`${flow.intacctObject} ${item.id} has no value for its key`, {
          code: 'KEY_MISSING',
          retryable: false,
          hint: `the key is the first of ${target.key.map((k) => k.intacct).join(', ')} with a value; fix the record in Intacct or the flow's "key", then run sfi redrive`,
        }),
        flow.name,
        item.id,
        { intacctKey: item.id },
      );
      continue;
    }
    desired[target.externalId] = `${key.k.prefix}${key.value}`;
    desired.Name =
      target.name.map((n) => valuesOf(target, item, n)[0]).find((v) => v !== undefined) ??
      desired[target.externalId] ??
      null;
    item.desired = desired;
  }
  for (const lookup of target.lookups) {
    const live = pending(items);
    const candidates = new Map(live.map((i) => [i, lookup.intacct.flatMap((n) => valuesOf(target, i, n))]));
    const links = await linksBy(context.crosswalk, lookup.via, 'intacct', [
      ...new Set([...candidates.values()].flat()),
    ]);
    for (const item of live) {
      const wanted = candidates.get(item) ?? [];
      const link = wanted.map((v) => links.get(v)).find((l) => l !== undefined);
      if (item.desired !== undefined) item.desired[lookup.salesforce] = link?.salesforceId ?? null;
      if (link === undefined && lookup.required)
        item.outcome = {
          status: 'retry',
          error: new SyncError(
            `${flow.intacctObject} ${item.id}: ${wanted.length === 0 ? 'no value' : wanted.join(', ')} for ${lookup.salesforce} is not linked by ${lookup.via} yet`,
            {
              code: 'PARENT_NOT_SYNCED',
              retryable: true,
              hint: `the record waits until ${lookup.via} has synced it; if it never does, check the ${lookup.via} failures (sfi failures --flow ${lookup.via})`,
              meta: { recordId: item.id, parent: wanted[0] },
            },
          ),
        };
    }
  }
  for (const item of pending(items)) item.hash = payloadHash(item.desired ?? {});
}

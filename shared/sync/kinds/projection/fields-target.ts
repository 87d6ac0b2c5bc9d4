/**
 * The `fields` projection's plan: the linked Salesforce records' current values in one batched
 * read, and per record one update of only the fields that differ. A linked record that is gone
 * is a failure that names it, never a create.
 */
import { SyncError } from '#shared/errors.ts';
import type { ProjectionFlow } from '../../flow-schema.ts';
import { controlIds } from '../../kernel/control-ids.ts';
import { failed } from '../../kernel/failures.ts';
import { diff, payloadHash, type Values } from '../../mapping.ts';
import { TRANSFORMS } from '../../transforms.ts';
import type { KindContext } from '../context.ts';
import type { ProjectionItem } from './item.ts';

type FieldsTarget = Extract<ProjectionFlow['target'], { type: 'fields' }>;

export async function planFields(
  context: KindContext,
  flow: ProjectionFlow,
  target: FieldsTarget,
  items: ProjectionItem[],
): Promise<void> {
  const fields = target.fields.map((f) => f.salesforce);
  const current = await context.salesforce.read(
    flow.salesforceObject,
    fields,
    items.map((i) => i.salesforceId as string),
  );
  for (const item of items) {
    const id = item.salesforceId as string;
    const record = current.get(id);
    if (record === undefined || record.deleted === true) {
      item.outcome = failed(
        new SyncError(
          `${flow.salesforceObject} ${id}, linked to ${item.id} by ${flow.via}, no longer exists`,
          {
            code: 'TARGET_MISSING',
            retryable: false,
            hint: `restore it from the recycle bin, or run "sfi unlink ${flow.via} ${id}" so the next change links or creates it anew; then sfi redrive`,
          },
        ),
        flow.name,
        item.id,
        { salesforceId: id, intacctKey: item.id },
      );
      continue;
    }
    const canonical: Values = {};
    for (const f of target.fields)
      canonical[f.salesforce] = TRANSFORMS[f.transform].salesforce(record.values[f.salesforce] ?? null);
    const changed = diff(item.desired ?? {}, canonical);
    item.ops =
      Object.keys(changed).length === 0
        ? [[]]
        : [
            [
              {
                kind: 'update',
                ref: item.id,
                id,
                values: changed,
                controlId: controlIds.perVersion(
                  flow.name,
                  'update',
                  item.id,
                  item.source?.version,
                  payloadHash(changed),
                ),
              },
            ],
          ];
  }
}

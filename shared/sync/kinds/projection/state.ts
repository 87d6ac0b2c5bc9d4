/**
 * A projection's inputs per item: the Salesforce record through the `via` flow's links, its own
 * link under that record's ID (what it last wrote, from which version), and the source figures
 * (the job's snapshot, or one batched re-read grouped per record).
 */
import type { ProjectionFlow } from '../../flow-schema.ts';
import { linksBy } from '../../kernel/links.ts';
import { resolveReferences } from '../../kernel/references.ts';
import { runStep } from '../../kernel/step.ts';
import { pending } from '../../kernel/work-items.ts';
import { isOlder } from '../../versions.ts';
import type { KindContext } from '../context.ts';
import type { ProjectionItem } from './item.ts';
import { aggregate, fromSnapshots, meetsFilter, projectionFields } from './source.ts';

export async function loadState(context: KindContext, flow: ProjectionFlow, items: ProjectionItem[]) {
  const step = (name: string) => ({ flow: flow.name, step: name, logger: context.logger });
  // The Salesforce record first: the projection's own link is kept under its ID.
  await runStep(step('resolve references'), items, () =>
    resolveReferences(context.crosswalk, items, [
      {
        via: flow.via as string,
        side: 'intacct',
        valueOf: (i: ProjectionItem) => i.id,
        resolved: (i: ProjectionItem, link) => {
          i.salesforceId = link.salesforceId;
        },
      },
    ]),
  );
  await runStep(step('read links'), pending(items), async () => {
    const live = pending(items);
    const links = await linksBy(
      context.crosswalk,
      flow.name,
      'salesforce',
      live.map((i) => i.salesforceId as string),
    );
    for (const item of live) {
      item.stored = links.get(item.salesforceId as string);
      if (item.stored?.intacctKey === item.id) item.link = item.stored;
    }
  });
  const fields = [...new Set(['RECORDNO', 'WHENMODIFIED', ...projectionFields(flow)])];
  const reread = fromSnapshots(pending(items), fields);
  await runStep(step('read source'), reread, async () => {
    const rows = await context.intacct.findBy(
      flow.intacctObject,
      fields,
      flow.intacctKeyField,
      reread.map((i) => i.id),
    );
    const grouped = aggregate(
      flow,
      rows.map((r) => r.values).filter((v) => meetsFilter(flow, v)),
    );
    // A re-read is the newest state there is: for a full-capture flow its version is the read time.
    const version = flow.poll.capture === 'full' ? context.now().toISOString() : undefined;
    for (const item of reread) {
      const values = grouped.get(item.id);
      if (values === undefined) item.outcome = { status: 'done', action: 'skip:source-not-found' };
      else item.source = { id: item.id, version: version ?? values.WHENMODIFIED ?? undefined, values };
    }
  });
  for (const item of pending(items))
    if (isOlder(item.source?.version, item.link?.intacctVersion))
      item.outcome = { status: 'done', action: 'skip:older-version' };
}

/**
 * The `document` kind (DESIGN §4): one Salesforce record and its child lines → one Intacct
 * transaction, created once. Per batch: links, the records with their lines (one query per 200),
 * readiness, the customer (synced first when it is not yet) and items through other flows'
 * links, the draft and its pre-flight checks, then claimed creates (or updates, per
 * `afterCreate`), links stored conditionally, and the document's ID written back. An item whose
 * link write lost a race re-plans once from a fresh read.
 */
import { SyncError } from '#shared/errors.ts';
import { holds } from '../../conditions.ts';
import type { DocumentSpec } from '../../document-ports.ts';
import type { DocumentFlow } from '../../document-schema.ts';
import { linksBy } from '../../kernel/links.ts';
import { runStep } from '../../kernel/step.ts';
import { dedupe, fresh, pending } from '../../kernel/work-items.ts';
import type { KindContext, KindRunner } from '../context.ts';
import { updateDocuments } from './after-create.ts';
import { assemble, linesOf } from './assemble.ts';
import { claimKeyOf, createDocuments } from './create.ts';
import { headerFields, lineFields } from './fields.ts';
import { type DocumentItem, refuse } from './item.ts';
import { storeDocumentLinks, writeBackDocuments } from './links.ts';
import { preflight } from './preflight.ts';
import { resolveCustomers, resolveItems } from './resolve.ts';

export const runDocument: KindRunner<DocumentFlow> = async (context, flow, jobs) => {
  const items: DocumentItem[] = dedupe(flow.name, jobs, context.logger);
  await syncDocuments(context, flow, items);
  const raced = items.filter(
    (i) => i.outcome?.status === 'retry' && i.outcome.error.code === 'LINK_CONFLICT',
  );
  if (raced.length > 0) {
    const again: DocumentItem[] = raced.map(fresh);
    await syncDocuments(context, flow, again);
    for (const [i, item] of raced.entries()) item.outcome = again[i]?.outcome;
  }
  return items;
};

async function syncDocuments(context: KindContext, flow: DocumentFlow, items: DocumentItem[]) {
  const ports = context.documents;
  if (ports === undefined) {
    for (const item of items)
      item.outcome = {
        status: 'retry',
        error: new SyncError('this worker has no document ports', { code: 'INTERNAL', retryable: true }),
      };
    return;
  }
  const spec: DocumentSpec = { ...flow.target, reference: flow.reference };
  const step = (name: string) => ({ flow: flow.name, step: name, logger: context.logger });
  await runStep(step('read links'), items, async () => {
    const links = await linksBy(
      context.crosswalk,
      flow.name,
      'salesforce',
      items.map((i) => i.id),
    );
    for (const item of items) item.link = links.get(item.id);
  });
  const fields = [...headerFields(flow), flow.writeBack.documentId];
  await runStep(step('read source'), pending(items), async () => {
    const live = pending(items);
    const found = await ports.source.readWithLines(
      flow.salesforceObject,
      fields,
      live.map((i) => i.id),
      { relationship: flow.lines.relationship, fields: lineFields(flow) },
    );
    for (const item of live) {
      item.source = found.get(item.id);
      if (item.source === undefined) item.outcome = { status: 'done', action: 'skip:source-not-found' };
      else item.rows = linesOf(flow, item.source.lines, item.source.values);
    }
  });
  for (const item of pending(items)) ready(flow, item);
  await runStep(step('resolve customers'), pending(items), () =>
    resolveCustomers(context, flow, pending(items)),
  );
  await runStep(step('resolve items'), pending(items), () => resolveItems(context, flow, pending(items)));
  for (const item of pending(items)) assemble(flow, item);
  await runStep(step('pre-flight'), pending(items), () => preflight(context, flow, pending(items)));
  const held = await createDocuments(
    context,
    ports.target,
    spec,
    flow,
    pending(items).filter((i) => i.link === undefined),
  );
  await updateDocuments(
    context,
    ports.target,
    spec,
    flow,
    pending(items).filter((i) => i.link !== undefined),
  );
  await runStep(step('store links'), items, () => storeDocumentLinks(context, flow, items), 'retry');
  await writeBackDocuments(context, flow, items);
  // A claim is given up when nothing was written: a refused create, or none sent. After an
  // unknown outcome it stays until it expires, and the next job finds the document by reference.
  await Promise.all(
    held
      .filter((i) => i.outcome?.status === 'dead' || (i.outcome?.status !== 'done' && i.attempted !== true))
      .map((i) =>
        context.crosswalk
          .release(flow.name, { item: claimKeyOf(i) }, context.owner)
          .catch((error: unknown) => i.logger.warn('claim not released; it expires by itself', { error })),
      ),
  );
}

/**
 * Whether the record is to be (or stay) a document: gone or not ready without a document is a
 * skip; with one it is a failure (financial documents are never deleted by the sync).
 */
function ready(flow: DocumentFlow, item: DocumentItem): void {
  const source = item.source;
  if (source === undefined) return;
  const ok = source.deleted !== true && holds(flow.when, source.values);
  if (!ok && item.link === undefined) {
    item.outcome = { status: 'done', action: source.deleted ? 'skip:source-deleted' : 'skip:not-ready' };
    return;
  }
  if (!ok) {
    const what = source.deleted
      ? 'was deleted in Salesforce'
      : `no longer meets ${flow.when.map((c) => `${c.field} ${c.op} ${c.value ?? c.values?.join('|')}`).join(' and ')}`;
    refuse(
      flow,
      item,
      'DOCUMENT_SOURCE_WITHDRAWN',
      `it ${what}, but its document ${item.link?.intacctKey} exists in Intacct`,
      `the sync never deletes financial documents: cancel or reverse ${item.link?.intacctKey} in Intacct if the deal is off, then mark this failure resolved`,
    );
    return;
  }
  if (item.link !== undefined && flow.afterCreate === 'ignore')
    item.outcome = { status: 'done', action: 'skip:exists' };
}

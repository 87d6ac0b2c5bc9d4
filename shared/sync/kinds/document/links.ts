/**
 * After a document is created, found or updated: its link (Salesforce ID ⇄ DOCID, with what was
 * written), stored conditionally before anything else, so the document is never orphaned; then
 * its ID, RECORDNO and state written back onto the Salesforce record. A write-back that fails is
 * tried again by the next job of the record (the link says the document exists).
 */

import type { DocumentFlow } from '../../document-schema.ts';
import { failed, wrap } from '../../kernel/failures.ts';
import { type LinkEntry, storeLinks } from '../../kernel/links.ts';
import type { Link, WriteOp } from '../../ports.ts';
import type { KindContext } from '../context.ts';
import { flatDraft } from './assemble.ts';
import type { DocumentItem } from './item.ts';

const WRITTEN = new Set(['create', 'link', 'update']);

export async function storeDocumentLinks(
  context: KindContext,
  flow: DocumentFlow,
  items: readonly DocumentItem[],
): Promise<void> {
  const now = context.now().toISOString();
  const entries: Array<LinkEntry<DocumentItem>> = [];
  for (const item of items) {
    const action = item.outcome?.status === 'done' ? item.outcome.action : undefined;
    const doc = item.document ?? (item.link ? { id: item.link.intacctKey } : undefined);
    if (action === undefined || !WRITTEN.has(action) || doc === undefined || item.draft === undefined)
      continue;
    const link: Link = {
      ...item.link,
      flow: flow.name,
      salesforceId: item.id,
      intacctKey: doc.id,
      intacctRecordNo: item.document?.recordNo ?? item.link?.intacctRecordNo,
      salesforceVersion: item.source?.version,
      hashToIntacct: item.hash,
      lastAction: action,
      lastAt: now,
      lastReason:
        action === 'link' ? 'found in Intacct by its reference' : `${flow.target.function} ${action}`,
      lastCorrelationId: item.job.correlationId,
      intacctWrittenAt: action === 'link' ? item.link?.intacctWrittenAt : now,
      lastWritten: { to: 'intacct', values: flatDraft(item.draft) },
    };
    entries.push({ item, link, expected: item.link });
  }
  const stored = await storeLinks(context.crosswalk, entries);
  for (const [item, link] of stored) {
    item.link = link;
    item.logger.info('document synced', {
      action: link.lastAction,
      documentId: link.intacctKey,
      rev: link.rev,
    });
  }
}

/** Writes the document's ID (and RECORDNO, state) onto records that do not carry it yet. */
export async function writeBackDocuments(
  context: KindContext,
  flow: DocumentFlow,
  items: readonly DocumentItem[],
): Promise<void> {
  const wb = flow.writeBack;
  const ops = new Map<string, { item: DocumentItem; op: WriteOp }>();
  for (const item of items) {
    if (item.outcome?.status !== 'done' || item.link === undefined || item.source === undefined) continue;
    const values: Record<string, string | null> = { [wb.documentId]: item.link.intacctKey };
    if (wb.recordNo !== undefined && item.link.intacctRecordNo !== undefined)
      values[wb.recordNo] = item.link.intacctRecordNo;
    if (wb.state !== undefined && item.document?.state !== undefined) values[wb.state] = item.document.state;
    const stale =
      item.source.values[wb.documentId] !== item.link.intacctKey || item.document?.state !== undefined;
    if (!stale) continue;
    ops.set(item.id, { item, op: { kind: 'update', ref: item.id, id: item.id, values, controlId: '' } });
  }
  if (ops.size === 0) return;
  try {
    const results = await context.salesforce.write(
      flow.salesforceObject,
      [...ops.values()].map((o) => o.op),
    );
    for (const result of results) {
      const entry = ops.get(result.ref);
      if (entry === undefined || result.ok) continue;
      entry.item.outcome = failed(result.error, flow.name, entry.item.id, {
        salesforceId: entry.item.id,
        intacctKey: entry.item.link?.intacctKey,
      });
    }
  } catch (error) {
    // The documents and links exist: the retried jobs find them and only write back.
    const e = wrap(error, 'WRITE_BACK_FAILED');
    for (const { item } of ops.values())
      item.outcome = failed(e, flow.name, item.id, {
        salesforceId: item.id,
        intacctKey: item.link?.intacctKey,
      });
  }
}

/**
 * Exactly one document per source record, ever (DESIGN §3, §4): a claim before the create, a find
 * by reference before anything is sent (a crash after Intacct committed, a duplicate delivery, a
 * create of a concurrent job whose claim ran out: each is found and linked, not made again), one
 * control ID per record so Intacct itself refuses a second execution, and after a timeout the
 * document is found by its reference before the create is retried.
 */
import { SyncError } from '#shared/errors.ts';
import { IntacctClosedPeriodError, IntacctRateLimitError } from '#shared/intacct/index.ts';
import type { DocumentPort, DocumentSpec, FoundDocument } from '../../document-ports.ts';
import type { DocumentFlow } from '../../document-schema.ts';
import { claimAll } from '../../kernel/claims.ts';
import { controlIds } from '../../kernel/control-ids.ts';
import { failed, wrap } from '../../kernel/failures.ts';
import { runStep } from '../../kernel/step.ts';
import { pending } from '../../kernel/work-items.ts';
import type { KindContext } from '../context.ts';
import { type DocumentItem, refuse } from './item.ts';

export const claimKeyOf = (item: DocumentItem) => `document#${item.id}`;

/** Claims, finds or creates; returns the items whose claim this invocation holds. */
export async function createDocuments(
  context: KindContext,
  port: DocumentPort,
  spec: DocumentSpec,
  flow: DocumentFlow,
  items: readonly DocumentItem[],
): Promise<DocumentItem[]> {
  const step = (name: string) => ({ flow: flow.name, step: name, logger: context.logger });
  let held: DocumentItem[] = [];
  await runStep(step('claim documents'), items, async () => {
    held = await claimAll(
      flow.name,
      items,
      (item) => context.crosswalk.claim(flow.name, claimKeyOf(item), context.owner, context.claimTtlSeconds),
      (item) => ({ salesforceId: item.id }),
    );
  });
  await runStep(step('find documents'), held, async () => {
    const found = await port.find(
      spec,
      held.map((i) => i.id),
    );
    for (const item of held) {
      const docs = found.get(item.id) ?? [];
      if (docs.length > 1)
        refuse(
          flow,
          item,
          'DOCUMENT_DUPLICATED',
          `Intacct has ${docs.length} documents for it: ${docs.map((d) => d.id).join(', ')}`,
          'someone else created one too (by hand or another integration); delete or reverse the extra one in Intacct, then run sfi redrive',
        );
      else if (docs[0] !== undefined) {
        item.document = docs[0];
        item.outcome = { status: 'done', action: 'link' };
        item.logger.info('document found by its reference; linking it', { documentId: docs[0].id });
      }
    }
  });
  const creating = pending(held);
  await Promise.all(
    creating.map(async (item) => {
      const draft = item.draft;
      if (draft === undefined) return;
      item.attempted = true;
      try {
        item.document = await port.create(
          spec,
          draft,
          controlIds.oncePerRecord(flow.name, 'document', item.id),
        );
        item.outcome = { status: 'done', action: 'create' };
      } catch (error) {
        // Refused at the gateway's door (429, GW-0010): nothing ran, so the claim can go at once.
        if (error instanceof IntacctRateLimitError) item.attempted = false;
        settleFailure(flow, item, error);
      }
    }),
  );
  // One read for the batch: RECORDNO and state of what was created, for the write-back.
  const created = held.filter((i) => i.outcome?.status === 'done' && i.document?.recordNo === undefined);
  if (created.length > 0 && (flow.writeBack.recordNo !== undefined || flow.writeBack.state !== undefined))
    try {
      const found = await port.find(
        spec,
        created.map((i) => i.id),
      );
      for (const item of created) {
        const doc: FoundDocument | undefined = found.get(item.id)?.[0];
        if (doc !== undefined) item.document = doc;
      }
    } catch (error) {
      // The documents exist and get linked; the next change of the record writes the rest back.
      context.logger.warn('created documents not read back; writing back their IDs only', { error });
    }
  return held;
}

function settleFailure(flow: DocumentFlow, item: DocumentItem, error: unknown): void {
  const draft = item.draft;
  if (error instanceof IntacctClosedPeriodError && draft !== undefined) {
    refuse(
      flow,
      item,
      'PERIOD_CLOSED',
      `the period ${draft.date.slice(0, 7)} is closed in Intacct ${draft.entity ? `entity ${draft.entity}` : '(top level)'}: the document date ${draft.date} cannot be posted (${error.message})`,
      `reopen ${draft.date.slice(0, 7)} in Intacct, or change ${flow.header.date} to a date in an open period, then run sfi redrive`,
      { date: draft.date, period: draft.date.slice(0, 7), entity: draft.entity },
    );
    return;
  }
  const e = wrap(error, 'DOCUMENT_CREATE_FAILED');
  item.outcome = failed(
    new SyncError(`Intacct refused the document: ${e.message}`, {
      code: e.code,
      retryable: e.retryable,
      hint: e.hint ?? 'fix what the message names, then run sfi redrive',
      cause: e,
    }),
    flow.name,
    item.id,
    { salesforceId: item.id },
  );
}

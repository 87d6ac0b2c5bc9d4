/**
 * A source record whose document exists (`afterCreate`): `ignore` writes nothing; `fail` turns a
 * change into a failure; `update` sends the changed header fields and lines through
 * update_sotransaction while Intacct still lets the document be edited, and refuses with a hint
 * once it is converted or in progress. Lines are matched by their Salesforce line ID; a removed
 * line cannot be removed through the API, nor can the customer, entity or currency change.
 */
import { SyncError } from '#shared/errors.ts';
import type { DocumentChange, DocumentPort, DocumentSpec, DraftLine } from '../../document-ports.ts';
import type { DocumentFlow } from '../../document-schema.ts';
import { controlIds } from '../../kernel/control-ids.ts';
import { failed, wrap } from '../../kernel/failures.ts';
import { runStep } from '../../kernel/step.ts';
import { pending } from '../../kernel/work-items.ts';
import type { KindContext } from '../context.ts';
import { flatDraft } from './assemble.ts';
import { type DocumentItem, refuse } from './item.ts';

/** States in which Intacct refuses update_sotransaction (reference §1.4). */
const LOCKED = new Set(['In Progress', 'Converted', 'Partially Converted', 'Closed']);

const HEADER = ['date', 'dueDate', 'message', 'customerPoNumber'] as const;
const FIXED = ['customerId', 'entity', 'currency'] as const;

export async function updateDocuments(
  context: KindContext,
  port: DocumentPort,
  spec: DocumentSpec,
  flow: DocumentFlow,
  items: readonly DocumentItem[],
): Promise<void> {
  const changed = items.filter((i) => {
    if (i.hash !== i.link?.hashToIntacct) return true;
    i.outcome = { status: 'done', action: 'skip:no-change' };
    return false;
  });
  for (const item of changed)
    if (flow.afterCreate === 'fail')
      refuse(
        flow,
        item,
        'DOCUMENT_CHANGED',
        `it changed after its document ${item.link?.intacctKey} was created, and flow ${flow.name} has afterCreate "fail"`,
        'make the change in Intacct (or set afterCreate to "update"), then mark this failure resolved',
      );
  const live = pending(changed);
  if (live.length === 0) return;
  await runStep({ flow: flow.name, step: 'read document states', logger: context.logger }, live, async () => {
    const found = await port.find(
      spec,
      live.map((i) => i.id),
    );
    for (const item of live) {
      const doc = found.get(item.id)?.find((d) => d.id === item.link?.intacctKey);
      if (doc === undefined)
        refuse(
          flow,
          item,
          'DOCUMENT_GONE',
          `its document ${item.link?.intacctKey} is no longer in Intacct`,
          'the sync never re-creates a financial document; unlink the record (sfi unlink) to create a new one, then run sfi redrive',
        );
      else if (doc.state !== undefined && LOCKED.has(doc.state))
        refuse(
          flow,
          item,
          'DOCUMENT_NOT_EDITABLE',
          `its document ${doc.id} is ${doc.state} in Intacct and can no longer be changed through the API`,
          `amend ${doc.id} (or the document it was converted to) in Intacct; the Salesforce change is not carried over`,
          { state: doc.state },
        );
      else item.document = doc;
    }
  });
  await Promise.all(
    pending(live).map(async (item) => {
      const change = changeOf(flow, item);
      if (change === undefined) return;
      try {
        const rev = String(item.link?.rev ?? 0);
        await port.update(
          spec,
          change,
          controlIds.perVersion(flow.name, 'update', item.id, rev, item.hash ?? ''),
        );
        item.outcome = { status: 'done', action: 'update' };
      } catch (error) {
        const e = wrap(error, 'DOCUMENT_UPDATE_FAILED');
        item.outcome = failed(
          new SyncError(`Intacct refused the change to ${change.id}: ${e.message}`, {
            code: e.code,
            retryable: e.retryable,
            hint: e.retryable
              ? e.hint
              : `amend ${change.id} in Intacct; the Salesforce change is not carried over`,
            cause: e,
          }),
          flow.name,
          item.id,
          { salesforceId: item.id, intacctKey: change.id },
        );
      }
    }),
  );
}

/** What to send: the draft against what the link says was written; undefined after a refusal. */
function changeOf(flow: DocumentFlow, item: DocumentItem): DocumentChange | undefined {
  const draft = item.draft;
  const before = item.link?.lastWritten?.values ?? {};
  if (draft === undefined || item.link === undefined) return undefined;
  const now = flatDraft(draft);
  const fixed = FIXED.find((k) => (before[k] ?? null) !== (now[k] ?? null));
  if (fixed !== undefined) {
    refuse(
      flow,
      item,
      'DOCUMENT_FIELD_FIXED',
      `its ${fixed} changed from ${before[fixed] ?? '(none)'} to ${now[fixed] ?? '(none)'}, which a document cannot change`,
      `change it on ${item.link.intacctKey} in Intacct (or reverse the document and create a new one), then mark this failure resolved`,
    );
    return undefined;
  }
  const oldLines = new Map<string, number>();
  for (const [k, v] of Object.entries(before)) {
    const m = /^line\.(\d+)\.source$/.exec(k);
    if (m?.[1] && v) oldLines.set(v, Number(m[1]));
  }
  const kept = new Set<number>();
  const changedLines: DocumentChange['changedLines'] = [];
  const addedLines: DraftLine[] = [];
  for (const [i, line] of draft.lines.entries()) {
    const lineNum = line.source === '' ? undefined : oldLines.get(line.source);
    if (lineNum === undefined) {
      addedLines.push(line);
      continue;
    }
    kept.add(lineNum);
    const differs = Object.keys(now).some(
      (k) =>
        k.startsWith(`line.${i + 1}.`) &&
        (before[k.replace(`line.${i + 1}.`, `line.${lineNum}.`)] ?? null) !== now[k],
    );
    if (differs) changedLines.push({ lineNum, ...line });
  }
  const removed = [...oldLines.values()].filter((n) => !kept.has(n));
  if (removed.length > 0) {
    refuse(
      flow,
      item,
      'DOCUMENT_LINE_REMOVED',
      `line ${removed.join(', ')} of ${item.link.intacctKey} was removed in Salesforce; the API cannot delete a line`,
      `set the line's quantity to zero or remove it in Intacct, then mark this failure resolved`,
    );
    return undefined;
  }
  const header: DocumentChange['header'] = {};
  for (const k of HEADER)
    if ((before[k] ?? null) !== (now[k] ?? null) && draft[k] !== undefined) header[k] = draft[k];
  return { id: item.link.intacctKey, entity: draft.entity, header, changedLines, addedLines };
}

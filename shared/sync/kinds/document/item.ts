/** A document flow's work item: one source record, its link, lines, resolved IDs and draft. */
import { SyncError } from '#shared/errors.ts';
import type { DocumentDraft, FoundDocument, RecordWithLines } from '../../document-ports.ts';
import type { DocumentFlow } from '../../document-schema.ts';
import { failed } from '../../kernel/failures.ts';
import type { WorkItem } from '../../kernel/work-items.ts';
import type { Values } from '../../mapping.ts';
import type { Link } from '../../ports.ts';

export interface DocumentItem extends WorkItem {
  link?: Link;
  source?: RecordWithLines;
  /** The rows that become lines (the child rows, or the `whenEmpty` line), set once with `source`. */
  rows?: Values[];
  /** The Intacct CUSTOMERID, through the account flow's link. */
  customerId?: string;
  /** ITEMID per line (the product flow's link, else the product code). */
  itemIds?: string[];
  draft?: DocumentDraft;
  /** Hash of the draft: equal hashes, equal documents. */
  hash?: string;
  /** The document already in Intacct (found by its reference, or just created). */
  document?: FoundDocument;
  /** A create was sent for this item (its claim is kept when the outcome is unknown). */
  attempted?: boolean;
}

/**
 * A permanent failure that names the record, what is wrong and the fix: nothing was written, and
 * `sfi redrive` after the fix writes the document once.
 */
export function refuse(
  flow: DocumentFlow,
  item: DocumentItem,
  code: string,
  message: string,
  hint: string,
  meta: Record<string, unknown> = {},
): void {
  item.outcome = failed(new SyncError(message, { code, retryable: false, hint, meta }), flow.name, item.id, {
    salesforceId: item.id,
    intacctKey: item.link?.intacctKey,
  });
}

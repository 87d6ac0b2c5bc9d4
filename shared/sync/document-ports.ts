/**
 * What the `document` kind needs beyond the generic ports (DESIGN §4, §5): Salesforce records with
 * their child lines in one read, and Intacct documents found by the reference that carries the
 * source record's ID, created once in an entity's session, and updated while Intacct allows it.
 */
import type { DocumentFlow } from './document-schema.ts';
import type { Values } from './mapping.ts';
import type { SideRecord } from './ports.ts';

/** A source record with the rows of its child relationship. */
export interface RecordWithLines extends SideRecord {
  lines: Values[];
}

export interface LinesReader {
  /** Records by ID, each with its `relationship` rows (deleted records come back flagged). */
  readWithLines(
    object: string,
    fields: readonly string[],
    ids: readonly string[],
    lines: { relationship: string; fields: readonly string[] },
  ): Promise<Map<string, RecordWithLines>>;
}

/** How a flow's documents are written and found: its function, definition and reference field. */
export type DocumentSpec = DocumentFlow['target'] & { reference: DocumentFlow['reference'] };

/** One line as Intacct is asked to write it; numbers as canonical decimal strings. */
export interface DraftLine {
  /** The Salesforce line's ID (not sent): lines are matched by it when a document is updated. */
  source: string;
  itemId: string;
  quantity: string;
  price?: string;
  discountPercent?: string;
  description?: string;
  unit?: string;
  dimensions: Record<string, string>;
}

/** A document to write: header and lines, target-neutral. */
export interface DocumentDraft {
  /** The source record's ID, written into the reference field. */
  reference: string;
  /** '' = top level. */
  entity: string;
  customerId: string;
  /** YYYY-MM-DD. */
  date: string;
  dueDate?: string;
  termName?: string;
  message?: string;
  customerPoNumber?: string;
  currency?: string;
  exchangeRateType?: string;
  lines: DraftLine[];
}

/** An Intacct document as found by its reference. */
export interface FoundDocument {
  /** DOCID of a sales transaction, RECORDNO of an AR invoice. */
  id: string;
  recordNo?: string;
  reference: string;
  state?: string;
  /** The owning entity ('' = top level). */
  entity: string;
}

/** Changes to a document: header fields, lines by 1-based number, and new lines at the end. */
export interface DocumentChange {
  id: string;
  entity: string;
  header: Partial<Pick<DocumentDraft, 'date' | 'dueDate' | 'message' | 'customerPoNumber'>>;
  changedLines: Array<{ lineNum: number } & DraftLine>;
  addedLines: DraftLine[];
}

export interface DocumentPort {
  /** Documents whose reference field holds one of `references`, across entities. */
  find(spec: DocumentSpec, references: readonly string[]): Promise<Map<string, FoundDocument[]>>;
  /**
   * Creates the document in its entity's session. An unknown outcome (a timeout after Intacct may
   * have committed) is settled by finding the document by its reference before anything is retried.
   */
  create(spec: DocumentSpec, draft: DocumentDraft, controlId: string): Promise<FoundDocument>;
  update(spec: DocumentSpec, change: DocumentChange, controlId: string): Promise<void>;
}

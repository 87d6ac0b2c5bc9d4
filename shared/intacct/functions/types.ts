import type { ParsedResult } from '../response.ts';
import type { XmlObject } from '../xml.ts';

/**
 * One function ready to go into a request: its element, whether it writes (writes need a
 * deterministic control ID and run with `uniqueid=true`), how many API transactions it bills on
 * success, and how its successful `<result>` becomes the caller's value.
 */
export interface IntacctFunction<T> {
  name: string;
  body: XmlObject;
  write: boolean;
  /** Caller-supplied for writes (derive it from flow, record and version); generated for reads. */
  controlId?: string;
  /** Rows a failed multi-record write still committed (partial success). */
  written?: (result: ParsedResult) => Record<string, unknown>[];
  transactions: (result: ParsedResult) => number;
  parse: (result: ParsedResult) => T;
}

/** Options every write builder takes. */
export interface WriteOptions {
  /** Deterministic function control ID, stable across retries of the same change (≤ 256 chars). */
  controlId: string;
}

/** A page of rows from readByQuery, readMore or query. */
export interface Page {
  listType: string;
  rows: Record<string, unknown>[];
  count: number;
  totalCount: number;
  numRemaining: number;
  /** readByQuery/readMore: pass to readMore for the next page; empty when nothing is left. */
  resultId?: string;
  /** query: the offset this page started at. */
  offset?: number;
}

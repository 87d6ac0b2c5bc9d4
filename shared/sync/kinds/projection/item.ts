/** A projection work item: the source record's figures, the Salesforce record they belong to, the plan. */
import type { SourceItem } from '../../kernel/source-state.ts';
import type { Values } from '../../mapping.ts';
import type { Link, WriteOp } from '../../ports.ts';

export interface ProjectionItem extends SourceItem {
  /** The Salesforce record another flow links to the source key (a Product2 for an item). */
  salesforceId?: string;
  /** What is stored under that record's ID (the write names its revision); `link` only if it is this record's. */
  stored?: Link;
  /** What the projection should show in Salesforce, canonical, and its hash. */
  desired?: Values;
  hash?: string;
  /** The writes this item needs, in order of phases (standard prices before custom ones). */
  ops?: WriteOp[][];
  writtenAt?: string;
}

/** A `records` projection work item: one Intacct record → one Salesforce record upserted by key. */
export interface RecordItem extends SourceItem {
  /** Its own link, by the Intacct record's key (the Salesforce record it made). */
  link?: Link;
  /** Rows of each related read that belong to the record, by the read's name. */
  related?: Record<string, Values[]>;
  /** The Salesforce values (external ID and lookups included), canonical, and their hash. */
  desired?: Values;
  hash?: string;
  /** A re-plan after a lost race writes even when the hash matches (the other write may be older). */
  force?: boolean;
  salesforceId?: string;
  writtenAt?: string;
}

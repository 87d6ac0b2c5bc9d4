/** A projection work item: the source record's figures, the Salesforce record they belong to, the plan. */
import type { SourceItem } from '../../kernel/source-state.ts';
import type { Values } from '../../mapping.ts';
import type { WriteOp } from '../../ports.ts';

export interface ProjectionItem extends SourceItem {
  /** The Salesforce record another flow links to the source key (a Product2 for an item). */
  salesforceId?: string;
  /** What the projection should show in Salesforce, canonical, and its hash. */
  desired?: Values;
  hash?: string;
  /** The writes this item needs, in order of phases (standard prices before custom ones). */
  ops?: WriteOp[][];
  writtenAt?: string;
}

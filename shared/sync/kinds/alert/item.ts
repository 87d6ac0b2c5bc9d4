/** An alert work item: the record's figures, the Salesforce record it shows on, its state then and now. */
import type { SourceItem } from '../../kernel/source-state.ts';
import type { AlertState } from '../../ports.ts';

export interface AlertItem extends SourceItem {
  /** The Salesforce record the `via` flow links to the Intacct record (the Account). */
  salesforceId?: string;
  /** Open invoices past due, when a state asks for them. */
  overdue?: { count: number; amount: number; oldest?: string };
  /** The state the figures decide now. */
  next?: { state: string; figures: Record<string, string | null> };
  /** The alert state to store (a transition), when it differs from the link's. */
  planned?: AlertState;
}

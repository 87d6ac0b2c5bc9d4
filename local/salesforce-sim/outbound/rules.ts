import type { ChangeEvent } from '../store.ts';
import type { SObjectRecord } from '../validate.ts';

/**
 * An outbound-message rule: the object it watches, when it fires, and which fields it sends
 * (default: every non-null field). Rules fire on create and update, never on delete, like
 * record-triggered flows with an outbound-message action.
 */
export type OutboundRule = {
  name: string;
  object: string;
  /** Fires when this returns true; `before` is undefined on create. Default: any change. */
  when?: (after: SObjectRecord, before: SObjectRecord | undefined) => boolean;
  fields?: string[];
  /** Put a session ID into the message ("Send Session ID"). */
  sendSessionId?: boolean;
};

/**
 * The rules of the shipped metadata (salesforce/force-app flows): any change of an Account that is
 * not a vendor's (the Account flow's start filter: Intacct_Vendor_Id__c is null) or of a Contact;
 * an Opportunity becoming won; an Order activated.
 */
export const DEFAULT_RULES: OutboundRule[] = [
  {
    name: 'Account_Changed',
    object: 'Account',
    when: (after) => after.Intacct_Vendor_Id__c === undefined || after.Intacct_Vendor_Id__c === null,
  },
  { name: 'Contact_Changed', object: 'Contact' },
  {
    name: 'Opportunity_Won',
    object: 'Opportunity',
    when: (after, before) => after.IsWon === true && before?.IsWon !== true,
  },
  {
    name: 'Order_Activated',
    object: 'Order',
    when: (after, before) => after.Status === 'Activated' && before?.Status !== 'Activated',
  },
];

/** True when the rule fires for this committed change. */
export function ruleFires(rule: OutboundRule, event: ChangeEvent): boolean {
  if (event.kind === 'delete' || event.kind === 'undelete' || rule.object !== event.object) return false;
  return rule.when ? rule.when(event.after, event.before) : true;
}

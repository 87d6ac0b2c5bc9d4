import type { SObjectRecord } from './validate.ts';

/** What domain rules may read from the store while a record is being saved. */
export type RuleContext = {
  get(object: string, id: string): SObjectRecord | undefined;
  find(object: string, predicate: (r: SObjectRecord) => boolean): SObjectRecord[];
  /** Writes derived values onto another record (roll-ups), bumping its SystemModstamp. */
  touch(object: string, id: string, values: SObjectRecord): void;
  /** The next value of an auto-number field (`Order.OrderNumber`), from 1; never reused. */
  autoNumber(key: string): number;
};

/**
 * Conditions on Salesforce fields (a document flow's `when`, routing and dimension rules): checked
 * on a record's canonical values in memory, and written as SOQL for polls. Checkbox values are
 * "true"/"false" on both sides; every other value compares as text.
 */
import { soqlName, soqlValue } from '#shared/salesforce/index.ts';
import type { SalesforceCondition } from './document-schema.ts';
import type { Values } from './mapping.ts';

/** True when every condition holds for the values (a field that was not read holds nothing). */
export function holds(conditions: readonly SalesforceCondition[], values: Values): boolean {
  return conditions.every((c) => {
    const v = values[c.field] ?? null;
    if (c.op === 'in') return v !== null && (c.values ?? []).includes(v);
    const equal = v === (c.value ?? null);
    return c.op === 'equals' ? equal : !equal;
  });
}

const BOOLEAN = new Set(['true', 'false']);

function literal(value: string | undefined): string {
  if (value === undefined) return 'null';
  // A checkbox compares with an unquoted boolean; SOQL refuses a quoted one.
  return BOOLEAN.has(value) ? value : soqlValue(value);
}

/** The conditions as a SOQL expression (`IsWon = true AND Ready_For_Billing__c = true`). */
export function toSoql(conditions: readonly SalesforceCondition[]): string {
  return conditions
    .map((c) => {
      const field = soqlName(c.field).text;
      if (c.op === 'in') return `${field} IN (${(c.values ?? []).map(literal).join(', ')})`;
      return `${field} ${c.op === 'equals' ? '=' : '!='} ${literal(c.value)}`;
    })
    .join(' AND ');
}

/** The fields the conditions read. */
export function conditionFields(conditions: readonly SalesforceCondition[]): string[] {
  return conditions.map((c) => c.field);
}

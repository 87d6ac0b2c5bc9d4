import { formatSoapDateTime, parseDateTime } from '../dates.ts';
import type { SchemaRegistry } from '../schema/registry.ts';
import type { SObjectRecord } from '../validate.ts';

/**
 * The sObject fields of a notification in SOAP lexical form, schema order, nulls omitted
 * (Salesforce leaves null fields out instead of sending xsi:nil). A deleted record yields its Id only.
 */
export function soapFields(
  schema: SchemaRegistry,
  object: string,
  rec: SObjectRecord | undefined,
  id: string,
  only?: string[],
): Array<[string, string]> {
  if (!rec || rec.IsDeleted === true) return [['Id', id]];
  const wanted = only ? new Set(['id', ...only.map((f) => f.toLowerCase())]) : undefined;
  const out: Array<[string, string]> = [];
  for (const def of schema.object(object)?.fields ?? []) {
    if (wanted && !wanted.has(def.name.toLowerCase())) continue;
    const value = rec[def.name];
    if (value === null || value === undefined) continue;
    if (def.type === 'datetime') out.push([def.name, formatSoapDateTime(parseDateTime(String(value)))]);
    else if (typeof value === 'number' && def.type !== 'int') {
      out.push([def.name, Number.isInteger(value) ? value.toFixed(1) : String(value)]);
    } else out.push([def.name, String(value)]);
  }
  return out;
}

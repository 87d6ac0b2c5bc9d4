/**
 * Field mapping between a Salesforce record and an Intacct record, honouring field owners and
 * transforms. Values are canonical strings or null, keyed by the side's field path, so two
 * mappings of the same data are equal and hash the same.
 */
import { createHash } from 'node:crypto';
import type { FieldMap, MirrorFlow } from './flow-schema.ts';
import { TRANSFORMS, type Value } from './transforms.ts';

export type Values = Record<string, Value>;
export type Side = 'salesforce' | 'intacct';

/** Fields of `target` that may be written from `source`: the other side never writes what the target owns. */
function writable(flow: MirrorFlow, target: Side) {
  return flow.fields.filter((f) => f.owner === 'latest' || f.owner !== target);
}

/** A field's value translation (Intacct value → Salesforce value), after its transform. */
function translated(f: FieldMap, value: Value, to: Side): Value {
  if (f.values === undefined || value === null) return value;
  if (to === 'salesforce') return f.values[value] ?? value;
  return Object.entries(f.values).find(([, sf]) => sf === value)?.[0] ?? value;
}

/**
 * One field's two values in one form, for a field-by-field comparison: the Salesforce value as it
 * would be written to Intacct, and the Intacct value, both canonical.
 */
export function fieldPair(f: FieldMap, sf: Value, ia: Value): { salesforce: Value; intacct: Value } {
  return {
    salesforce: translated(f, TRANSFORMS[f.transform].toIntacct(sf), 'intacct'),
    intacct: TRANSFORMS[f.transform].intacct(ia),
  };
}

/** The Intacct values a Salesforce record maps to (only fields Salesforce may write). */
export function toIntacct(flow: MirrorFlow, sf: Values): Values {
  const out: Values = {};
  for (const f of writable(flow, 'intacct'))
    out[f.intacct] = translated(f, TRANSFORMS[f.transform].toIntacct(sf[f.salesforce] ?? null), 'intacct');
  return out;
}

/** The Salesforce values an Intacct record maps to (only fields Intacct may write). */
export function toSalesforce(flow: MirrorFlow, ia: Values): Values {
  const out: Values = {};
  for (const f of writable(flow, 'salesforce'))
    out[f.salesforce] = translated(
      f,
      TRANSFORMS[f.transform].toSalesforce(ia[f.intacct] ?? null),
      'salesforce',
    );
  return out;
}

/** A side's own values in canonical form (every mapped field), for a field-by-field diff. */
export function canonical(flow: MirrorFlow, side: Side, values: Values): Values {
  const out: Values = {};
  for (const f of flow.fields) {
    const key = side === 'intacct' ? f.intacct : f.salesforce;
    const t = TRANSFORMS[f.transform];
    out[key] = side === 'intacct' ? t.intacct(values[key] ?? null) : t.salesforce(values[key] ?? null);
  }
  return out;
}

/**
 * A side's current state in the shape a sync *towards* it would write: only the fields the other
 * side may write, canonical. Its hash equals the hash of the incoming payload exactly when that
 * payload would change nothing — which is how echoes of our own writes are recognised.
 */
export function currentState(flow: MirrorFlow, side: Side, values: Values): Values {
  const out: Values = {};
  for (const f of writable(flow, side)) {
    const key = side === 'intacct' ? f.intacct : f.salesforce;
    const t = TRANSFORMS[f.transform];
    out[key] = side === 'intacct' ? t.intacct(values[key] ?? null) : t.salesforce(values[key] ?? null);
  }
  return out;
}

/** The fields of `payload` whose value differs from `current` (both canonical). */
export function diff(payload: Values, current: Values): Values {
  const changed: Values = {};
  for (const [k, v] of Object.entries(payload)) if ((current[k] ?? null) !== v) changed[k] = v;
  return changed;
}

/** A stable hash of a mapped payload (key order does not matter). */
export function payloadHash(values: Values): string {
  const keys = Object.keys(values).sort();
  return createHash('sha256')
    .update(JSON.stringify(keys.map((k) => [k, values[k] ?? null])))
    .digest('base64url')
    .slice(0, 22);
}

/** Fields each side must read to map a record in either direction. */
export function fieldsToRead(flow: MirrorFlow, side: Side): string[] {
  const names = new Set(flow.fields.map((f) => (side === 'intacct' ? f.intacct : f.salesforce)));
  for (const m of flow.matchKeys) names.add(side === 'intacct' ? m.intacct : m.salesforce);
  if (side === 'intacct' && flow.intacctKey !== undefined) names.add(flow.intacctKey.field);
  if (side === 'salesforce' && flow.intacctKey?.fromSalesforce !== undefined)
    names.add(flow.intacctKey.fromSalesforce);
  if (side === 'salesforce' && flow.salesforceKeyField !== undefined) names.add(flow.salesforceKeyField);
  if (flow.parent !== undefined)
    names.add(side === 'intacct' ? flow.parent.intacctField : flow.parent.salesforceField);
  return [...names];
}

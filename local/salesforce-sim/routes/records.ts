import type { SimContext } from '../context.ts';
import type { SObjectRecord } from '../validate.ts';

/** A stored record as the REST API returns it: `attributes` first, then fields in schema order. */
export function toApiRecord(
  ctx: SimContext,
  version: string,
  object: string,
  rec: SObjectRecord,
  fields?: string[],
): SObjectRecord {
  const out: SObjectRecord = {
    attributes: { type: object, url: `/services/data/v${version}/sobjects/${object}/${String(rec.Id)}` },
  };
  const defs = ctx.store.schema.object(object)?.fields ?? [];
  const wanted = fields?.map((f) => f.toLowerCase());
  for (const def of defs) {
    if (wanted && !wanted.includes(def.name.toLowerCase())) continue;
    out[def.name] = rec[def.name] ?? null;
  }
  return out;
}

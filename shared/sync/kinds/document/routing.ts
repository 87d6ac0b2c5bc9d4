/**
 * Entity routing and dimensions of a document (DESIGN §4): ordered rules on the source record's
 * fields (its account's too, dotted) choose the entity and currency; each line dimension comes
 * from its rules, a field of the line or header, or a constant.
 */
import { holds } from '../../conditions.ts';
import type { DocumentFlow } from '../../document-schema.ts';
import type { Values } from '../../mapping.ts';
import { dimensionSource } from './fields.ts';

/** The entity ('' = top level) and currency (undefined = the entity's base) of a document. */
export function route(flow: DocumentFlow, header: Values): { entity: string; currency?: string } {
  const rule = flow.routing.rules.find((r) => holds(r.when, header));
  const fromRecord =
    flow.header.currency === undefined ? undefined : (header[flow.header.currency] ?? undefined);
  return { entity: rule?.entity ?? flow.routing.default, currency: rule?.currency ?? fromRecord };
}

/** A line's dimensions; a missing required one is named in `missing`. */
export function dimensionsOf(
  flow: DocumentFlow,
  header: Values,
  line: Values,
): { values: Record<string, string>; missing: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const d of flow.lines.dimensions) {
    const byRule = d.rules.find((r) => holds(r.when, header))?.value;
    const src = d.field === undefined ? undefined : dimensionSource(d.field);
    const byField = src === undefined ? undefined : (src.on === 'header' ? header : line)[src.field];
    const value = byRule ?? (byField || undefined) ?? d.constant;
    if (value !== undefined && value !== '') values[d.dimension] = value;
    else if (d.required) missing.push(d.dimension.toUpperCase());
  }
  return { values, missing };
}

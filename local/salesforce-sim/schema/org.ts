import { type CustomSchema, shippedCustomSchema } from './metadata/to-schema.ts';
import { STANDARD_OBJECTS } from './objects.ts';
import type { ObjectDef } from './types.ts';

/**
 * The simulated org: the standard objects as coded, each with its custom fields from the
 * metadata, then the custom objects (default: the metadata shipped in salesforce/force-app).
 */
export function orgObjects(custom: CustomSchema = shippedCustomSchema()): ObjectDef[] {
  const unknown = [...custom.fields.keys()].filter((o) => !STANDARD_OBJECTS.some((s) => s.name === o));
  if (unknown.length > 0)
    throw new Error(`metadata has fields on objects the simulator does not know: ${unknown.join(', ')}`);
  return [
    ...STANDARD_OBJECTS.map((o) => ({ ...o, fields: [...o.fields, ...(custom.fields.get(o.name) ?? [])] })),
    ...custom.objects,
  ];
}

/**
 * The two schemas `sfi config validate` checks the config against: the SFDX metadata with the
 * simulator's standard objects (offline), or a live org through describe (`--org`). The check
 * itself is in shared/config/org-check.ts; the standard schema lives with the simulator, which
 * shared/ may not import, so both schemas are built here in bin/.
 */
import { relative } from 'node:path';
import { readMetadata } from '#local/salesforce-sim/schema/metadata/read.ts';
import { customSchema } from '#local/salesforce-sim/schema/metadata/to-schema.ts';
import { orgObjects } from '#local/salesforce-sim/schema/org.ts';
import { SchemaRegistry } from '#local/salesforce-sim/schema/registry.ts';
import type { OrgField, OrgSchema } from '#shared/config/org-check.ts';
import type { FieldNeed } from '#shared/config/salesforce-fields.ts';

/** The metadata type to create for a missing field. */
const SUGGESTED: Record<FieldNeed, string> = {
  key: 'Text with <externalId>true</externalId> and <unique>true</unique>',
  boolean: 'Checkbox',
  number: 'Number or Currency',
  date: 'Date',
  text: 'Text',
  reference: 'Lookup',
  any: 'the type the flow writes',
};

/** The schema of the metadata under `dir` plus the standard objects. */
export function metadataSchema(dir: string): OrgSchema {
  const registry = new SchemaRegistry(orgObjects(customSchema(readMetadata(dir))));
  const rel = relative(process.cwd(), dir);
  const shown = rel === '' || rel.startsWith('..') ? dir : rel;
  return {
    source: `${shown} or the standard schema`,
    hasObject: (object) => registry.object(object) !== undefined,
    fields: (object) =>
      (registry.object(object)?.fields ?? []).map((f) => ({
        name: f.name,
        type: f.type,
        externalId: f.externalId ?? false,
        unique: f.unique ?? false,
        referenceTo: f.referenceTo === undefined ? [] : [f.referenceTo],
        relationshipName: f.relationshipName ?? null,
      })),
    childObject: (object, relationship) => registry.childRelationship(object, relationship)?.childSObject,
    addFieldHint: (object, field, need) =>
      `add ${shown}/main/default/objects/${object}/fields/${field}.field-meta.xml (${SUGGESTED[need]}) and deploy it, or name an existing field`,
  };
}

/** What the check needs of describe (jsforce's DescribeSObjectResult has it). */
export type Describe = {
  fields: OrgField[];
  childRelationships: Array<{ childSObject: string; relationshipName: string | null }>;
};

/**
 * The schema of a live org: `describe` is called once per object the config reaches (its flows'
 * objects, their line objects and the objects of dotted paths); an object describe cannot find
 * does not exist for the check.
 */
export async function describedSchema(
  source: string,
  describe: (object: string) => Promise<Describe | undefined>,
  objects: (known: ReadonlyMap<string, Describe | undefined>) => string[],
): Promise<OrgSchema> {
  const described = new Map<string, Describe | undefined>();
  // Each round may name objects reached through the last one (a line's Product2), three suffice.
  for (let round = 0; round < 3; round++) {
    const next = objects(described).filter((o) => !described.has(o.toLowerCase()));
    if (next.length === 0) break;
    for (const o of next) described.set(o.toLowerCase(), await describe(o));
  }
  const get = (object: string) => described.get(object.toLowerCase());
  return {
    source,
    hasObject: (object) => get(object) !== undefined,
    fields: (object) => get(object)?.fields ?? [],
    childObject: (object, relationship) =>
      get(object)?.childRelationships.find(
        (r) => r.relationshipName?.toLowerCase() === relationship.toLowerCase(),
      )?.childSObject,
    addFieldHint: (object, field) =>
      `deploy the metadata (sf project deploy start --source-dir salesforce/force-app), which defines ${object}.${field} if the sync needs it, and assign the Intacct_Sync_Integration permission set (describe hides fields the user cannot read); or name an existing field`,
  };
}

/**
 * Reads the SFDX source in `salesforce/force-app` (DESIGN §10): custom objects and fields,
 * permission sets, outbound messages and record-triggered Flows. The simulator builds its custom
 * schema from it; the offline tests and `sfi config validate` check it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import * as z from 'zod/v4';

/** The metadata shipped with the repository. */
export const DEFAULT_METADATA_DIR = fileURLToPath(
  new URL('../../../../salesforce/force-app', import.meta.url),
);

const REPEATED = new Set([
  'value',
  'fieldPermissions',
  'objectPermissions',
  'customPermissions',
  'outboundMessages',
  'fields',
  'filters',
  'actionCalls',
  'decisions',
  'rules',
  'conditions',
  'inputParameters',
  'processMetadataValues',
]);

/** One parser for Metadata API XML: repeatable elements always arrays, values kept as strings, no entities. */
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  processEntities: false,
  htmlEntities: false,
  isArray: (name) => REPEATED.has(name),
});

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const picklistValue = z.object({ fullName: z.string(), default: bool.optional() });

export const fieldMetaSchema = z.object({
  fullName: z.string(),
  label: z.string(),
  type: z.string(),
  length: z.coerce.number().int().optional(),
  precision: z.coerce.number().int().optional(),
  scale: z.coerce.number().int().optional(),
  externalId: bool.optional(),
  unique: bool.optional(),
  required: bool.optional(),
  defaultValue: z.string().optional(),
  inlineHelpText: z.string().optional(),
  referenceTo: z.string().optional(),
  relationshipName: z.string().optional(),
  valueSet: z.object({ valueSetDefinition: z.object({ value: z.array(picklistValue) }) }).optional(),
});
export type FieldMeta = z.infer<typeof fieldMetaSchema>;

const objectMetaSchema = z.object({
  label: z.string(),
  pluralLabel: z.string(),
  nameField: z.object({ label: z.string(), type: z.enum(['Text', 'AutoNumber']) }),
});
export type CustomObjectMeta = z.infer<typeof objectMetaSchema> & { name: string };

const permissionSetSchema = z.object({
  label: z.string(),
  fieldPermissions: z.array(z.object({ field: z.string(), editable: bool, readable: bool })).default([]),
  objectPermissions: z
    .array(z.object({ object: z.string(), allowRead: bool, allowEdit: bool, allowCreate: bool }))
    .default([]),
  customPermissions: z.array(z.object({ name: z.string(), enabled: bool })).default([]),
});
export type PermissionSetMeta = z.infer<typeof permissionSetSchema> & { name: string };

const workflowSchema = z.object({
  outboundMessages: z
    .array(z.object({ fullName: z.string(), endpointUrl: z.string(), fields: z.array(z.string()) }))
    .default([]),
});
export type OutboundMessageMeta = { object: string; name: string; endpointUrl: string; fields: string[] };

const flowSchema = z.object({
  status: z.string(),
  start: z.object({ object: z.string(), triggerType: z.string() }),
  actionCalls: z.array(z.object({ actionName: z.string(), actionType: z.string() })).default([]),
  decisions: z
    .array(
      z.object({
        rules: z.array(z.object({ conditions: z.array(z.object({ leftValueReference: z.string() })) })),
      }),
    )
    .default([]),
});
export type FlowMeta = z.infer<typeof flowSchema> & { name: string };

/** Everything in one SFDX source directory. */
export type OrgMetadata = {
  dir: string;
  /** Custom fields per object (standard and custom objects), in file-name order. */
  fields: Map<string, FieldMeta[]>;
  customObjects: CustomObjectMeta[];
  permissionSets: PermissionSetMeta[];
  outboundMessages: OutboundMessageMeta[];
  flows: FlowMeta[];
  customPermissions: string[];
};

/** Parses one metadata file; the error names the file. */
export function parseMetadataFile<T>(file: string, root: string, schema: z.ZodType<T>): T {
  const text = readFileSync(file, 'utf8');
  const doc = parser.parse(text) as Record<string, unknown>;
  const result = schema.safeParse(doc[root]);
  if (!result.success)
    throw new Error(
      `${file}: not a valid ${root}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return result.data;
}

const list = (dir: string, suffix: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(suffix))
        .sort()
    : [];

/** Reads the metadata under `dir` (a package directory such as `salesforce/force-app`). */
export function readMetadata(dir = DEFAULT_METADATA_DIR): OrgMetadata {
  const base = join(dir, 'main', 'default');
  const out: OrgMetadata = {
    dir,
    fields: new Map(),
    customObjects: [],
    permissionSets: [],
    outboundMessages: [],
    flows: [],
    customPermissions: [],
  };
  for (const object of list(join(base, 'objects'), '').sort()) {
    const folder = join(base, 'objects', object);
    const objectFile = join(folder, `${object}.object-meta.xml`);
    if (existsSync(objectFile))
      out.customObjects.push({
        name: object,
        ...parseMetadataFile(objectFile, 'CustomObject', objectMetaSchema),
      });
    const fields = list(join(folder, 'fields'), '.field-meta.xml').map((f) =>
      parseMetadataFile(join(folder, 'fields', f), 'CustomField', fieldMetaSchema),
    );
    out.fields.set(object, fields);
  }
  for (const f of list(join(base, 'permissionsets'), '.permissionset-meta.xml'))
    out.permissionSets.push({
      name: f.replace('.permissionset-meta.xml', ''),
      ...parseMetadataFile(join(base, 'permissionsets', f), 'PermissionSet', permissionSetSchema),
    });
  for (const f of list(join(base, 'workflows'), '.workflow-meta.xml')) {
    const object = f.replace('.workflow-meta.xml', '');
    const wf = parseMetadataFile(join(base, 'workflows', f), 'Workflow', workflowSchema);
    for (const m of wf.outboundMessages)
      out.outboundMessages.push({ object, name: m.fullName, endpointUrl: m.endpointUrl, fields: m.fields });
  }
  for (const f of list(join(base, 'flows'), '.flow-meta.xml'))
    out.flows.push({
      name: f.replace('.flow-meta.xml', ''),
      ...parseMetadataFile(join(base, 'flows', f), 'Flow', flowSchema),
    });
  out.customPermissions = list(join(base, 'customPermissions'), '.customPermission-meta.xml').map((f) =>
    f.replace('.customPermission-meta.xml', ''),
  );
  return out;
}

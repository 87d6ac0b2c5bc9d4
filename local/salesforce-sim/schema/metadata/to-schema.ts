/**
 * The simulator's custom schema, built from the SFDX metadata (DESIGN §10): custom fields on the
 * standard objects and the custom objects, so the simulated org and a deployed one agree.
 */
import { systemFields } from '../system-fields.ts';
import type { FieldDef, FieldType, ObjectDef } from '../types.ts';
import {
  type CustomObjectMeta,
  DEFAULT_METADATA_DIR,
  type FieldMeta,
  type OrgMetadata,
  readMetadata,
} from './read.ts';

/** Metadata field types → the simulator's (describe) types. */
export const METADATA_TYPES: Readonly<Record<string, FieldType>> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Email: 'email',
  Phone: 'phone',
  Url: 'url',
  Checkbox: 'boolean',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Date: 'date',
  DateTime: 'datetime',
  Picklist: 'picklist',
  Lookup: 'reference',
  MasterDetail: 'reference',
};

/** One metadata field as the simulator's field definition. */
export function toFieldDef(object: string, f: FieldMeta): FieldDef {
  const type = METADATA_TYPES[f.type];
  if (type === undefined)
    throw new Error(
      `${object}.${f.fullName}: field type ${f.type} is not one the simulator knows (${Object.keys(METADATA_TYPES).join(', ')})`,
    );
  const def: FieldDef = { name: f.fullName, type, label: f.label };
  if (f.length !== undefined) def.length = f.length;
  if (f.type === 'TextArea') def.length = 255;
  if (f.externalId) def.externalId = true;
  if (f.unique) def.unique = true;
  if (f.required || f.type === 'MasterDetail') def.required = true;
  if (f.type === 'Checkbox') def.defaultValue = f.defaultValue === 'true';
  const values = f.valueSet?.valueSetDefinition.value;
  if (values !== undefined) {
    def.picklistValues = values.map((v) => v.fullName);
    const fallback = values.find((v) => v.default);
    if (fallback !== undefined) def.defaultValue = fallback.fullName;
  }
  if (type === 'reference') {
    if (f.referenceTo === undefined)
      throw new Error(`${object}.${f.fullName}: a ${f.type} needs referenceTo`);
    def.referenceTo = f.referenceTo;
    def.relationshipName = f.fullName.replace(/__c$/, '__r');
    if (f.relationshipName !== undefined) def.childRelationshipName = `${f.relationshipName}__r`;
  }
  return def;
}

function customObject(meta: CustomObjectMeta, fields: FieldDef[], keyPrefix: string): ObjectDef {
  const name: FieldDef =
    meta.nameField.type === 'AutoNumber'
      ? { name: 'Name', type: 'string', label: meta.nameField.label, readOnly: true, length: 80 }
      : { name: 'Name', type: 'string', label: meta.nameField.label, required: true, length: 80 };
  return {
    name: meta.name,
    label: meta.label,
    labelPlural: meta.pluralLabel,
    keyPrefix,
    custom: true,
    // The org is multi-currency, so every custom object has CurrencyIsoCode (as Salesforce adds it).
    fields: [
      ...systemFields(meta.name),
      name,
      ...fields,
      { name: 'CurrencyIsoCode', type: 'picklist', length: 3 },
    ],
  };
}

/** The custom part of the org: fields to add per standard object, and the custom objects. */
export type CustomSchema = { fields: Map<string, FieldDef[]>; objects: ObjectDef[] };

/**
 * Objects whose custom fields live on another's in SFDX source: Task and Event share Activity's
 * (objects/Activity/fields). The simulated org has no Event, so Activity's fields go to Task.
 */
export const FIELDS_SHARED_FROM: Readonly<Record<string, string>> = { Activity: 'Task' };

/**
 * Builds the custom schema from metadata. Custom objects get key prefixes a01, a02… in name
 * order (a real org assigns its own; nothing may depend on them; a00 is the simulator's
 * fallback for standard objects without a prefix of their own).
 */
export function customSchema(metadata: OrgMetadata): CustomSchema {
  const custom = new Set(metadata.customObjects.map((o) => o.name));
  const fields = new Map<string, FieldDef[]>();
  for (const [object, list] of metadata.fields) {
    const target = FIELDS_SHARED_FROM[object] ?? object;
    fields.set(target, [...(fields.get(target) ?? []), ...list.map((f) => toFieldDef(object, f))]);
  }
  const objects = metadata.customObjects.map((meta, i) =>
    customObject(meta, fields.get(meta.name) ?? [], `a${(i + 1).toString(36).padStart(2, '0')}`),
  );
  for (const name of custom) fields.delete(name);
  return { fields, objects };
}

let cached: CustomSchema | undefined;

/** The shipped metadata's custom schema, parsed once per process (every test file starts a simulator). */
export function shippedCustomSchema(): CustomSchema {
  cached ??= customSchema(readMetadata(DEFAULT_METADATA_DIR));
  return cached;
}

/**
 * The config ⇄ org check (DESIGN §4, §10): every Salesforce field the config names exists on its
 * object with a compatible type, and every key field is a unique external ID. The schema is
 * passed in (built from the SFDX metadata and the standard schema, or from a live org's
 * describe), so this module stays free of adapters.
 */
import type { FlowConfig } from '#shared/sync/flow-schema.ts';
import type { ReportConfig } from '#shared/sync/report-schema.ts';
import { type FieldNeed, type NamedField, salesforceFields } from './salesforce-fields.ts';

/** A field as describe reports it (the simulator's schema has the same shape). */
export interface OrgField {
  name: string;
  type: string;
  externalId: boolean;
  unique: boolean;
  referenceTo: string[];
  relationshipName?: string | null;
}

/** What the check reads of an org. Names resolve case-insensitively, as in Salesforce. */
export interface OrgSchema {
  /** Where the schema came from, for messages: `salesforce/force-app + standard schema`, `org https://…`. */
  source: string;
  hasObject(object: string): boolean;
  fields(object: string): OrgField[];
  /** The child object of a child relationship (`OpportunityLineItems` → OpportunityLineItem). */
  childObject(object: string, relationship: string): string | undefined;
  /** How to add a missing field here (create a metadata file, deploy…). */
  addFieldHint(object: string, field: string, need: FieldNeed): string;
}

export interface OrgProblem {
  flow: string;
  object: string;
  field: string;
  path: Array<string | number>;
  message: string;
  fix: string;
}

const TYPES: Record<Exclude<FieldNeed, 'any' | 'key'>, string[]> = {
  boolean: ['boolean'],
  number: ['double', 'currency', 'percent', 'int', 'long'],
  date: ['date', 'datetime'],
  text: ['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'id', 'combobox'],
  reference: ['reference', 'id'],
};
const NEED_LABEL: Record<FieldNeed, string> = {
  key: 'a unique external ID (Text, External ID, Unique)',
  boolean: 'a checkbox',
  number: 'a number, currency or percent',
  date: 'a date or date/time',
  text: 'a text or picklist',
  reference: 'a lookup',
  any: 'a field',
};

const find = (schema: OrgSchema, object: string, name: string) =>
  schema.fields(object).find((f) => f.name.toLowerCase() === name.toLowerCase());

/** Follows `Account.BillingCountry` through the relationship to the field at its end. */
function resolve(
  schema: OrgSchema,
  object: string,
  dotted: string,
): { object: string; field?: OrgField; missing?: string } {
  const parts = dotted.split('.');
  let current = object;
  for (const part of parts.slice(0, -1)) {
    const ref = schema.fields(current).find((f) => f.relationshipName?.toLowerCase() === part.toLowerCase());
    const target = ref?.referenceTo[0];
    if (target === undefined) return { object: current, missing: part };
    current = target;
  }
  const last = parts[parts.length - 1] ?? dotted;
  const field = find(schema, current, last);
  return field === undefined ? { object: current, missing: last } : { object: current, field };
}

function check(schema: OrgSchema, named: NamedField): OrgProblem | undefined {
  const base = { flow: named.flow, field: named.field, path: named.path };
  if (!schema.hasObject(named.object))
    return {
      ...base,
      object: named.object,
      message: `object ${named.object} does not exist in ${schema.source}`,
      fix: `set salesforceObject to an object of the org, or deploy the metadata that defines ${named.object}`,
    };
  let object = named.object;
  if (named.relationship !== undefined) {
    const child = schema.childObject(named.object, named.relationship);
    if (child === undefined)
      return {
        ...base,
        object,
        field: named.relationship,
        message: `${object} has no child relationship ${named.relationship} in ${schema.source}`,
        fix: 'set lines.relationship to a child relationship of the object (OpportunityLineItems, OrderItems)',
      };
    object = child;
  }
  const { object: owner, field, missing } = resolve(schema, object, named.field);
  if (field === undefined) {
    const name =
      missing === named.field.split('.').pop() ? `${owner}.${missing}` : `relationship ${owner}.${missing}`;
    return {
      ...base,
      object: owner,
      message: `${name} does not exist in ${schema.source}`,
      fix: schema.addFieldHint(owner, missing ?? named.field, named.need),
    };
  }
  const full = `${owner}.${field.name}`;
  if (named.need === 'key') {
    if (field.type === 'string' && field.externalId && field.unique) return undefined;
    return {
      ...base,
      object: owner,
      message: `${full} is a key of the flow but is ${field.type}${field.externalId ? '' : ', not an external ID'}${field.unique ? '' : ', not unique'}`,
      fix: `make ${full} ${NEED_LABEL.key} (in its field-meta.xml: <externalId>true</externalId> and <unique>true</unique>), or name such a field`,
    };
  }
  if (named.need !== 'any' && !TYPES[named.need].includes(field.type))
    return {
      ...base,
      object: owner,
      message: `${full} is ${field.type}; the flow needs ${NEED_LABEL[named.need]}`,
      fix: `change the field's type or name ${NEED_LABEL[named.need]} field here`,
    };
  return undefined;
}

/** Every problem of every flow (switched-off flows too) against the schema; empty when they all fit. */
export function orgSchemaProblems(
  flows: ReadonlyArray<FlowConfig | ReportConfig>,
  schema: OrgSchema,
): OrgProblem[] {
  return flows.flatMap((flow) => salesforceFields(flow)).flatMap((named) => check(schema, named) ?? []);
}

import type { SimContext } from '../context.ts';
import type { FieldDef, ObjectDef } from '../schema/types.ts';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

const urls = (version: string, name: string) => {
  const base = `/services/data/v${version}/sobjects/${name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
};

function objectFlags(def: ObjectDef) {
  const system = def.name === 'User';
  return {
    activateable: false,
    createable: !system,
    custom: def.custom ?? false,
    customSetting: false,
    deletable: !system,
    deprecatedAndHidden: false,
    feedEnabled: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: true,
    mergeable: false,
    mruEnabled: true,
    name: def.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: !system,
    updateable: !system,
  };
}

function describeField(f: FieldDef) {
  const writable = !f.readOnly;
  return {
    name: f.name,
    label: f.label ?? f.name.replace(/__c$/, '').replace(/_/g, ' '),
    type: f.type,
    soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
    length: f.length ?? 0,
    custom: f.name.endsWith('__c'),
    nillable: !f.required && f.type !== 'boolean',
    createable: writable,
    updateable: writable && !f.createOnly,
    defaultedOnCreate: f.defaultValue !== undefined || f.type === 'boolean' || f.readOnly === true,
    calculated: false,
    externalId: f.externalId ?? false,
    idLookup: f.name === 'Id' || (f.externalId ?? false),
    unique: f.unique ?? false,
    caseSensitive: false,
    filterable: true,
    sortable: true,
    groupable: f.type !== 'textarea',
    restrictedPicklist: f.type === 'picklist',
    picklistValues: (f.picklistValues ?? []).map((v) => ({
      active: true,
      defaultValue: v === f.defaultValue,
      label: v,
      validFor: null,
      value: v,
    })),
    referenceTo: f.polymorphicTo ?? (f.referenceTo ? [f.referenceTo] : []),
    polymorphicForeignKey: (f.polymorphicTo?.length ?? 0) > 1,
    relationshipName: f.relationshipName ?? null,
    defaultValue: f.defaultValue ?? null,
  };
}

/** `GET /sobjects`: describeGlobal. */
export function describeGlobal(ctx: SimContext, version: string) {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: ctx.store.schema.objects().map((o) => ({ ...objectFlags(o), urls: urls(version, o.name) })),
  };
}

/** `GET /sobjects/{T}/describe`, from the same registry that validates writes. */
export function describeObject(ctx: SimContext, version: string, def: ObjectDef) {
  return {
    ...objectFlags(def),
    fields: def.fields.map(describeField),
    childRelationships: ctx.store.schema.childRelationships(def.name).map((r) => ({
      cascadeDelete: false,
      childSObject: r.childSObject,
      field: r.field,
      relationshipName: r.relationshipName,
    })),
    recordTypeInfos: [],
    urls: urls(version, def.name),
  };
}

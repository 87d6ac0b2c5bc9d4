/** Field types the simulator validates; the names are Salesforce describe types. */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime'
  | 'picklist'
  | 'reference';

/** One field of an object in the schema registry. */
export type FieldDef = {
  name: string;
  type: FieldType;
  label?: string;
  length?: number;
  /** Required on create (REQUIRED_FIELD_MISSING when absent or null). */
  required?: boolean;
  /** Not writable through the API (system and derived fields such as IsWon). */
  readOnly?: boolean;
  /** Writable on create only. */
  createOnly?: boolean;
  picklistValues?: string[];
  externalId?: boolean;
  unique?: boolean;
  referenceTo?: string;
  /**
   * A polymorphic reference (Task.WhatId): every object it may point to, `referenceTo` first.
   * SOQL paths resolve their fields on `referenceTo`; a record's own type follows its ID's prefix.
   */
  polymorphicTo?: string[];
  /** Name used in SOQL dot paths (`Account` for `AccountId`, `Foo__r` for `Foo__c`). */
  relationshipName?: string;
  /** Name of the child relationship on the referenced object (`Contacts`). */
  childRelationshipName?: string;
  defaultValue?: string | number | boolean;
};

/** One object (sObject type) of the schema registry. */
export type ObjectDef = {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom?: boolean;
  fields: FieldDef[];
};

import { own, prefix } from './fields.ts';
import { ORDER_OBJECTS } from './orders.ts';
import { systemFields } from './system-fields.ts';
import type { FieldDef, ObjectDef } from './types.ts';

export { CURRENCY_OBJECTS } from './fields.ts';

// 'Vendor' is not a default value: the simulated org is one prepared for the optional
// vendor-account flow, whose default marker it is (docs/sync.md, Payables: add it in Setup).
const ACCOUNT_TYPES = [
  'Prospect',
  'Customer - Direct',
  'Customer - Channel',
  'Channel Partner / Reseller',
  'Other',
  'Vendor',
];
const ADDRESS = (kind: string): FieldDef[] =>
  ['Street', 'City', 'State', 'PostalCode', 'Country'].map((part) => ({
    name: `${kind}${part}`,
    type: part === 'Street' ? 'textarea' : 'string',
    length: part === 'Street' ? 255 : 80,
  }));

/** Opportunity stages with the closed/won metadata Salesforce derives IsClosed/IsWon from. */
export const OPPORTUNITY_STAGES: ReadonlyArray<{
  name: string;
  closed: boolean;
  won: boolean;
  probability: number;
}> = [
  { name: 'Prospecting', closed: false, won: false, probability: 10 },
  { name: 'Qualification', closed: false, won: false, probability: 10 },
  { name: 'Needs Analysis', closed: false, won: false, probability: 20 },
  { name: 'Value Proposition', closed: false, won: false, probability: 50 },
  { name: 'Proposal/Price Quote', closed: false, won: false, probability: 75 },
  { name: 'Negotiation/Review', closed: false, won: false, probability: 90 },
  { name: 'Closed Won', closed: true, won: true, probability: 100 },
  { name: 'Closed Lost', closed: true, won: false, probability: 0 },
];

/**
 * The standard objects of the simulated org with their standard fields. Custom fields and objects
 * come from the SFDX metadata in salesforce/force-app (see ./org.ts).
 */
export const STANDARD_OBJECTS: ObjectDef[] = [
  {
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: prefix('User'),
    fields: own('User', [
      { name: 'Username', type: 'string', required: true, unique: true, length: 80 },
      { name: 'Name', type: 'string', readOnly: true, length: 121 },
      { name: 'Email', type: 'email', required: true, length: 128 },
      { name: 'IsActive', type: 'boolean', defaultValue: true },
    ]),
  },
  {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: prefix('Account'),
    fields: own('Account', [
      { name: 'Name', type: 'string', required: true, length: 255 },
      { name: 'AccountNumber', type: 'string', length: 40 },
      { name: 'Type', type: 'picklist', picklistValues: ACCOUNT_TYPES },
      { name: 'Phone', type: 'phone', length: 40 },
      { name: 'Website', type: 'url', length: 255 },
      ...ADDRESS('Billing'),
      ...ADDRESS('Shipping'),
      { name: 'Description', type: 'textarea', length: 32000 },
      {
        name: 'ParentId',
        type: 'reference',
        referenceTo: 'Account',
        relationshipName: 'Parent',
        childRelationshipName: 'ChildAccounts',
      },
    ]),
  },
  {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: prefix('Contact'),
    fields: own('Contact', [
      {
        name: 'AccountId',
        type: 'reference',
        referenceTo: 'Account',
        relationshipName: 'Account',
        childRelationshipName: 'Contacts',
      },
      { name: 'FirstName', type: 'string', length: 40 },
      { name: 'LastName', type: 'string', required: true, length: 80 },
      { name: 'Name', type: 'string', readOnly: true, length: 121 },
      { name: 'Email', type: 'email', length: 80 },
      { name: 'Phone', type: 'phone', length: 40 },
      { name: 'Title', type: 'string', length: 128 },
      ...ADDRESS('Mailing'),
    ]),
  },
  {
    name: 'Product2',
    label: 'Product',
    labelPlural: 'Products',
    keyPrefix: prefix('Product2'),
    fields: own('Product2', [
      { name: 'Name', type: 'string', required: true, length: 255 },
      { name: 'ProductCode', type: 'string', length: 255 },
      { name: 'Description', type: 'textarea', length: 4000 },
      { name: 'IsActive', type: 'boolean', defaultValue: false },
      { name: 'Family', type: 'picklist', picklistValues: ['Hardware', 'Software', 'Services', 'None'] },
      { name: 'QuantityUnitOfMeasure', type: 'string', length: 40 },
      { name: 'StockKeepingUnit', type: 'string', length: 180 },
    ]),
  },
  {
    name: 'CurrencyType',
    label: 'Currency Type',
    labelPlural: 'Currency Types',
    keyPrefix: prefix('CurrencyType'),
    fields: [
      ...systemFields('User'),
      { name: 'IsoCode', type: 'string', required: true, unique: true, length: 3 },
      { name: 'ConversionRate', type: 'double', required: true },
      { name: 'DecimalPlaces', type: 'int', required: true },
      { name: 'IsActive', type: 'boolean', defaultValue: false },
      { name: 'IsCorporate', type: 'boolean', readOnly: true, defaultValue: false },
    ],
  },
  {
    name: 'Pricebook2',
    label: 'Price Book',
    labelPlural: 'Price Books',
    keyPrefix: prefix('Pricebook2'),
    fields: own('Pricebook2', [
      { name: 'Name', type: 'string', required: true, length: 255 },
      { name: 'IsActive', type: 'boolean', defaultValue: false },
      { name: 'IsStandard', type: 'boolean', readOnly: true, defaultValue: false },
      { name: 'Description', type: 'string', length: 255 },
    ]),
  },
  {
    name: 'PricebookEntry',
    label: 'Price Book Entry',
    labelPlural: 'Price Book Entries',
    keyPrefix: prefix('PricebookEntry'),
    fields: own('PricebookEntry', [
      {
        name: 'Pricebook2Id',
        type: 'reference',
        required: true,
        createOnly: true,
        referenceTo: 'Pricebook2',
        relationshipName: 'Pricebook2',
        childRelationshipName: 'PricebookEntries',
      },
      {
        name: 'Product2Id',
        type: 'reference',
        required: true,
        createOnly: true,
        referenceTo: 'Product2',
        relationshipName: 'Product2',
        childRelationshipName: 'PricebookEntries',
      },
      { name: 'UnitPrice', type: 'currency', required: true },
      { name: 'IsActive', type: 'boolean', defaultValue: false },
      { name: 'UseStandardPrice', type: 'boolean', defaultValue: false },
      { name: 'Name', type: 'string', readOnly: true, length: 255 },
      { name: 'ProductCode', type: 'string', readOnly: true, length: 255 },
    ]),
  },
  {
    name: 'Opportunity',
    label: 'Opportunity',
    labelPlural: 'Opportunities',
    keyPrefix: prefix('Opportunity'),
    fields: own('Opportunity', [
      { name: 'Name', type: 'string', required: true, length: 120 },
      {
        name: 'AccountId',
        type: 'reference',
        referenceTo: 'Account',
        relationshipName: 'Account',
        childRelationshipName: 'Opportunities',
      },
      {
        name: 'StageName',
        type: 'picklist',
        required: true,
        picklistValues: OPPORTUNITY_STAGES.map((s) => s.name),
      },
      { name: 'CloseDate', type: 'date', required: true },
      { name: 'Amount', type: 'currency' },
      { name: 'Probability', type: 'percent' },
      { name: 'IsWon', type: 'boolean', readOnly: true },
      { name: 'IsClosed', type: 'boolean', readOnly: true },
      { name: 'HasOpportunityLineItem', type: 'boolean', readOnly: true },
      { name: 'Type', type: 'picklist', picklistValues: ['Existing Business', 'New Business'] },
      {
        name: 'Pricebook2Id',
        type: 'reference',
        referenceTo: 'Pricebook2',
        relationshipName: 'Pricebook2',
        childRelationshipName: 'Opportunities',
      },
      { name: 'Description', type: 'textarea', length: 32000 },
    ]),
  },
  {
    name: 'OpportunityLineItem',
    label: 'Opportunity Product',
    labelPlural: 'Opportunity Product',
    keyPrefix: prefix('OpportunityLineItem'),
    fields: own('OpportunityLineItem', [
      {
        name: 'OpportunityId',
        type: 'reference',
        required: true,
        createOnly: true,
        referenceTo: 'Opportunity',
        relationshipName: 'Opportunity',
        childRelationshipName: 'OpportunityLineItems',
      },
      {
        name: 'PricebookEntryId',
        type: 'reference',
        required: true,
        createOnly: true,
        referenceTo: 'PricebookEntry',
        relationshipName: 'PricebookEntry',
        childRelationshipName: 'OpportunityLineItems',
      },
      {
        name: 'Product2Id',
        type: 'reference',
        createOnly: true,
        referenceTo: 'Product2',
        relationshipName: 'Product2',
        childRelationshipName: 'OpportunityLineItems',
      },
      { name: 'Name', type: 'string', readOnly: true, length: 376 },
      { name: 'ProductCode', type: 'string', readOnly: true, length: 255 },
      { name: 'Quantity', type: 'double', required: true },
      { name: 'UnitPrice', type: 'currency' },
      { name: 'ListPrice', type: 'currency', readOnly: true },
      { name: 'TotalPrice', type: 'currency' },
      { name: 'Subtotal', type: 'currency', readOnly: true },
      { name: 'Discount', type: 'percent' },
      { name: 'ServiceDate', type: 'date' },
      { name: 'Description', type: 'string', length: 255 },
      { name: 'SortOrder', type: 'int' },
    ]),
  },
  {
    name: 'Task',
    label: 'Task',
    labelPlural: 'Tasks',
    keyPrefix: prefix('Task'),
    fields: own('Task', [
      { name: 'Subject', type: 'string', length: 255 },
      {
        name: 'Status',
        type: 'picklist',
        required: true,
        defaultValue: 'Not Started',
        picklistValues: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'],
      },
      {
        name: 'Priority',
        type: 'picklist',
        required: true,
        defaultValue: 'Normal',
        picklistValues: ['High', 'Normal', 'Low'],
      },
      // Polymorphic: any object with activities; the simulated org's are these three.
      {
        name: 'WhatId',
        type: 'reference',
        referenceTo: 'Account',
        polymorphicTo: ['Account', 'Opportunity', 'Order'],
        relationshipName: 'What',
      },
      { name: 'WhoId', type: 'reference', referenceTo: 'Contact', relationshipName: 'Who' },
      { name: 'ActivityDate', type: 'date' },
      { name: 'Description', type: 'textarea', length: 32000 },
    ]),
  },
  ...ORDER_OBJECTS,
];

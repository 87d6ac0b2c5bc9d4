import { own, prefix } from './fields.ts';
import type { ObjectDef } from './types.ts';

/**
 * Order and OrderItem ("Order Products"), for teams that bill from activated Orders (CPQ). The
 * auto-number formats ('00000100', '0000000001') follow a default org [unverified].
 */
export const ORDER_OBJECTS: ObjectDef[] = [
  {
    name: 'Order',
    label: 'Order',
    labelPlural: 'Orders',
    keyPrefix: prefix('Order'),
    fields: own('Order', [
      {
        name: 'AccountId',
        type: 'reference',
        required: true,
        referenceTo: 'Account',
        relationshipName: 'Account',
        childRelationshipName: 'Orders',
      },
      {
        name: 'OpportunityId',
        type: 'reference',
        referenceTo: 'Opportunity',
        relationshipName: 'Opportunity',
        childRelationshipName: 'Orders',
      },
      { name: 'EffectiveDate', type: 'date', required: true },
      { name: 'EndDate', type: 'date' },
      {
        name: 'Status',
        type: 'picklist',
        required: true,
        defaultValue: 'Draft',
        picklistValues: ['Draft', 'Activated'],
      },
      {
        name: 'Pricebook2Id',
        type: 'reference',
        referenceTo: 'Pricebook2',
        relationshipName: 'Pricebook2',
        childRelationshipName: 'Orders',
      },
      { name: 'OrderNumber', type: 'string', readOnly: true, length: 30 },
      { name: 'TotalAmount', type: 'currency', readOnly: true },
      { name: 'Description', type: 'textarea', length: 32000 },
      // values are org-defined, so the simulator does not restrict them
      { name: 'Type', type: 'picklist', length: 255 },
    ]),
  },
  {
    name: 'OrderItem',
    label: 'Order Product',
    labelPlural: 'Order Products',
    keyPrefix: prefix('OrderItem'),
    fields: own('OrderItem', [
      {
        name: 'OrderId',
        type: 'reference',
        required: true,
        createOnly: true,
        referenceTo: 'Order',
        relationshipName: 'Order',
        childRelationshipName: 'OrderItems',
      },
      {
        name: 'PricebookEntryId',
        type: 'reference',
        required: true,
        createOnly: true,
        referenceTo: 'PricebookEntry',
        relationshipName: 'PricebookEntry',
        childRelationshipName: 'OrderItems',
      },
      {
        name: 'Product2Id',
        type: 'reference',
        createOnly: true,
        referenceTo: 'Product2',
        relationshipName: 'Product2',
        childRelationshipName: 'OrderItems',
      },
      { name: 'Quantity', type: 'double', required: true },
      { name: 'UnitPrice', type: 'currency', required: true },
      { name: 'ListPrice', type: 'currency', readOnly: true },
      { name: 'TotalPrice', type: 'currency', readOnly: true },
      { name: 'Description', type: 'string', length: 255 },
      { name: 'ServiceDate', type: 'date' },
      { name: 'EndDate', type: 'date' },
      { name: 'OrderItemNumber', type: 'string', readOnly: true, length: 30 },
    ]),
  },
];

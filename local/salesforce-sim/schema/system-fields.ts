import type { FieldDef } from './types.ts';

/** Audit fields every object carries; Salesforce maintains them, so the API cannot write them. */
export function systemFields(object: string): FieldDef[] {
  const userRef = (name: string, relationshipName: string): FieldDef => ({
    name,
    type: 'reference',
    readOnly: true,
    referenceTo: 'User',
    relationshipName,
  });
  const fields: FieldDef[] = [
    { name: 'Id', type: 'id', readOnly: true, length: 18 },
    { name: 'IsDeleted', type: 'boolean', readOnly: true },
    { name: 'CreatedDate', type: 'datetime', readOnly: true },
    userRef('CreatedById', 'CreatedBy'),
    { name: 'LastModifiedDate', type: 'datetime', readOnly: true },
    userRef('LastModifiedById', 'LastModifiedBy'),
    { name: 'SystemModstamp', type: 'datetime', readOnly: true },
  ];
  if (!['User', 'OpportunityLineItem', 'OrderItem', 'PricebookEntry'].includes(object)) {
    fields.push({ name: 'OwnerId', type: 'reference', referenceTo: 'User', relationshipName: 'Owner' });
  }
  return fields;
}

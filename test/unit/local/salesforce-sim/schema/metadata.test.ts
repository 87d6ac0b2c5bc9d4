/** The SFDX metadata in salesforce/force-app, checked offline (DESIGN §10). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '#local/salesforce-sim/outbound/rules.ts';
import { DEFAULT_METADATA_DIR, readMetadata } from '#local/salesforce-sim/schema/metadata/read.ts';
import {
  FIELDS_SHARED_FROM,
  METADATA_TYPES,
  shippedCustomSchema,
  toFieldDef,
} from '#local/salesforce-sim/schema/metadata/to-schema.ts';
import { SchemaRegistry } from '#local/salesforce-sim/schema/registry.ts';

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
const metadata = readMetadata();
const registry = new SchemaRegistry();
const CUSTOM_NAME = /^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*__c$/;

describe('salesforce/force-app metadata', () => {
  it('is well-formed XML in every file, each in the Metadata API namespace', () => {
    const xml = files(DEFAULT_METADATA_DIR);
    expect(xml.length).toBeGreaterThan(40);
    for (const file of xml) {
      const text = readFileSync(file, 'utf8');
      expect(XMLValidator.validate(text), file).toBe(true);
      expect(text, file).toContain('xmlns="http://soap.sforce.com/2006/04/metadata"');
    }
  });

  it('names every custom field and object with a valid API name that matches its file', () => {
    for (const [object, fields] of metadata.fields) {
      expect(object === object.replace(/__c$/, '') || CUSTOM_NAME.test(object), object).toBe(true);
      for (const f of fields) {
        expect(f.fullName, `${object}.${f.fullName}`).toMatch(CUSTOM_NAME);
        expect(f.fullName.length, f.fullName).toBeLessThanOrEqual(43);
        const file = join(
          DEFAULT_METADATA_DIR,
          'main/default/objects',
          object,
          'fields',
          `${f.fullName}.field-meta.xml`,
        );
        expect(() => readFileSync(file), file).not.toThrow();
      }
    }
  });

  it('uses only field types the simulator understands, with help text on every field', () => {
    for (const [object, fields] of metadata.fields)
      for (const f of fields) {
        expect(Object.keys(METADATA_TYPES), `${object}.${f.fullName}`).toContain(f.type);
        expect(() => toFieldDef(object, f)).not.toThrow();
        expect(f.inlineHelpText?.length ?? 0, `${object}.${f.fullName}`).toBeGreaterThan(20);
      }
  });

  it('makes the fields the sync keys on unique external IDs', () => {
    const keys = [
      'Account.Intacct_Customer_Id__c',
      'Contact.Intacct_Contact_Id__c',
      'Product2.Intacct_Item_Id__c',
      'Opportunity.Intacct_Document_Id__c',
      'Order.Intacct_Document_Id__c',
      'Intacct_Invoice__c.Intacct_Invoice_Key__c',
      'Intacct_Payment__c.Intacct_Payment_Key__c',
      'Intacct_Credit_Memo__c.Intacct_Credit_Memo_Key__c',
      'Account.Intacct_Vendor_Id__c',
      'Intacct_Bill__c.Intacct_Bill_Key__c',
      'Intacct_Purchase_Order__c.Intacct_PO_Key__c',
    ];
    for (const key of keys) {
      const [object = '', field = ''] = key.split('.');
      expect(registry.field(object, field), key).toMatchObject({
        type: 'string',
        externalId: true,
        unique: true,
      });
    }
  });

  it('builds the simulated org from it: custom fields on standard objects, custom objects with lookups', () => {
    expect(registry.field('Account', 'Intacct_Credit_Status__c')?.picklistValues).toEqual([
      'OK',
      'Over limit',
      'Overdue',
      'On hold',
    ]);
    expect(registry.object('Intacct_Invoice__c')).toMatchObject({ custom: true, label: 'Intacct Invoice' });
    expect(registry.field('Intacct_Payment__c', 'Invoice__c')).toMatchObject({
      referenceTo: 'Intacct_Invoice__c',
      relationshipName: 'Invoice__r',
    });
    expect(registry.childRelationship('Account', 'Intacct_Invoices__r')?.childSObject).toBe(
      'Intacct_Invoice__c',
    );
    expect(registry.childRelationship('Account', 'Intacct_Bills__r')?.childSObject).toBe('Intacct_Bill__c');
    expect(registry.childRelationship('Account', 'Intacct_Purchase_Orders__r')?.childSObject).toBe(
      'Intacct_Purchase_Order__c',
    );
    expect(new Set(registry.objects().map((o) => o.keyPrefix)).size).toBe(registry.objects().length);
    // Activity's custom fields (objects/Activity/fields) are Task's
    expect(registry.field('Task', 'Intacct_Alert_Key__c')).toMatchObject({ type: 'string', length: 80 });
    expect(registry.field('Task', 'Intacct_Alert_Key__c')?.unique).toBeUndefined();
    expect(registry.object('Activity')).toBeUndefined();
    for (const [object, field, length] of [
      ['Intacct_Invoice__c', 'Invoice_Number__c', 40],
      ['Intacct_Invoice__c', 'Intacct_Currency__c', 3],
      ['Intacct_Payment__c', 'Invoices__c', 255],
      ['Intacct_Credit_Memo__c', 'Invoices__c', 255],
      ['Intacct_Bill__c', 'Lines__c', 255],
      ['Intacct_Purchase_Order__c', 'Lines__c', 255],
    ] as const)
      expect(registry.field(object, field), `${object}.${field}`).toMatchObject({ type: 'string', length });
    expect(shippedCustomSchema()).toBe(shippedCustomSchema());
  });

  it('sends only existing fields in every outbound message, one per rule of the simulator', () => {
    for (const m of metadata.outboundMessages)
      for (const field of m.fields)
        expect(registry.field(m.object, field), `${m.object}.${m.name}: ${field}`).toBeDefined();
    const names = (list: Array<{ object: string; name: string }>) =>
      list.map((m) => `${m.object}.${m.name}`).sort();
    expect(names(metadata.outboundMessages)).toEqual(names(DEFAULT_RULES));
  });

  it('has one active after-save Flow per outbound message, which skips the integration user', () => {
    const sends = metadata.flows.flatMap((f) => f.actionCalls.map((a) => ({ flow: f, action: a })));
    expect(sends.map((s) => s.action.actionName).sort()).toEqual(
      metadata.outboundMessages.map((m) => `${m.object}.${m.name}`).sort(),
    );
    for (const { flow, action } of sends) {
      expect(action.actionType).toBe('outboundMessage');
      expect(action.actionName.startsWith(`${flow.start.object}.`)).toBe(true);
      expect(flow).toMatchObject({ status: 'Active', start: { triggerType: 'RecordAfterSave' } });
      const tested = flow.decisions.flatMap((d) =>
        d.rules.flatMap((r) => r.conditions.map((c) => c.leftValueReference)),
      );
      expect(tested).toContain('$Permission.Intacct_Sync_Integration_User');
    }
    expect(metadata.customPermissions).toEqual(['Intacct_Sync_Integration_User']);
  });

  it('names only existing objects and fields in the permission sets; only the integration set edits', () => {
    expect(metadata.permissionSets.map((p) => p.name)).toEqual([
      'Intacct_Sync_Integration',
      'Intacct_Sync_Read_Only',
    ]);
    for (const set of metadata.permissionSets) {
      for (const o of set.objectPermissions)
        expect(registry.object(o.object), `${set.name}: ${o.object}`).toBeDefined();
      for (const f of set.fieldPermissions) {
        const [object = '', field = ''] = f.field.split('.');
        const onObject = FIELDS_SHARED_FROM[object] ?? object;
        expect(registry.field(onObject, field), `${set.name}: ${f.field}`).toBeDefined();
        expect(f.readable).toBe(true);
      }
    }
    const [integration, readOnly] = metadata.permissionSets;
    expect(integration?.customPermissions).toEqual([
      { name: 'Intacct_Sync_Integration_User', enabled: true },
    ]);
    expect(readOnly?.fieldPermissions.filter((f) => f.editable)).toEqual([]);
    expect(readOnly?.objectPermissions.filter((o) => o.allowEdit || o.allowCreate)).toEqual([]);
    // Every custom field is readable by both; the sync writes all but the sales team's billing flag.
    const custom = [...metadata.fields].flatMap(([o, fs]) => fs.map((f) => `${o}.${f.fullName}`)).sort();
    for (const set of [integration, readOnly])
      expect(
        set?.fieldPermissions
          .map((f) => f.field)
          .filter((f) => f.endsWith('__c'))
          .sort(),
      ).toEqual(custom);
    const readByIntegration = integration?.fieldPermissions.filter(
      (f) => !f.editable && f.field.endsWith('__c'),
    );
    expect(readByIntegration?.map((f) => f.field)).toEqual([
      'Opportunity.Ready_For_Billing__c',
      'Order.Ready_For_Billing__c',
    ]);
  });
});

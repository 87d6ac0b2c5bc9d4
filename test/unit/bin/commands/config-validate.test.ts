/** `sfi config validate`: the config ⇄ metadata check, offline. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { orgSchemaProblems } from '#shared/config/org-check.ts';
import { syncConfigSchema } from '#shared/config/sync-config.ts';
import { metadataSchema } from '../../../../bin/org-check/schemas.ts';

const FIELDS = 'main/default/objects';
const shipped = () => syncConfigSchema.parse(JSON.parse(readFileSync('sync.config.json', 'utf8'))).flows;
let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
/** A copy of the shipped metadata to break. */
function copy(): string {
  dir = mkdtempSync(join(tmpdir(), 'sfi-metadata-'));
  cpSync('salesforce/force-app', dir, { recursive: true });
  return dir;
}
const sfi = (...args: string[]) => spawnSync(process.execPath, ['bin/sfi.ts', ...args], { encoding: 'utf8' });

describe('sfi config validate against the metadata', () => {
  it('finds every field of the shipped config, switched-off flows included', () => {
    expect(orgSchemaProblems(shipped(), metadataSchema('salesforce/force-app'))).toEqual([]);
  });

  it('fails when a field is removed from the metadata, naming the field, the flow and the fix', () => {
    const md = copy();
    rmSync(join(md, FIELDS, 'Account/fields/Intacct_Customer_Id__c.field-meta.xml'));
    const run = sfi('config', 'validate', '--metadata', md);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'sync.config.json: flows.0.salesforceKeyField: Account.Intacct_Customer_Id__c does not exist',
    );
    expect(run.stderr).toContain('(flow "account-customer")');
    expect(run.stderr).toContain(
      `fix: add ${md}/main/default/objects/Account/fields/Intacct_Customer_Id__c.field-meta.xml (Text with <externalId>true</externalId> and <unique>true</unique>)`,
    );
  });

  it('reports a switched-off flow whose key field is not unique, and a field of the wrong type', () => {
    const md = copy();
    const doc = join(md, FIELDS, 'Order/fields/Intacct_Document_Id__c.field-meta.xml');
    writeFileSync(doc, readFileSync(doc, 'utf8').replace('<unique>true</unique>', '<unique>false</unique>'));
    const hold = join(md, FIELDS, 'Account/fields/Intacct_Credit_Hold__c.field-meta.xml');
    writeFileSync(
      hold,
      readFileSync(hold, 'utf8').replace('<type>Checkbox</type>', '<type>Text</type><length>5</length>'),
    );
    const problems = orgSchemaProblems(shipped(), metadataSchema(md)).map((p) => [
      p.flow,
      p.path.join('.'),
      p.message,
    ]);
    expect(problems).toEqual([
      [
        'account-customer',
        'fields.9.salesforce',
        'Account.Intacct_Credit_Hold__c is string; the flow needs a checkbox',
      ],
      [
        'order-order',
        'writeBack.documentId',
        'Order.Intacct_Document_Id__c is a key of the flow but is string, not unique',
      ],
    ]);
  });

  it('checks the switched-off revenue report: its row fields and the bookings it sums', () => {
    const md = copy();
    rmSync(join(md, FIELDS, 'Revenue_Reconciliation__c/fields/Booked__c.field-meta.xml'));
    const run = sfi('config', 'validate', '--metadata', md);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'sync.config.json: reports.0.salesforceObject: Revenue_Reconciliation__c.Booked__c does not exist',
    );
    expect(run.stderr).toContain('(flow "revenue-reconciliation")');
  });

  it('follows dotted paths and line relationships to the field at their end', () => {
    const flows = shipped().map((f) =>
      f.kind === 'document'
        ? { ...f, lines: { ...f.lines, item: { ...f.lines.item, nameField: 'Product2.Nme' } } }
        : f,
    );
    const problems = orgSchemaProblems(flows, metadataSchema('salesforce/force-app'));
    expect(problems.map((p) => [p.flow, p.path.join('.'), p.message.split(' in ')[0]])).toEqual([
      ['opportunity-order', 'lines.item.nameField', 'Product2.Nme does not exist'],
      ['order-order', 'lines.item.nameField', 'Product2.Nme does not exist'],
    ]);
  });
});

/** What the receivables flows need of the simulated org, driven through plain jsforce. */
import { Connection } from 'jsforce/lib/core.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type SalesforceSimulator, startSalesforceSimulator } from '#local/salesforce-sim/index.ts';

let sim: SalesforceSimulator;
let conn: Connection;

beforeAll(async () => {
  sim = await startSalesforceSimulator({ seed: 'demo' });
  const info = sim.readyInfo();
  conn = new Connection({
    loginUrl: info.loginUrl,
    version: '62.0',
    oauth2: { loginUrl: info.loginUrl, clientId: info.clientId, clientSecret: info.clientSecret },
  });
  await conn.login(info.username, info.password);
});
afterAll(async () => {
  await sim.stop();
});

type Saved = { id?: string; success: boolean; created?: boolean; errors: Array<{ statusCode?: string }> };
const created = async (type: string, record: Record<string, unknown>) => {
  const r = (await conn.sobject(type).create(record)) as Saved;
  expect(r.success).toBe(true);
  return String(r.id);
};

describe('receivables in the simulated org', () => {
  test('a Task takes an Account or an Opportunity as What, an owner, and an alert key found with IN', async () => {
    const accountId = await created('Account', { Name: 'Alert Co' });
    const opportunityId = await created('Opportunity', {
      Name: 'Alert deal',
      AccountId: accountId,
      StageName: 'Prospecting',
      CloseDate: '2030-01-31',
    });
    const users = await conn.query<{ Id: string; Username: string }>('SELECT Id, Username FROM User');
    const other = users.records.find((u) => u.Username !== sim.readyInfo().username);
    if (other === undefined) throw new Error('the demo org has one user only');
    const onAccount = await created('Task', {
      Subject: 'Customer on hold',
      WhatId: accountId,
      OwnerId: other.Id,
      Priority: 'High',
      ActivityDate: '2030-01-10',
      Description: 'C-1 is now On hold',
      Intacct_Alert_Key__c: 'C-1#on-hold#1',
    });
    await created('Task', { Subject: 'Deal follow-up', WhatId: opportunityId, Intacct_Alert_Key__c: 'b' });
    const found = await conn.query<Record<string, unknown>>(
      "SELECT Id, Intacct_Alert_Key__c FROM Task WHERE Intacct_Alert_Key__c IN ('C-1#on-hold#1','b','none')",
    );
    expect(found.records.map((r) => r.Intacct_Alert_Key__c).sort()).toEqual(['C-1#on-hold#1', 'b']);
    const [task] = (
      await conn.query<Record<string, unknown>>(
        `SELECT OwnerId, Status, Priority, ActivityDate, What.Name FROM Task WHERE Id = '${onAccount}'`,
      )
    ).records;
    expect(task).toMatchObject({
      OwnerId: other.Id,
      Status: 'Not Started',
      Priority: 'High',
      ActivityDate: '2030-01-10',
      What: { attributes: { type: 'Account' }, Name: 'Alert Co' },
    });
    const [mine] = (
      await conn.query<Record<string, unknown>>(
        "SELECT OwnerId, What.Name FROM Task WHERE Intacct_Alert_Key__c = 'b'",
      )
    ).records;
    expect(mine).toMatchObject({
      OwnerId: conn.userInfo?.id,
      What: { attributes: { type: 'Opportunity' }, Name: 'Alert deal' },
    });
    const owners = await conn.query<Record<string, unknown>>(
      `SELECT OwnerId, Account.OwnerId FROM Opportunity WHERE Id = '${opportunityId}'`,
    );
    expect(owners.records[0]).toMatchObject({
      OwnerId: conn.userInfo?.id,
      Account: { OwnerId: conn.userInfo?.id },
    });
    const describe = await conn.sobject('Task').describe();
    expect(describe.fields.find((f) => f.name === 'WhatId')?.referenceTo).toEqual([
      'Account',
      'Opportunity',
      'Order',
    ]);
  });

  test('a Task refuses a What that is not an object with activities', async () => {
    const contactId = await created('Contact', { LastName: 'Nobody' });
    const error = await conn
      .sobject('Task')
      .create({ Subject: 'x', WhatId: contactId })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: 'INVALID_CROSS_REFERENCE_KEY' });
  });

  test('upserts invoices by external ID through sObject Collections, per record, with created flags', async () => {
    const accountId = await created('Account', { Name: 'Invoice Co' });
    const invoice = (key: string, extra: Record<string, unknown> = {}) => ({
      Name: `INV-${key}`,
      Intacct_Invoice_Key__c: key,
      Account__c: accountId,
      Invoice_Number__c: `INV-${key}`,
      Intacct_Currency__c: 'USD',
      Total__c: 100,
      ...extra,
    });
    const first = (await conn
      .sobject('Intacct_Invoice__c')
      .upsert([invoice('9001'), invoice('9002')], 'Intacct_Invoice_Key__c', { allOrNone: false })) as Saved[];
    expect(first.map((r) => [r.success, r.created])).toEqual([
      [true, true],
      [true, true],
    ]);
    const second = (await conn
      .sobject('Intacct_Invoice__c')
      .upsert(
        [
          invoice('9001', { Due__c: 40 }),
          invoice('9003', { Account__c: '001000000000000AAA' }),
          invoice('9004'),
        ],
        'Intacct_Invoice_Key__c',
        { allOrNone: false },
      )) as Saved[];
    expect(second.map((r) => [r.success, r.created])).toEqual([
      [true, false],
      [false, undefined],
      [true, true],
    ]);
    expect(second[0]?.id).toBe(first[0]?.id);
    expect(second[1]?.errors[0]?.statusCode).toBe('INVALID_CROSS_REFERENCE_KEY');
    const rows = await conn.query<Record<string, unknown>>(
      "SELECT Intacct_Invoice_Key__c, Due__c, Invoice_Number__c FROM Intacct_Invoice__c WHERE Intacct_Invoice_Key__c IN ('9001','9003','9004') ORDER BY Intacct_Invoice_Key__c",
    );
    expect(rows.records.map((r) => [r.Intacct_Invoice_Key__c, r.Due__c, r.Invoice_Number__c])).toEqual([
      ['9001', 40, 'INV-9001'],
      ['9004', null, 'INV-9004'],
    ]);
    const payments = (await conn
      .sobject('Intacct_Payment__c')
      .upsert(
        [{ Name: 'P-1', Intacct_Payment_Key__c: '77', Invoices__c: 'INV-9001, INV-9004' }],
        'Intacct_Payment_Key__c',
        { allOrNone: false },
      )) as Saved[];
    expect(payments[0]).toMatchObject({ success: true, created: true });
  });
});

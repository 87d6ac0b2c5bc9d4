import { Connection } from 'jsforce/lib/core.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type SalesforceSimulator, startSalesforceSimulator } from '#local/salesforce-sim/index.ts';
import { signJwtAssertion } from '#shared/salesforce/jwt.ts';

let sim: SalesforceSimulator;

beforeAll(async () => {
  sim = await startSalesforceSimulator({ seed: 'demo' });
});
afterAll(async () => {
  await sim.stop();
});

async function passwordLogin(): Promise<Connection> {
  const info = sim.readyInfo();
  const conn = new Connection({
    loginUrl: info.loginUrl,
    version: '62.0',
    oauth2: { loginUrl: info.loginUrl, clientId: info.clientId, clientSecret: info.clientSecret },
  });
  await conn.login(info.username, info.password);
  return conn;
}

describe('plain jsforce against the simulator', () => {
  test('username-password login yields an instance URL on its own host and a working identity URL', async () => {
    const conn = await passwordLogin();
    const info = sim.readyInfo();
    expect(conn.instanceUrl).toBe(info.instanceUrl);
    expect(conn.instanceUrl).not.toBe(info.loginUrl);
    expect(conn.userInfo?.organizationId).toBe(info.orgId);
    const identity = await conn.identity();
    expect(identity.username).toBe(info.username);
  });

  test('client credentials via authorize() yields a token the REST API accepts', async () => {
    const info = sim.readyInfo();
    const conn = new Connection({
      loginUrl: info.loginUrl,
      version: '62.0',
      oauth2: { loginUrl: info.loginUrl, clientId: info.clientId, clientSecret: info.clientSecret },
    });
    await conn.authorize({ grant_type: 'client_credentials' });
    const result = await conn.query('SELECT COUNT() FROM Account');
    expect(result.totalSize).toBeGreaterThan(0);
  });

  test('JWT bearer is accepted when signed with the configured key and refused with another key', async () => {
    const info = sim.readyInfo();
    const conn = new Connection({ loginUrl: info.loginUrl, version: '62.0' });
    const claims = { clientId: info.clientId, username: info.username, audience: info.loginUrl };
    await conn.authorize({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: signJwtAssertion(claims, sim.jwtPrivateKey ?? ''),
    });
    expect(conn.accessToken).toBeTruthy();
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const bad = new Connection({ loginUrl: info.loginUrl, version: '62.0' });
    await expect(
      bad.authorize({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: signJwtAssertion(claims, other),
      }),
    ).rejects.toThrow(/invalid assertion/);
  });

  test('refresh_token grant: an expired token is refreshed by jsforce and the request succeeds', async () => {
    const info = sim.readyInfo();
    const conn = new Connection({
      instanceUrl: info.instanceUrl,
      version: '62.0',
      oauth2: { loginUrl: info.loginUrl, clientId: info.clientId, clientSecret: info.clientSecret },
      accessToken: 'stale-token',
      refreshToken: sim.issueRefreshToken(),
    });
    const refreshed: string[] = [];
    conn.on('refresh', (token: string) => refreshed.push(token));
    const result = await conn.query('SELECT Id FROM Account LIMIT 1');
    expect(result.records).toHaveLength(1);
    expect(refreshed).toHaveLength(1);
  });

  test('bad password is an OAuth error with invalid_grant', async () => {
    const info = sim.readyInfo();
    const conn = new Connection({
      loginUrl: info.loginUrl,
      version: '62.0',
      oauth2: { loginUrl: info.loginUrl, clientId: info.clientId, clientSecret: info.clientSecret },
    });
    await expect(conn.login(info.username, 'wrong')).rejects.toThrow(/authentication failure/);
  });

  test('2,500 records created through collections are read back across query pages', async () => {
    const conn = await passwordLogin();
    const records = Array.from({ length: 2500 }, (_, i) => ({
      Name: `Bulk ${String(i).padStart(4, '0')}`,
      AccountNumber: 'BULK',
    }));
    const results = await conn.sobject('Account').create(records, { allOrNone: false, allowRecursive: true });
    expect(results.filter((r) => r.success)).toHaveLength(2500);
    const first = await conn.query<{ Name: string }>(
      "SELECT Id, Name FROM Account WHERE AccountNumber = 'BULK' ORDER BY Name",
      {
        headers: { 'Sforce-Query-Options': 'batchSize=1000' },
      } as never,
    );
    expect(first.totalSize).toBe(2500);
    expect(first.records).toHaveLength(1000);
    expect(first.done).toBe(false);
    const names = first.records.map((r) => r.Name);
    let page = first;
    while (!page.done && page.nextRecordsUrl) {
      page = await conn.queryMore(page.nextRecordsUrl);
      names.push(...page.records.map((r) => r.Name));
    }
    expect(names).toHaveLength(2500);
    expect(names[2499]).toBe('Bulk 2499');
    expect(new Set(names).size).toBe(2500);
  });

  test('upsert by external ID creates then updates, and decodes an encoded value', async () => {
    const conn = await passwordLogin();
    const key = encodeURIComponent('C-9/9 #1');
    const created = await conn
      .sobject('Account')
      .upsert({ Name: 'Upsert Co', Intacct_Customer_Id__c: key }, 'Intacct_Customer_Id__c');
    expect(created).toMatchObject({ success: true, created: true });
    const updated = await conn
      .sobject('Account')
      .upsert({ Name: 'Upsert Co 2', Intacct_Customer_Id__c: key }, 'Intacct_Customer_Id__c');
    expect(updated).toMatchObject({ success: true, created: false });
    const rows = await conn.query<{ Name: string }>(
      "SELECT Name FROM Account WHERE Intacct_Customer_Id__c = 'C-9/9 #1'",
    );
    expect(rows.records.map((r) => r.Name)).toEqual(['Upsert Co 2']);
  });

  test('single-record CRUD: create, retrieve, update (204), delete, then ENTITY_IS_DELETED', async () => {
    const conn = await passwordLogin();
    const res = await conn.sobject('Contact').create({ LastName: 'Crud', Email: 'crud@example.com' });
    expect(res.success).toBe(true);
    const id = String(res.id);
    const got = await conn.sobject('Contact').retrieve(id);
    expect(got).toMatchObject({ LastName: 'Crud', Name: 'Crud' });
    await conn.sobject('Contact').update({ Id: id, FirstName: 'Ann' });
    expect((await conn.sobject('Contact').retrieve(id)).Name).toBe('Ann Crud');
    await conn.sobject('Contact').destroy(id);
    await expect(conn.sobject('Contact').update({ Id: id, FirstName: 'X' })).rejects.toMatchObject({
      errorCode: 'ENTITY_IS_DELETED',
    });
    const all = await conn.query(`SELECT Id, IsDeleted FROM Contact WHERE Id = '${id}'`, { scanAll: true });
    expect(all.records).toMatchObject([{ IsDeleted: true }]);
  });

  test('describeGlobal and describe come from the schema registry', async () => {
    const conn = await passwordLogin();
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toContain('Opportunity');
    const opp = await conn.describe('Opportunity');
    const isWon = opp.fields.find((f) => f.name === 'IsWon');
    expect(isWon).toMatchObject({ createable: false, updateable: false, type: 'boolean' });
    const stage = opp.fields.find((f) => f.name === 'StageName');
    expect(stage?.picklistValues?.map((p) => p.value)).toContain('Closed Won');
    const account = await conn.describe('Account');
    expect(account.fields.find((f) => f.name === 'Intacct_Customer_Id__c')).toMatchObject({
      externalId: true,
      unique: true,
    });
  });

  test('limits agree with the Sforce-Limit-Info header jsforce parses', async () => {
    const conn = await passwordLogin();
    const limits = await conn.limits();
    await conn.query('SELECT Id FROM Account LIMIT 1');
    expect(conn.limitInfo.apiUsage?.limit).toBe(limits.DailyApiRequests?.Max);
    expect(conn.limitInfo.apiUsage?.used).toBe(
      Number(limits.DailyApiRequests?.Max) - Number(limits.DailyApiRequests?.Remaining) + 1,
    );
  });

  test('error shapes: INVALID_FIELD, INVALID_TYPE, MALFORMED_QUERY, NOT_FOUND and per-record statusCode', async () => {
    const conn = await passwordLogin();
    await expect(conn.query('SELECT Nope__c FROM Account')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    await expect(conn.query('SELECT Id FROM Nope__c')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    await expect(conn.query('SELECT Id FROM Account WHERE')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
    await expect(conn.sobject('Account').retrieve('001000000000000AAA')).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
    });
    const results = await conn.sobject('Opportunity').create(
      [
        { Name: 'No stage', CloseDate: '2026-01-01' },
        { Name: 'Won', StageName: 'Closed Won', CloseDate: '2026-01-01', IsWon: true },
      ],
      { allOrNone: false },
    );
    expect(results[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['StageName'] }],
    });
    expect(results[1]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' }],
    });
  });

  test('allOrNone rolls back every record when one fails', async () => {
    const conn = await passwordLogin();
    const before = (await conn.query('SELECT COUNT() FROM Account')).totalSize;
    const results = await conn
      .sobject('Account')
      .create([{ Name: 'Kept?' }, { Name: '' }], { allOrNone: true });
    expect(results[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }],
    });
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(before);
  });

  test('an expired token without a refresh path surfaces INVALID_SESSION_ID-driven refresh failure', async () => {
    const info = sim.readyInfo();
    const conn = new Connection({ instanceUrl: info.instanceUrl, version: '62.0', accessToken: 'expired' });
    await expect(conn.query('SELECT Id FROM Account')).rejects.toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
    });
  });

  test('parent dot paths, child subqueries, IN, LIKE, date literals, ORDER BY, LIMIT and OFFSET', async () => {
    const conn = await passwordLogin();
    const opps = await conn.query<Record<string, unknown>>(
      "SELECT Name, Account.Name, (SELECT Quantity, TotalPrice FROM OpportunityLineItems ORDER BY TotalPrice DESC) FROM Opportunity WHERE IsWon = false AND CloseDate > 2026-01-01 AND Account.Name LIKE 'Acme%'",
    );
    expect(opps.records).toHaveLength(1);
    const opp = opps.records[0] as {
      Account: { Name: string };
      OpportunityLineItems: { records: Array<{ TotalPrice: number }> };
    };
    expect(opp.Account.Name).toBe('Acme Corporation');
    expect(opp.OpportunityLineItems.records.map((r) => r.TotalPrice)).toEqual([1500, 1200]);
    const paged = await conn.query<{ Name: string }>(
      "SELECT Name FROM Account WHERE Name IN ('Acme Corporation', 'Globex GmbH', 'Initech & Sons \\'Ltd\\'') ORDER BY Name DESC LIMIT 2 OFFSET 1",
    );
    expect(paged.records.map((r) => r.Name)).toEqual(['Globex GmbH', 'Acme Corporation']);
  });
  test('Order and OrderItems through jsforce: auto-numbers, a child subquery, activation rules and the total', async () => {
    const conn = await passwordLogin();
    const [account] = (
      await conn.query<{ Id: string }>("SELECT Id FROM Account WHERE Name = 'Acme Corporation'")
    ).records;
    const entries = (
      await conn.query<{ Id: string; Pricebook2Id: string; UnitPrice: number }>(
        "SELECT Id, Pricebook2Id, UnitPrice FROM PricebookEntry WHERE Pricebook2.IsStandard = true AND CurrencyIsoCode = 'USD' ORDER BY UnitPrice",
      )
    ).records;
    const [cheap, dear] = entries;
    await expect(
      conn
        .sobject('Order')
        .create({ AccountId: account?.Id, EffectiveDate: '2026-03-01', Status: 'Activated' }),
    ).rejects.toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION' });
    const order = await conn
      .sobject('Order')
      .create({ AccountId: account?.Id, EffectiveDate: '2026-03-01', Pricebook2Id: cheap?.Pricebook2Id });
    const orderId = String(order.id);
    expect(orderId.slice(0, 3)).toBe('801');
    const items = await conn.sobject('OrderItem').create([
      { OrderId: orderId, PricebookEntryId: cheap?.Id, Quantity: 2, UnitPrice: 40 },
      { OrderId: orderId, PricebookEntryId: dear?.Id, Quantity: 1, UnitPrice: dear?.UnitPrice },
    ]);
    expect(items.map((r) => [r.success, String(r.id).slice(0, 3)])).toEqual([
      [true, '802'],
      [true, '802'],
    ]);
    const read = await conn.query<{
      OrderNumber: string;
      Status: string;
      TotalAmount: number;
      OrderItems: { records: Array<{ Quantity: number; TotalPrice: number; ListPrice: number }> };
    }>(
      `SELECT Id, OrderNumber, Status, TotalAmount, (SELECT Id, Quantity, TotalPrice, ListPrice FROM OrderItems ORDER BY Quantity) FROM Order WHERE Id IN ('${orderId}')`,
    );
    const [row] = read.records;
    expect(row?.OrderNumber).toMatch(/^\d{8}$/);
    expect(row?.Status).toBe('Draft');
    expect(row?.OrderItems.records.map((r) => r.Quantity)).toEqual([1, 2]);
    expect(row?.OrderItems.records[1]).toMatchObject({ TotalPrice: 80, ListPrice: cheap?.UnitPrice });
    expect(row?.TotalAmount).toBe(80 + Number(dear?.UnitPrice));
    await conn.sobject('Order').update({ Id: orderId, Status: 'Activated' });
    await expect(
      conn
        .sobject('OrderItem')
        .create({ OrderId: orderId, PricebookEntryId: cheap?.Id, Quantity: 1, UnitPrice: 1 }),
    ).rejects.toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION' });
    const describe = await conn.describe('Order');
    expect(describe.childRelationships.map((r) => r.relationshipName)).toContain('OrderItems');
    expect(describe.fields.find((f) => f.name === 'OrderNumber')).toMatchObject({ createable: false });
  });

  test('Intacct_Document_Id__c is a unique external ID: a second record with the same value is DUPLICATE_VALUE', async () => {
    const conn = await passwordLogin();
    const opp = (name: string) => ({
      Name: name,
      StageName: 'Closed Won',
      CloseDate: '2026-02-01',
      Intacct_Document_Id__c: 'Sales Order-SO-9001',
    });
    expect(await conn.sobject('Opportunity').create(opp('First billed'))).toMatchObject({ success: true });
    await expect(conn.sobject('Opportunity').create(opp('Second billed'))).rejects.toMatchObject({
      errorCode: 'DUPLICATE_VALUE',
    });
    const rows = await conn.query<{ Name: string; Ready_For_Billing__c: boolean }>(
      "SELECT Name, Ready_For_Billing__c FROM Opportunity WHERE Intacct_Document_Id__c = 'Sales Order-SO-9001'",
    );
    expect(rows.records.map((r) => [r.Name, r.Ready_For_Billing__c])).toEqual([['First billed', false]]);
  });

  test('an opportunity product reports Subtotal before and TotalPrice after its discount', async () => {
    const conn = await passwordLogin();
    const [entry] = (
      await conn.query<{ Id: string }>(
        "SELECT Id FROM PricebookEntry WHERE Pricebook2.IsStandard = true AND CurrencyIsoCode = 'USD' LIMIT 1",
      )
    ).records;
    const opp = await conn
      .sobject('Opportunity')
      .create({ Name: 'Discounted', StageName: 'Prospecting', CloseDate: '2026-05-01' });
    const line = await conn.sobject('OpportunityLineItem').create({
      OpportunityId: opp.id,
      PricebookEntryId: entry?.Id,
      Quantity: 4,
      UnitPrice: 50,
      Discount: 10,
    });
    const got = await conn.sobject('OpportunityLineItem').retrieve(String(line.id));
    expect(got).toMatchObject({ Subtotal: 200, TotalPrice: 180 });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type SalesforceSimulator, startSalesforceSimulator } from '#local/salesforce-sim/index.ts';
import { SalesforceClient } from '#shared/salesforce/client.ts';
import { parseSalesforceConfig, type SalesforceConfig } from '#shared/salesforce/config.ts';
import { SalesforceApiError, SalesforceAuthError } from '#shared/salesforce/errors.ts';
import { soql } from '#shared/salesforce/soql.ts';
import { clearTokenCache } from '#shared/salesforce/token.ts';

let sim: SalesforceSimulator;
let config: SalesforceConfig;
const noSleep = async () => {};

beforeAll(async () => {
  sim = await startSalesforceSimulator({ seed: 'demo' });
  const info = sim.readyInfo();
  config = parseSalesforceConfig({ ...info, authFlow: 'client_credentials' });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  clearTokenCache();
  sim.setFaults({ rejectAllTokens: false, failNext: { count: 0 }, lockRowOnDml: [], concurrentLimitNext: 0 });
});

describe('SalesforceClient against the simulator', () => {
  test('each auth flow logs in: client credentials, JWT bearer, password', async () => {
    const info = sim.readyInfo();
    const configs = [
      config,
      parseSalesforceConfig({ ...info, authFlow: 'jwt', privateKey: sim.jwtPrivateKey }),
      parseSalesforceConfig({ ...info, authFlow: 'password' }),
    ];
    for (const c of configs) {
      clearTokenCache();
      const client = new SalesforceClient({ config: c });
      const rows = await client.query('SELECT Id FROM Account LIMIT 1');
      expect(rows).toHaveLength(1);
      expect(client.stats().tokenRequests).toBe(1);
    }
  });

  test('a second client in the same container reuses the cached token', async () => {
    await new SalesforceClient({ config }).query('SELECT Id FROM Account LIMIT 1');
    const warm = new SalesforceClient({ config });
    await warm.query('SELECT Id FROM Account LIMIT 1');
    expect(warm.stats().tokenRequests).toBe(0);
  });

  test('an expired token is refreshed once and the call succeeds', async () => {
    const client = new SalesforceClient({ config });
    await client.query('SELECT Id FROM Account LIMIT 1');
    sim.expireTokens();
    const rows = await client.query('SELECT Id FROM Account LIMIT 1');
    expect(rows).toHaveLength(1);
    expect(client.stats().refreshes).toBe(1);
  });

  test('a token the API keeps rejecting fails after the refresh cap instead of looping', async () => {
    const client = new SalesforceClient({ config, maxRefreshesPerCall: 2 });
    sim.setFaults({ rejectAllTokens: true });
    const before = sim.apiUsage().tokensIssued;
    const error = await client.query('SELECT Id FROM Account').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error).toMatchObject({ code: 'INVALID_SESSION_ID', retryable: true });
    expect(sim.apiUsage().tokensIssued - before).toBeLessThanOrEqual(3);
  });

  test('wrong credentials are a non-retryable auth error', async () => {
    const client = new SalesforceClient({ config: { ...config, clientSecret: 'nope' } });
    const error = await client.query('SELECT Id FROM Account').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceAuthError);
    expect(error).toMatchObject({ retryable: false });
  });

  test('queries page explicitly past 2,000 rows and count one API call per page', async () => {
    const client = new SalesforceClient({ config, queryBatchSize: 500 });
    const rows = Array.from({ length: 1200 }, (_, i) => ({ Name: `Paged ${i}`, AccountNumber: 'PAGED' }));
    const results = await client.create('Account', rows);
    expect(results.every((r) => r.success && r.id)).toBe(true);
    const before = client.stats().apiCalls;
    const read = await client.query("SELECT Id FROM Account WHERE AccountNumber = 'PAGED'");
    expect(read).toHaveLength(1200);
    expect(client.stats().apiCalls - before).toBe(3);
    expect(client.stats().apiUsage?.limit).toBe(15000);
  });

  test('queryByIds reads 700 IDs in chunks that stay under the URI limit', async () => {
    const client = new SalesforceClient({ config });
    const created = await client.create(
      'Contact',
      Array.from({ length: 700 }, (_, i) => ({ LastName: `Chunk ${i}` })),
    );
    const ids = created.map((r) => r.id ?? '');
    const rows = await client.queryByIds('Contact', ['Id', 'LastName'], ids);
    expect(new Set(rows.map((r) => r.Id))).toEqual(new Set(ids));
  });

  test('collections writes map per-record results back to input order', async () => {
    const client = new SalesforceClient({ config });
    const results = await client.create('Account', [
      { Name: 'Good' },
      { Name: '' },
      { Name: 'Bad type', Type: 'Alien' },
    ]);
    expect(results.map((r) => r.success)).toEqual([true, false, false]);
    expect(results[1]).toMatchObject({
      index: 1,
      retryable: false,
      errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] }],
    });
    expect(results[2]?.errors[0]?.statusCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    const updates = await client.update('Account', [
      { Id: results[0]?.id, Phone: '123' },
      { Phone: 'no id' },
    ]);
    expect(updates.map((r) => r.success)).toEqual([true, false]);
    expect(updates[1]?.errors[0]?.statusCode).toBe('MISSING_ARGUMENT');
  });

  test('upsert by external ID creates then updates, including keys with URL-unsafe characters', async () => {
    const client = new SalesforceClient({ config });
    const first = await client.upsert('Account', 'Intacct_Customer_Id__c', [
      { Intacct_Customer_Id__c: 'C/1?#', Name: 'Slash' },
    ]);
    expect(first[0]).toMatchObject({ success: true, created: true });
    const second = await client.upsert('Account', 'Intacct_Customer_Id__c', [
      { Intacct_Customer_Id__c: 'C/1?#', Name: 'Slash 2' },
    ]);
    expect(second[0]).toMatchObject({ success: true, created: false, id: first[0]?.id });
    const rows = await client.query(soql`SELECT Name FROM Account WHERE Intacct_Customer_Id__c = ${'C/1?#'}`);
    expect(rows.map((r) => r.Name)).toEqual(['Slash 2']);
  });

  test('UNABLE_TO_LOCK_ROW is retried and succeeds on the next attempt', async () => {
    const client = new SalesforceClient({ config, sleep: noSleep });
    const dml = sim.apiUsage().dml;
    sim.setFaults({ lockRowOnDml: [dml + 1] });
    const results = await client.create('Account', [{ Name: 'Locked 1' }, { Name: 'Locked 2' }]);
    expect(results.every((r) => r.success)).toBe(true);
    expect(sim.apiUsage().dml).toBe(dml + 2);
  });

  test('REQUEST_LIMIT_EXCEEDED is split: concurrent is retryable, daily is not', async () => {
    const client = new SalesforceClient({ config });
    sim.setFaults({ concurrentLimitNext: 1 });
    await expect(client.query('SELECT Id FROM Account LIMIT 1')).rejects.toMatchObject({
      code: 'REQUEST_LIMIT_EXCEEDED_CONCURRENT',
      retryable: true,
    });
    const used = sim.apiUsage().total;
    sim.setFaults({ dailyApiLimit: used });
    await expect(client.query('SELECT Id FROM Account LIMIT 1')).rejects.toMatchObject({
      code: 'REQUEST_LIMIT_EXCEEDED_DAILY',
      retryable: false,
    });
    sim.setFaults({ dailyApiLimit: 15000 });
  });

  test('a 503 on a write is a retryable error', async () => {
    const client = new SalesforceClient({ config });
    sim.setFaults({ failNext: { count: 1, status: 503 } });
    await expect(client.create('Account', [{ Name: 'Down' }])).rejects.toMatchObject({
      code: 'SERVER_UNAVAILABLE',
      retryable: true,
    });
  });

  test('delta reads use SystemModstamp with overlap, and deletions show up in queryAll and getDeleted', async () => {
    const client = new SalesforceClient({ config });
    const since = new Date(Date.now() - 1000);
    const [made] = await client.create('Account', [{ Name: 'Delta Co' }]);
    const delta = await client.queryChangedSince('Account', ['Name'], since, { overlapMs: 0 });
    expect(delta.records.map((r) => r.Name)).toContain('Delta Co');
    expect(delta.watermark.getTime()).toBeGreaterThanOrEqual(since.getTime());
    sim.asUser.delete('Account', made?.id ?? '');
    const deleted = await client.queryDeletedSince('Account', since);
    expect(deleted.map((d) => d.id)).toContain(made?.id);
    const replication = await client.getDeleted(
      'Account',
      new Date(Date.now() - 3_600_000),
      new Date(Date.now() + 60_000),
    );
    expect(replication.deletedRecords.map((d) => d.id)).toContain(made?.id);
  });

  test('describe and limits go through the same session', async () => {
    const client = new SalesforceClient({ config });
    const d = await client.describe('Account');
    expect(d.fields.some((f) => f.name === 'Intacct_Customer_Id__c')).toBe(true);
    const l = await client.limits();
    expect(l.DailyApiRequests?.Max).toBe(15000);
    expect(client.stats().byOperation).toMatchObject({ describe: 1, limits: 1 });
  });
});

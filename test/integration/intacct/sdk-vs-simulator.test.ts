import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IntacctSimulator, startIntacctSimulator } from '#local/intacct-sim/index.ts';

/*
 * The official SDK is the vendor's own client: if it is satisfied, the simulator's wire format is.
 * Its Endpoint class refuses hosts outside intacct.com; SenderCredentials builds one from the
 * config, and SessionProvider builds one from the returned endpoint, so the test relaxes
 * Endpoint.isDomainValid (a static method in dist/Credentials/Endpoint.js) for 127.0.0.1.
 */
const require = createRequire(import.meta.url);
// The SDK still calls util.isNullOrUndefined/util.isArray, which Node 23+ removed; restore them for it.
const legacyUtil = require('node:util') as Record<string, unknown>;
legacyUtil.isNullOrUndefined ??= (v: unknown) => v === null || v === undefined;
legacyUtil.isArray ??= Array.isArray;
// biome-ignore lint/suspicious/noExplicitAny: the SDK ships CommonJS with loose typings
const sdk: any = require('@intacct/intacct-sdk');
require('@intacct/intacct-sdk/dist/Credentials/Endpoint').default.isDomainValid = () => true;
const { Functions, ClientConfig, OnlineClient, RequestConfig, SessionProvider, Exceptions } = sdk;

let sim: IntacctSimulator;

function loginConfig(overrides: Record<string, string> = {}) {
  const config = new ClientConfig();
  const c = sim.readyInfo();
  Object.assign(config, {
    senderId: c.senderId,
    senderPassword: c.senderPassword,
    companyId: c.companyId,
    userId: c.userId,
    userPassword: c.userPassword,
    endpointUrl: c.endpoint,
    ...overrides,
  });
  return config;
}

async function sessionClient() {
  const config = await SessionProvider.factory(loginConfig());
  return { client: new OnlineClient(config), config };
}

function customerCreate(id: string, name: string) {
  const fn = new Functions.AccountsReceivable.CustomerCreate();
  fn.customerId = id;
  fn.customerName = name;
  fn.printAs = name;
  fn.primaryEmailAddress = `${id.toLowerCase()}@sdk.test`;
  return fn;
}

beforeAll(async () => {
  sim = await startIntacctSimulator({
    port: 0,
    seed: 'demo',
    sessionEndpointPath: '/na1/ia/xml/xmlgw.phtml',
  });
});
afterAll(async () => {
  await sim.stop();
});

describe('the official @intacct/intacct-sdk against the simulator', () => {
  it('logs in, opens a session with getAPISession and follows the returned endpoint', async () => {
    const { config } = await sessionClient();
    expect(config.sessionId).toMatch(/\.\.$/);
    expect(config.endpointUrl).toBe(`http://127.0.0.1:${sim.port}/na1/ia/xml/xmlgw.phtml`);
    expect(new Date(config.sessionTimeout).getTime()).toBeGreaterThan(Date.now());
  });

  it('creates, reads by name, updates and deletes a customer', async () => {
    const { client } = await sessionClient();
    const created = await client.execute(customerCreate('SDK-1', 'SDK One'));
    expect(created.getResult().data[0].CUSTOMERID).toBe('SDK-1');

    const readByName = new Functions.Common.ReadByName();
    readByName.objectName = 'CUSTOMER';
    readByName.names = ['SDK-1'];
    const read = await client.execute(readByName);
    expect(read.getResult().data[0]).toMatchObject({
      NAME: 'SDK One',
      DISPLAYCONTACT: { EMAIL1: 'sdk-1@sdk.test' },
    });

    const upd = new Functions.AccountsReceivable.CustomerUpdate();
    upd.customerId = 'SDK-1';
    upd.customerName = 'SDK One Renamed';
    await client.execute(upd);
    expect(sim.record('CUSTOMER', 'SDK-1')?.NAME).toBe('SDK One Renamed');

    const del = new Functions.AccountsReceivable.CustomerDelete();
    del.customerId = 'SDK-1';
    const deleted = await client.execute(del);
    expect(deleted.getResult().status).toBe('success');
    expect(sim.record('CUSTOMER', 'SDK-1')).toBeUndefined();
  });

  it('pages readByQuery with readMore until nothing remains', async () => {
    const { client } = await sessionClient();
    const q = new Functions.Common.ReadByQuery();
    q.objectName = 'CUSTOMER';
    q.fields = ['RECORDNO', 'CUSTOMERID'];
    q.query = new Functions.Common.Query.QueryString("CUSTOMERID LIKE 'C-%' AND STATUS = 'T'");
    q.pageSize = 2;
    const first = (await client.execute(q)).getResult();
    expect(first.listType).toBe('customer');
    expect(first.count).toBe(2);
    const ids = first.data.map((r: { CUSTOMERID: string }) => r.CUSTOMERID);
    let resultId = first.resultId;
    let remaining = first.numRemaining;
    while (remaining > 0) {
      const more = new Functions.Common.ReadMore();
      more.resultId = resultId;
      const page = (await client.execute(more)).getResult();
      ids.push(...page.data.map((r: { CUSTOMERID: string }) => r.CUSTOMERID));
      remaining = page.numRemaining;
      resultId = page.resultId;
    }
    expect(ids).toEqual(['C-1001', 'C-1002', 'C-1003', 'C-1004']);
  });

  it('runs the query function with a filter, order and dotted select', async () => {
    const { client } = await sessionClient();
    const { NewQuery } = Functions.Common;
    const fn = new NewQuery.Query();
    fn.fromObject = 'CUSTOMER';
    fn.selectFields = new NewQuery.QuerySelect.SelectBuilder().addFields([
      'CUSTOMERID',
      'DISPLAYCONTACT.EMAIL1',
    ]).selects;
    fn.filter = new NewQuery.QueryFilter.Filter('CUSTOMERID').in(['C-1001', 'C-1003']);
    fn.orderBy = new NewQuery.QueryOrderBy.OrderBuilder().addDescending('CUSTOMERID').orders;
    const result = (await client.execute(fn)).getResult();
    expect(
      result.data.map((r: Record<string, string>) => [r.CUSTOMERID, r['DISPLAYCONTACT.EMAIL1']]),
    ).toEqual([
      ['C-1003', 'accounts@initech.example'],
      ['C-1001', 'ap@acme.example'],
    ]);
    expect(result.totalCount).toBe(2);
  });

  it('reports a duplicate customer ID as a result failure', async () => {
    const { client } = await sessionClient();
    const error = await client
      .execute(customerCreate('C-1001', 'Again'))
      .catch((e: unknown) => e as { errors: string[] });
    expect(error).toBeInstanceOf(Exceptions.ResultException);
    expect(error.errors.join(' ')).toContain('BL34000061');
  });

  it('rolls back a transaction batch: the failure plus aborted siblings with XL03000009', async () => {
    const { client } = await sessionClient();
    const requestConfig = new RequestConfig();
    requestConfig.transaction = true;
    const error = await client
      .executeBatch([customerCreate('SDK-TX', 'Tx'), customerCreate('C-1002', 'Dup')], requestConfig)
      .catch((e: unknown) => e as { errors: string[] });
    expect(error).toBeInstanceOf(Exceptions.ResultException);
    expect(error.errors.join(' ')).toContain('XL03000009');
    expect(sim.record('CUSTOMER', 'SDK-TX')).toBeUndefined();
  });

  it('creates a multi-currency order in an entity, and an update after userConvert is refused', async () => {
    const config = await SessionProvider.factory(loginConfig({ entityId: 'E200' }));
    const client = new OnlineClient(config);
    const { OrderEntryTransactionCreate, OrderEntryTransactionLineCreate, OrderEntryTransactionUpdate } =
      Functions.OrderEntry;
    const create = new OrderEntryTransactionCreate();
    create.transactionDefinition = 'Sales Order';
    create.transactionDate = new Date();
    create.customerId = 'C-2001';
    create.externalId = 'sdk-opp-1';
    create.transactionCurrency = 'EUR';
    create.lines = [
      ['SKU-100', 3, 20],
      ['SUB-ANNUAL', 1, 1000],
    ].map(([itemId, quantity, price]) => {
      const line = new OrderEntryTransactionLineCreate();
      Object.assign(line, { itemId, quantity, price, unit: 'Each' });
      return line;
    });
    const created = (await client.execute(create)).getResult();
    const docId = String(created.key);
    expect(sim.record('SODOCUMENT', docId)).toMatchObject({
      CURRENCY: 'EUR',
      BASECURR: 'GBP',
      TRX_TOTAL: '1060.00',
      TOTAL: '915.84',
      EXTERNALID: 'sdk-opp-1',
      MEGAENTITYID: 'E200',
    });
    sim.userConvert(docId);
    const update = new OrderEntryTransactionUpdate();
    update.transactionId = docId;
    update.message = 'after conversion';
    const error = await client.execute(update).catch((e: unknown) => e as { errors: string[] });
    expect(error).toBeInstanceOf(Exceptions.ResultException);
    expect(error.errors.join(' ')).toContain(
      'You cannot update an order entry transaction or order entry transaction items if the state',
    );
    expect(sim.record('SODOCUMENT', docId)?.STATE).toBe('Converted');
  });

  it('raises a response exception for a bad session and for a bad sender password', async () => {
    const badSession = new OnlineClient(loginConfig({ sessionId: 'not-a-session..' }));
    const e1 = await badSession
      .execute(new Functions.Common.ReadByName())
      .catch((e: unknown) => e as { errors: string[] });
    expect(e1).toBeInstanceOf(Exceptions.ResponseException);
    expect(e1.errors.join(' ')).toContain('Invalid session');

    const badSender = new OnlineClient(loginConfig({ senderPassword: 'nope' }));
    const e2 = await badSender
      .execute(customerCreate('SDK-X', 'X'))
      .catch((e: unknown) => e as { errors: string[] });
    expect(e2).toBeInstanceOf(Exceptions.ResponseException);
    expect(e2.errors.join(' ')).toContain('XL03000006');
    expect(sim.record('CUSTOMER', 'SDK-X')).toBeUndefined();
  });
});

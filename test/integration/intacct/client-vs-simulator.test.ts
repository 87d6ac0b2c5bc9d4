import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type IntacctSimulator, startIntacctSimulator } from '#local/intacct-sim/index.ts';
import {
  ConcurrencyLimiter,
  create,
  createArAdjustment,
  createInvoice,
  createSoTransaction,
  deleteRecords,
  IntacctAuthenticationError,
  IntacctClient,
  type IntacctClientOptions,
  IntacctClosedPeriodError,
  IntacctDuplicateError,
  IntacctFunctionError,
  query,
  queryAll,
  read,
  readByName,
  readByQueryAll,
  update,
  updateSoTransaction,
  type WriteResult,
  where,
} from '#shared/intacct/index.ts';

let sim: IntacctSimulator;
const noSleep = async () => {};
const clientFor = (options: Partial<IntacctClientOptions> = {}) =>
  new IntacctClient({ credentials: sim.readyInfo(), sleep: noSleep, ...options });
const customer = (id: string, name = `Customer ${id}`) => ({
  object: 'CUSTOMER',
  fields: {
    CUSTOMERID: id,
    NAME: name,
    DISPLAYCONTACT: { PRINTAS: name, EMAIL1: `${id.toLowerCase()}@example.test` },
  },
});
const today = new Date();

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
beforeEach(() => {
  sim.setFaults({ rate429: 0, rate5xx: 0, rate524: 0, rateHtml: 0, next: [] });
  sim.setConcurrencyCap(0);
  sim.setLatency(0);
});

describe('our client against the simulator', () => {
  it('creates, reads by name and by RECORDNO, updates and deletes a customer through a session on the returned endpoint', async () => {
    const client = clientFor();
    const created = await client.execute(create(customer('IT-1', 'Crud & Co'), { controlId: 'it-1-create' }));
    const recordNo = String(created.records[0]?.RECORDNO);
    expect((await client.session()).endpoint).toBe(`http://127.0.0.1:${sim.port}/na1/ia/xml/xmlgw.phtml`);
    const [byName] = await client.execute(readByName({ object: 'CUSTOMER', keys: ['IT-1'] }));
    expect(byName).toMatchObject({
      NAME: 'Crud & Co',
      STATUS: 'active',
      DISPLAYCONTACT: { EMAIL1: 'it-1@example.test' },
    });
    await client.execute(
      update(
        { object: 'CUSTOMER', fields: { CUSTOMERID: 'IT-1', COMMENTS: 'vip' } },
        { controlId: 'it-1-update' },
      ),
    );
    const [byNo] = await client.execute(
      read({ object: 'CUSTOMER', keys: [recordNo], fields: ['COMMENTS', 'WHENMODIFIED'] }),
    );
    expect(byNo?.COMMENTS).toBe('vip');
    expect(String(byNo?.WHENMODIFIED)).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
    await client.execute(deleteRecords('CUSTOMER', [recordNo], { controlId: 'it-1-delete' }));
    expect(sim.record('CUSTOMER', 'IT-1')).toBeUndefined();
  });

  it('batches many creates into few HTTP requests and reports a duplicate to its own caller', async () => {
    const client = clientFor({ maxFunctionsPerRequest: 50 });
    const ids = Array.from({ length: 120 }, (_, i) => `BATCH-${i}`);
    const results = await Promise.allSettled([
      ...ids.map((id) => client.execute(create(customer(id), { controlId: `c-${id}` }))),
      client.execute(create(customer('C-1001'), { controlId: 'dup-c-1001' })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(120);
    const dup = results[120];
    expect(dup?.status === 'rejected' && dup.reason).toBeInstanceOf(IntacctDuplicateError);
    expect(client.counters.httpRequests).toBe(1 + 3); // session + ceil(121 / 50)
    expect(client.counters.apiTransactions).toBe(120);
  });

  it('pages readByQuery with readMore and query with offset over the same rows', async () => {
    const client = clientFor();
    const viaReadMore: unknown[] = [];
    for await (const row of readByQueryAll(client, {
      object: 'CUSTOMER',
      fields: ['CUSTOMERID'],
      query: "CUSTOMERID LIKE 'BATCH-%'",
      pagesize: 25,
    })) {
      viaReadMore.push(row.CUSTOMERID);
    }
    const viaOffset: unknown[] = [];
    for await (const row of queryAll(client, {
      object: 'CUSTOMER',
      select: ['CUSTOMERID'],
      filter: where.like('CUSTOMERID', 'BATCH-%'),
      orderBy: [{ field: 'RECORDNO' }],
      pagesize: 50,
    })) {
      viaOffset.push(row.CUSTOMERID);
    }
    expect(viaReadMore).toHaveLength(120);
    expect(viaOffset).toEqual(viaReadMore);
  });

  it('finishes a burst under a concurrency cap of 2 by backing off on 429', async () => {
    sim.setConcurrencyCap(2);
    sim.setLatency(20);
    const limiter = new ConcurrencyLimiter({ concurrency: 4, baseBackoffMs: 10, maxBackoffMs: 80 });
    const client = clientFor({
      limiter,
      maxFunctionsPerRequest: 1,
      retryBaseDelayMs: 5,
      maxRetries: 8,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    });
    const rows = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        client.execute(readByName({ object: 'CUSTOMER', keys: [`BATCH-${i}`] })),
      ),
    );
    expect(rows.every((r) => r.length === 1)).toBe(true);
    expect(sim.counters().rateLimited).toBeGreaterThan(0);
    expect(client.counters.rateLimited).toBe(sim.counters().rateLimited);
  });

  it('recovers from an expired session by logging in again and replaying', async () => {
    const client = clientFor();
    await client.execute(readByName({ object: 'CUSTOMER', keys: ['C-1001'] }));
    sim.expireSessions();
    const [row] = await client.execute(readByName({ object: 'CUSTOMER', keys: ['C-1002'] }));
    expect(row?.CUSTOMERID).toBe('C-1002');
    expect(client.counters.sessionsOpened).toBe(2);
  });

  it('never creates a duplicate when a create is answered 524 after committing', async () => {
    const client = clientFor();
    const fn = create(customer('UNK-1'), { controlId: 'unk-1-v1' });
    sim.injectFaults('524');
    const result = await client.writeOnce(fn, async (): Promise<WriteResult | undefined> => {
      const rows = await client.execute(readByName({ object: 'CUSTOMER', keys: ['UNK-1'] }));
      return rows[0] ? { records: [{ object: 'CUSTOMER', ...rows[0] }] } : undefined;
    });
    expect(result.records[0]?.CUSTOMERID).toBe('UNK-1');
    expect(sim.records('CUSTOMER').filter((r) => r.CUSTOMERID === 'UNK-1')).toHaveLength(1);
  });

  it('lets the gateway refuse a replayed write control ID', async () => {
    const client = clientFor();
    await client.execute(create(customer('REP-1'), { controlId: 'rep-1-v1' }));
    const again = await client.execute(create(customer('REP-2'), { controlId: 'rep-1-v1' })).catch((e) => e);
    expect(again.name).toBe('IntacctAlreadyExecutedError');
    expect(sim.record('CUSTOMER', 'REP-2')).toBeUndefined();
  });

  it('rolls back a transaction when one function fails', async () => {
    const client = clientFor();
    const outcomes = await client.executeBatch(
      [create(customer('TX-1'), { controlId: 'tx-1' }), create(customer('C-1001'), { controlId: 'tx-dup' })],
      { transaction: true },
    );
    expect(outcomes[0]).toMatchObject({
      ok: false,
      error: { name: 'IntacctAbortedError', code: 'XL03000009' },
    });
    expect(outcomes[1]).toMatchObject({ ok: false, error: { name: 'IntacctDuplicateError' } });
    expect(sim.record('CUSTOMER', 'TX-1')).toBeUndefined();
  });

  it('fails with a permanent error on a wrong sender password', async () => {
    const client = new IntacctClient({
      credentials: { ...sim.readyInfo(), senderPassword: 'wrong' },
      sleep: noSleep,
    });
    const error = await client.execute(readByName({ object: 'CUSTOMER', keys: ['C-1001'] })).catch((e) => e);
    expect(error).toBeInstanceOf(IntacctAuthenticationError);
    expect(error.retryable).toBe(false);
  });

  it('hides entity-private customers at top level unless showprivate, and shows them inside the entity', async () => {
    const top = clientFor();
    const select = {
      object: 'CUSTOMER',
      select: ['CUSTOMERID', 'MEGAENTITYID'],
      filter: where.eq('CUSTOMERID', 'C-2001'),
    };
    expect((await top.execute(query(select))).rows).toEqual([]);
    expect((await top.execute(query({ ...select, showPrivate: true }))).rows).toEqual([
      { CUSTOMERID: 'C-2001', MEGAENTITYID: 'E200' },
    ]);
    const uk = clientFor({ credentials: { ...sim.readyInfo(), entityId: 'E200' } });
    expect(await uk.execute(readByName({ object: 'CUSTOMER', keys: ['C-2001'] }))).toHaveLength(1);
  });

  it('runs quote-to-cash: invoice-type order creates a linked AR invoice, a payment pays it, an update re-creates it', async () => {
    const client = clientFor();
    const { key } = await client.execute(
      createSoTransaction(
        {
          transactionType: 'Sales Invoice',
          dateCreated: today,
          customerId: 'C-1002',
          lines: [{ itemId: 'SKU-100', quantity: '4', price: '25' }],
        },
        { controlId: 'q2c-so' },
      ),
    );
    expect(key).toMatch(/^Sales Invoice-INV-\d{4}$/);
    const doc = (
      await client.execute(
        query({
          object: 'SODOCUMENT',
          select: ['RECORDNO', 'PRRECORDKEY', 'TOTAL', 'CUSTOMER.NAME'],
          filter: where.eq('DOCID', key),
        }),
      )
    ).rows[0];
    expect(doc).toMatchObject({ TOTAL: '100.00', 'CUSTOMER.NAME': 'Globex Inc' });
    const invoiceNo = String(doc?.PRRECORDKEY);
    await client.execute(
      updateSoTransaction({ key, updateLines: [{ lineNum: 1, quantity: '2' }] }, { controlId: 'q2c-so-upd' }),
    );
    const [after] = await client.execute(readByName({ object: 'SODOCUMENT', keys: [key] }));
    expect(after?.PRRECORDKEY).not.toBe(invoiceNo);
    expect(sim.record('ARINVOICE', invoiceNo)).toBeUndefined();
    const newInvoice = String(after?.PRRECORDKEY);
    await client.execute(
      create(
        {
          object: 'ARPYMT',
          fields: {
            PAYMENTMETHOD: 'EFT',
            RECEIPTDATE: `${String(today.getUTCMonth() + 1).padStart(2, '0')}/${String(today.getUTCDate()).padStart(2, '0')}/${today.getUTCFullYear()}`,
            CUSTOMERID: 'C-1002',
            UNDEPOSITEDACCOUNTNO: '1000',
            CURRENCY: 'USD',
            ARPYMTDETAILS: { ARPYMTDETAIL: { RECORDKEY: newInvoice, TRX_PAYMENTAMOUNT: '50.00' } },
          },
        },
        { controlId: 'q2c-pay' },
      ),
    );
    expect(sim.record('ARINVOICE', newInvoice)).toMatchObject({
      STATE: 'Paid',
      TOTALDUE: '0.00',
      TOTALPAID: '50.00',
    });
  });

  it('rejects posting into the closed period and lines missing an unknown item', async () => {
    const client = clientFor();
    const closed = await client
      .execute(
        createInvoice(
          {
            customerId: 'C-1001',
            dateCreated: '2001-01-15',
            termName: 'Net 30',
            lines: [{ glAccountNo: '4000', amount: '10' }],
          },
          { controlId: 'closed-1' },
        ),
      )
      .catch((e) => e);
    expect(closed).toBeInstanceOf(IntacctClosedPeriodError);
    const badItem = await client
      .execute(
        createSoTransaction(
          {
            transactionType: 'Sales Order',
            dateCreated: today,
            customerId: 'C-1001',
            lines: [{ itemId: 'NOPE', quantity: '1' }],
          },
          { controlId: 'bad-item' },
        ),
      )
      .catch((e) => e);
    expect(badItem).toBeInstanceOf(IntacctFunctionError);
    expect(badItem.message).toContain("Invalid Item 'NOPE'");
  });

  it('creates a credit memo with create_aradjustment and lowers the customer balance', async () => {
    const client = clientFor();
    await client.execute(
      createInvoice(
        {
          customerId: 'C-1003',
          dateCreated: today,
          termName: 'Net 30',
          lines: [{ glAccountNo: '4000', amount: '300' }],
        },
        { controlId: 'cm-inv' },
      ),
    );
    const { key } = await client.execute(
      createArAdjustment(
        { customerId: 'C-1003', dateCreated: today, lines: [{ glAccountNo: '4000', amount: '-100' }] },
        { controlId: 'cm-1' },
      ),
    );
    expect(sim.record('ARADJUSTMENT', key)).toMatchObject({ ADJUSTMENTTYPE: 'Credit Memo' });
    expect(sim.record('CUSTOMER', 'C-1003')?.TOTALDUE).toBe('200.00');
  });

  it('sees changes a user makes in Intacct through a WHENMODIFIED window', async () => {
    const client = clientFor();
    const before = new Date(Date.now() - 1000);
    sim.userUpdate('CUSTOMER', 'C-1004', { ONHOLD: 'false', COMMENTS: 'released' });
    const stamp = (d: Date) =>
      `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()} ${d.toISOString().slice(11, 19)}`;
    const page = await client.execute(
      query({
        object: 'CUSTOMER',
        select: ['CUSTOMERID', 'ONHOLD'],
        filter: where.and(where.ge('WHENMODIFIED', stamp(before)), where.eq('CUSTOMERID', 'C-1004')),
        orderBy: [{ field: 'RECORDNO' }],
      }),
    );
    expect(page.rows).toEqual([{ CUSTOMERID: 'C-1004', ONHOLD: 'false' }]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IntacctSimulator, startIntacctSimulator } from '#local/intacct-sim/index.ts';
import {
  createInvoice,
  createSoTransaction,
  IntacctClient,
  IntacctClosedPeriodError,
  type IntacctFunction,
  IntacctFunctionError,
  query,
  type SoTransactionInput,
  splitDate,
  where,
} from '#shared/intacct/index.ts';

/*
 * The closed-won Opportunity → Sales Order flow's Intacct side, driven with our own client. What
 * the client has no builder for (createdfrom, sourcelinekey, externalkey) is sent as a raw function.
 */
let sim: IntacctSimulator;
const today = new Date();
let seq = 0;
const controlId = (name: string) => `sales-${name}-${++seq}`;
const clientIn = (entityId?: string) =>
  new IntacctClient({
    credentials: { ...sim.readyInfo(), ...(entityId ? { entityId } : {}) },
    sleep: async () => {},
  });
const order = (over: Partial<SoTransactionInput> = {}): SoTransactionInput => ({
  transactionType: 'Sales Order',
  dateCreated: today,
  customerId: 'C-1001',
  lines: [
    { itemId: 'SKU-100', quantity: '4', price: '25' },
    { itemId: 'SVC-IMPL', quantity: '2', price: '150' },
  ],
  ...over,
});
const raw = (name: string, body: IntacctFunction<unknown>['body']): IntacctFunction<{ key: string }> => ({
  name,
  body,
  write: true,
  controlId: controlId(name),
  transactions: () => 1,
  parse: (r) => ({ key: r.key ?? '' }),
});
/** The error a call fails with (a success fails the test). */
const failureOf = (call: Promise<unknown>): Promise<Error> =>
  call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as Error,
  );
/** A stored document's SODOCUMENTENTRY rows. */
const linesOf = (doc: Record<string, unknown> | undefined): Record<string, string>[] =>
  (doc?.SODOCUMENTENTRIES as { sodocumententry?: Record<string, string>[] } | undefined)?.sodocumententry ??
  [];
const soRows = (client: IntacctClient, field: string, value: string, select: string[]) =>
  client.execute(query({ object: 'SODOCUMENT', select, filter: where.eq(field, value) })).then((p) => p.rows);

beforeAll(async () => {
  sim = await startIntacctSimulator({ port: 0, seed: 'demo' });
});
afterAll(async () => {
  await sim.stop();
});

describe('sales documents in the simulator', () => {
  it('lists entities with their base currency through LOCATIONENTITY', async () => {
    const page = await clientIn().execute(
      query({ object: 'LOCATIONENTITY', select: ['LOCATIONID', 'NAME', 'CURRENCY'] }),
    );
    expect(page.rows).toEqual([
      { LOCATIONID: 'E100', NAME: 'US Operations', CURRENCY: 'USD' },
      { LOCATIONID: 'E200', NAME: 'UK Operations', CURRENCY: 'GBP' },
    ]);
  });

  it('refuses a currency the entity has not enabled and writes nothing', async () => {
    const before = sim.records('SODOCUMENT').length;
    const error = await failureOf(
      clientIn('E100').execute(
        createSoTransaction(order({ currency: { currency: 'GBP' } }), { controlId: controlId('gbp') }),
      ),
    );
    expect(error).toBeInstanceOf(IntacctFunctionError);
    expect(error.message).toContain('Currency GBP is not enabled for entity E100');
    const invoice = await failureOf(
      clientIn('E100').execute(
        createInvoice(
          {
            customerId: 'C-1001',
            dateCreated: today,
            termName: 'Net 30',
            currency: { currency: 'EUR' },
            lines: [{ glAccountNo: '4000', amount: '10' }],
          },
          { controlId: controlId('inv-eur') },
        ),
      ),
    );
    expect(invoice.message).toContain('Currency EUR is not enabled for entity E100');
    expect(sim.records('SODOCUMENT')).toHaveLength(before);
  });

  it('keeps TRX_ amounts in the document currency and the rest in the entity base currency', async () => {
    const uk = clientIn('E200');
    const { key } = await uk.execute(
      createSoTransaction(
        order({ customerId: 'C-2001', currency: { currency: 'USD' }, externalId: 'opp-fx' }),
        {
          controlId: controlId('usd-in-uk'),
        },
      ),
    );
    const doc = sim.record('SODOCUMENT', key);
    expect(doc).toMatchObject({
      CURRENCY: 'USD',
      BASECURR: 'GBP',
      EXCHANGE_RATE: '0.8',
      TRX_TOTAL: '400.00',
      TOTAL: '320.00',
      MEGAENTITYID: 'E200',
    });
    const lines = linesOf(doc);
    expect(lines.map((l) => [l.LINE_NO, l.UIPRICE, l.UIVALUE, l.VALUE])).toEqual([
      ['0', '25.00', '100.00', '80.00'],
      ['1', '150.00', '300.00', '240.00'],
    ]);
    expect(new Set(lines.map((l) => l.RECORDNO)).size).toBe(2);
    const invoice = await uk.execute(
      createInvoice(
        {
          customerId: 'C-2001',
          dateCreated: today,
          termName: 'Net 30',
          externalId: 'opp-fx-inv',
          currency: { currency: 'EUR' },
          lines: [{ glAccountNo: '4000', amount: '100' }],
        },
        { controlId: controlId('inv-eur-uk') },
      ),
    );
    expect(sim.record('ARINVOICE', invoice.key)).toMatchObject({
      CURRENCY: 'EUR',
      BASECURR: 'GBP',
      TRX_TOTALENTERED: '100.00',
      TOTALENTERED: '86.40',
      EXTERNALID: 'opp-fx-inv',
    });
  });

  it('selects and filters on EXTERNALID, which is not unique', async () => {
    const client = clientIn();
    const first = await client.execute(
      createSoTransaction(order({ externalId: 'opp-dup' }), { controlId: controlId('d1') }),
    );
    const second = await client.execute(
      createSoTransaction(order({ externalId: 'opp-dup' }), { controlId: controlId('d2') }),
    );
    const rows = await soRows(client, 'EXTERNALID', 'opp-dup', ['DOCID', 'EXTERNALID', 'STATE', 'TRX_TOTAL']);
    expect(rows).toEqual([
      { DOCID: first.key, EXTERNALID: 'opp-dup', STATE: 'Pending', TRX_TOTAL: '400.00' },
      { DOCID: second.key, EXTERNALID: 'opp-dup', STATE: 'Pending', TRX_TOTAL: '400.00' },
    ]);
  });

  it('updates a Sales Order by externalkey: header, a changed line with a discount, an appended line', async () => {
    const client = clientIn();
    const { key } = await client.execute(
      createSoTransaction(order({ externalId: 'opp-upd-1' }), { controlId: controlId('upd') }),
    );
    await client.execute(
      raw('update_sotransaction', {
        '@_key': 'opp-upd-1',
        '@_externalkey': 'true',
        referenceno: 'PO-77',
        message: 'changed in Salesforce',
        customerponumber: 'CUST-PO-1',
        updatesotransitems: {
          updatesotransitem: { '@_line_num': '1', quantity: '10', discountpercent: '10', memo: 'more' },
          sotransitem: { itemid: 'SKU-200', quantity: '1', price: '199' },
        },
      }),
    );
    const doc = sim.record('SODOCUMENT', key);
    expect(doc).toMatchObject({
      REFERENCENO: 'PO-77',
      MESSAGE: 'changed in Salesforce',
      PONUMBER: 'CUST-PO-1',
    });
    const lines = linesOf(doc);
    expect(lines.map((l) => [l.ITEMID, l.QUANTITY, l.DISCOUNTPERCENT, l.UIPRICE, l.UIVALUE])).toEqual([
      ['SKU-100', '10', '10', '22.50', '225.00'],
      ['SVC-IMPL', '2', '', '150.00', '300.00'],
      ['SKU-200', '1', '', '199.00', '199.00'],
    ]);
    expect(doc?.TOTAL).toBe('724.00');
    const badQty = await failureOf(
      client.execute(
        raw('update_sotransaction', {
          '@_key': key,
          updatesotransitems: { updatesotransitem: { '@_line_num': '2', quantity: 'two' } },
        }),
      ),
    );
    expect(badQty.message).toContain("Line 2: quantity must be a number, got 'two'");
  });

  it('converts with createdfrom and sourcelinekey: partially, then fully, after which updates are refused', async () => {
    const client = clientIn();
    const { key } = await client.execute(createSoTransaction(order(), { controlId: controlId('conv') }));
    const source = sim.record('SODOCUMENT', key);
    const [widget, service] = linesOf(source);
    const invoice = (lines: Array<IntacctFunction<unknown>['body']>) =>
      raw('create_sotransaction', {
        transactiontype: 'Sales Invoice',
        datecreated: splitDate(today),
        createdfrom: key,
        customerid: 'C-1001',
        sotransitems: { sotransitem: lines },
      });
    const first = await client.execute(
      invoice([{ itemid: 'SKU-100', quantity: '4', price: '25', sourcelinekey: widget?.RECORDNO }]),
    );
    expect(sim.record('SODOCUMENT', key)?.STATE).toBe('Partially Converted');
    expect(sim.record('SODOCUMENT', first.key)).toMatchObject({ CREATEDFROM: key, STATE: 'Closed' });
    const tooMuch = await failureOf(
      client.execute(
        invoice([{ itemid: 'SVC-IMPL', quantity: '3', price: '150', sourcelinekey: service?.RECORDNO }]),
      ),
    );
    expect(tooMuch.message).toContain('exceeds the 2 left to convert');
    await client.execute(
      invoice([{ itemid: 'SVC-IMPL', quantity: '2', price: '150', sourcelinekey: service?.RECORDNO }]),
    );
    expect(sim.record('SODOCUMENT', key)?.STATE).toBe('Converted');
    const refused = await failureOf(
      client.execute(raw('update_sotransaction', { '@_key': key, message: 'too late' })),
    );
    expect(refused).toBeInstanceOf(IntacctFunctionError);
    expect(refused.message).toContain(
      'You cannot update an order entry transaction or order entry transaction items if the state is In Progress, Converted, or Partially Converted',
    );
    const again = await failureOf(client.execute(invoice([{ itemid: 'SKU-100', quantity: '1' }])));
    expect(again.message).toContain('is Converted and cannot be converted');
  });

  it('refuses an update after userConvert, and userConvert turns every open quantity into an invoice', async () => {
    const client = clientIn();
    const { key } = await client.execute(
      createSoTransaction(order({ externalId: 'opp-ui' }), { controlId: controlId('ui') }),
    );
    const converted = sim.userConvert(key);
    expect(converted).toMatchObject({ DOCPARID: 'Sales Invoice', CREATEDFROM: key, TOTAL: '400.00' });
    expect(sim.record('ARINVOICE', String(converted.PRRECORDKEY))?.TOTALENTERED).toBe('400.00');
    const refused = await failureOf(
      client.execute(
        raw('update_sotransaction', { '@_key': 'opp-ui', '@_externalkey': 'true', message: 'x' }),
      ),
    );
    expect(refused.message).toContain('You cannot update an order entry transaction');
  });

  it('applies each entity its own closed period; closedPeriodScope all makes Sales Orders check it too', async () => {
    const lastWeek = new Date(today.getTime() - 7 * 86_400_000);
    const tomorrow = new Date(today.getTime() + 86_400_000);
    const mmddyyyy = (d: Date) => {
      const { year, month, day } = splitDate(d);
      return `${month}/${day}/${year}`;
    };
    sim.setSettings({ closedBeforeByEntity: { E200: mmddyyyy(tomorrow) } });
    const inv = (entity: string | undefined, customerId: string) =>
      clientIn(entity).execute(
        createInvoice(
          {
            customerId,
            dateCreated: lastWeek,
            termName: 'Net 30',
            lines: [{ glAccountNo: '4000', amount: '5' }],
          },
          { controlId: controlId('period') },
        ),
      );
    await expect(inv('E100', 'C-1001')).resolves.toMatchObject({ key: expect.any(String) });
    const closed = await failureOf(inv('E200', 'C-2001'));
    expect(closed).toBeInstanceOf(IntacctClosedPeriodError);
    expect(closed.message).toContain(`the period for ${mmddyyyy(lastWeek)} is closed`);
    const so = () =>
      clientIn('E200').execute(
        createSoTransaction(order({ customerId: 'C-2001', dateCreated: lastWeek }), {
          controlId: controlId('so'),
        }),
      );
    await expect(so()).resolves.toMatchObject({ key: expect.stringMatching(/^Sales Order-/) });
    sim.setSettings({ closedPeriodScope: 'all' });
    await expect(so()).rejects.toBeInstanceOf(IntacctClosedPeriodError);
    sim.setSettings({ closedPeriodScope: 'posting', closedBeforeByEntity: {} });
  });
});

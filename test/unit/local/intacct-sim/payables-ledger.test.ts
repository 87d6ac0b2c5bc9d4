/** Edges of the simulator's payables, ledger and `query` aggregates, in raw gateway XML. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type IntacctSimulator, startIntacctSimulator } from '#local/intacct-sim/index.ts';
import { parseResponse } from '#shared/intacct/response.ts';

let sim: IntacctSimulator;
let clock = Date.parse('2030-03-10T10:00:00Z');
let n = 0;

const c = () => sim.credentials;
/** Runs one function element; returns its parsed result (rows' values, errors' text). */
async function call(inner: string) {
  const body = `<?xml version="1.0" encoding="utf-8"?><request><control><senderid>${c().senderId}</senderid><password>${c().senderPassword}</password><controlid>r</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control><operation><authentication><login><userid>${c().userId}</userid><companyid>${c().companyId}</companyid><password>${c().userPassword}</password></login></authentication><content><function controlid="f${++n}">${inner}</function></content></operation></request>`;
  const res = await fetch(sim.endpoint, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/xml' },
  });
  const text = await res.text();
  const parsed = parseResponse(text);
  const result = parsed.results[0];
  return {
    status: result?.status ?? parsed.control.status,
    key: result?.key,
    attrs: result?.data?.attributes ?? {},
    rows: (result?.data?.rows ?? []).map((r) => r.value),
    errors: [...(result?.errors ?? []), ...parsed.controlErrors]
      .map((e) => `${e.errorNo} ${e.description ?? ''} ${e.description2 ?? ''}`)
      .join(' | '),
  };
}
const date = (y: number, m: number, d: number, tag: string) =>
  `<${tag}><year>${y}</year><month>${m}</month><day>${d}</day></${tag}>`;
const aggQuery = (object: string, select: string, extra = '') =>
  call(`<query><object>${object}</object><select>${select}</select>${extra}</query>`);

beforeAll(async () => {
  sim = await startIntacctSimulator({ seed: 'demo', now: () => clock });
  sim.seedGlEntries([
    { accountNo: '4000', amount: -100, entryDate: '2030-01-10', customerId: 'C-1001', departmentId: 'D1' },
    { accountNo: '4000', amount: -50.5, entryDate: '2030-01-11', customerId: 'C-1001', departmentId: 'D2' },
    { accountNo: '4000', amount: -25.25, entryDate: '2030-01-12', customerId: 'C-1002', departmentId: 'D1' },
    { accountNo: '4000', amount: -10, entryDate: '2030-01-13', customerId: 'C-1003' },
  ]);
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  clock += 60_000;
});

describe('query aggregates', () => {
  it('without grouping fields gives one row, also when nothing matches (COUNT 0, SUM empty)', async () => {
    const all = await aggQuery('GLDETAIL', '<sum>AMOUNT</sum><count>RECORDNO</count><avg>AMOUNT</avg>');
    expect(all.rows).toEqual([{ 'SUM.AMOUNT': '-185.75', 'COUNT.RECORDNO': '4', 'AVG.AMOUNT': '-46.4375' }]);
    const none = await aggQuery(
      'GLDETAIL',
      '<sum>AMOUNT</sum><count>RECORDNO</count>',
      '<filter><equalto><field>CUSTOMERID</field><value>C-NONE</value></equalto></filter>',
    );
    expect(none.attrs).toMatchObject({ totalcount: '1', count: '1' });
    expect(none.rows).toEqual([{ 'SUM.AMOUNT': '', 'COUNT.RECORDNO': '0' }]);
  });

  it('orders groups by an aggregate tag and pages them with offset and pagesize (totalcount = groups)', async () => {
    const page = await aggQuery(
      'GLDETAIL',
      '<field>CUSTOMERID</field><sum>AMOUNT</sum><min>DEPARTMENTID</min>',
      '<orderby><order><field>SUM.AMOUNT</field><ascending/></order></orderby><pagesize>2</pagesize><offset>1</offset>',
    );
    expect(page.attrs).toMatchObject({ totalcount: '3', offset: '1', count: '2', numremaining: '0' });
    expect(page.rows).toEqual([
      { CUSTOMERID: 'C-1002', 'SUM.AMOUNT': '-25.25', 'MIN.DEPARTMENTID': 'D1' },
      { CUSTOMERID: 'C-1003', 'SUM.AMOUNT': '-10', 'MIN.DEPARTMENTID': '' },
    ]);
    const bad = await aggQuery(
      'GLDETAIL',
      '<field>CUSTOMERID</field><sum>AMOUNT</sum>',
      '<orderby><order><field>ENTRY_DATE</field></order></orderby>',
    );
    expect(bad.status).toBe('failure');
    expect(bad.errors).toContain("Cannot order an aggregate query by 'ENTRY_DATE'");
  });

  it("GL amounts unsigned with TR_TYPE when glAmountSign is 'unsigned'", async () => {
    sim.setSettings({ glAmountSign: 'unsigned' });
    try {
      const [line] = sim.seedGlEntries([{ accountNo: '4000', amount: -7, entryDate: '2030-02-01' }]);
      expect(line).toMatchObject({
        AMOUNT: '7.00',
        TR_TYPE: '-1',
        CREDITAMOUNT: '7.00',
        DEBITAMOUNT: '0.00',
      });
    } finally {
      sim.setSettings({ glAmountSign: 'signed' });
    }
  });
});

describe('legacy payables and revenue recognition functions', () => {
  it('create_bill checks its element order, and a Draft bill owes nothing yet', async () => {
    const lines =
      '<billitems><lineitem><glaccountno>6000</glaccountno><amount>75</amount></lineitem></billitems>';
    const outOfOrder = await call(
      `<create_bill>${date(2030, 3, 5, 'datecreated')}<vendorid>V-100</vendorid><termname>N30</termname>${lines}</create_bill>`,
    );
    expect(outOfOrder.errors).toContain('XL03000003');
    const draft = await call(
      `<create_bill><vendorid>V-100</vendorid>${date(2020, 1, 5, 'datecreated')}<termname>N30</termname><action>Draft</action><billno>D-1</billno>${lines}</create_bill>`,
    );
    expect(draft.status).toBe('success');
    expect(sim.record('APBILL', String(draft.key))).toMatchObject({ STATE: 'Draft', TOTALDUE: '75.00' });
    expect(sim.record('VENDOR', 'V-100')?.TOTALDUE).toBe('0.00');
  });

  it('a Vendor Invoice makes a 9.PO bill linked by PRRECORDKEY; the vendor can then not be deleted', async () => {
    const vi = await call(
      `<create_potransaction><transactiontype>Vendor Invoice</transactiontype>${date(2030, 3, 9, 'datecreated')}<vendorid>V-100</vendorid><returnto><contactname/></returnto><payto><contactname/></payto><potransitems><potransitem><itemid>SKU-100</itemid><quantity>4</quantity><price>10</price></potransitem></potransitems></create_potransaction>`,
    );
    expect(vi).toMatchObject({ status: 'success', key: 'Vendor Invoice-VI-0001' });
    const doc = sim.record('PODOCUMENT', 'Vendor Invoice-VI-0001');
    expect(doc).toMatchObject({ STATE: 'Closed', TOTAL: '40.00' });
    expect(sim.record('APBILL', String(doc?.PRRECORDKEY))).toMatchObject({
      MODULEKEY: '9.PO',
      RECORDID: 'VI-0001',
      TOTALDUE: '40.00',
    });
    const vendorNo = String(sim.record('VENDOR', 'V-100')?.RECORDNO);
    const del = await call(`<delete><object>VENDOR</object><keys>${vendorNo}</keys></delete>`);
    expect(del.errors).toContain('has transactions and cannot be deleted');
  });

  it('a user closing a purchase order moves its WHENMODIFIED', async () => {
    const po = sim.userCreate('PODOCUMENT', {
      VENDORID: 'V-100',
      WHENCREATED: '03/10/2030',
      PODOCUMENTENTRIES: { podocumententry: [{ ITEMID: 'SKU-100', QUANTITY: '1', PRICE: '9.99' }] },
    });
    clock += 60_000;
    const closed = sim.userUpdate('PODOCUMENT', String(po.DOCID), { STATE: 'Closed' });
    expect(closed.STATE).toBe('Closed');
    expect(closed.WHENMODIFIED).not.toBe(po.WHENMODIFIED);
  });

  it('post_revrecscheduleentry refuses a closed period; unpost takes the GL lines back out', async () => {
    const { entries } = sim.seedRevRecSchedule({
      customerId: 'C-1003',
      entries: [
        { postingDate: '2030-01-31', amount: 30 },
        { postingDate: '2030-03-31', amount: 30, posted: true },
      ],
    });
    const [old, posted] = entries.map((e) => String(e.RECORDNO));
    const closed = await call(
      `<post_revrecscheduleentry><recordno>${old}</recordno></post_revrecscheduleentry>`,
    );
    expect(closed.errors).toContain('BL03000095');
    const glFor = () =>
      sim.records('GLDETAIL').filter((g) => g.MODULEKEY === '8.SO' && g.CUSTOMERID === 'C-1003');
    expect(glFor()).toHaveLength(2);
    const unposted = await call(
      `<unpost_revrecscheduleentry><recordno>${posted}</recordno></unpost_revrecscheduleentry>`,
    );
    expect(unposted.status).toBe('success');
    expect(sim.record('REVRECSCHEDULEENTRY', String(posted))).toMatchObject({
      POSTED: 'false',
      POSTED_AMOUNT: '0.00',
    });
    expect(glFor()).toHaveLength(0);
    expect(sim.records('REVRECSCHEDULE').at(-1)?.STATUS).toBe('Not Started');
  });
});

describe('line objects', () => {
  it("APBILLITEM rows are queryable by RECORDKEY, in line order with the bill's entity and stamps; a deleted bill takes them along", async () => {
    const bill = sim.userCreate('APBILL', {
      VENDORID: 'V-100',
      WHENCREATED: '03/10/2030',
      WHENDUE: '04/09/2030',
      APBILLITEMS: {
        APBILLITEM: [
          { ACCOUNTNO: '6000', TRX_AMOUNT: '120', ENTRYDESCRIPTION: 'Office' },
          { ACCOUNTNO: '6100', TRX_AMOUNT: '40.5', ENTRYDESCRIPTION: 'Travel' },
        ],
      },
    });
    const key = String(bill.RECORDNO);
    const byBill = `<filter><equalto><field>RECORDKEY</field><value>${key}</value></equalto></filter>`;
    const lines = await aggQuery(
      'APBILLITEM',
      '<field>RECORDKEY</field><field>LINE_NO</field><field>ACCOUNTNO</field><field>TRX_AMOUNT</field><field>ENTRYDESCRIPTION</field><field>WHENMODIFIED</field>',
      byBill,
    );
    expect(lines.rows).toEqual([
      {
        RECORDKEY: key,
        LINE_NO: '1',
        ACCOUNTNO: '6000',
        TRX_AMOUNT: '120.00',
        ENTRYDESCRIPTION: 'Office',
        WHENMODIFIED: bill.WHENMODIFIED,
      },
      {
        RECORDKEY: key,
        LINE_NO: '2',
        ACCOUNTNO: '6100',
        TRX_AMOUNT: '40.50',
        ENTRYDESCRIPTION: 'Travel',
        WHENMODIFIED: bill.WHENMODIFIED,
      },
    ]);
    const del = await call(`<delete><object>APBILL</object><keys>${key}</keys></delete>`);
    expect(del.status).toBe('success');
    expect((await aggQuery('APBILLITEM', '<field>RECORDKEY</field>', byBill)).rows).toEqual([]);
  });

  it('PODOCUMENTENTRY rows name their document by DOCHDRID and carry item, quantity and value', async () => {
    const po = sim.userCreate('PODOCUMENT', {
      VENDORID: 'V-100',
      WHENCREATED: '03/10/2030',
      PODOCUMENTENTRIES: { podocumententry: [{ ITEMID: 'SKU-100', QUANTITY: '3', PRICE: '2.5' }] },
    });
    const lines = await aggQuery(
      'PODOCUMENTENTRY',
      '<field>DOCHDRNO</field><field>ITEMID</field><field>QUANTITY</field><field>TRX_VALUE</field>',
      `<filter><equalto><field>DOCHDRID</field><value>${String(po.DOCID)}</value></equalto></filter>`,
    );
    expect(lines.rows).toEqual([
      { DOCHDRNO: String(po.RECORDNO), ITEMID: 'SKU-100', QUANTITY: '3', TRX_VALUE: '7.50' },
    ]);
  });
});

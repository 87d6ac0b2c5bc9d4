import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IntacctSimulator, startIntacctSimulator } from '#local/intacct-sim/index.ts';

// Raw XML over HTTP to the simulator on 127.0.0.1: what any client (not just ours) sees.
let sim: IntacctSimulator;
beforeAll(async () => {
  sim = await startIntacctSimulator({ port: 0, seed: 'demo', requiredDimensions: [] });
});
afterAll(async () => {
  await sim.stop();
});

const c = () => sim.credentials;
const login = (extra = '') =>
  `<login><userid>${c().userId}</userid><companyid>${c().companyId}</companyid><password>${c().userPassword}</password>${extra}</login>`;
const request = (
  functions: string,
  opts: { control?: string; auth?: string; transaction?: boolean; uniqueid?: string } = {},
) =>
  `<?xml version="1.0" encoding="utf-8"?><request>${
    opts.control ??
    `<control><senderid>${c().senderId}</senderid><password>${c().senderPassword}</password><controlid>r1</controlid><uniqueid>${opts.uniqueid ?? 'false'}</uniqueid><dtdversion>3.0</dtdversion></control>`
  }<operation transaction="${opts.transaction ? 'true' : 'false'}"><authentication>${opts.auth ?? login()}</authentication><content>${functions}</content></operation></request>`;
const post = async (body: string) => {
  const res = await fetch(sim.endpoint, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/xml' },
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};
const fn = (id: string, inner: string) => `<function controlid="${id}">${inner}</function>`;

describe('simulated gateway envelope', () => {
  it('answers a malformed body with a control-level XL03000003 and no operation', async () => {
    const r = await post('<request><control>');
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/xml; encoding="UTF-8"');
    expect(r.text).toContain('<status>failure</status>');
    expect(r.text).toContain('<errorno>XL03000003</errorno>');
    expect(r.text).not.toContain('<operation>');
  });

  it('refuses DTD entity declarations instead of expanding them', async () => {
    const r = await post(
      `<?xml version="1.0"?><!DOCTYPE request [<!ENTITY x "boom">]><request>&x;</request>`,
    );
    expect(r.text).toContain('XL03000003');
    expect(r.text).not.toContain('boom');
  });

  it('rejects control children out of order', async () => {
    const control = `<control><controlid>r</controlid><senderid>${c().senderId}</senderid></control>`;
    expect(
      (await post(request(fn('f', '<inspect><object>*</object></inspect>'), { control }))).text,
    ).toContain('XL03000003');
  });

  it('rejects legacy function elements out of order before running anything', async () => {
    const inv = `<create_invoice><datecreated><year>2030</year><month>01</month><day>01</day></datecreated><customerid>C-1001</customerid><termname>Net 30</termname><invoiceitems><lineitem><glaccountno>4000</glaccountno><amount>1</amount></lineitem></invoiceitems></create_invoice>`;
    const before = sim.records('ARINVOICE').length;
    const r = await post(request(fn('f', inv)));
    expect(r.text).toMatch(/XL03000003[\s\S]*out of order/);
    expect(sim.records('ARINVOICE')).toHaveLength(before);
  });

  it('answers a wrong sender password at control level with XL03000006', async () => {
    const control = `<control><senderid>${c().senderId}</senderid><password>bad</password><controlid>r</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>`;
    const r = await post(request(fn('f', '<inspect><object>*</object></inspect>'), { control }));
    expect(r.text).toMatch(
      /<control><status>failure<\/status>[\s\S]*XL03000006[\s\S]*Partner ID or password/,
    );
  });

  it('answers a wrong user password and an unknown session at authentication level', async () => {
    const wrong = await post(
      request(fn('f', '<inspect><object>*</object></inspect>'), {
        auth: login().replace(c().userPassword, 'x'),
      }),
    );
    expect(wrong.text).toMatch(
      /<authentication><status>failure<\/status>[\s\S]*Sign-in information is incorrect/,
    );
    const session = await post(
      request(fn('f', '<inspect><object>*</object></inspect>'), { auth: '<sessionid>nope..</sessionid>' }),
    );
    expect(session.text).toContain('Invalid session');
  });

  it('returns results in request order echoing function names and control IDs', async () => {
    const r = await post(
      request(
        fn('b', '<readByName><object>ITEM</object><keys>SKU-100</keys><fields>*</fields></readByName>') +
          fn('a', '<read><object>CUSTOMER</object><keys>1</keys><fields>*</fields></read>'),
      ),
    );
    expect(r.text).toMatch(
      /<function>readByName<\/function><controlid>b<\/controlid>[\s\S]*<function>read<\/function><controlid>a<\/controlid>/,
    );
    expect(r.text).toContain('<data listtype="ITEM" count="1"><ITEM>');
  });

  it('returns lower-case rows from readByQuery and upper-case from query with flat dotted columns', async () => {
    const rbq = await post(
      request(
        fn(
          'q',
          "<readByQuery><object>CUSTOMER</object><fields>CUSTOMERID</fields><query>CUSTOMERID = 'C-1001'</query><pagesize>10</pagesize></readByQuery>",
        ),
      ),
    );
    expect(rbq.text).toContain(
      '<data listtype="customer" count="1" totalcount="1" numremaining="0" resultId=""><customer><CUSTOMERID>C-1001</CUSTOMERID></customer></data>',
    );
    const q = await post(
      request(
        fn(
          'q',
          '<query><object>CUSTOMER</object><select><field>DISPLAYCONTACT.EMAIL1</field></select><filter><equalto><field>CUSTOMERID</field><value>C-1001</value></equalto></filter></query>',
        ),
      ),
    );
    expect(q.text).toContain(
      '<CUSTOMER><DISPLAYCONTACT.EMAIL1>ap@acme.example</DISPLAYCONTACT.EMAIL1></CUSTOMER>',
    );
  });

  it('treats an omitted uniqueid as true and refuses a repeated function control ID', async () => {
    const control = `<control><senderid>${c().senderId}</senderid><password>${c().senderPassword}</password><controlid>r</controlid><dtdversion>3.0</dtdversion></control>`;
    const create = (id: string) =>
      fn(
        'same-id',
        `<create><CONTACT><CONTACTNAME>${id}</CONTACTNAME><PRINTAS>${id}</PRINTAS></CONTACT></create>`,
      );
    expect((await post(request(create('U1'), { control }))).text).toContain(
      '<status>success</status><function>create</function>',
    );
    const second = await post(request(create('U2'), { control }));
    expect(second.text).toMatch(/<status>failure<\/status>[\s\S]*already executed/);
    expect(sim.record('CONTACT', 'U2')).toBeUndefined();
  });

  it('rolls back every function of a failed transaction and marks siblings aborted', async () => {
    const ok = fn(
      't1',
      '<create><CONTACT><CONTACTNAME>TX-C</CONTACTNAME><PRINTAS>x</PRINTAS></CONTACT></create>',
    );
    const bad = fn('t2', '<create><CONTACT><CONTACTNAME>TX-D</CONTACTNAME></CONTACT></create>');
    const r = await post(request(ok + bad, { transaction: true }));
    expect(r.text).toMatch(
      /<status>aborted<\/status><function>create<\/function><controlid>t1<\/controlid>[\s\S]*XL03000009/,
    );
    expect(r.text).toMatch(
      /<status>failure<\/status><function>create<\/function><controlid>t2<\/controlid>[\s\S]*PRINTAS[\s\S]*XL03000009/,
    );
    expect(sim.record('CONTACT', 'TX-C')).toBeUndefined();
  });

  it('enforces configured required dimensions on transaction lines', async () => {
    sim.setSettings({ requiredDimensions: ['DEPARTMENTID'] });
    const so = `<create_sotransaction><transactiontype>Sales Order</transactiontype><datecreated><year>2030</year><month>01</month><day>01</day></datecreated><customerid>C-1001</customerid><sotransitems><sotransitem><itemid>SKU-100</itemid><quantity>1</quantity></sotransitem></sotransitems></create_sotransaction>`;
    const r = await post(request(fn('d', so)));
    sim.setSettings({ requiredDimensions: [] });
    expect(r.text).toContain('DEPARTMENTID is required');
  });

  it('injects scripted edge faults: 429 GW-0010, HTML 502 and 524 after committing', async () => {
    sim.injectFaults('429', '502', '524');
    const a = await post(request(fn('f', '<inspect><object>*</object></inspect>')));
    expect(a.status).toBe(429);
    expect(a.text).toContain('GW-0010');
    expect(a.text).not.toContain('<senderid>');
    const b = await post(request(fn('f', '<inspect><object>*</object></inspect>')));
    expect(b).toMatchObject({ status: 502, type: 'text/html' });
    const c524 = await post(
      request(
        fn(
          'f524',
          '<create><CONTACT><CONTACTNAME>AFTER-524</CONTACTNAME><PRINTAS>x</PRINTAS></CONTACT></create>',
        ),
      ),
    );
    expect(c524.status).toBe(524);
    expect(sim.record('CONTACT', 'AFTER-524')).toBeDefined();
  });

  it('counts API transactions per record written and per query call', async () => {
    const before = sim.counters().apiTransactions;
    await post(
      request(
        fn(
          'm',
          '<create><CONTACT><CONTACTNAME>M1</CONTACTNAME><PRINTAS>x</PRINTAS></CONTACT><CONTACT><CONTACTNAME>M2</CONTACTNAME><PRINTAS>y</PRINTAS></CONTACT></create>',
        ) +
          fn(
            'q',
            '<readByQuery><object>CONTACT</object><fields>*</fields><query></query><pagesize>1</pagesize></readByQuery>',
          ),
      ),
    );
    expect(sim.counters().apiTransactions - before).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { where } from '#shared/intacct/functions/filter.ts';
import {
  create,
  deleteRecords,
  query,
  read,
  readByQuery,
  readMore,
  update,
} from '#shared/intacct/functions/generic.ts';
import {
  createArAdjustment,
  createInvoice,
  createSoTransaction,
  deleteCustomer,
  splitDate,
  updateSoTransaction,
} from '#shared/intacct/functions/legacy.ts';
import type { IntacctFunction } from '#shared/intacct/functions/types.ts';
import { buildRequestXml } from '#shared/intacct/request.ts';

const sender = { senderId: 'sid', senderPassword: 'p&w<d' };
const fnXml = (fn: IntacctFunction<unknown>) =>
  buildRequestXml({
    sender,
    controlId: 'r',
    uniqueId: false,
    authentication: { type: 'session', sessionId: 's' },
    functions: [{ controlId: 'f', name: fn.name, body: fn.body }],
  })
    .split('<content>')[1]
    ?.split('</content>')[0];

describe('buildRequestXml', () => {
  it('writes the prolog and the control block in schema order with literal true/false', () => {
    const xml = buildRequestXml({
      sender,
      controlId: 'req-1',
      uniqueId: true,
      transaction: true,
      authentication: { type: 'session', sessionId: 'S..' },
      functions: [],
    });
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(xml).toContain(
      '<control><senderid>sid</senderid><password>p&amp;w&lt;d</password><controlid>req-1</controlid><uniqueid>true</uniqueid><dtdversion>3.0</dtdversion><includewhitespace>false</includewhitespace></control>',
    );
    expect(xml).toContain(
      '<operation transaction="true"><authentication><sessionid>S..</sessionid></authentication>',
    );
  });

  it('writes login authentication with the entity location ID last', () => {
    const xml = buildRequestXml({
      sender,
      controlId: 'r',
      uniqueId: false,
      authentication: { type: 'login', userId: 'u', companyId: 'co', password: 'pw', locationId: 'E100' },
      functions: [],
    });
    expect(xml).toContain(
      '<login><userid>u</userid><companyid>co</companyid><password>pw</password><locationid>E100</locationid></login>',
    );
    expect(xml).toContain('<operation transaction="false">');
  });

  it('escapes function control IDs and values', () => {
    const xml = buildRequestXml({
      sender,
      controlId: 'r',
      uniqueId: true,
      authentication: { type: 'session', sessionId: 's' },
      functions: [
        { controlId: 'a"<b', name: 'readByQuery', body: { query: "NAME = 'Jane\\'s <Deli> & co'" } },
      ],
    });
    expect(xml).toContain('<function controlid="a&quot;&lt;b">');
    expect(xml).toContain('&lt;Deli&gt; &amp; co');
    expect(xml).not.toContain('<Deli>');
  });
});

describe('generic function builders', () => {
  it('groups several records of one create and marks it a write with the caller control ID', () => {
    const fn = create(
      [
        { object: 'CUSTOMER', fields: { CUSTOMERID: 'A', NAME: 'a' } },
        { object: 'CUSTOMER', fields: { CUSTOMERID: 'B', NAME: 'b' } },
      ],
      { controlId: 'acct-1-v3' },
    );
    expect(fn).toMatchObject({ write: true, controlId: 'acct-1-v3' });
    expect(fnXml(fn)).toContain(
      '<create><CUSTOMER><CUSTOMERID>A</CUSTOMERID><NAME>a</NAME></CUSTOMER><CUSTOMER><CUSTOMERID>B</CUSTOMERID>',
    );
  });

  it('sends an empty element to clear a field on update and leaves omitted fields out', () => {
    const xml = fnXml(
      update(
        { object: 'CUSTOMER', fields: { CUSTOMERID: 'A', COMMENTS: null, NAME: undefined } },
        { controlId: 'u' },
      ),
    );
    expect(xml).toContain('<update><CUSTOMER><CUSTOMERID>A</CUSTOMERID><COMMENTS/></CUSTOMER></update>');
  });

  it('joins delete keys and bills one transaction per key', () => {
    const fn = deleteRecords('CUSTOMER', ['1', '2'], { controlId: 'd' });
    expect(fnXml(fn)).toContain('<delete><object>CUSTOMER</object><keys>1,2</keys></delete>');
    expect(fn.transactions({} as never)).toBe(2);
  });

  it('refuses more than 100 read keys and out-of-range page sizes', () => {
    expect(() =>
      read({ object: 'CUSTOMER', keys: Array.from({ length: 101 }, (_, i) => String(i)) }),
    ).toThrow(/100/);
    expect(() => readByQuery({ object: 'CUSTOMER', pagesize: 1001 })).toThrow(/1–1000/);
    expect(() => query({ object: 'CUSTOMER', select: ['RECORDNO'], pagesize: 2001 })).toThrow(/1–2000/);
    expect(() => query({ object: 'CUSTOMER', select: ['*'] })).toThrow(/select/);
  });

  it('writes readByQuery with an empty query meaning all, and readMore by resultId', () => {
    expect(fnXml(readByQuery({ object: 'CUSTOMER' }))).toContain(
      '<object>CUSTOMER</object><fields>*</fields><query/><pagesize>100</pagesize>',
    );
    expect(fnXml(readMore({ resultId: 'x@y' }))).toContain('<readMore><resultId>x@y</resultId></readMore>');
  });

  it('writes the query filter tree, orderby, showprivate, pagesize and offset', () => {
    const xml = fnXml(
      query({
        object: 'CUSTOMER',
        select: ['RECORDNO', 'DISPLAYCONTACT.EMAIL1'],
        filter: where.and(
          where.ge('WHENMODIFIED', '01/01/2026 00:00:01'),
          where.le('WHENMODIFIED', '02/01/2026 00:00:00'),
          where.in('STATUS', ['active']),
        ),
        orderBy: [{ field: 'RECORDNO' }],
        showPrivate: true,
        pagesize: 2000,
        offset: 4000,
      }),
    );
    expect(xml).toContain('<select><field>RECORDNO</field><field>DISPLAYCONTACT.EMAIL1</field></select>');
    expect(xml).toContain(
      '<filter><and><greaterthanorequalto><field>WHENMODIFIED</field><value>01/01/2026 00:00:01</value></greaterthanorequalto><lessthanorequalto>',
    );
    expect(xml).toContain('<in><field>STATUS</field><value>active</value></in></and></filter>');
    expect(xml).toContain(
      '<orderby><order><field>RECORDNO</field><ascending/></order></orderby><options><showprivate>true</showprivate></options><pagesize>2000</pagesize><offset>4000</offset>',
    );
  });

  it('unwraps a one-child and and refuses an empty one', () => {
    expect(fnXml(query({ object: 'X', select: ['A'], filter: where.and(where.isNull('B')) }))).toContain(
      '<filter><isnull><field>B</field></isnull></filter>',
    );
    expect(() => query({ object: 'X', select: ['A'], filter: where.or() })).toThrow(/no children/);
  });
});

describe('legacy function builders', () => {
  it('splits dates into year, month, day from ISO, US and Date inputs', () => {
    expect(splitDate('2026-03-09')).toEqual({ year: '2026', month: '03', day: '09' });
    expect(splitDate('03/09/2026')).toEqual({ year: '2026', month: '03', day: '09' });
    expect(splitDate(new Date(Date.UTC(2026, 2, 9)))).toEqual({ year: '2026', month: '03', day: '09' });
    expect(() => splitDate('March 9')).toThrow(/not a date/);
  });

  it('writes create_sotransaction header and lines in strict schema order', () => {
    const xml = fnXml(
      createSoTransaction(
        {
          transactionType: 'Sales Order',
          dateCreated: '2026-03-09',
          customerId: 'C1',
          referenceNo: 'OPP-1',
          customerPoNumber: 'PO-7',
          currency: { currency: 'USD' },
          lines: [{ itemId: 'SKU', quantity: '2', price: '10', departmentId: 'D1' }],
        },
        { controlId: 'opp-1' },
      ),
    );
    expect(xml).toContain(
      '<create_sotransaction><transactiontype>Sales Order</transactiontype><datecreated><year>2026</year><month>03</month><day>09</day></datecreated><customerid>C1</customerid><referenceno>OPP-1</referenceno><currency>USD</currency><exchratetype/><customerponumber>PO-7</customerponumber><sotransitems><sotransitem><itemid>SKU</itemid><quantity>2</quantity><price>10</price><departmentid>D1</departmentid></sotransitem></sotransitems></create_sotransaction>',
    );
  });

  it('writes update_sotransaction with a key attribute and 1-based line numbers', () => {
    const xml = fnXml(
      updateSoTransaction(
        { key: 'Sales Order-SO-0001', updateLines: [{ lineNum: 1, quantity: '5' }] },
        { controlId: 'u' },
      ),
    );
    expect(xml).toContain(
      '<update_sotransaction key="Sales Order-SO-0001"><updatesotransitems><updatesotransitem line_num="1"><quantity>5</quantity></updatesotransitem>',
    );
  });

  it('needs dateDue or termName on create_invoice and writes lines with glaccountno first', () => {
    expect(() =>
      createInvoice(
        { customerId: 'C', dateCreated: '2026-01-01', lines: [{ glAccountNo: '4000', amount: '1' }] },
        { controlId: 'i' },
      ),
    ).toThrow(/dateDue or termName/);
    const xml = fnXml(
      createInvoice(
        {
          customerId: 'C',
          dateCreated: '2026-01-01',
          termName: 'Net 30',
          lines: [{ glAccountNo: '4000', amount: '10.50', memo: 'm' }],
        },
        { controlId: 'i' },
      ),
    );
    expect(xml).toContain(
      '<termname>Net 30</termname><invoiceitems><lineitem><glaccountno>4000</glaccountno><amount>10.50</amount><memo>m</memo></lineitem></invoiceitems>',
    );
  });

  it('writes create_aradjustment and delete_customer', () => {
    expect(
      fnXml(
        createArAdjustment(
          { customerId: 'C', dateCreated: '2026-01-01', lines: [{ glAccountNo: '4000', amount: '-5' }] },
          { controlId: 'a' },
        ),
      ),
    ).toContain(
      '<aradjustmentitems><lineitem><glaccountno>4000</glaccountno><amount>-5</amount></lineitem></aradjustmentitems>',
    );
    expect(fnXml(deleteCustomer('C&1', { controlId: 'd' }))).toContain(
      '<delete_customer customerid="C&amp;1"/>',
    );
  });
});

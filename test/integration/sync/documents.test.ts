/**
 * Issue 17 on the local pipeline: closed-won Opportunities with their lines become Intacct sales
 * orders — the account synced first, items through the product flow, routed by entity and
 * currency, checked before anything is written — through the real worker, jsforce against the
 * Salesforce simulator and our client against the Intacct simulator. Changes travel by replay
 * and polls only (no outbound messages), so each test decides when a job runs.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import {
  documentConfig,
  documentsOf,
  linesOf,
  quietPoll,
  quietRedrive,
  replay,
  startDocumentStack,
  wonOpportunity,
} from '../../helpers/documents.ts';
import { customersNamed } from '../../helpers/local-stack.ts';
import { failuresOf } from '../../helpers/products.ts';

const run = promisify(execFile);

const config = documentConfig((flow) => {
  const lines = flow('opportunity-order').lines as Record<string, unknown>;
  lines.dimensions = [
    { dimension: 'departmentid', constant: 'D-SALES' },
    { dimension: 'classid', field: 'header.Type', constant: 'NEW' },
  ];
});

describe('closed-won opportunities → Intacct sales orders', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startDocumentStack(config, [
      { id: 'W-1', name: 'Widget', price: 10 },
      { id: 'W-2', name: 'Gizmo', price: 25 },
      { id: 'W-3', name: 'Support hour', price: 150 },
    ]);
  });
  afterAll(() => stack.stop(2000));

  it('turns a won deal with 3 lines whose account is not synced yet into one customer and one sales order, and writes the document back', async () => {
    const { opportunityId, accountId } = wonOpportunity(stack, {
      account: { Name: 'First Deal Ltd', BillingCountry: 'United States' },
      lines: [
        { product: 'W-1', quantity: 3, price: 10 },
        { product: 'W-2', quantity: 2, price: 24.5, discount: 10 },
        { product: 'W-3', quantity: 8, price: 150 },
      ],
    });
    await replay(stack, 'opportunity-order', opportunityId);

    const [customer, ...otherCustomers] = customersNamed(stack, 'First Deal Ltd');
    expect(otherCustomers).toEqual([]);
    expect(stack.salesforce.record('Account', accountId)?.Intacct_Customer_Id__c).toBe(customer?.CUSTOMERID);
    const [doc, ...others] = documentsOf(stack, opportunityId);
    expect(others).toEqual([]);
    expect(doc).toMatchObject({
      DOCPARID: 'Sales Order',
      STATE: 'Pending',
      CUSTVENDID: customer?.CUSTOMERID,
      CURRENCY: 'USD',
      MEGAENTITYID: 'E100',
    });
    expect(
      linesOf(doc).map((l) => [l.ITEMID, l.QUANTITY, l.DISCOUNTPERCENT || '0', l.DEPARTMENTID, l.CLASSID]),
    ).toEqual([
      ['W-1', '3', '0', 'D-SALES', 'NEW'],
      ['W-2', '2', '10', 'D-SALES', 'NEW'],
      ['W-3', '8', '0', 'D-SALES', 'NEW'],
    ]);
    // 3 × 10 + 2 × 24.50 less 10 % + 8 × 150
    expect(Number(doc?.TRX_TOTAL ?? doc?.TOTAL)).toBeCloseTo(30 + 44.1 + 1200, 2);
    expect(stack.salesforce.record('Opportunity', opportunityId)).toMatchObject({
      Intacct_Document_Id__c: doc?.DOCID,
      Intacct_Document_RecordNo__c: doc?.RECORDNO,
      Intacct_Document_State__c: 'Pending',
    });
  });

  it('routes a UK deal to entity E200 in GBP and a US one to E100 in USD', async () => {
    const uk = wonOpportunity(stack, {
      account: { Name: 'Britannia Plc', BillingCountry: 'United Kingdom' },
      currency: 'GBP',
      lines: [{ product: 'W-1', quantity: 1, price: 8 }],
    });
    const us = wonOpportunity(stack, {
      account: { Name: 'Yankee Inc', BillingCountry: 'United States' },
      lines: [{ product: 'W-2', quantity: 4, price: 25 }],
    });
    await replay(stack, 'opportunity-order', uk.opportunityId, false);
    await replay(stack, 'opportunity-order', us.opportunityId);
    expect(documentsOf(stack, uk.opportunityId)).toMatchObject([{ MEGAENTITYID: 'E200', CURRENCY: 'GBP' }]);
    expect(documentsOf(stack, us.opportunityId)).toMatchObject([{ MEGAENTITYID: 'E100', CURRENCY: 'USD' }]);
  });

  it('fails a deal whose product has no Intacct item, naming the product; the item created and a redrive make one document', async () => {
    const product = stack.salesforce.asUser.create('Product2', {
      Name: 'Mystery box',
      ProductCode: 'MYS-1',
      IsActive: true,
    });
    const standard = stack.salesforce.records('Pricebook2').find((b) => b.IsStandard === true);
    stack.salesforce.asUser.create('PricebookEntry', {
      Pricebook2Id: standard?.Id,
      Product2Id: product,
      UnitPrice: 5,
      CurrencyIsoCode: 'USD',
      IsActive: true,
    });
    const { opportunityId } = wonOpportunity(stack, {
      account: { Name: 'Curious Co' },
      lines: [
        { product: 'W-1', quantity: 1, price: 10 },
        { product: 'MYS-1', quantity: 2, price: 5 },
      ],
    });
    await replay(stack, 'opportunity-order', opportunityId);
    const [failure] = await failuresOf(stack, 'opportunity-order', opportunityId);
    expect(failure?.code).toBe('ITEM_NOT_IN_INTACCT');
    expect(failure?.message).toContain('Mystery box');
    expect(failure?.message).toContain('MYS-1');
    expect(failure?.hint).toContain('sfi redrive');
    expect(failure).toMatchObject({ state: 'open', count: 1, class: 'missing-reference' });
    expect(documentsOf(stack, opportunityId)).toEqual([]);
    // The same record failing again is the same failure, counted: no second record.
    await replay(stack, 'opportunity-order', opportunityId);
    expect(await failuresOf(stack, 'opportunity-order', opportunityId)).toMatchObject([
      { state: 'open', count: 2, code: 'ITEM_NOT_IN_INTACCT' },
    ]);

    stack.intacct.userCreate('ITEM', { ITEMID: 'MYS-1', NAME: 'Mystery box', ITEMTYPE: 'Non-Inventory' });
    expect(await quietRedrive(stack)).toBe(2);
    expect(documentsOf(stack, opportunityId)).toHaveLength(1);
    // The record synced: its failure resolved itself, and is kept as resolved.
    expect(await failuresOf(stack, 'opportunity-order', opportunityId)).toMatchObject([
      { state: 'resolved', count: 2, code: 'ITEM_NOT_IN_INTACCT', resolvedAt: expect.any(String) },
    ]);
    expect(linesOf(documentsOf(stack, opportunityId)[0]).map((l) => l.ITEMID)).toEqual(['W-1', 'MYS-1']);
  });

  it('fails a deal dated in a closed period, naming the period; the period reopened and a redrive make one document', async () => {
    stack.intacct.setSettings({ closedBeforeByEntity: { E100: '11/01/2026' }, closedPeriodScope: 'all' });
    const { opportunityId } = wonOpportunity(stack, {
      account: { Name: 'Late Filer LLC' },
      closeDate: '2026-10-15',
      lines: [{ product: 'W-1', quantity: 1, price: 10 }],
    });
    await replay(stack, 'opportunity-order', opportunityId);
    const [failure] = await failuresOf(stack, 'opportunity-order', opportunityId);
    expect(failure?.code).toBe('PERIOD_CLOSED');
    expect(failure?.message).toContain('2026-10');
    expect(failure?.message).toContain('E100');
    expect(documentsOf(stack, opportunityId)).toEqual([]);

    stack.intacct.setSettings({ closedBeforeByEntity: {} });
    expect(await quietRedrive(stack)).toBe(1);
    expect(documentsOf(stack, opportunityId)).toHaveLength(1);
  });

  it('refuses bad input with a clear failure and writes nothing: a negative quantity, a currency the entity lacks, a line whose item was deleted', async () => {
    const before = stack.intacct.counters().byFunction.create_sotransaction ?? 0;
    const negative = wonOpportunity(stack, {
      account: { Name: 'Returns Dept' },
      lines: [{ product: 'W-1', quantity: -2, price: 10 }],
    });
    const euro = wonOpportunity(stack, {
      account: { Name: 'Euro Buyer GmbH', BillingCountry: 'Germany' },
      currency: 'EUR',
      lines: [{ product: 'W-1', quantity: 1, price: 9 }],
    });
    stack.intacct.userCreate('ITEM', {
      ITEMID: 'GONE-1',
      NAME: 'Soon gone',
      ITEMTYPE: 'Non-Inventory',
      BASEPRICE: '1',
    });
    await quietPoll(stack, 'intacct-delta');
    const gone = wonOpportunity(stack, {
      account: { Name: 'Gone Item Corp' },
      lines: [{ product: 'GONE-1', quantity: 1, price: 1 }],
    });
    stack.intacct.userDelete('ITEM', 'GONE-1');
    for (const id of [negative.opportunityId, euro.opportunityId])
      await replay(stack, 'opportunity-order', id, false);
    await replay(stack, 'opportunity-order', gone.opportunityId);

    const codeOf = async (id: string) => (await failuresOf(stack, 'opportunity-order', id))[0];
    expect(await codeOf(negative.opportunityId)).toMatchObject({
      code: 'DOCUMENT_LINE_INVALID',
      message: expect.stringContaining('quantity "-2"'),
    });
    expect(await codeOf(euro.opportunityId)).toMatchObject({
      code: 'CURRENCY_NOT_ENABLED',
      message: expect.stringContaining('EUR'),
    });
    expect(await codeOf(gone.opportunityId)).toMatchObject({
      code: 'ITEM_NOT_IN_INTACCT',
      message: expect.stringContaining('GONE-1'),
    });
    for (const id of [negative.opportunityId, euro.opportunityId, gone.opportunityId])
      expect(documentsOf(stack, id)).toEqual([]);
    expect(stack.intacct.counters().byFunction.create_sotransaction ?? 0).toBe(before);
  });

  it('fails a deal whose customer is private to another entity than the one it routes to', async () => {
    stack.intacct.userCreate(
      'CUSTOMER',
      { CUSTOMERID: 'UK-ONLY', NAME: 'Private Ltd', DISPLAYCONTACT: { PRINTAS: 'Private Ltd' } },
      { entityId: 'E200' },
    );
    const { opportunityId } = wonOpportunity(stack, {
      account: { Name: 'Private Ltd', AccountNumber: 'UK-ONLY' },
      lines: [{ product: 'W-1', quantity: 1, price: 10 }],
    });
    await replay(stack, 'opportunity-order', opportunityId);
    const [failure] = await failuresOf(stack, 'opportunity-order', opportunityId);
    expect(failure).toMatchObject({
      code: 'CUSTOMER_NOT_IN_ENTITY',
      message: expect.stringContaining('E200'),
    });
    expect(documentsOf(stack, opportunityId)).toEqual([]);
  });

  it('ignores a change after the document exists (afterCreate: ignore) and never writes it again', async () => {
    const { opportunityId } = wonOpportunity(stack, {
      account: { Name: 'Steady State Inc' },
      lines: [{ product: 'W-1', quantity: 1, price: 10 }],
    });
    await replay(stack, 'opportunity-order', opportunityId);
    const [doc] = documentsOf(stack, opportunityId);
    const line = stack.salesforce
      .records('OpportunityLineItem')
      .find((l) => l.OpportunityId === opportunityId);
    stack.salesforce.asUser.update('OpportunityLineItem', String(line?.Id), { Quantity: 5 });
    const calls = { ...stack.intacct.counters().byFunction };
    await replay(stack, 'opportunity-order', opportunityId);
    await quietPoll(stack, 'salesforce-delta');
    expect(stack.intacct.counters().byFunction.create_sotransaction).toBe(calls.create_sotransaction);
    expect(stack.intacct.counters().byFunction.update_sotransaction).toBe(calls.update_sotransaction);
    expect(documentsOf(stack, opportunityId)).toEqual([doc]);
  });

  it('fails a deal reopened after its document exists (found by the delta poll), with a hint, and deletes nothing', async () => {
    const { opportunityId } = wonOpportunity(stack, {
      account: { Name: 'Changed Mind Ltd' },
      lines: [{ product: 'W-1', quantity: 1, price: 10 }],
    });
    await replay(stack, 'opportunity-order', opportunityId);
    stack.salesforce.asUser.update('Opportunity', opportunityId, { StageName: 'Negotiation/Review' });
    // The poll reads won records and those that have a document: the reopened deal is seen.
    await quietPoll(stack, 'salesforce-delta');
    const [failure] = await failuresOf(stack, 'opportunity-order', opportunityId);
    expect(failure?.code).toBe('DOCUMENT_SOURCE_WITHDRAWN');
    expect(failure?.hint).toContain('never deletes');
    expect(documentsOf(stack, opportunityId)).toHaveLength(1);
  });

  it('lists open failures with sfi failures (JSON and CSV), and resolves one by hand', async () => {
    const sfi = async (...args: string[]) =>
      (await run(process.execPath, ['bin/sfi.ts', ...args, '--url', stack.runtime.controlUrl])).stdout;
    const open = JSON.parse(await sfi('failures', '--json', '--flow', 'opportunity-order')) as Array<{
      state: string;
      code: string;
      count: number;
      ids: { recordId: string };
    }>;
    expect(open.length).toBeGreaterThanOrEqual(3);
    expect(open.every((f) => f.state === 'open' && f.count >= 1)).toBe(true);
    const invalid = open.find((f) => f.code === 'DOCUMENT_LINE_INVALID');
    expect(invalid).toBeDefined();
    const csv = (await sfi('failures', '--flow', 'opportunity-order', '--csv')).trim().split('\n');
    expect(csv[0]).toBe(
      'state,count,class,flow,code,recordId,salesforceId,intacctKey,firstSeen,lastSeen,message,hint',
    );
    expect(csv.filter((l) => l.includes(String(invalid?.ids.recordId)))).toHaveLength(1);

    const resolved = JSON.parse(
      await sfi('failures', 'resolve', 'opportunity-order', String(invalid?.ids.recordId)),
    );
    expect(resolved).toMatchObject({ resolved: 1 });
    const after = JSON.parse(await sfi('failures', '--json', '--flow', 'opportunity-order')) as typeof open;
    expect(after.some((f) => f.ids.recordId === invalid?.ids.recordId)).toBe(false);
    const all = JSON.parse(
      await sfi('failures', '--all', '--json', '--flow', 'opportunity-order'),
    ) as typeof open;
    expect(all.find((f) => f.ids.recordId === invalid?.ids.recordId)?.state).toBe('resolved');
  });
});

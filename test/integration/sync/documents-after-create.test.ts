/**
 * Issue 17, after creation and beyond Opportunities: with `afterCreate: update` a line change
 * reaches the sales order while Intacct lets it be edited, and is refused with a hint once the
 * order is converted to an invoice; and the same kind, configured for activated Orders with
 * OrderItems (the shipped `order-order` flow switched on), makes the same documents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import {
  documentConfig,
  documentsOf,
  linesOf,
  replay,
  startDocumentStack,
  wonOpportunity,
} from '../../helpers/documents.ts';
import { failuresOf } from '../../helpers/products.ts';

const EXISTING = { field: 'Type', op: 'equals', value: 'Existing Business' };

const config = documentConfig(
  (flow) => {
    const order = flow('opportunity-order');
    order.afterCreate = 'update';
    order.when = [
      { field: 'IsWon', op: 'equals', value: 'true' },
      { ...EXISTING, op: 'notEquals' },
    ];
    flow('order-order').enabled = true;
  },
  [
    // Renewals (existing business) are invoiced in AR directly, by a second flow on the same object.
    {
      name: 'opportunity-invoice',
      kind: 'document',
      salesforceObject: 'Opportunity',
      intacctObject: 'ARINVOICE',
      when: [{ field: 'IsWon', op: 'equals', value: 'true' }, EXISTING],
      target: { function: 'create_invoice', glAccountNo: '4000', termName: 'Net 30' },
      header: { date: 'CloseDate', message: 'Name', currency: 'CurrencyIsoCode' },
      lines: { discount: 'Discount' },
      routing: { default: 'E100' },
      writeBack: { documentId: 'Intacct_Invoice_Id__c' },
    },
  ],
);

describe('documents after creation, and from activated Orders', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startDocumentStack(config, [
      { id: 'U-1', name: 'Seat licence', price: 100 },
      { id: 'U-2', name: 'Onboarding', price: 900 },
    ]);
  });
  afterAll(() => stack.stop(2000));

  it('updates a line quantity and appends a line while the order is editable; after conversion refuses the change with a hint', async () => {
    const { opportunityId } = wonOpportunity(stack, {
      account: { Name: 'Growing Co' },
      lines: [{ product: 'U-1', quantity: 10, price: 100 }],
    });
    await replay(stack, 'opportunity-order', opportunityId);
    const [doc] = documentsOf(stack, opportunityId);
    expect(linesOf(doc).map((l) => l.QUANTITY)).toEqual(['10']);

    const line = stack.salesforce
      .records('OpportunityLineItem')
      .find((l) => l.OpportunityId === opportunityId);
    stack.salesforce.asUser.update('OpportunityLineItem', String(line?.Id), { Quantity: 12 });
    const entry = stack.salesforce
      .records('PricebookEntry')
      .find(
        (e) =>
          e.Product2Id === stack.salesforce.records('Product2').find((p) => p.ProductCode === 'U-2')?.Id &&
          e.CurrencyIsoCode === 'USD',
      );
    stack.salesforce.asUser.create('OpportunityLineItem', {
      OpportunityId: opportunityId,
      PricebookEntryId: entry?.Id,
      Quantity: 1,
      UnitPrice: 900,
    });
    await replay(stack, 'opportunity-order', opportunityId);
    const [updated, ...others] = documentsOf(stack, opportunityId);
    expect(others).toEqual([]);
    expect(updated?.DOCID).toBe(doc?.DOCID);
    expect(linesOf(updated).map((l) => [l.ITEMID, l.QUANTITY])).toEqual([
      ['U-1', '12'],
      ['U-2', '1'],
    ]);
    const updates = stack.intacct.counters().byFunction.update_sotransaction;
    await replay(stack, 'opportunity-order', opportunityId);
    expect(stack.intacct.counters().byFunction.update_sotransaction).toBe(updates);

    stack.intacct.userConvert(String(doc?.DOCID));
    stack.salesforce.asUser.update('OpportunityLineItem', String(line?.Id), { Quantity: 15 });
    await replay(stack, 'opportunity-order', opportunityId);
    const [failure] = await failuresOf(stack, 'opportunity-order', opportunityId);
    expect(failure?.code).toBe('DOCUMENT_NOT_EDITABLE');
    expect(failure?.message).toContain('Converted');
    expect(failure?.hint).toContain('amend');
    expect(linesOf(documentsOf(stack, opportunityId)[0]).map((l) => l.QUANTITY)).toEqual(['12', '1']);
    expect(stack.intacct.counters().byFunction.update_sotransaction).toBe(updates);
  });

  it('invoices a won renewal in AR directly through a second document flow (create_invoice), once', async () => {
    const { opportunityId } = wonOpportunity(stack, {
      account: { Name: 'Renewing Inc' },
      lines: [
        { product: 'U-1', quantity: 10, price: 100, discount: 5 },
        { product: 'U-2', quantity: 1, price: 900 },
      ],
      opportunity: { Type: 'Existing Business' },
    });
    await replay(stack, 'opportunity-invoice', opportunityId, false);
    await replay(stack, 'opportunity-order', opportunityId);
    await replay(stack, 'opportunity-invoice', opportunityId);
    const invoices = stack.intacct.records('ARINVOICE').filter((i) => i.EXTERNALID === opportunityId);
    expect(invoices).toHaveLength(1);
    // 10 × 100 less 5 % + 900, on GL account 4000, terms Net 30
    expect(Number(invoices[0]?.TRX_TOTALENTERED ?? invoices[0]?.TOTALENTERED)).toBeCloseTo(1850, 2);
    expect(invoices[0]).toMatchObject({ TERMNAME: 'Net 30', MEGAENTITYID: 'E100' });
    expect(documentsOf(stack, opportunityId)).toEqual([]);
    expect(stack.salesforce.record('Opportunity', opportunityId)?.Intacct_Invoice_Id__c).toBe(
      invoices[0]?.RECORDNO,
    );
  });

  it('makes one sales order from an activated Order with its OrderItems, by configuration only', async () => {
    const sf = stack.salesforce.asUser;
    const accountId = sf.create('Account', { Name: 'CPQ Customer Inc' });
    const standard = stack.salesforce.records('Pricebook2').find((b) => b.IsStandard === true);
    const orderId = sf.create('Order', {
      AccountId: accountId,
      EffectiveDate: new Date().toISOString().slice(0, 10),
      Status: 'Draft',
      Pricebook2Id: standard?.Id,
      CurrencyIsoCode: 'USD',
    });
    for (const [code, quantity] of [
      ['U-1', 3],
      ['U-2', 1],
    ] as const) {
      const product = stack.salesforce.records('Product2').find((p) => p.ProductCode === code);
      const entry = stack.salesforce
        .records('PricebookEntry')
        .find(
          (e) =>
            e.Product2Id === product?.Id && e.CurrencyIsoCode === 'USD' && e.Pricebook2Id === standard?.Id,
        );
      sf.create('OrderItem', {
        OrderId: orderId,
        PricebookEntryId: entry?.Id,
        Quantity: quantity,
        UnitPrice: entry?.UnitPrice,
      });
    }
    await replay(stack, 'order-order', orderId);
    expect(documentsOf(stack, orderId)).toEqual([]);
    sf.update('Order', orderId, { Status: 'Activated' });
    await replay(stack, 'order-order', orderId);
    const [doc, ...others] = documentsOf(stack, orderId);
    expect(others).toEqual([]);
    expect(linesOf(doc).map((l) => [l.ITEMID, l.QUANTITY])).toEqual([
      ['U-1', '3'],
      ['U-2', '1'],
    ]);
    expect(stack.salesforce.record('Order', orderId)?.Intacct_Document_Id__c).toBe(doc?.DOCID);
  });
});

import { describe, expect, it } from 'vitest';
import { createLogger } from '#shared/observability/logger.ts';
import { documentFlowSchema } from '#shared/sync/document-schema.ts';
import { assemble, linesOf } from '#shared/sync/kinds/document/assemble.ts';
import type { DocumentItem } from '#shared/sync/kinds/document/item.ts';

const flow = documentFlowSchema.parse({
  kind: 'document',
  name: 'opportunity-order',
  salesforceObject: 'Opportunity',
  intacctObject: 'SODOCUMENT',
  lines: {
    discount: 'Discount',
    dimensions: [{ dimension: 'departmentid', field: 'Department__c', required: true }],
  },
});

function item(
  lines: Array<Record<string, string | null>>,
  header: Record<string, string | null> = {},
): DocumentItem {
  return {
    id: '006000000000001AAA',
    messageIds: ['m1'],
    job: {
      v: 1,
      flow: flow.name,
      source: 'salesforce',
      object: 'Opportunity',
      recordId: '006000000000001AAA',
      reason: 'webhook',
      correlationId: 'c1',
      enqueuedAt: '2026-12-02T00:00:00Z',
    },
    logger: createLogger({ service: 'test', level: 'error' }),
    source: {
      id: '006000000000001AAA',
      values: { CloseDate: '2026-11-30', AccountId: '001000000000001AAA', ...header },
      lines,
    },
    // As the runner sets them from the source: the child rows (none empty here).
    rows: linesOf(flow, lines, {}),
    customerId: 'C-1',
    itemIds: lines.map(() => 'W-1'),
  };
}

const line = (over: Record<string, string | null>) => ({
  Id: '00k000000000001AAA',
  Quantity: '2',
  UnitPrice: '10.5',
  Discount: null,
  Department__c: 'D1',
  ...over,
});

describe('assembling a document', () => {
  it('makes one line per row with canonical numbers and the dimension, and hashes equal drafts equally', () => {
    const a = item([line({ Quantity: '2.0', Discount: '12.5' })]);
    const b = item([line({ Quantity: '2', Discount: '12.50' })]);
    assemble(flow, a);
    assemble(flow, b);
    expect(a.outcome).toBeUndefined();
    expect(a.draft?.lines).toEqual([
      {
        source: '00k000000000001AAA',
        itemId: 'W-1',
        quantity: '2',
        price: '10.5',
        discountPercent: '12.5',
        dimensions: { departmentid: 'D1' },
      },
    ]);
    expect(a.hash).toBe(b.hash);
  });

  it.each([
    ['a price that is not a number', { UnitPrice: '12,50' }, 'DOCUMENT_LINE_INVALID', 'price "12,50"'],
    ['a negative quantity', { Quantity: '-1' }, 'DOCUMENT_LINE_INVALID', 'quantity "-1"'],
    ['a discount over 100 %', { Discount: '120' }, 'DOCUMENT_LINE_INVALID', 'discount 120%'],
    ['a required dimension without a value', { Department__c: null }, 'DIMENSION_MISSING', 'DEPARTMENTID'],
  ])('refuses %s, naming the line, with no draft', (_, over, code, text) => {
    const it1 = item([line({}), line(over as Record<string, string | null>)]);
    assemble(flow, it1);
    expect(it1.draft).toBeUndefined();
    expect(it1.outcome).toMatchObject({ status: 'dead', error: { code } });
    const message = it1.outcome?.status === 'dead' ? it1.outcome.error.message : '';
    expect(message).toContain('line 2');
    expect(message).toContain(text);
  });

  it('refuses a record without its document date', () => {
    const it1 = item([line({})], { CloseDate: null });
    assemble(flow, it1);
    expect(it1.outcome).toMatchObject({ status: 'dead', error: { code: 'DOCUMENT_DATE_MISSING' } });
  });
});

/**
 * The dry run of a document flow (closed-won opportunities → sales orders): a deal already a
 * document is skipped, a new one becomes a document (its account created as a customer first),
 * and one whose product has no Intacct item is refused by the pre-flight check — all without a
 * write; then the real backfill does the same at the planned cost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DryRunResult } from '#functions/scheduler/dry-run-task.ts';
import type { LocalStack } from '#local/local-stack.ts';
import {
  documentConfig,
  documentsOf,
  idle,
  replay,
  startDocumentStack,
  wonOpportunity,
} from '../../helpers/documents.ts';
import { writeCounts } from '../../helpers/local-stack.ts';
import { failuresOf } from '../../helpers/products.ts';

const FLOW = 'opportunity-order';

describe('dry-run of a document flow', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startDocumentStack(documentConfig(), [{ id: 'W-1', name: 'Widget', price: 10 }], {
      // The real run's jobs in one batch, as the plan assumes.
      maxBatchingWindowMs: 3000,
    });
  });
  afterAll(() => stack.stop(2000));

  const usage = () => {
    const ia = stack.intacct.counters();
    return {
      intacctRequests: ia.httpRequests - (ia.byFunction.getAPISession ?? 0),
      intacctTransactions: ia.apiTransactions,
      salesforceCalls: stack.salesforce.apiUsage().total,
    };
  };

  it('plans skip, create and a pre-flight refusal without writing, and the backfill follows it', async () => {
    const done = wonOpportunity(stack, {
      account: { Name: 'Done Deal Co' },
      lines: [{ product: 'W-1', quantity: 1, price: 10 }],
    });
    await replay(stack, FLOW, done.opportunityId);
    expect(documentsOf(stack, done.opportunityId)).toHaveLength(1);
    const fresh = wonOpportunity(stack, {
      account: { Name: 'Fresh Deal Co' },
      lines: [{ product: 'W-1', quantity: 4, price: 10 }],
    });
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
    const refused = wonOpportunity(stack, {
      account: { Name: 'Curious Co' },
      lines: [{ product: 'MYS-1', quantity: 2, price: 5 }],
    });

    const snapshot = () => ({
      documents: stack.intacct.records('SODOCUMENT'),
      customers: stack.intacct.records('CUSTOMER'),
      opportunities: stack.salesforce.records('Opportunity'),
      accounts: stack.salesforce.records('Account'),
      writes: writeCounts(stack),
    });
    const before = snapshot();
    const plan = (await stack.runtime.invokeScheduler({ op: 'dry-run', flow: FLOW })) as DryRunResult;
    expect(snapshot()).toEqual(before);
    expect((await stack.runtime.queueDepths()).jobs).toEqual({ visible: 0, inFlight: 0, delayed: 0 });

    expect(plan.counts).toEqual({ create: 1, update: 0, link: 0, skip: 1, fail: 1 });
    const item = (id: string) => plan.items.find((i) => i.recordId === id);
    expect(item(done.opportunityId)).toMatchObject({ action: 'skip', detail: 'skip:exists' });
    expect(item(fresh.opportunityId)).toMatchObject({
      action: 'create',
      diff: { 'SODOCUMENT.line 1': { from: null, to: '4 × W-1 @ 10' } },
    });
    expect(item(fresh.opportunityId)?.intacctKey).toBeUndefined();
    expect(item(refused.opportunityId)).toMatchObject({
      action: 'fail',
      code: 'ITEM_NOT_IN_INTACCT',
      retryable: false,
    });
    expect(item(refused.opportunityId)?.message).toContain('Mystery box');

    const costBefore = usage();
    await stack.runtime.invokeScheduler({ op: 'backfill', flow: FLOW });
    await idle(stack);
    const costAfter = usage();
    expect(documentsOf(stack, done.opportunityId)).toHaveLength(1);
    expect(documentsOf(stack, fresh.opportunityId)).toMatchObject([{ STATE: expect.any(String) }]);
    expect(documentsOf(stack, refused.opportunityId)).toEqual([]);
    expect((await failuresOf(stack, FLOW, refused.opportunityId)).map((f) => f.code)).toEqual([
      'ITEM_NOT_IN_INTACCT',
    ]);
    for (const what of ['intacctRequests', 'intacctTransactions', 'salesforceCalls'] as const) {
      const spent = costAfter[what] - costBefore[what];
      expect(
        Math.abs(spent - plan.cost[what]),
        `${what}: planned ${plan.cost[what]}, spent ${spent}`,
      ).toBeLessThanOrEqual(0.02 * spent);
    }
  }, 60_000);
});

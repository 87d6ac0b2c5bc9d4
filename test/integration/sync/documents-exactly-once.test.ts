/**
 * Issue 17, "exactly once": one document per won Opportunity through duplicate deliveries, a
 * delta poll, two invocations holding the record at the same moment, a worker that died after
 * Intacct committed (its claim still live, no link), and a timeout after the commit. The worker
 * hands every record of a batch to its own concurrent invocation of the real handler.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '#local/aws/embedded-aws.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { dynamoCrosswalk } from '#shared/aws/crosswalk.ts';
import type { Job } from '#shared/jobs/job.ts';
import {
  documentConfig,
  documentsOf,
  idle,
  quietPoll,
  startDocumentStack,
  wonOpportunity,
} from '../../helpers/documents.ts';
import { enqueue, linksOf, probedWorker } from '../../helpers/pipeline-jobs.ts';

const FLOW = 'opportunity-order';

const job = (opportunityId: string): Job => ({
  v: 1,
  flow: FLOW,
  source: 'salesforce',
  object: 'Opportunity',
  recordId: opportunityId,
  reason: 'webhook',
  notificationId: `04l${randomUUID().replace(/-/g, '').slice(0, 15)}`,
  correlationId: randomUUID(),
  enqueuedAt: new Date().toISOString(),
});

const config = documentConfig();

describe('one document per won Opportunity, ever', () => {
  let stack: LocalStack;
  const worker = probedWorker({ split: true });
  beforeAll(async () => {
    stack = await startDocumentStack(config, [{ id: 'X-1', name: 'Widget', price: 10 }], {
      handlers: { worker: worker.handler },
    });
  });
  afterAll(() => stack.stop(2000));

  const deal = (name: string) =>
    wonOpportunity(stack, { account: { Name: name }, lines: [{ product: 'X-1', quantity: 2, price: 10 }] });

  it('makes one document from three deliveries, two of them in concurrent invocations, and a delta poll', async () => {
    const { opportunityId } = deal('Many Deliveries Inc');
    const parallelBefore = worker.probe.maxParallel;
    await enqueue(stack, [job(opportunityId), job(opportunityId), job(opportunityId)]);
    await idle(stack);
    await quietPoll(stack, 'salesforce-delta');
    expect(worker.probe.maxParallel).toBeGreaterThanOrEqual(Math.max(2, parallelBefore));
    expect(documentsOf(stack, opportunityId)).toHaveLength(1);
    expect(stack.intacct.records('CUSTOMER').filter((c) => c.NAME === 'Many Deliveries Inc')).toHaveLength(1);
    const links = await linksOf(stack, FLOW, [opportunityId]);
    expect(links.get(opportunityId)?.intacctKey).toBe(documentsOf(stack, opportunityId)[0]?.DOCID);
  });

  it('links the document a worker created before it died (claim still live, no link) instead of making a second', async () => {
    const { opportunityId, accountId } = deal('Crashed Worker LLC');
    // What the dead worker left: the customer synced, the document committed, its claim live for 3 s.
    await enqueue(stack, [{ ...job(accountId), flow: 'account-customer', object: 'Account' }]);
    await idle(stack);
    const customerId = String(stack.salesforce.record('Account', accountId)?.Intacct_Customer_Id__c);
    const committed = stack.intacct.userCreate(
      'SODOCUMENT',
      {
        DOCPARID: 'Sales Order',
        DOCNO: 'SO-CRASH',
        DOCID: 'Sales Order-SO-CRASH',
        STATE: 'Pending',
        CUSTVENDID: customerId,
        EXTERNALID: opportunityId,
      },
      { entityId: 'E100' },
    );
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient(localClientConfig(stack.runtime.aws.dynamodbEndpoint)),
    );
    const crosswalk = dynamoCrosswalk({ db, table: stack.runtime.aws.tables.crosswalk });
    expect(await crosswalk.claim(FLOW, `document#${opportunityId}`, 'the-dead-worker', 3)).toEqual({
      held: true,
    });

    const creates = stack.intacct.counters().byFunction.create_sotransaction ?? 0;
    await enqueue(stack, [job(opportunityId)]);
    await idle(stack);
    await new Promise((r) => setTimeout(r, 3500));
    await idle(stack);
    expect(documentsOf(stack, opportunityId).map((d) => d.DOCID)).toEqual([committed.DOCID]);
    expect(stack.intacct.counters().byFunction.create_sotransaction ?? 0).toBe(creates);
    expect(stack.salesforce.record('Opportunity', opportunityId)?.Intacct_Document_Id__c).toBe(
      committed.DOCID,
    );
    const receives = worker.probe.receives.filter((r) => r.recordId === opportunityId);
    expect(Math.max(...receives.map((r) => r.receiveCount))).toBeGreaterThan(1);
  });

  it('finds the document by its reference after Intacct committed it and the response timed out (524)', async () => {
    const { opportunityId, accountId } = deal('Slow Gateway Co');
    await enqueue(stack, [{ ...job(accountId), flow: 'account-customer', object: 'Account' }]);
    await idle(stack);
    stack.intacct.setFaults({ timeoutAfter: { name: 'create_sotransaction', count: 1 } });
    const faults = stack.intacct.counters().faultsInjected['524'] ?? 0;
    await enqueue(stack, [job(opportunityId)]);
    await idle(stack);
    expect(stack.intacct.counters().faultsInjected['524']).toBe(faults + 1);
    expect(documentsOf(stack, opportunityId)).toHaveLength(1);
    expect(stack.salesforce.record('Opportunity', opportunityId)?.Intacct_Document_Id__c).toBe(
      documentsOf(stack, opportunityId)[0]?.DOCID,
    );
  });
});

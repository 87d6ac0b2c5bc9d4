/**
 * The projection kind under concurrency and reordering (DESIGN §5): two invocations writing the
 * same item's prices at once leave one entry per book; an older version arriving after a newer
 * one changes nothing; the same for full-capture stock reads.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import type { Job } from '#shared/jobs/job.ts';
import type { MirrorFlow } from '#shared/sync/flow-schema.ts';
import { testConfig } from '../../helpers/config.ts';
import { status } from '../../helpers/local-stack.ts';
import { deltaJob, enqueue, probedWorker, startQuietStack } from '../../helpers/pipeline-jobs.ts';
import { entriesOf } from '../../helpers/products.ts';

const config = testConfig();
const products = config.flows.find((f) => f.name === 'product-item') as MirrorFlow;
const worker = probedWorker({ split: true });

/** A projection job as the poll enqueues it: the source figures and their version. */
function projectionJob(
  flow: string,
  object: string,
  recordId: string,
  version: string,
  snapshot: Job['snapshot'],
): Job {
  return {
    v: 1,
    flow,
    source: 'intacct',
    object,
    recordId,
    reason: 'delta',
    version,
    correlationId: randomUUID(),
    snapshot,
    enqueuedAt: new Date().toISOString(),
  };
}

describe('projections under concurrency and reordering', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startQuietStack(config, worker.handler);
  });
  afterAll(() => stack.stop(2000));

  const idle = async () => {
    const doc = await status(stack, 45);
    expect(doc.idle).toBe(true);
    return doc;
  };
  /** An item synced to a product through its mirror job; answers the product's ID. */
  const linkedProduct = async (itemId: string) => {
    const item = stack.intacct.userCreate('ITEM', {
      ITEMID: itemId,
      NAME: itemId,
      ITEMTYPE: 'Kit',
      BASEPRICE: '1',
    });
    await enqueue(stack, [deltaJob(products, 'intacct', item)]);
    await idle();
    const [product] = stack.salesforce.records('Product2').filter((p) => p.Intacct_Item_Id__c === itemId);
    return product?.Id;
  };
  const price = (itemId: string, version: string, value: string) =>
    projectionJob('item-prices', 'ITEM', itemId, version, {
      RECORDNO: '1',
      WHENMODIFIED: version,
      ITEMID: itemId,
      BASEPRICE: value,
      STATUS: 'active',
    });

  it('two invocations creating one item’s price at once leave one entry', async () => {
    const product = await linkedProduct('RACE-P');
    const before = worker.probe.maxParallel;
    worker.probe.maxParallel = 0;
    await enqueue(stack, [
      price('RACE-P', '12/01/2026 10:00:00', '7'),
      price('RACE-P', '12/01/2026 10:00:00', '7'),
    ]);
    await idle();
    expect(worker.probe.maxParallel).toBe(2);
    worker.probe.maxParallel = Math.max(before, 2);
    expect(entriesOf(stack, product)).toMatchObject([{ UnitPrice: 7 }]);
    expect((await status(stack)).queues.dlq.visible).toBe(0);
  });

  it('an older price arriving after a newer one changes nothing', async () => {
    const product = await linkedProduct('ORDER-P');
    await enqueue(stack, [price('ORDER-P', '12/01/2026 11:00:00', '20')]);
    await idle();
    await enqueue(stack, [price('ORDER-P', '12/01/2026 10:00:00', '10')]);
    await idle();
    expect(entriesOf(stack, product)).toMatchObject([{ UnitPrice: 20 }]);
  });

  it('an older stock read arriving after a newer one changes nothing', async () => {
    const product = await linkedProduct('ORDER-S');
    const stock = (readAt: string, onHand: string) =>
      projectionJob('item-stock', 'ITEMWAREHOUSEINFO', 'ORDER-S', readAt, {
        RECORDNO: '1',
        WHENMODIFIED: null,
        ITEMID: 'ORDER-S',
        QTYONHAND: onHand,
        QTYONHOLD: '0',
        QTYRESERVED: '0',
        QTYALLOCATED: '0',
      });
    await enqueue(stack, [stock('2026-12-01T11:00:00.000Z', '5')]);
    await idle();
    await enqueue(stack, [stock('2026-12-01T10:00:00.000Z', '9')]);
    await idle();
    expect(stack.salesforce.record('Product2', String(product))).toMatchObject({
      Intacct_Quantity_On_Hand__c: 5,
      Intacct_Quantity_Available__c: 5,
    });
  });
});

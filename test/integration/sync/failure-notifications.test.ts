/**
 * Issue 15 on the local pipeline: a permanent failure becomes one open failure, the failure digest
 * (the scheduler through the SNS SDK to fauxqs's topic) tells about it once with its fix, and once
 * the data is fixed and the job redriven, the failure resolves itself and no digest follows.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { DIGEST_SCHEDULE } from '#shared/config/notifications-config.ts';
import {
  documentConfig,
  documentsOf,
  quietRedrive,
  replay,
  startDocumentStack,
  wonOpportunity,
} from '../../helpers/documents.ts';
import { runSchedule } from '../../helpers/local-stack.ts';
import { failuresOf } from '../../helpers/products.ts';

const run = promisify(execFile);
const FLOW = 'opportunity-order';

interface Notification {
  subject: string;
  message: string;
  flow: string;
  failures: number;
}

describe('failure notifications', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startDocumentStack(documentConfig(), [{ id: 'W-1', name: 'Widget', price: 10 }]);
  });
  afterAll(() => stack.stop(2000));

  const sfi = async (...args: string[]) =>
    (await run('node', ['bin/sfi.ts', ...args, '--url', stack.runtime.controlUrl])).stdout;
  const notifications = async () =>
    JSON.parse(await sfi('notifications', '--json', '--flow', FLOW)) as Notification[];

  it('tells once about a new permanent failure with its fix, and nothing after the fix resolved it', async () => {
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
      lines: [{ product: 'MYS-1', quantity: 2, price: 5 }],
    });

    // Nothing failed yet: the digest sends nothing.
    await runSchedule(stack, DIGEST_SCHEDULE);
    expect(await notifications()).toEqual([]);

    // A permanent failure, then the same record and code again: one open failure, counted.
    await replay(stack, FLOW, opportunityId);
    await replay(stack, FLOW, opportunityId);
    const [failure, ...others] = await failuresOf(stack, FLOW, opportunityId);
    expect(others).toEqual([]);
    expect(failure).toMatchObject({ state: 'open', count: 2, code: 'ITEM_NOT_IN_INTACCT' });

    // One digest, listing it with its cause, class, IDs, count and fix.
    await runSchedule(stack, DIGEST_SCHEDULE);
    const sent = await notifications();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      flow: FLOW,
      failures: 1,
      subject: `sfi: 1 new failure in ${FLOW}`,
    });
    const text = sent[0]?.message ?? '';
    expect(text).toContain('ITEM_NOT_IN_INTACCT (missing-reference), 2 times');
    expect(text).toContain(`record: ${opportunityId}; Salesforce: ${opportunityId}`);
    expect(text).toContain('Mystery box');
    expect(text).toContain(`fix: ${failure?.hint}`);
    expect(failure?.hint).toContain('sfi redrive');
    // The text form of `sfi notifications` shows the same digest.
    expect(await sfi('notifications')).toContain(`sfi: 1 new failure in ${FLOW}`);

    // The digest again: nothing new, nothing sent.
    await runSchedule(stack, DIGEST_SCHEDULE);
    expect(await notifications()).toHaveLength(1);

    // The data fixed, the dead jobs redriven: synced, and the failure resolved on its own.
    stack.intacct.userCreate('ITEM', { ITEMID: 'MYS-1', NAME: 'Mystery box', ITEMTYPE: 'Non-Inventory' });
    expect(await quietRedrive(stack)).toBe(2);
    expect(documentsOf(stack, opportunityId)).toHaveLength(1);
    expect(await failuresOf(stack, FLOW, opportunityId)).toMatchObject([
      { state: 'resolved', code: 'ITEM_NOT_IN_INTACCT' },
    ]);

    // The next digest sends nothing.
    await runSchedule(stack, DIGEST_SCHEDULE);
    expect(await notifications()).toHaveLength(1);
  });

  it('lists the digest schedule in /status and answers an unknown flow with 400', async () => {
    const status = (await (await fetch(`${stack.runtime.controlUrl}/status`)).json()) as {
      schedules: Array<{ name: string; rate?: string; lastRun?: { status: string; detail?: string } }>;
    };
    expect(status.schedules.find((s) => s.name === DIGEST_SCHEDULE)).toMatchObject({
      rate: '60 minutes',
      lastRun: { status: 'ok', detail: 'no new failures: nothing sent' },
    });
    const response = await fetch(`${stack.runtime.controlUrl}/notifications?flow=nope`);
    expect(response.status).toBe(400);
  });
});

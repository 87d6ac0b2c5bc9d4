/**
 * What time alone changes (issue 13): an invoice falls overdue on a day when nothing about it
 * changes in Intacct, so no delta poll sees it. The daily re-check finds invoices that crossed
 * the threshold lately and re-evaluates their customers' credit status (one Task for the move into
 * Overdue) and recomputes their Accounts' overdue roll-ups. Here the alert listens to customers
 * only (no `poll.also`), so only the re-check can notice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { documentConfig, quietPoll, startDocumentStack } from '../../helpers/documents.ts';
import { intacctToday, one, recordsOf } from '../../helpers/receivables.ts';

let stack: LocalStack;

const config = {
  ...documentConfig((flow) => {
    (flow('credit-status').poll as Record<string, unknown>).also = [];
  }),
};
// No overlap: a poll must not re-read the customer by chance (that would re-evaluate it too).
config.delta = { ...config.delta, overlapSeconds: 0 };

beforeAll(async () => {
  stack = await startDocumentStack(config, []);
}, 90_000);
afterAll(() => stack?.stop());

describe('the daily re-check', () => {
  it('an invoice past 30 days overdue that no poll saw: status Overdue and one Task after the re-check, none on the next', async () => {
    const accountId = stack.salesforce.asUser.create('Account', { Name: 'Slow Payer Co' });
    await quietPoll(stack, 'salesforce-delta', 'intacct-delta');
    const customerId = String(one(stack, 'Account', accountId).Intacct_Customer_Id__c);
    // Another customer a second later moves the Intacct watermark past this one.
    await new Promise((r) => setTimeout(r, 1100));
    stack.intacct.userCreate('CUSTOMER', {
      CUSTOMERID: 'C-LATER',
      NAME: 'Later Customer',
      DISPLAYCONTACT: { PRINTAS: 'Later Customer' },
    });
    await quietPoll(stack, 'intacct-delta');
    stack.intacct.userCreate('ARINVOICE', {
      CUSTOMERID: customerId,
      WHENCREATED: intacctToday(-61),
      WHENDUE: intacctToday(-31),
      RECORDID: 'INV-OLD-1',
      CURRENCY: 'USD',
      TOTALENTERED: '700',
    });
    // Fell due yesterday: its Account's overdue amount was computed the day before (stale now).
    stack.intacct.userCreate('ARINVOICE', {
      CUSTOMERID: customerId,
      WHENCREATED: intacctToday(-30),
      WHENDUE: intacctToday(-1),
      RECORDID: 'INV-NEW-1',
      CURRENCY: 'USD',
      TOTALENTERED: '300',
    });
    await quietPoll(stack, 'intacct-delta');
    expect(one(stack, 'Account', accountId).Intacct_Credit_Status__c).toBe('OK');
    // As it was computed before the second invoice's due date passed.
    stack.salesforce.asUser.update('Account', accountId, { Intacct_Overdue_Amount__c: 0 });

    await quietPoll(stack, 'receivables-daily');
    const account = one(stack, 'Account', accountId);
    expect(account).toMatchObject({ Intacct_Credit_Status__c: 'Overdue', Intacct_Overdue_Amount__c: 1000 });
    const tasks = recordsOf(stack, 'Task', (t) => t.WhatId === accountId);
    expect(tasks).toHaveLength(1);
    expect(String(tasks[0]?.Description)).toContain('overdue invoices: 1');

    await quietPoll(stack, 'receivables-daily');
    expect(recordsOf(stack, 'Task', (t) => t.WhatId === accountId)).toHaveLength(1);
  }, 90_000);
});

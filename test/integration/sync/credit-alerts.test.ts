/**
 * Credit status alerts (issue 13), on the local pipeline: the Account shows the customer's credit
 * status, and each transition into a bad state makes exactly one high-priority Task for the
 * Account's owner — through repeated polls, duplicate deliveries of the same job at once, and a
 * Task that an earlier attempt made before it could record it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { documentConfig, quietPoll, startDocumentStack } from '../../helpers/documents.ts';
import { intacctToday, one, recordsOf, replayIntacct } from '../../helpers/receivables.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startDocumentStack(documentConfig(), []);
}, 90_000);
afterAll(() => stack?.stop());

async function syncedCustomer(name: string): Promise<{ accountId: string; customerId: string }> {
  const accountId = stack.salesforce.asUser.create('Account', { Name: name });
  await quietPoll(stack, 'salesforce-delta', 'intacct-delta');
  const customerId = String(one(stack, 'Account', accountId).Intacct_Customer_Id__c ?? '');
  expect(customerId).not.toBe('');
  return { accountId, customerId };
}

const tasksOf = (accountId: string) => recordsOf(stack, 'Task', (t) => t.WhatId === accountId);
const statusOf = (accountId: string) => one(stack, 'Account', accountId).Intacct_Credit_Status__c;

describe('credit status alerts', () => {
  it('credit hold: On hold and one Task through 5 polls and duplicate deliveries; cleared: OK, no Task; on again: a second Task', async () => {
    const { accountId, customerId } = await syncedCustomer('Hold Me Inc');
    expect(statusOf(accountId)).toBe('OK');
    expect(tasksOf(accountId)).toEqual([]);

    stack.intacct.userUpdate('CUSTOMER', customerId, { ONHOLD: 'true' });
    for (let n = 0; n < 5; n++) await quietPoll(stack, 'intacct-delta');
    await replayIntacct(stack, 'credit-status', customerId, 6);
    expect(statusOf(accountId)).toBe('On hold');
    const [task, ...more] = tasksOf(accountId);
    expect(more).toEqual([]);
    expect(task).toMatchObject({
      Priority: 'High',
      Status: 'Not Started',
      OwnerId: one(stack, 'Account', accountId).OwnerId,
      ActivityDate: new Date().toISOString().slice(0, 10),
    });
    expect(String(task?.Subject)).toContain('On hold');
    expect(String(task?.Description)).toContain('was "OK"');

    stack.intacct.userUpdate('CUSTOMER', customerId, { ONHOLD: 'false' });
    await quietPoll(stack, 'intacct-delta', 'intacct-delta');
    expect(statusOf(accountId)).toBe('OK');
    expect(tasksOf(accountId)).toHaveLength(1);

    stack.intacct.userUpdate('CUSTOMER', customerId, { ONHOLD: 'true' });
    await quietPoll(stack, 'intacct-delta');
    await replayIntacct(stack, 'credit-status', customerId, 4);
    expect(statusOf(accountId)).toBe('On hold');
    expect(tasksOf(accountId)).toHaveLength(2);
  }, 120_000);

  it('over limit: an invoice takes the total past the credit limit, one Task; paid down, OK', async () => {
    const { accountId, customerId } = await syncedCustomer('Big Spender LLC');
    stack.intacct.userUpdate('CUSTOMER', customerId, { CREDITLIMIT: '1000' });
    await quietPoll(stack, 'intacct-delta');
    expect(statusOf(accountId)).toBe('OK');

    // The invoice raises TOTALDUE without touching the customer: the poll of invoices names it.
    const ar = stack.intacct.userCreate('ARINVOICE', {
      CUSTOMERID: customerId,
      WHENCREATED: intacctToday(),
      WHENDUE: intacctToday(30),
      RECORDID: 'INV-L-1',
      CURRENCY: 'USD',
      TOTALENTERED: '1500',
    });
    for (let n = 0; n < 5; n++) await quietPoll(stack, 'intacct-delta');
    await replayIntacct(stack, 'credit-status', customerId, 5);
    expect(statusOf(accountId)).toBe('Over limit');
    const tasks = tasksOf(accountId);
    expect(tasks).toHaveLength(1);
    expect(String(tasks[0]?.Description)).toContain('CREDITLIMIT: 1000');

    stack.intacct.userCreate('ARPYMT', {
      PAYMENTMETHOD: 'EFT',
      RECEIPTDATE: intacctToday(),
      CUSTOMERID: customerId,
      UNDEPOSITEDACCOUNTNO: '1000',
      CURRENCY: 'USD',
      ARPYMTDETAILS: { ARPYMTDETAIL: [{ RECORDKEY: String(ar.RECORDNO), TRX_PAYMENTAMOUNT: '800' }] },
    });
    await quietPoll(stack, 'intacct-delta');
    expect(statusOf(accountId)).toBe('OK');
    expect(tasksOf(accountId)).toHaveLength(1);
  }, 120_000);

  it('a Task an earlier attempt made but could not record is found, not made again', async () => {
    const { accountId, customerId } = await syncedCustomer('Crashed Before Ltd');
    // The key the next transition (the first after first sight) carries.
    stack.salesforce.asUser.create('Task', {
      Subject: 'Credit status: On hold — made by the attempt that crashed',
      WhatId: accountId,
      Priority: 'High',
      Intacct_Alert_Key__c: `credit-status:${customerId}:1`,
    });
    stack.intacct.userUpdate('CUSTOMER', customerId, { ONHOLD: 'true' });
    await quietPoll(stack, 'intacct-delta', 'intacct-delta');
    expect(statusOf(accountId)).toBe('On hold');
    expect(tasksOf(accountId)).toHaveLength(1);
  }, 60_000);
});

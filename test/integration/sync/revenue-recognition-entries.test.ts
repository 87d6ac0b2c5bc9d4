/**
 * The revenue reconciliation from posted revenue recognition schedule entries, and how a row
 * follows its account: an account with bookings but no Intacct customer has a row of its own
 * (reported as unlinked) until the account flow links it, then the customer's row replaces it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { status } from '../../helpers/local-stack.ts';
import { sfi } from '../../helpers/ops.ts';
import { customers, rows, run, savedReport, start } from '../../helpers/revenue.ts';

describe('revenue reconciliation from revenue recognition schedule entries', () => {
  let stack: LocalStack;
  let accounts: Record<string, string>;
  let octoberEntry: string;
  beforeAll(async () => {
    stack = await start({ source: 'revrec-entries' });
    accounts = await customers(stack);
    const { entries } = stack.intacct.seedRevRecSchedule({
      customerId: 'C-A',
      entries: [
        { postingDate: '2026-08-31', amount: 300, posted: true },
        { postingDate: '2026-09-30', amount: 300.25, posted: true },
        { postingDate: '2026-10-31', amount: 300, posted: false },
      ],
    });
    octoberEntry = String(entries[2]?.RECORDNO ?? entries[2]?.recordNo);
    stack.intacct.seedRevRecSchedule({
      customerId: 'C-B',
      entries: [{ postingDate: '2026-08-15', amount: 100, posted: true }],
    });
  }, 90_000);
  afterAll(() => stack?.stop());

  it('sums posted entries by posting month, leaves unposted ones out, and writes no row for an empty month', async () => {
    expect((await run(stack, '2026-08..2026-10')).status).toBe('ok');
    const have = rows(stack);
    expect([...have.keys()].sort()).toEqual([
      '2026-08:C-A',
      '2026-08:C-B',
      '2026-08:TOTAL',
      '2026-09:C-A',
      '2026-09:TOTAL',
    ]);
    expect(have.get('2026-09:C-A')).toMatchObject({ Recognised__c: 300.25, Account__c: accounts['C-A'] });
    expect(have.get('2026-08:TOTAL')).toMatchObject({ Recognised__c: 400, Booked__c: 0 });
    expect(String(have.get('2026-08:TOTAL')?.Sources__c)).toContain('REVRECSCHEDULEENTRY');

    stack.intacct.userPostRevRecEntry(octoberEntry);
    await run(stack, '2026-10');
    expect(rows(stack).get('2026-10:C-A')).toMatchObject({ Recognised__c: 300 });
  });

  it('keeps an unlinked account in a row of its own, and moves it to the customer row once linked', async () => {
    const solo = stack.salesforce.asUser.create('Account', { Name: 'Solo Co', AccountNumber: 'SOLO-1' });
    stack.salesforce.asUser.create('Opportunity', {
      Name: 'solo deal',
      AccountId: solo,
      StageName: 'Closed Won',
      CloseDate: '2026-08-20',
      Amount: 500,
    });
    await run(stack, '2026-08');
    expect(rows(stack).get(`2026-08:SF-${solo}`)).toMatchObject({
      Account__c: solo,
      Intacct_Customer_Id__c: null,
      Booked__c: 500,
      Recognised__c: 0,
      Variance_Percent__c: -100,
    });
    expect((await savedReport(stack))?.periods[0]?.unlinkedAccounts).toEqual([
      { accountId: solo, booked: '500.00' },
    ]);

    await stack.runtime.runSchedule('salesforce-delta');
    expect((await status(stack, 30)).idle).toBe(true);
    const customerId = String(stack.salesforce.record('Account', solo)?.Intacct_Customer_Id__c);
    expect(customerId).toBe('SOLO-1');
    await run(stack, '2026-08');
    const have = rows(stack);
    expect(have.has(`2026-08:SF-${solo}`)).toBe(false);
    expect(have.get('2026-08:SOLO-1')).toMatchObject({ Account__c: solo, Booked__c: 500 });
    expect(have.get('2026-08:TOTAL')).toMatchObject({ Booked__c: 500, Recognised__c: 400 });
  });

  it('runs from sfi run-schedule with a period range, and refuses a backwards range changing nothing', async () => {
    const dml = stack.salesforce.apiUsage().dml;
    const ok = await sfi(stack, 'run-schedule', 'revenue-reconciliation', '--period', '2026-08..2026-10');
    expect(ok.code).toBe(0);
    const printed = JSON.parse(ok.stdout) as { run: { status: string; detail: string } };
    expect(printed.run.status).toBe('ok');
    expect(printed.run.detail).toContain('revenue-reconciliation 2026-08: 4 rows, 0 written');
    expect(stack.salesforce.apiUsage().dml).toBe(dml);
    const shown = await sfi(stack, 'status');
    expect(shown.stdout).toMatch(
      /revenue-reconciliation +cron\(0 6 2 \* \? \*\)|revenue-reconciliation +0 6 2/,
    );
    expect(shown.stdout).toContain('    revenue-reconciliation 2026-10: 2 rows, 0 written');

    const bad = await sfi(stack, 'run-schedule', 'revenue-reconciliation', '--period', '2026-10..2026-08');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('ends before it starts');
    expect(stack.salesforce.apiUsage().dml).toBe(dml);
  });
});

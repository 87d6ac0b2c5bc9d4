/**
 * `sfi console` in a real browser (issue 15, Must show): headless Chromium opens the console for a
 * local stack, through startConsole over the OpsContext `sfi` builds (openTarget on the control URL,
 * everything through the AWS SDK). A seeded permanent failure shows with its class, cause, fix and
 * both IDs; the data fixed, its Redrive button moves the job out of the DLQ and the record syncs,
 * its failure resolving on its own; the activity list shows what was written where. `sfi local`'s
 * control URL serves the same page. CONSOLE_SCREENSHOT=docs/console.png saves the page as seeded.
 */

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { startConsole } from '#shared/ops/console/server.ts';
import type { OpsContext } from '#shared/ops/context.ts';
import { queueDepths } from '#shared/ops/ops-status.ts';
import { openTarget } from '#shared/ops/target.ts';
import { launchChromium } from '../../helpers/browser.ts';
import { eventually } from '../../helpers/config.ts';
import { settle } from '../../helpers/local-stack.ts';
import { accountsOnlyConfig } from '../../helpers/ops.ts';

describe('the console in a browser', () => {
  let stack: LocalStack;
  let context: OpsContext & { close(): void };
  let served: { url: string; close(): Promise<void> };
  let browser: Browser;
  let page: Page;
  /** A page that never refreshes by itself: it still shows the failure after it resolved. */
  let stale: Page;
  let twinId: string;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startLocalStack({
        config: accountsOnlyConfig(),
        seed: 'empty',
        timers: false,
        runtime: { visibilityTimeoutSeconds: 2 },
      }),
      launchChromium(),
    ]);
    // One record that syncs (activity) and one that cannot: two customers match its name.
    stack.salesforce.asUser.create('Account', { Name: 'Northwind Traders', AccountNumber: 'NW-1' });
    for (const key of ['TW-1', 'TW-2'])
      stack.intacct.userCreate('CUSTOMER', {
        CUSTOMERID: key,
        NAME: 'Twin Traders',
        DISPLAYCONTACT: { PRINTAS: 'Twin Traders' },
      });
    twinId = stack.salesforce.asUser.create('Account', { Name: 'Twin Traders' });
    await settle(stack, 30_000);
    context = await openTarget({ url: stack.runtime.controlUrl });
    served = await startConsole({ context });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    context?.close();
    await stack?.stop(2000);
  });

  const loaded = (p: Page) => p.waitForSelector('body[data-loaded="true"]', { timeout: 10_000 });
  const twinRow = (p: Page) => p.locator(`#failures tr[data-record-id="${twinId}"]`);

  it('shows the seeded failure with its class, cause, fix and both IDs', async () => {
    expect((await queueDepths(context)).dlq.visible).toBe(1);
    await page.goto(served.url);
    await loaded(page);
    await expect.poll(() => page.textContent('#where')).toBe(context.where);
    const row = twinRow(page);
    expect(await row.count()).toBe(1);
    expect(await row.getAttribute('data-code')).toBe('AMBIGUOUS_MATCH');
    expect(await row.locator('td.cause').textContent()).toContain(
      '2 CUSTOMER records match NAME = "Twin Traders"',
    );
    const hint = await row.locator('td.fix').textContent();
    expect(hint).toContain('redrive');
    expect(await row.textContent()).toContain('duplicate');
    expect(await row.textContent()).toContain(twinId);
    expect(await page.textContent('#failure-count')).toBe('1');
    expect(await page.locator('#queues tr[data-queue="DLQ"] td.num').first().textContent()).toBe('1');
    expect(await page.textContent('#activity')).toContain('NW-1');
    stale = await browser.newPage();
    await stale.goto(served.url);
    await loaded(stale);
    await stale.uncheck('#auto');
    expect(await twinRow(stale).count()).toBe(1);
    if (process.env.CONSOLE_SCREENSHOT)
      await page.screenshot({ path: process.env.CONSOLE_SCREENSHOT, fullPage: true });
  });

  it("moves the failure's job out of the DLQ with its Redrive button; once fixed it syncs and resolves", async () => {
    stack.intacct.userUpdate('CUSTOMER', 'TW-2', { NAME: 'Twin Traders (old)' });
    await twinRow(page).getByRole('button', { name: 'Redrive' }).click();
    await page.waitForSelector('#notice.ok', { timeout: 10_000 });
    expect(await page.textContent('#notice')).toContain(`Redrive ${twinId}: moved 1 of 1 picked`);
    expect((await queueDepths(context)).dlq.visible).toBe(0);
    await settle(stack, 30_000);
    expect(stack.salesforce.record('Account', twinId)?.Intacct_Customer_Id__c).toBe('TW-1');
    await page.click('#refresh');
    await eventually(
      async () => (await twinRow(page).count()) === 0,
      10_000,
      'the failure gone from the page',
    );
    expect(await page.textContent('#failures')).toContain('No open failures.');
    expect(await page.textContent('#activity')).toContain('TW-1');
  });

  it('shows an action refused with its message and hint', async () => {
    await page.click('#redrive-all');
    await page.waitForSelector('#notice.ok', { timeout: 10_000 });
    expect(await page.textContent('#notice')).toContain('moved 0 of 0 picked');
    // The page opened before the fix still lists the failure, which resolved itself since.
    await twinRow(stale).getByRole('button', { name: 'Resolve' }).click();
    await stale.waitForSelector('#notice.error', { timeout: 10_000 });
    const notice = await stale.textContent('#notice');
    expect(notice).toContain(`no open failure for ${twinId} in account-customer`);
    expect(notice).toContain('FAILURE_NOT_FOUND');
    expect(notice).toContain('Fix: give the record ID "sfi failures" lists');
  });

  it('is served by sfi local at its control URL, for the same stack', async () => {
    const local = await browser.newPage();
    await local.goto(stack.runtime.controlUrl);
    await loaded(local);
    expect(await local.textContent('#where')).toBe(`the local stack at ${stack.runtime.controlUrl}`);
    expect(await local.textContent('#flows')).toContain('account-customer');
    await local.close();
  });
});

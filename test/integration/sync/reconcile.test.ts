/**
 * The reconciliation (issue 10) on the local pipeline: a seeded drift — one record missing on each
 * side, one drifted field each way, one link whose record is gone, one duplicate — is reported
 * correctly with its API cost; `fix` repairs it through the normal pipeline; the next run reports
 * zero drift (the duplicate stays reported: it needs a person).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import type { ReconcileReport } from '#shared/sync/reconcile/index.ts';
import { testConfig } from '../../helpers/config.ts';
import { runSchedule, status } from '../../helpers/local-stack.ts';

describe('reconcile account-customer', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({
      config: testConfig(),
      seed: 'empty',
      timers: false,
      runtime: { visibilityTimeoutSeconds: 2 },
    });
    // Changes travel by the polls only: what the test does between polls is drift nobody has synced.
    stack.salesforce.setOutboundEndpoint(undefined);
  });
  afterAll(() => stack.stop(2000));

  const idle = async () => expect((await status(stack, 30)).idle).toBe(true);
  const reconcile = async (fix: boolean) => {
    const response = await fetch(`${stack.runtime.controlUrl}/reconcile/account-customer?fix=${fix}`, {
      method: 'POST',
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { report: ReconcileReport }).report;
  };

  it('reports each kind of drift, repairs it with --fix, and then reports none', async () => {
    const sf = stack.salesforce;
    const ia = stack.intacct;
    const ids: Record<string, string> = {};
    for (const [name, key] of [
      ['Drift SF Co', 'RC-SF'],
      ['Drift IA Co', 'RC-IA'],
      ['Gone Co', 'RC-GONE'],
      ['Steady Co', 'RC-OK'],
      ['Twin Co', 'RC-TW1'],
      ['Twin Co', 'RC-TW2'],
    ])
      ids[key as string] = sf.asUser.create('Account', { Name: name, AccountNumber: key });
    await runSchedule(stack, 'salesforce-delta');
    await idle();
    await runSchedule(stack, 'intacct-delta');
    await idle();
    await new Promise((r) => setTimeout(r, 1_100));

    // The seeded drift, none of it synced.
    sf.asUser.update('Account', ids['RC-SF'] as string, { Phone: '+1 555 0001' });
    ia.userUpdate('CUSTOMER', 'RC-IA', { DISPLAYCONTACT: { URL1: 'https://intacct-side.example' } });
    const onlySf = sf.asUser.create('Account', { Name: 'Only In Salesforce', AccountNumber: 'RC-ONLY-SF' });
    ia.userCreate('CUSTOMER', {
      CUSTOMERID: 'RC-ONLY-IA',
      NAME: 'Only In Intacct',
      DISPLAYCONTACT: { PRINTAS: 'Only In Intacct' },
    });
    sf.asUser.delete('Account', ids['RC-GONE'] as string);

    const found = await reconcile(false);
    expect(found.counts).toMatchObject({
      linkedEqual: 3,
      drifted: 2,
      onlyInSalesforce: 1,
      onlyInIntacct: 1,
      goneInSalesforce: 1,
      goneInIntacct: 0,
      duplicates: 2,
    });
    const bySf = new Map(found.drifted.map((d) => [d.salesforceId, d]));
    expect(bySf.get(ids['RC-SF'] as string)).toMatchObject({
      from: ['salesforce'],
      fields: [
        expect.objectContaining({
          intacct: 'DISPLAYCONTACT.PHONE1',
          owner: 'latest',
          salesforceValue: '+1 555 0001',
        }),
      ],
    });
    expect(bySf.get(ids['RC-IA'] as string)).toMatchObject({
      from: ['intacct'],
      fields: [
        expect.objectContaining({
          intacct: 'DISPLAYCONTACT.URL1',
          intacctValue: 'https://intacct-side.example',
        }),
      ],
    });
    expect(found.onlyInSalesforce).toEqual([onlySf]);
    expect(found.onlyInIntacct).toEqual(['RC-ONLY-IA']);
    expect(found.goneInSalesforce).toEqual([{ salesforceId: ids['RC-GONE'], intacctKey: 'RC-GONE' }]);
    expect(found.duplicates).toEqual(
      expect.arrayContaining([
        {
          side: 'salesforce',
          field: 'Name',
          value: 'twin co',
          ids: expect.arrayContaining([ids['RC-TW1'], ids['RC-TW2']]),
        },
        {
          side: 'intacct',
          field: 'NAME',
          value: 'twin co',
          ids: expect.arrayContaining(['RC-TW1', 'RC-TW2']),
        },
      ]),
    );
    // Reading both sides in full costs one call per 2,000 records a side, whatever the drift.
    expect(found.cost).toEqual({ salesforceCalls: 1, intacctRequests: 1 });
    expect(found.fix).toBeUndefined();

    const fixed = await reconcile(true);
    expect(fixed.fix).toEqual({ enqueued: 5, bySide: { salesforce: 3, intacct: 2 } });
    await idle();
    expect(ia.record('CUSTOMER', 'RC-SF')).toMatchObject({ DISPLAYCONTACT: { PHONE1: '+1 555 0001' } });
    expect(sf.record('Account', ids['RC-IA'] as string)?.Website).toBe('https://intacct-side.example');
    expect(ia.record('CUSTOMER', 'RC-ONLY-SF')).toBeDefined();
    expect(sf.records('Account').filter((a) => a.Intacct_Customer_Id__c === 'RC-ONLY-IA')).toHaveLength(1);
    expect(ia.record('CUSTOMER', 'RC-GONE')).toMatchObject({ STATUS: 'inactive' });

    // The next Intacct poll brings back what Intacct set on the customers the fix created (TOTALDUE).
    await runSchedule(stack, 'intacct-delta');
    await idle();
    const after = await reconcile(false);
    expect(after.counts).toMatchObject({
      drifted: 0,
      onlyInSalesforce: 0,
      onlyInIntacct: 0,
      goneInSalesforce: 0,
      goneInIntacct: 0,
      duplicates: 2,
    });
    const doc = (await status(stack)) as unknown as {
      reconciliations: Record<string, { counts: { drifted: number } }>;
    };
    expect(doc.reconciliations['account-customer']?.counts.drifted).toBe(0);
  });

  it('runs as the nightly schedule and records the run as ok with its summary', async () => {
    await runSchedule(stack, 'reconcile');
    const doc = (await status(stack)) as unknown as {
      schedules: Array<{ name: string; lastRun?: { status: string; detail: string } }>;
    };
    const run = doc.schedules.find((s) => s.name === 'reconcile')?.lastRun;
    expect(run?.status).toBe('ok');
    expect(run?.detail).toContain('account-customer:');
    expect(run?.detail).toContain('0 drifted');
    expect(run?.detail).toContain('contact-contact:');
  });
});

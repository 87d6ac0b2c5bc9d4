/**
 * References inside one batch (DESIGN §4): a contact and its new account arriving together are
 * synced in one pass — the worker runs the referenced flow first — instead of the contact
 * bouncing through PARENT_NOT_SYNCED retries until its account is linked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import type { MirrorFlow } from '#shared/sync/flow-schema.ts';
import { testConfig } from '../../helpers/config.ts';
import { status } from '../../helpers/local-stack.ts';
import { deltaJob, enqueue, probedWorker, startQuietStack } from '../../helpers/pipeline-jobs.ts';

const config = testConfig();
const flow = (name: string) => config.flows.find((f) => f.name === name) as MirrorFlow;
const worker = probedWorker({ split: false });

describe('a child and its new parent in one batch', () => {
  let stack: LocalStack;
  // Outbound messages stay queued in the simulator: the jobs of these tests are enqueued by hand.
  beforeAll(async () => {
    stack = await startQuietStack(config, worker.handler);
  });
  afterAll(() => stack.stop(2000));

  it('syncs the account first and the contact against it, each job received once', async () => {
    const sf = stack.salesforce;
    const account = sf.asUser.create('Account', { Name: 'Parent First Ltd', AccountNumber: 'PF-1' });
    const contact = sf.asUser.create('Contact', {
      AccountId: account,
      FirstName: 'Ada',
      LastName: 'Child',
      Email: 'ada@parent-first.example',
    });
    // The contact's job comes first in the batch.
    await enqueue(stack, [
      deltaJob(
        flow('contact-contact'),
        'salesforce',
        sf.record('Contact', contact) as Record<string, unknown>,
      ),
      deltaJob(
        flow('account-customer'),
        'salesforce',
        sf.record('Account', account) as Record<string, unknown>,
      ),
    ]);
    const doc = await status(stack, 30);
    expect(doc.idle).toBe(true);
    const key = String(sf.record('Contact', contact)?.Intacct_Contact_Id__c);
    expect(stack.intacct.record('CONTACT', key)).toMatchObject({ LASTNAME: 'Child', COMPANYNAME: 'PF-1' });
    const receives = worker.probe.receives.filter((r) => r.recordId === account || r.recordId === contact);
    expect(receives.map((r) => r.receiveCount)).toEqual([1, 1]);
  });
});

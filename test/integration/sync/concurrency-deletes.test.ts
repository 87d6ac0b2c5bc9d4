/**
 * The sync kernel under concurrency and deletes (DESIGN §5), on the whole local pipeline: the real
 * worker handler, dynalite and fauxqs, jsforce and our Intacct client against both simulators.
 * Jobs are enqueued as a delta poll would (whole versioned snapshots) and each record of a batch
 * goes to its own concurrent invocation, so two invocations hold the same record at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import type { MirrorFlow } from '#shared/sync/flow-schema.ts';
import { testConfig } from '../../helpers/config.ts';
import { customersNamed, runSchedule, status } from '../../helpers/local-stack.ts';
import { deltaJob, enqueue, linksOf, probedWorker, startQuietStack } from '../../helpers/pipeline-jobs.ts';

const config = testConfig();
const accounts = config.flows.find((f) => f.name === 'account-customer') as MirrorFlow;
const worker = probedWorker({ split: true });

describe('the kernel under concurrent invocations and deletes', () => {
  let stack: LocalStack;
  const sf = () => stack.salesforce;
  const ia = () => stack.intacct;
  const sfRecord = (id: string) => sf().record('Account', id) as Record<string, unknown>;
  const iaRecord = (key: string) => ia().record('CUSTOMER', key) as Record<string, unknown>;
  /** Waits until nothing is queued or in flight (retries included). */
  const idle = async () => {
    const doc = await status(stack, 45);
    expect(doc.idle).toBe(true);
    return doc;
  };
  const failuresFor = async (recordId: string) =>
    (await status(stack)).recentFailures.filter((f) => f.ids.recordId === recordId);
  /** A new Account synced to a new customer through one job; answers both IDs. */
  const linkedPair = async (name: string, key: string) => {
    const id = sf().asUser.create('Account', { Name: name, AccountNumber: key });
    await enqueue(stack, [deltaJob(accounts, 'salesforce', sfRecord(id))]);
    await idle();
    expect(iaRecord(key)).toBeDefined();
    return id;
  };
  const tick = () => new Promise((r) => setTimeout(r, 1100));

  // Outbound messages stay queued in the simulator: the jobs of these tests are enqueued by hand.
  beforeAll(async () => {
    stack = await startQuietStack(config, worker.handler);
  });
  afterAll(() => stack.stop(2000));

  it('two invocations with two versions of one new Account create one customer and one link', async () => {
    const id = sf().asUser.create('Account', { Name: 'Race One', AccountNumber: 'RACE-1', Phone: '1' });
    const v1 = deltaJob(accounts, 'salesforce', sfRecord(id));
    // SystemModstamp has whole seconds: the second version is saved in a later second.
    await new Promise((r) => setTimeout(r, 1_050));
    sf().asUser.update('Account', id, { Phone: '2' });
    const v2 = deltaJob(accounts, 'salesforce', sfRecord(id));
    expect(v2.version).not.toBe(v1.version);
    worker.probe.maxParallel = 0;
    await enqueue(stack, [v1, v2]);
    const doc = await idle();
    expect(worker.probe.maxParallel).toBeGreaterThanOrEqual(2);
    expect(customersNamed(stack, 'Race One')).toHaveLength(1);
    expect(iaRecord('RACE-1')).toMatchObject({ DISPLAYCONTACT: { PHONE1: '2' } });
    expect([...(await linksOf(stack, 'account-customer', [id])).values()]).toEqual([
      expect.objectContaining({ salesforceId: id, intacctKey: 'RACE-1' }),
    ]);
    expect(doc.queues.dlq.visible).toBe(0);
    expect(await failuresFor(id)).toEqual([]);
    expect(sfRecord(id).Intacct_Customer_Id__c).toBe('RACE-1');
  });

  it('keeps a Salesforce change made before the record was created in Intacct by a delayed job', async () => {
    // Found by the scale bench: the create (our own write, stamped after the change) made the
    // customer look changed later than Salesforce, and the `latest` fields of the change were dropped.
    const id = sf().asUser.create('Account', {
      Name: 'Late Create Ltd',
      AccountNumber: 'LATE-1',
      Phone: '1',
    });
    const v1 = deltaJob(accounts, 'salesforce', sfRecord(id));
    await new Promise((r) => setTimeout(r, 1_050));
    sf().asUser.update('Account', id, { Phone: '2' });
    const v2 = deltaJob(accounts, 'salesforce', sfRecord(id));
    await new Promise((r) => setTimeout(r, 1_050));
    await enqueue(stack, [v1]);
    await idle();
    expect(iaRecord('LATE-1')).toMatchObject({ DISPLAYCONTACT: { PHONE1: '1' } });
    await enqueue(stack, [v2]);
    await idle();
    expect(iaRecord('LATE-1')).toMatchObject({ DISPLAYCONTACT: { PHONE1: '2' } });
  });

  it('two invocations with one new Intacct customer create one Account and one link', async () => {
    ia().userCreate('CUSTOMER', {
      CUSTOMERID: 'RACE-IA',
      NAME: 'Race Two',
      DISPLAYCONTACT: { PRINTAS: 'Race Two', PHONE1: '+1 555 0102' },
    });
    const job = deltaJob(accounts, 'intacct', iaRecord('RACE-IA'));
    worker.probe.maxParallel = 0;
    await enqueue(stack, [job, { ...job, correlationId: 'second-poll' }]);
    const doc = await idle();
    expect(worker.probe.maxParallel).toBeGreaterThanOrEqual(2);
    const made = sf()
      .records('Account')
      .filter((a) => a.Intacct_Customer_Id__c === 'RACE-IA');
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ Name: 'Race Two', Phone: '+1 555 0102' });
    expect((await linksOf(stack, 'account-customer', [String(made[0]?.Id)])).size).toBe(1);
    expect(doc.queues.dlq.visible).toBe(0);
    expect(await failuresFor('RACE-IA')).toEqual([]);
  });

  it('lands both changes of opposite-direction jobs on one pair at once and keeps both write stamps', async () => {
    const id = await linkedPair('Both Ways Ltd', 'BOTH-1');
    const before = new Date().toISOString();
    // A field each side owns: Intacct's credit hold, then (a second later, so newest) Salesforce's name.
    await tick();
    ia().userUpdate('CUSTOMER', 'BOTH-1', { ONHOLD: 'true' });
    await tick();
    sf().asUser.update('Account', id, { Name: 'Both Ways Renamed' });
    worker.probe.maxParallel = 0;
    await enqueue(stack, [
      deltaJob(accounts, 'salesforce', sfRecord(id)),
      deltaJob(accounts, 'intacct', iaRecord('BOTH-1')),
    ]);
    await idle();
    expect(worker.probe.maxParallel).toBeGreaterThanOrEqual(2);
    expect(iaRecord('BOTH-1')).toMatchObject({
      NAME: 'Both Ways Renamed',
      DISPLAYCONTACT: { PRINTAS: 'Both Ways Renamed' },
    });
    expect(sfRecord(id).Intacct_Credit_Hold__c).toBe(true);
    const link = (await linksOf(stack, 'account-customer', [id])).get(id);
    expect(link?.intacctWrittenAt && link.intacctWrittenAt > before).toBe(true);
    expect(link?.salesforceWrittenAt && link.salesforceWrittenAt > before).toBe(true);
    expect(await failuresFor(id)).toEqual([]);
  });

  it('does not re-create a customer deleted in Intacct on the next Salesforce change', async () => {
    const id = await linkedPair('Deleted In Intacct', 'DEL-IA');
    ia().userDelete('CUSTOMER', 'DEL-IA');
    sf().asUser.update('Account', id, { Phone: '+1 555 0199' });
    await enqueue(stack, [deltaJob(accounts, 'salesforce', sfRecord(id))]);
    await idle();
    expect(iaRecord('DEL-IA')).toBeUndefined();
    expect(customersNamed(stack, 'Deleted In Intacct')).toEqual([]);
    const failures = await failuresFor(id);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      code: 'TARGET_MISSING',
      ids: expect.objectContaining({ salesforceId: id, intacctKey: 'DEL-IA' }),
    });
    expect(failures[0]?.message).toContain('no longer exists');
    expect(failures[0]?.hint).toContain(`sfi unlink account-customer ${id}`);
    // The fix the hint names: unlink, then replay, creates the customer again — once.
    const control = stack.runtime.controlUrl;
    const unlink = await fetch(`${control}/unlink?flow=account-customer&salesforceId=${id}`, {
      method: 'POST',
    });
    expect(unlink.status).toBe(200);
    const replay = await fetch(`${control}/replay?flow=account-customer&source=salesforce&id=${id}`, {
      method: 'POST',
    });
    expect(replay.status).toBe(202);
    await idle();
    expect(customersNamed(stack, 'Deleted In Intacct')).toHaveLength(1);
    expect(
      (await fetch(`${control}/unlink?flow=account-customer&salesforceId=001NOPE`, { method: 'POST' }))
        .status,
    ).toBe(404);
  });

  it('does not re-create an Account purged in Salesforce on the next Intacct change', async () => {
    const id = await linkedPair('Purged In Salesforce', 'PURGED-1');
    sf().asUser.delete('Account', id);
    sf().asUser.purge('Account', id);
    await tick();
    ia().userUpdate('CUSTOMER', 'PURGED-1', { DISPLAYCONTACT: { PHONE1: '+1 555 0142' } });
    await enqueue(stack, [deltaJob(accounts, 'intacct', iaRecord('PURGED-1'))]);
    await idle();
    expect(
      sf()
        .records('Account', { includeDeleted: true })
        .filter((a) => a.Name === 'Purged In Salesforce'),
    ).toEqual([]);
    const failures = await failuresFor('PURGED-1');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      code: 'TARGET_MISSING',
      ids: expect.objectContaining({ salesforceId: id, intacctKey: 'PURGED-1' }),
    });
  });

  it('reactivates the customer of an undeleted Account', async () => {
    const id = await linkedPair('Back Again Inc', 'BACK-1');
    sf().asUser.delete('Account', id);
    await runSchedule(stack, 'salesforce-delta');
    await idle();
    expect(iaRecord('BACK-1')?.STATUS).toBe('inactive');
    await tick();
    sf().asUser.undelete('Account', id);
    await runSchedule(stack, 'salesforce-delta');
    await idle();
    expect(iaRecord('BACK-1')?.STATUS).toBe('active');
    expect((await linksOf(stack, 'account-customer', [id])).get(id)?.inactive).toBe(false);
  });

  it('records a write-back that Salesforce refuses as a failure, visible in /status', async () => {
    sf().setFaults({ readOnlyFields: ['Account.Intacct_Customer_Id__c'] });
    try {
      const id = sf().asUser.create('Account', { Name: 'Locked Field Co', AccountNumber: 'LOCK-1' });
      await enqueue(stack, [deltaJob(accounts, 'salesforce', sfRecord(id))]);
      await idle();
      expect(customersNamed(stack, 'Locked Field Co')).toHaveLength(1);
      expect(sfRecord(id).Intacct_Customer_Id__c ?? null).toBeNull();
      const failures = await failuresFor(id);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({
        code: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        ids: expect.objectContaining({ salesforceId: id, intacctKey: 'LOCK-1' }),
      });
      expect(failures[0]?.message).toContain('write-back of Intacct_Customer_Id__c refused');
      expect(failures[0]?.hint).toContain('field-level security');
    } finally {
      sf().setFaults({ readOnlyFields: [] });
    }
  });

  it('retries a write-back that fails transiently until it lands, creating the customer once', async () => {
    const id = sf().asUser.create('Account', { Name: 'Busy Row Ltd', AccountNumber: 'BUSY-1' });
    const dlqBefore = (await status(stack)).queues.dlq.visible;
    const dml = sf().apiUsage().dml;
    // More locked DML calls than the client's own retries: the job itself must retry.
    sf().setFaults({ lockRowOnDml: Array.from({ length: 6 }, (_, i) => dml + 1 + i) });
    await enqueue(stack, [deltaJob(accounts, 'salesforce', sfRecord(id))]);
    const doc = await idle();
    expect(sfRecord(id).Intacct_Customer_Id__c).toBe('BUSY-1');
    expect(customersNamed(stack, 'Busy Row Ltd')).toHaveLength(1);
    expect(worker.probe.receives.filter((r) => r.recordId === id).length).toBeGreaterThanOrEqual(2);
    expect(doc.queues.dlq.visible).toBe(dlqBefore);
    expect(await failuresFor(id)).toEqual([]);
  });
});

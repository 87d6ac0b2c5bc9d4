/**
 * DESIGN §3's promises for Account ⇄ CUSTOMER and Contact ⇄ CONTACT, on the whole local pipeline:
 * the Salesforce simulator's outbound messages hit the real webhook, the real worker syncs through
 * jsforce and our Intacct client against both simulators, state lives in dynalite and fauxqs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { outboundMessage } from '../../fixtures/outbound-message.ts';
import { testConfig } from '../../helpers/config.ts';
import { customersNamed, runSchedule, settle, status, writeCounts } from '../../helpers/local-stack.ts';

describe('Account ⇄ CUSTOMER and Contact ⇄ CONTACT on the local pipeline', () => {
  let stack: LocalStack;
  const sf = () => stack.salesforce;
  const ia = () => stack.intacct;

  beforeAll(async () => {
    stack = await startLocalStack({
      config: testConfig(),
      seed: 'empty',
      timers: false,
      runtime: { visibilityTimeoutSeconds: 2 },
    });
  });
  afterAll(() => stack.stop(2000));

  it('turns a new Salesforce account into exactly one Intacct customer and writes the Intacct ID back', async () => {
    const id = sf().asUser.create('Account', {
      Name: 'Northwind Traders',
      AccountNumber: 'NW-1',
      Phone: '+1 206 555 0101',
      BillingStreet: '1 Pike Place',
      BillingCity: 'Seattle',
      BillingCountry: 'United States',
    });
    await settle(stack);
    const customers = customersNamed(stack, 'Northwind Traders');
    expect(customers).toHaveLength(1);
    expect(customers[0]).toMatchObject({
      CUSTOMERID: 'NW-1',
      DISPLAYCONTACT: {
        PRINTAS: 'Northwind Traders',
        PHONE1: '+1 206 555 0101',
        MAILADDRESS: { ADDRESS1: '1 Pike Place', CITY: 'Seattle' },
      },
    });
    expect(sf().record('Account', id)?.Intacct_Customer_Id__c).toBe('NW-1');
  });

  it('carries a change made in Intacct to Salesforce, and further sync cycles rewrite nothing', async () => {
    const id = sf().asUser.create('Account', { Name: 'Contoso Ltd', AccountNumber: 'CON-1' });
    await settle(stack);
    ia().userUpdate('CUSTOMER', 'CON-1', { DISPLAYCONTACT: { PHONE1: '+44 20 7946 0000' }, ONHOLD: 'true' });
    await runSchedule(stack, 'intacct-delta');
    await settle(stack);
    expect(sf().record('Account', id)).toMatchObject({
      Phone: '+44 20 7946 0000',
      Intacct_Credit_Hold__c: true,
    });
    const before = writeCounts(stack);
    for (let cycle = 0; cycle < 3; cycle++) {
      await runSchedule(stack, 'salesforce-delta');
      await runSchedule(stack, 'intacct-delta');
      await settle(stack);
    }
    expect(writeCounts(stack)).toEqual(before);
  });

  it('links an existing matching Intacct customer instead of creating a duplicate', async () => {
    ia().userCreate('CUSTOMER', {
      CUSTOMERID: 'FAB-7',
      NAME: 'Fabrikam Inc',
      DISPLAYCONTACT: { PRINTAS: 'Fabrikam Inc' },
    });
    const id = sf().asUser.create('Account', { Name: 'Fabrikam Inc', Phone: '+1 425 555 0199' });
    await settle(stack);
    expect(customersNamed(stack, 'Fabrikam Inc')).toHaveLength(1);
    expect(ia().record('CUSTOMER', 'FAB-7')?.DISPLAYCONTACT).toMatchObject({ PHONE1: '+1 425 555 0199' });
    expect(sf().record('Account', id)?.Intacct_Customer_Id__c).toBe('FAB-7');
  });

  it('gives one write and the newest state when a notification comes three times and a stale one comes late', async () => {
    const id = sf().asUser.create('Account', { Name: 'Tailspin Toys', AccountNumber: 'TT-1', Phone: 'old' });
    await settle(stack);
    sf().asUser.update('Account', id, { Phone: 'new' });
    await settle(stack);
    const before = writeCounts(stack).intacct;
    const current = sf().record('Account', id);
    const body = (phone: string, modstamp: string) =>
      outboundMessage({
        orgId: stack.ready.salesforce.orgId,
        notifications: [
          {
            id: '04l000000000099AAA',
            fields: { Id: id, Name: 'Tailspin Toys', Phone: phone, SystemModstamp: modstamp },
          },
        ],
      });
    const post = (xml: string) =>
      fetch(stack.runtime.webhookUrl, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });
    for (let i = 0; i < 3; i++)
      expect((await post(body('new', String(current?.SystemModstamp)))).status).toBe(200);
    expect((await post(body('old', '2020-01-01T00:00:00.000Z'))).status).toBe(200);
    await settle(stack);
    expect(writeCounts(stack).intacct).toBe(before);
    expect(ia().record('CUSTOMER', 'TT-1')?.DISPLAYCONTACT).toMatchObject({ PHONE1: 'new' });
  });

  it('does not push a field Intacct owns when it is changed in Salesforce', async () => {
    const id = sf().asUser.create('Account', { Name: 'Litware Corp', AccountNumber: 'LW-1' });
    await settle(stack);
    sf().asUser.update('Account', id, { Intacct_Credit_Hold__c: true, Phone: '+1 555 0142' });
    await settle(stack);
    expect(ia().record('CUSTOMER', 'LW-1')).toMatchObject({
      ONHOLD: 'false',
      DISPLAYCONTACT: { PHONE1: '+1 555 0142' },
    });
  });

  it('sends a permanent error to the DLQ with its reason, and redrive syncs it once the data is fixed', async () => {
    for (const key of ['TW-1', 'TW-2'])
      ia().userCreate('CUSTOMER', {
        CUSTOMERID: key,
        NAME: 'Twin Traders',
        DISPLAYCONTACT: { PRINTAS: 'Twin Traders' },
      });
    const id = sf().asUser.create('Account', { Name: 'Twin Traders' });
    const failed = await settle(stack);
    expect(failed.queues.dlq.visible).toBe(1);
    const failure = failed.recentFailures.find((f) => f.code === 'AMBIGUOUS_MATCH');
    expect(failure?.message).toContain('2 CUSTOMER records match NAME = "Twin Traders"');
    expect(failure?.hint).toContain('redrive');
    expect(failure?.ids.recordId).toBe(id);
    // The fix: the duplicate is renamed in Intacct; then the DLQ is redriven.
    ia().userUpdate('CUSTOMER', 'TW-2', { NAME: 'Twin Traders (old)' });
    const moved = (await (
      await fetch(`${stack.runtime.controlUrl}/dlq/redrive`, { method: 'POST' })
    ).json()) as { moved: number };
    expect(moved.moved).toBe(1);
    const after = await settle(stack);
    expect(after.queues.dlq.visible).toBe(0);
    expect(sf().record('Account', id)?.Intacct_Customer_Id__c).toBe('TW-1');
  });

  it('sees a customer deleted in Intacct in its audit trail with the next poll, and records a failure naming both records', async () => {
    const id = sf().asUser.create('Account', { Name: 'Deleted Upstream Co', AccountNumber: 'DEL-IA-1' });
    await settle(stack);
    expect(ia().record('CUSTOMER', 'DEL-IA-1')).toBeDefined();
    ia().userDelete('CUSTOMER', 'DEL-IA-1');
    expect(ia().records('AUDITHISTORY')).toContainEqual(
      expect.objectContaining({ OBJECTTYPE: 'customer', OBJECTKEY: 'DEL-IA-1', ACCESSMODE: 'D' }),
    );
    await runSchedule(stack, 'intacct-delta');
    const doc = await settle(stack);
    const failure = doc.recentFailures.find((f) => f.code === 'INTACCT_DELETED' && f.ids.salesforceId === id);
    expect(failure?.message).toContain('CUSTOMER DEL-IA-1 was deleted in Intacct');
    expect(failure?.hint).toContain(`sfi unlink account-customer ${id}`);
    // The Salesforce record is kept, and nothing re-creates the customer.
    expect(sf().record('Account', id)).toBeDefined();
    expect(ia().record('CUSTOMER', 'DEL-IA-1')).toBeUndefined();
  });

  it('makes the Intacct customer inactive when its Salesforce account is deleted', async () => {
    const id = sf().asUser.create('Account', { Name: 'Gone Tomorrow Inc', AccountNumber: 'GONE-1' });
    await settle(stack);
    expect(ia().record('CUSTOMER', 'GONE-1')?.STATUS).toBe('active');
    sf().asUser.delete('Account', id);
    await runSchedule(stack, 'salesforce-delta');
    await settle(stack);
    expect(ia().record('CUSTOMER', 'GONE-1')?.STATUS).toBe('inactive');
    // Deleting again or polling again changes nothing more.
    const before = writeCounts(stack).intacct;
    await runSchedule(stack, 'salesforce-delta');
    await settle(stack);
    expect(writeCounts(stack).intacct).toBe(before);
  });

  it('replays one record and backfills a flow through the control API, writing only what differs', async () => {
    const id = sf().asUser.create('Account', { Name: 'Replay Ltd', AccountNumber: 'RP-1', Phone: '1' });
    await settle(stack);
    // Someone edits the customer in Intacct while nothing polls; a replay from Intacct brings it over.
    ia().userUpdate('CUSTOMER', 'RP-1', { DISPLAYCONTACT: { PHONE1: '2' } });
    const replay = await fetch(
      `${stack.runtime.controlUrl}/replay?flow=account-customer&source=intacct&id=RP-1`,
      { method: 'POST' },
    );
    expect(replay.status).toBe(202);
    await settle(stack);
    expect(sf().record('Account', id)?.Phone).toBe('2');
    const bad = await fetch(`${stack.runtime.controlUrl}/replay?flow=nope&id=x`, { method: 'POST' });
    expect(bad.status).toBe(400);
    // A backfill from the beginning re-reads every account and customer (and catches up whatever no
    // poll has carried over yet); a second one finds everything in sync and rewrites nothing.
    const backfill = () => fetch(`${stack.runtime.controlUrl}/backfill/account-customer`, { method: 'POST' });
    expect((await backfill()).status).toBe(200);
    await settle(stack);
    const before = writeCounts(stack);
    expect((await backfill()).status).toBe(200);
    const done = await settle(stack);
    expect(writeCounts(stack)).toEqual(before);
    // The customer whose account was deleted in Salesforce is not written back to the deleted record.
    expect(done.recentFailures.filter((f) => f.code === 'ENTITY_IS_DELETED')).toEqual([]);
  });

  it('syncs a contact once its account is in Intacct and links it to the customer', async () => {
    const account = sf().asUser.create('Account', { Name: 'Adventure Works', AccountNumber: 'AW-1' });
    const contact = sf().asUser.create('Contact', {
      AccountId: account,
      FirstName: 'Kim',
      LastName: 'Abercrombie',
      Email: 'Kim@AdventureWorks.example',
    });
    await settle(stack);
    const key = String(sf().record('Contact', contact)?.Intacct_Contact_Id__c);
    expect(ia().record('CONTACT', key)).toMatchObject({
      FIRSTNAME: 'Kim',
      LASTNAME: 'Abercrombie',
      EMAIL1: 'kim@adventureworks.example',
      COMPANYNAME: 'AW-1',
    });
    const doc = await status(stack);
    expect(doc.flows['contact-contact']?.created).toBeGreaterThanOrEqual(1);
  });
});

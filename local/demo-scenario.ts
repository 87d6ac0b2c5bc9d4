/**
 * The `sfi local --once` scenario: both systems start with demo data; the first delta polls link
 * and copy everything (go-live matching); then users change records on both sides, a notification
 * is delivered twice, and a record that can never sync (an ambiguous match) is created. The run
 * goes to quiescence and checks that everything expected is in sync, exactly once, and that the
 * one bad record (an Intacct contact whose e-mail Salesforce refuses) is in the DLQ with its
 * reason. Exit code 0 only if every check holds.
 */
import type { LocalStack } from './local-stack.ts';
import { compareAccounts, compareOrders, compareProducts, compareReceivables } from './sync-check.ts';

export interface DemoReport {
  ok: boolean;
  checks: Array<{ name: string; ok: boolean; detail: string }>;
  flows: unknown;
  failures: unknown[];
}

interface Status {
  idle: boolean;
  flows: Record<string, unknown>;
  recentFailures: Array<{ code: string; message: string; hint?: string }>;
  queues: { dlq: { visible: number } };
}

export async function runDemoScenario(stack: LocalStack, timeoutMs = 120_000): Promise<DemoReport> {
  const control = stack.runtime.controlUrl;
  const deadline = Date.now() + timeoutMs;
  const settle = async (): Promise<Status> => {
    let quiet = 0;
    let doc: Status | undefined;
    while (quiet < 2 && Date.now() < deadline) {
      const drained = await stack.salesforce.outbound.waitForDrain(Math.max(1000, deadline - Date.now()));
      doc = (await (
        await fetch(
          `${control}/status?waitForIdle=${Math.max(1, Math.floor((deadline - Date.now()) / 1000))}`,
        )
      ).json()) as Status;
      quiet = drained && doc.idle ? quiet + 1 : 0;
      if (quiet < 2) await new Promise((r) => setTimeout(r, 200));
    }
    return doc as Status;
  };
  const run = async (schedule: string) => {
    const response = await fetch(`${control}/schedules/${schedule}/run`, { method: 'POST' });
    if (!response.ok) throw new Error(`${schedule} failed: ${await response.text()}`);
  };
  const progress = (step: string) => process.stderr.write(`sfi local --once: ${step}\n`);

  progress('initial sync of the demo data (both delta polls, then stock levels)');
  await run('salesforce-delta');
  await settle();
  await run('intacct-delta');
  await settle();
  await run('stock-levels');
  await settle();

  progress('changes on both sides, a duplicate delivery and a record that cannot sync');
  const sf = stack.salesforce;
  const ia = stack.intacct;
  stack.salesforce.outbound.configure({ duplicateRate: 0.5 });
  const [first] = sf.records('Account');
  if (first !== undefined)
    sf.asUser.update('Account', String(first.Id), { Phone: '+1 415 555 0199', BillingCity: 'Oakland' });
  const newco = sf.asUser.create('Account', {
    Name: 'Demo Newco Ltd',
    AccountNumber: 'NEWCO-1',
    BillingCountry: 'United States',
  });
  ia.userUpdate('CUSTOMER', 'C-1004', { DISPLAYCONTACT: { PHONE1: '+1 212 555 0142' }, ONHOLD: 'true' });
  ia.userCreate('CUSTOMER', {
    CUSTOMERID: 'C-3001',
    NAME: 'Intacct-Only Supplies',
    DISPLAYCONTACT: { PRINTAS: 'Intacct-Only Supplies' },
  });
  ia.userUpdate('ITEM', 'SKU-200', { BASEPRICE: '189.00' });
  ia.moveStock('SKU-100', 'WH-EAST', { QTYONHAND: -15 });
  ia.userCreate('CONTACT', {
    CONTACTNAME: 'Bad Email',
    PRINTAS: 'Bad Email',
    FIRSTNAME: 'Bad',
    LASTNAME: 'Email',
    EMAIL1: 'not-an-email',
  });
  await settle();
  // A deal won on the new account, for a product that came from Intacct: its outbound message
  // makes a sales order (the account is synced first if it is not yet).
  const widget = sf.records('Product2').find((p) => p.ProductCode === 'SKU-100');
  const entry = sf
    .records('PricebookEntry')
    .find((e) => e.Product2Id === widget?.Id && e.CurrencyIsoCode === 'USD');
  const deal = sf.asUser.create('Opportunity', {
    Name: 'Demo Newco - first order',
    AccountId: newco,
    StageName: 'Proposal/Price Quote',
    CloseDate: new Date().toISOString().slice(0, 10),
    Pricebook2Id: entry?.Pricebook2Id,
  });
  if (entry !== undefined)
    sf.asUser.create('OpportunityLineItem', {
      OpportunityId: deal,
      PricebookEntryId: entry.Id,
      Quantity: 4,
      UnitPrice: 25,
    });
  sf.asUser.update('Opportunity', deal, { StageName: 'Closed Won' });
  await settle();
  await run('intacct-delta');
  await settle();
  await run('salesforce-delta');
  await settle();
  await run('stock-levels');
  const status = await settle();

  progress('checking both systems');
  const comparison = compareAccounts(stack);
  const products = compareProducts(stack);
  const orders = compareOrders(stack);
  const receivables = compareReceivables(stack);
  const badEmail = status.recentFailures.find((f) => f.code === 'INVALID_EMAIL_ADDRESS');
  const checks = [
    { name: 'pipeline quiescent', ok: status.idle, detail: `idle=${status.idle}` },
    {
      name: 'every account and customer in sync',
      ok: comparison.mismatches.length === 0 && comparison.unlinked.length === 0,
      detail: `${comparison.linked} linked, mismatches: ${JSON.stringify(comparison.mismatches.slice(0, 5))}, unlinked: ${comparison.unlinked.join(', ') || 'none'}`,
    },
    {
      name: 'no duplicates in Intacct',
      ok: comparison.duplicateNames.length === 0,
      detail: comparison.duplicateNames.join(', ') || 'none',
    },
    {
      name: 'new Salesforce account created in Intacct',
      ok: ia.record('CUSTOMER', 'NEWCO-1') !== undefined,
      detail: `account ${newco}`,
    },
    {
      name: 'new Intacct customer created in Salesforce',
      ok: sf.records('Account').some((a) => a.Intacct_Customer_Id__c === 'C-3001'),
      detail: 'C-3001',
    },
    {
      name: 'every Intacct item a product with its standard price and stock',
      ok: products.mismatches.length === 0,
      detail: `${products.items} items; mismatches: ${products.mismatches.slice(0, 5).join('; ') || 'none'}`,
    },
    {
      name: 'every won opportunity one sales order, its ID written back',
      ok: orders.missing.length === 0,
      detail: `${orders.won} won; without exactly one written-back order: ${orders.missing.join(', ') || 'none'}`,
    },
    {
      name: 'every Intacct invoice one Salesforce invoice, balances on the Accounts',
      ok: receivables.invoices > 0 && receivables.mismatches.length === 0,
      detail: `${receivables.invoices} invoices; mismatches: ${receivables.mismatches.slice(0, 5).join('; ') || 'none'}`,
    },
    {
      name: 'the unsyncable record is in the DLQ with its reason',
      ok: status.queues.dlq.visible === 1 && badEmail !== undefined,
      detail:
        badEmail === undefined
          ? `dlq=${status.queues.dlq.visible}`
          : `${badEmail.code}: ${badEmail.message} (fix: ${badEmail.hint})`,
    },
  ];
  return { ok: checks.every((c) => c.ok), checks, flows: status.flows, failures: status.recentFailures };
}

/**
 * The naive baseline runs: the reference syncer of naive-syncer.ts on fresh simulators with the
 * same latency, cap and (for `faults`) the same fault knobs, on a sample of each scenario's
 * records. Costs and wall time are measured on the sample and scaled linearly to the scenario's
 * size (per-record costs are what dominate a one-call-per-step syncer).
 */
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { mirrorFlow } from '#shared/sync/flows.ts';
import { createWonDeals, standardEntries } from './documents.ts';
import { percentile, startMeter } from './measure.ts';
import { makeNaiveDocuments } from './naive-documents.ts';
import { makeNaiveProducts } from './naive-products.ts';
import { makeNaiveReceivables } from './naive-receivables.ts';
import { makeNaiveSyncer, type NaiveSyncer } from './naive-syncer.ts';
import { createItems } from './products.ts';
import { progress, step } from './progress.ts';
import { createInvoices, createPayments } from './receivables-data.ts';
import { type BenchSettings, type Simulators, startSimulators } from './stack.ts';
import type { NaiveFigures, NaiveRun } from './types.ts';
import { createAccounts } from './workload.ts';

export interface NaivePlan {
  /** Scenario name → [sample size, size of the pipeline scenario it stands beside]. */
  sizes: Partial<
    Record<
      | 'backfill'
      | 'rerun'
      | 'realtime'
      | 'churn'
      | 'faults'
      | 'products'
      | 'price-change'
      | 'documents'
      | 'receivables-invoices'
      | 'receivables-payments',
      [number, number]
    >
  >;
  burst: number;
  intervalMs: number;
}

async function timed(
  sims: Simulators,
  name: string,
  sample: number,
  scaledTo: number,
  body: (tick: () => void) => Promise<number>,
): Promise<NaiveRun> {
  const meter = await startMeter(sims);
  const t0 = performance.now();
  let done = 0;
  const failed = await body(() => {
    done++;
    progress(`naive ${name}: records`, done, sample, done / ((performance.now() - t0) / 1000));
  });
  const wallMs = Math.round(performance.now() - t0);
  const c = await meter.read();
  const measured: NaiveFigures = {
    salesforceCalls: c.salesforce.calls,
    intacctRequests: c.intacct.requests,
    intacctTransactions: c.intacct.transactions,
    wallMs,
  };
  const k = scaledTo / sample;
  const scaled = Object.fromEntries(
    Object.entries(measured).map(([key, v]) => [key, Math.round(v * k)]),
  ) as unknown as NaiveFigures;
  step(`naive ${name}: ${sample} records in ${(wallMs / 1000).toFixed(1)} s (scaled ×${k.toFixed(1)})`);
  return { name, sample, scaledTo, measured, scaled, failed };
}

/** Runs every planned naive scenario; each group gets its own fresh simulators. */
export async function runNaive(
  config: SyncConfig,
  settings: BenchSettings,
  plan: NaivePlan,
): Promise<NaiveRun[]> {
  const flow = mirrorFlow(config.flows, 'account-customer');
  const out: NaiveRun[] = [];
  const sims = await startSimulators(config, settings);
  try {
    const naive = makeNaiveSyncer(sims, flow, settings.intacctCap);
    const { backfill, rerun, realtime, churn } = plan.sizes;
    const bfSample = Math.max(backfill?.[0] ?? 0, rerun?.[0] ?? 0, realtime?.[0] ?? 0, churn?.[0] ?? 0);
    const ids = createAccounts(sims, 'NV', bfSample);
    // One record at a time. The recipe's trigger (a list of what changed) is left out: one call per page.
    const listAndSync = (list: string[]) => (tick: () => void) =>
      naive.run(list, (id) => naive.accountToIntacct(id), tick);
    if (backfill)
      out.push(
        await timed(sims, 'backfill', backfill[0], backfill[1], listAndSync(ids.slice(0, backfill[0]))),
      );
    if (rerun) out.push(await timed(sims, 'rerun', rerun[0], rerun[1], listAndSync(ids.slice(0, rerun[0]))));
    if (realtime) out.push(await naiveRealtime(sims, naive, ids.slice(0, realtime[0]), realtime[1], plan));
    if (churn) out.push(await naiveChurn(sims, naive, ids.slice(0, churn[0]), churn[1]));
    const { products, 'price-change': prices } = plan.sizes;
    const itemSample = Math.max(products?.[0] ?? 0, prices?.[0] ?? 0);
    if (itemSample > 0) {
      const catalogue = makeNaiveProducts(sims, settings.intacctCap);
      const items = createItems(sims, 'NP', itemSample);
      if (products)
        out.push(
          await timed(sims, 'products', products[0], products[1], (tick) =>
            naive.run(items.slice(0, products[0]), (id) => catalogue.itemToProduct(id), tick),
          ),
        );
      if (prices) {
        for (const id of items) sims.intacct.userUpdate('ITEM', id, { BASEPRICE: '123' });
        out.push(
          await timed(sims, 'price-change', prices[0], prices[1], (tick) =>
            naive.run(items.slice(0, prices[0]), (id) => catalogue.priceToEntry(id), tick),
          ),
        );
      }
    }
    if (plan.sizes.documents) out.push(await naiveDocuments(sims, naive, settings, plan.sizes.documents));
    const { 'receivables-invoices': invoices, 'receivables-payments': payments } = plan.sizes;
    if (invoices && payments)
      out.push(...(await naiveReceivables(sims, naive, settings, invoices, payments)));
  } finally {
    await sims.stop();
  }
  if (plan.sizes.faults) out.push(await naiveFaults(config, settings, plan.sizes.faults));
  return out;
}

/**
 * Won deals on linked accounts and products, set up as the pipeline's scenario has them (the
 * customers and items exist, the accounts carry their customer IDs), then one deal at a time.
 */
async function naiveDocuments(
  sims: Simulators,
  lanes: NaiveSyncer,
  settings: BenchSettings,
  [sample, scaledTo]: [number, number],
): Promise<NaiveRun> {
  const itemIds = createItems(sims, 'NX', 20);
  const standard = sims.salesforce.records('Pricebook2').find((b) => b.IsStandard === true)?.Id;
  for (const itemId of itemIds) {
    const product = sims.salesforce.asUser.create('Product2', {
      Name: itemId,
      ProductCode: itemId,
      IsActive: true,
    });
    sims.salesforce.asUser.create('PricebookEntry', {
      Pricebook2Id: standard,
      Product2Id: product,
      UnitPrice: 10,
      CurrencyIsoCode: 'USD',
      IsActive: true,
    });
  }
  const accounts: string[] = [];
  for (let i = 1; i <= 50; i++) {
    const customerId = `NA-${i}`;
    sims.intacct.userCreate('CUSTOMER', {
      CUSTOMERID: customerId,
      NAME: `Naive customer ${i}`,
      DISPLAYCONTACT: { PRINTAS: `Naive customer ${i}` },
    });
    accounts.push(
      sims.salesforce.asUser.create('Account', {
        Name: `Naive customer ${i}`,
        Intacct_Customer_Id__c: customerId,
      }),
    );
  }
  const deals = createWonDeals(sims, 'NDOC', sample, 5, accounts, standardEntries(sims, 'NX'));
  const recipe = makeNaiveDocuments(sims, settings.intacctCap);
  return timed(sims, 'documents', sample, scaledTo, (tick) =>
    lanes.run(deals, (id) => recipe.opportunityToOrder(id), tick),
  );
}

/**
 * Invoices for customers already linked (in Intacct, and on Accounts carrying their IDs), 20 to a
 * customer as in the pipeline's scenario; the invoice recipe on each, then one payment per
 * invoice entered and the payment recipe on each.
 */
async function naiveReceivables(
  sims: Simulators,
  lanes: NaiveSyncer,
  settings: BenchSettings,
  [sample, scaledTo]: [number, number],
  [paymentSample, paymentsScaledTo]: [number, number],
): Promise<NaiveRun[]> {
  const customerIds: string[] = [];
  for (let i = 1; i <= Math.ceil(sample / 20); i++) {
    const customerId = `NR-${i}`;
    sims.intacct.userCreate('CUSTOMER', {
      CUSTOMERID: customerId,
      NAME: `Naive receivables ${i}`,
      DISPLAYCONTACT: { PRINTAS: `Naive receivables ${i}` },
    });
    sims.salesforce.asUser.create('Account', {
      Name: `Naive receivables ${i}`,
      Intacct_Customer_Id__c: customerId,
    });
    customerIds.push(customerId);
  }
  const recipe = makeNaiveReceivables(sims, settings.intacctCap);
  const invoices = createInvoices(sims, customerIds, sample, 20);
  const first = await timed(sims, 'receivables-invoices', sample, scaledTo, (tick) =>
    lanes.run(invoices, (i) => recipe.invoiceToSalesforce(i.recordNo), tick),
  );
  const payments = createPayments(sims, invoices.slice(0, paymentSample));
  const second = await timed(sims, 'receivables-payments', paymentSample, paymentsScaledTo, (tick) =>
    lanes.run(payments, (p) => recipe.paymentToSalesforce(p.recordNo), tick),
  );
  return [first, second];
}

/** Notifications arrive in bursts; the recipe handles each one as it comes (read, write, write back). */
async function naiveRealtime(
  sims: Simulators,
  naive: NaiveSyncer,
  ids: string[],
  scaledTo: number,
  plan: NaivePlan,
): Promise<NaiveRun> {
  const latencies: number[] = [];
  const run = await timed(sims, 'realtime', ids.length, scaledTo, async (tick) => {
    const t0 = performance.now();
    const arrivals = ids.map((id, i) => {
      sims.salesforce.asUser.update('Account', id, { Phone: `+1 737 300 ${String(i).padStart(4, '0')}` });
      return { id, at: t0 + Math.floor(i / plan.burst) * plan.intervalMs };
    });
    return naive.run(
      arrivals,
      async ({ id, at }) => {
        const wait = at - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const record = sims.salesforce.record('Account', id) ?? {};
        const values = Object.fromEntries(
          Object.entries(record).map(([k, v]) => [k, v === null ? null : String(v)]),
        );
        await naive.notificationToIntacct(values);
        latencies.push(performance.now() - at);
      },
      tick,
    );
  });
  return {
    ...run,
    latencyMs: { p50: Math.round(percentile(latencies, 50)), p95: Math.round(percentile(latencies, 95)) },
  };
}

/** Half the sample changes in Salesforce, half in Intacct; each record is synced on its own. */
async function naiveChurn(
  sims: Simulators,
  naive: NaiveSyncer,
  ids: string[],
  scaledTo: number,
): Promise<NaiveRun> {
  const half = Math.floor(ids.length / 2);
  const work: Array<() => Promise<void>> = [];
  ids.forEach((id, i) => {
    if (i < half) {
      sims.salesforce.asUser.update('Account', id, { Phone: `+1 650 500 ${String(i).padStart(4, '0')}` });
      work.push(() => naive.accountToIntacct(id));
    } else {
      const key = String(sims.salesforce.record('Account', id)?.AccountNumber);
      sims.intacct.userUpdate('CUSTOMER', key, {
        DISPLAYCONTACT: { PHONE1: `+1 650 600 ${String(i).padStart(4, '0')}` },
      });
      work.push(() => naive.customerToSalesforce(key));
    }
  });
  return timed(sims, 'churn', ids.length, scaledTo, (tick) => naive.run(work, (w) => w(), tick));
}

/** The same faults as the pipeline's `faults` scenario, on fresh simulators; lost and duplicates counted. */
async function naiveFaults(
  config: SyncConfig,
  settings: BenchSettings,
  [sample, scaledTo]: [number, number],
): Promise<NaiveRun> {
  const flow = mirrorFlow(config.flows, 'account-customer');
  const sims = await startSimulators(config, settings);
  try {
    const naive = makeNaiveSyncer(sims, flow, settings.intacctCap);
    const ids = createAccounts(sims, 'NF', sample);
    sims.salesforce.setFaults({ errorRate: 0.1 });
    sims.intacct.setFaults({ rate5xx: 0.05, rate429: 0.03, rate524: 0.02 });
    sims.intacct.injectFaults('524', 'expire-sessions', '524');
    const run = await timed(sims, 'faults', sample, scaledTo, (tick) =>
      naive.run(ids, (id) => naive.accountToIntacct(id), tick),
    );
    const byName = new Map<string, number>();
    for (const c of sims.intacct.records('CUSTOMER'))
      byName.set(String(c.NAME), (byName.get(String(c.NAME)) ?? 0) + 1);
    const accounts = ids.map((id) => sims.salesforce.record('Account', id));
    return {
      ...run,
      lost: accounts.filter((a) => (byName.get(String(a?.Name)) ?? 0) === 0).length,
      duplicates: accounts.reduce((n, a) => n + Math.max(0, (byName.get(String(a?.Name)) ?? 0) - 1), 0),
    };
  } finally {
    await sims.stop();
  }
}

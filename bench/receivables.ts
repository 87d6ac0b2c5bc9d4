/**
 * The `receivables` scenario (issue 13) on the bench stack: invoices and then payments entered in
 * Intacct become Intacct_Invoice__c and Intacct_Payment__c records in Salesforce, with the Account
 * roll-ups and credit statuses, through the intacct-delta schedule. Two measured phases: (1) the
 * invoices, one poll to idle; (2) one payment per invoice, one poll to idle — the invoices change
 * through their ARPYMTDETAIL rows only (their WHENMODIFIED stays, the simulator's default).
 *
 * Each phase's poll window starts where its data begins (every flow's watermark is moved there,
 * as the products scenario does), so a phase reads what it changed and not the previous phase's
 * records again in the overlap window: on a 5-minute schedule a day's invoices are not paid in the
 * five minutes after they were entered.
 */
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { measured, stateStoreOf } from './pipeline.ts';
import { progress, step } from './progress.ts';
import { checkInvoices, checkPayments, salesforceKinds } from './receivables-checks.ts';
import { createInvoices, createPayments } from './receivables-data.ts';
import type { BenchStack } from './stack.ts';
import type { PipelineRun } from './types.ts';
import { createAccounts, waitIdle } from './workload.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every flow's next Intacct poll reads from `at` on (the watermark is `at` plus the overlap). */
async function windowsFrom(stack: BenchStack, config: SyncConfig, at: number): Promise<void> {
  const state = stateStoreOf(stack);
  const watermark = new Date(at + config.delta.overlapSeconds * 1000).toISOString();
  for (const flow of config.flows) await state.setWatermark(flow.name, 'intacct', watermark);
}

/**
 * Runs the intacct-delta schedule until its poll is read to the end (a long one checkpoints);
 * answers how many scheduler invocations that took.
 */
async function pollToEnd(stack: BenchStack): Promise<number> {
  for (let i = 1; i < 100; i++) {
    const run = (await stack.runtime.runSchedule('intacct-delta')) as { status?: string };
    if (run.status !== 'partial') return i;
  }
  return 100;
}

/** A one-second gap on each side of `cut`: WHENMODIFIED has whole seconds. */
async function cutAfter(): Promise<number> {
  await sleep(1100);
  const cut = Date.now();
  await sleep(1100);
  return cut;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The figures of one phase that the generic report leaves out: SF calls by kind, per 200 records. */
function perPhase(costs: PipelineRun['costs'], records: number, jobs: number, settled: boolean) {
  const sf = salesforceKinds(costs.salesforce.byRoute);
  return {
    settled,
    jobs,
    salesforceSoql: sf.soql,
    salesforceDml: sf.dml,
    salesforceOther: sf.other,
    salesforceCallsPer200: round(costs.salesforce.calls / (records / 200)),
    intacctTransactionsPerRecord: round(costs.intacct.transactions / Math.max(1, records)),
  };
}

export async function receivables(
  stack: BenchStack,
  config: SyncConfig,
  invoiceCount: number,
  perCustomer: number,
): Promise<PipelineRun[]> {
  const customers = Math.max(1, Math.ceil(invoiceCount / perCustomer));
  progress(`receivables: ${customers} accounts and their customers (not measured)`);
  stack.outbound.enabled = false;
  const accountIds = createAccounts(stack, 'RV', customers);
  await stack.runtime.runSchedule('salesforce-delta');
  await waitIdle(stack, { timeoutMs: 10 * 60_000 });
  // The customers known to credit-status (state OK), as they are before their first invoices: a
  // customer's first sight sets its status without a Task, a later move into Overdue owes one.
  await pollToEnd(stack);
  await waitIdle(stack, { timeoutMs: 10 * 60_000 });
  const accountOf = new Map<string, string>();
  for (const id of accountIds) {
    const customerId = stack.salesforce.record('Account', id)?.Intacct_Customer_Id__c;
    if (typeof customerId === 'string' && customerId !== '') accountOf.set(customerId, id);
  }
  if (accountOf.size !== customers)
    throw new Error(`receivables: ${customers - accountOf.size} of ${customers} accounts did not sync`);
  const customerIds = [...accountOf.keys()];
  await windowsFrom(stack, config, await cutAfter());

  const invoices = createInvoices(stack, customerIds, invoiceCount, perCustomer, (done) =>
    progress('receivables: invoices entered in Intacct', done, invoiceCount),
  );
  step(`receivables: ${invoices.length} invoices entered in Intacct for ${customers} customers`);
  const invoiceKeys = new Set(invoices.map((i) => `AR-${i.recordNo}`));
  const recordNos = invoices.map((i) => i.recordNo);
  const tasksBefore = stack.salesforce.records('Task').length;
  let polls1 = 0;
  const m1 = await measured(
    stack,
    'receivables: invoices in Salesforce',
    invoices.length,
    () =>
      stack.salesforce
        .records('Intacct_Invoice__c')
        .filter((r) => invoiceKeys.has(String(r.Intacct_Invoice_Key__c))).length,
    async () => {
      polls1 = await pollToEnd(stack);
    },
  );
  const tasksAfter1 = stack.salesforce.records('Task').length;
  const phase1: PipelineRun = {
    name: 'receivables-invoices',
    records: invoices.length,
    changed: invoices.length,
    costs: m1.costs,
    wallMs: m1.wallMs,
    latencyMs: null,
    checks: {
      ...perPhase(m1.costs, invoices.length, m1.jobs, m1.settled),
      schedulerRuns: polls1,
      tasksCreated: tasksAfter1 - tasksBefore,
      tasksExpected: new Set(invoices.filter((i) => i.overdue).map((i) => i.customerId)).size,
      ...checkInvoices(stack, accountOf, recordNos),
    },
  };
  step(`receivables: invoices ${JSON.stringify(phase1.checks)}`);

  await windowsFrom(stack, config, await cutAfter());
  const payments = createPayments(stack, invoices, (done) =>
    progress('receivables: payments entered in Intacct', done, invoices.length),
  );
  step(`receivables: ${payments.length} payments entered in Intacct`);
  let polls2 = 0;
  const paymentKeys = new Set(payments.map((p) => `PY-${p.recordNo}`));
  const m2 = await measured(
    stack,
    'receivables: payments in Salesforce',
    payments.length,
    () =>
      stack.salesforce
        .records('Intacct_Payment__c')
        .filter((r) => paymentKeys.has(String(r.Intacct_Payment_Key__c))).length,
    async () => {
      polls2 = await pollToEnd(stack);
    },
  );
  const phase2: PipelineRun = {
    name: 'receivables-payments',
    records: payments.length,
    changed: payments.length,
    costs: m2.costs,
    wallMs: m2.wallMs,
    latencyMs: null,
    checks: {
      ...perPhase(m2.costs, payments.length, m2.jobs, m2.settled),
      schedulerRuns: polls2,
      tasksCreated: stack.salesforce.records('Task').length - tasksAfter1,
      tasksExpected: 0,
      ...checkPayments(stack, accountOf, payments),
      ...checkInvoices(stack, accountOf, recordNos),
    },
  };
  step(`receivables: payments ${JSON.stringify(phase2.checks)}`);
  return [phase1, phase2];
}

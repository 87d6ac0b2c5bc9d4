/**
 * `scale` (DESIGN §8, issue 10): a 50,000-record Salesforce backfill whose poll is given a small
 * time budget per scheduler invocation, so it spans many invocations, while 1% of the records
 * change during the poll; every record must end synced once, with its latest values. And
 * `reconcile`: what a full reconciliation of the flow costs once the pairs are linked.
 */
import type { RunRecord } from '#shared/aws/state-store.ts';
import type { ReconcileReport } from '#shared/sync/reconcile/index.ts';
import { measured } from './pipeline.ts';
import { progress, step } from './progress.ts';
import type { BenchStack } from './stack.ts';
import type { PipelineRun } from './types.ts';
import { createAccounts } from './workload.ts';

export async function scale(stack: BenchStack, n: number, budgetSeconds: number): Promise<PipelineRun> {
  stack.outbound.enabled = false;
  progress('scale: creating accounts in the Salesforce simulator');
  const ids = createAccounts(stack, 'SC', n);
  step(`scale: ${n} accounts created`);
  const modified = new Map<string, string>();
  const step1 = Math.max(1, Math.floor(ids.length / Math.max(1, Math.floor(n / 100))));
  const toModify = ids.filter((_, i) => i % step1 === 0).slice(0, Math.floor(n / 100));
  const runs: RunRecord[] = [];
  const createsBefore = stack.intacct.counters().byFunction.create ?? 0;
  const m = await measured(
    stack,
    'scale: creates sent to Intacct',
    n,
    () => (stack.intacct.counters().byFunction.create ?? 0) - createsBefore,
    async () => {
      // Invocations until a window opened after the last modification is read to its end: a
      // change made while a window is being read belongs to the next window.
      let windowOpenedAt: number | undefined;
      let lastModifiedAt = 0;
      for (let i = 0; i < 1000; i++) {
        windowOpenedAt ??= Date.now();
        const run = (await stack.runtime.runSchedule('salesforce-delta', { budgetSeconds })) as RunRecord;
        runs.push(run);
        if (run.status !== 'partial') {
          if (toModify.length === 0 && windowOpenedAt > lastModifiedAt) break;
          windowOpenedAt = undefined;
        }
        // 1% of the records change while the poll is under way, a slice after each invocation.
        const slice = toModify.splice(0, Math.ceil(n / 100 / 4));
        for (const id of slice) {
          const phone = `+1 650 700 ${String(modified.size).padStart(4, '0')}`;
          stack.salesforce.asUser.update('Account', id, { Phone: phone });
          modified.set(id, phone);
        }
        if (slice.length > 0) lastModifiedAt = Date.now();
      }
    },
    40 * 60_000,
  );
  const customers = new Map(
    stack.intacct
      .records('CUSTOMER')
      .filter((c) => String(c.CUSTOMERID).startsWith('SC-'))
      .map((c) => [String(c.CUSTOMERID), c]),
  );
  const accounts = stack.salesforce
    .records('Account')
    .filter((a) => String(a.AccountNumber).startsWith('SC-'));
  const stale = [...modified].filter(([id, phone]) => {
    const key = String(accounts.find((a) => a.Id === id)?.AccountNumber);
    const c = customers.get(key) as { DISPLAYCONTACT?: { PHONE1?: string } } | undefined;
    return c?.DISPLAYCONTACT?.PHONE1 !== phone;
  }).length;
  return {
    name: 'scale',
    records: n,
    changed: n,
    costs: m.costs,
    wallMs: m.wallMs,
    latencyMs: null,
    checks: {
      settled: m.settled,
      invocations: runs.length,
      partialRuns: runs.filter((r) => r.status === 'partial').length,
      budgetSeconds,
      enqueued: runs.reduce((s, r) => s + r.enqueued, 0),
      synced: accounts.filter((a) => customers.has(String(a.AccountNumber))).length,
      duplicates:
        stack.intacct.records('CUSTOMER').length -
        new Set(stack.intacct.records('CUSTOMER').map((c) => c.NAME)).size,
      modifiedDuringPoll: modified.size,
      modifiedNotSynced: stale,
    },
  };
}

/** A full reconciliation of account-customer, as `sfi reconcile` runs it. */
export async function reconcileRun(stack: BenchStack): Promise<PipelineRun> {
  let report: ReconcileReport | undefined;
  const m = await measured(
    stack,
    'reconcile: done',
    1,
    () => (report === undefined ? 0 : 1),
    async () => {
      const response = await fetch(`${stack.runtime.controlUrl}/reconcile/account-customer?fix=false`, {
        method: 'POST',
      });
      report = ((await response.json()) as { report: ReconcileReport }).report;
    },
  );
  const c = report?.counts;
  return {
    name: 'reconcile',
    records: c?.links ?? 0,
    changed: 0,
    costs: m.costs,
    wallMs: m.wallMs,
    latencyMs: null,
    checks: {
      settled: m.settled,
      linkedPairs: c?.links ?? 0,
      equal: c?.linkedEqual ?? 0,
      drifted: c?.drifted ?? 0,
      onlyInSalesforce: c?.onlyInSalesforce ?? 0,
      onlyInIntacct: c?.onlyInIntacct ?? 0,
      salesforceCalls: report?.cost.salesforceCalls ?? 0,
      intacctRequests: report?.cost.intacctRequests ?? 0,
    },
  };
}

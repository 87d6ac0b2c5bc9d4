/**
 * The `reconcile` schedule (nightly by default) and `sfi reconcile <flow> [--fix]`: the
 * reconciliation of every mirror flow (or the one named), each report stored for `/status` and
 * `sfi status`. A nightly run reports; it repairs only when asked (`--fix`, or `reconcile.fix`).
 */
import type { JobQueue } from '#shared/aws/job-queue.ts';
import type { StateStore } from '#shared/aws/state-store.ts';
import { ValidationError } from '#shared/errors.ts';
import type { CompanyClock, IntacctClient } from '#shared/intacct/index.ts';
import type { SalesforceClient } from '#shared/salesforce/index.ts';
import type { FlowConfig, MirrorFlow } from '#shared/sync/flow-schema.ts';
import type { Crosswalk } from '#shared/sync/ports.ts';
import { type ReconcileReport, reconcile } from '#shared/sync/reconcile/index.ts';
import type { ScheduleTask } from './use-case.ts';

export interface ReconcileTaskDeps {
  flows: readonly FlowConfig[];
  salesforce: () => Promise<SalesforceClient>;
  intacct: () => Promise<IntacctClient>;
  crosswalk: Crosswalk;
  queue: JobQueue;
  state: StateStore;
  clock?: CompanyClock;
  /** Repair on the nightly run too (config `reconcile.fix`). */
  fix?: boolean;
}

export function summary(r: ReconcileReport): string {
  const c = r.counts;
  const fixed = r.fix === undefined ? '' : `, ${r.fix.enqueued} repair jobs`;
  return `${r.flow}: ${c.linkedEqual} equal, ${c.drifted} drifted, ${c.onlyInSalesforce} only in Salesforce, ${c.onlyInIntacct} only in Intacct, ${c.goneInSalesforce + c.goneInIntacct} gone, ${c.duplicates} duplicates${fixed} (${r.cost.salesforceCalls} Salesforce calls, ${r.cost.intacctRequests} Intacct requests)`;
}

export function makeReconcileTask(deps: ReconcileTaskDeps): ScheduleTask {
  return async ({ schedule, startedAt, args }) => {
    const mirrors = deps.flows.filter((f): f is MirrorFlow => f.kind === 'mirror');
    const named = args?.flow;
    const flows = named === undefined ? mirrors : mirrors.filter((f) => f.name === named);
    if (named !== undefined && flows.length === 0)
      throw new ValidationError(
        `"${named}" is not a mirror flow; reconcile one of: ${mirrors.map((f) => f.name).join(', ')}`,
        {
          code: 'FLOW_UNKNOWN',
          hint: 'name a mirror flow of the sync config',
        },
      );
    const fix = args?.fix ?? deps.fix ?? false;
    const [salesforce, intacct] = await Promise.all([deps.salesforce(), deps.intacct()]);
    const reports: ReconcileReport[] = [];
    for (const flow of flows) {
      const report = await reconcile(
        {
          salesforce,
          intacct,
          crosswalk: deps.crosswalk,
          queue: deps.queue,
          ...(deps.clock ? { clock: deps.clock } : {}),
        },
        flow,
        { fix, correlationId: `${schedule}:${startedAt.toISOString()}` },
      );
      await deps.state.saveReport('reconcile', flow.name, report);
      reports.push(report);
    }
    return {
      enqueued: reports.reduce((n, r) => n + (r.fix?.enqueued ?? 0), 0),
      detail: reports.map(summary).join('; '),
    };
  };
}

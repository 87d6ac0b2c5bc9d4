/**
 * The dry-run operation (`sfi dry-run <flow> [--since]`): the plan of that backfill and its API
 * cost, with nothing written anywhere. It enumerates exactly what the backfill would, then runs
 * the real worker use case and sync engine over the jobs in the worker's batch size, on ports
 * whose reads are real and whose writes are recorded and answered instead of sent (the crosswalk
 * in memory over DynamoDB, the ledger read-only, no queue): the plan is what the real code decides.
 * Cost = the reads actually made + the writes that would have been, batched as the clients batch.
 * Not foreseen: refusals only the target reports when written to (a Salesforce validation rule,
 * an Intacct rule no pre-flight check covers) — those records show as the create or update tried.
 */
import { randomUUID } from 'node:crypto';
import { makeWorker } from '#functions/worker/use-case.ts';
import { TableCrosswalk } from '#shared/aws/crosswalk.ts';
import type { KvTable } from '#shared/aws/kv-table.ts';
import type { Ledger } from '#shared/aws/ledger.ts';
import { OverlayKvTable } from '#shared/aws/overlay-kv-table.ts';
import type { Job } from '#shared/jobs/job.ts';
import type { Logger } from '#shared/observability/logger.ts';
import { IntacctDocuments } from '#shared/sync/adapters/intacct-documents.ts';
import { IntacctPort } from '#shared/sync/adapters/intacct-port.ts';
import { SalesforcePort } from '#shared/sync/adapters/salesforce-port.ts';
import type { PollState } from '#shared/sync/delta.ts';
import { fitItems, noCounts, type PlanAction, type PlanItem, planItems } from '#shared/sync/dry-run/plan.ts';
import {
  DryRunDocuments,
  DryRunIntacct,
  DryRunSalesforce,
  readOnlyLedger,
} from '#shared/sync/dry-run/ports.ts';
import { DryRunRecorder } from '#shared/sync/dry-run/recorder.ts';
import { makeSyncEngine } from '#shared/sync/engine.ts';
import type { FlowConfig } from '#shared/sync/flow-schema.ts';
import { intacctKeyField, routable } from '#shared/sync/flows.ts';
import type { WorkItem } from '#shared/sync/kernel/work-items.ts';
import { backfillPage, backfillSides, backfillWindow, type PageReaders } from './backfill-pages.ts';

export interface DryRunDeps extends PageReaders {
  flows: readonly FlowConfig[];
  /** The crosswalk's table (read; writes stay in memory). */
  crosswalkTable: KvTable;
  ledger: Ledger;
  logger: Logger;
  /** The worker's batch (config `worker.batchSize`) and Intacct packing (`intacct.functionsPerRequest`). */
  batchSize: number;
  functionsPerRequest: number;
  claimTtlSeconds: number;
}

export interface DryRunCommand {
  flow: string;
  since?: string;
  /** Items listed at most (default 200); the counts cover every record. */
  limit?: number;
  deadline: number;
  pageSize?: number;
}

export interface DryRunResult {
  op: 'dry-run';
  flow: string;
  since: string | null;
  counts: Record<PlanAction, number>;
  cost: { intacctRequests: number; intacctTransactions: number; salesforceCalls: number };
  items: PlanItem[];
  truncated: boolean;
  /** The time budget ran out: the figures cover the records planned so far (`planned` of `enumerated`). */
  partial: boolean;
  enumerated: number;
  planned: number;
}

export const DEFAULT_PLAN_LIMIT = 200;

export function makeDryRun(deps: DryRunDeps): (command: DryRunCommand) => Promise<DryRunResult> {
  const keyFields = new Map(deps.flows.map((f) => [f.intacctObject, intacctKeyField(f)]));
  const keyField = (object: string) => keyFields.get(object) ?? 'RECORDNO';
  const logger = deps.logger.child({ dryRun: true });

  return async (command) => {
    const flow = deps.flows.find((f) => f.name === command.flow);
    if (flow === undefined) throw new Error(`unreachable: ${command.flow} was checked before`);
    const [sf, ia] = await Promise.all([deps.salesforce(), deps.intacct()]);
    const before = { sf: sf.stats().apiCalls, ia: { ...ia.counters } };
    const recorder = new DryRunRecorder({ functionsPerRequest: deps.functionsPerRequest });
    const salesforce = new DryRunSalesforce(new SalesforcePort(sf), recorder);
    const crosswalk = new TableCrosswalk(new OverlayKvTable(deps.crosswalkTable));
    let batchItems: WorkItem[] = [];
    const ledger = readOnlyLedger(deps.ledger);
    const worker = makeWorker({
      ledger,
      flows: deps.flows.map(routable),
      logger,
      processFlow: makeSyncEngine({
        flows: deps.flows,
        salesforce,
        intacct: new DryRunIntacct(new IntacctPort(ia, keyField, deps.clock), recorder, keyField),
        documents: { source: salesforce, target: new DryRunDocuments(new IntacctDocuments(ia), recorder) },
        crosswalk,
        ledger,
        logger,
        claimTtlSeconds: deps.claimTtlSeconds,
        onItems: (_, items) => batchItems.push(...items),
      }),
    });

    // 1. What the backfill would enqueue, side after side.
    const jobs: Job[] = [];
    const startedAt = new Date();
    let partial = false;
    for (const side of backfillSides(flow)) {
      let state: PollState | undefined = backfillWindow(command.since, startedAt);
      while (state !== undefined && !partial) {
        const page = await backfillPage(deps, flow, side, state, {
          correlationId: `dry-run:${flow.name}:${startedAt.toISOString()}`,
          ...(command.pageSize === undefined ? {} : { pageSize: command.pageSize }),
        });
        jobs.push(...page.jobs);
        state = page.next;
        if (state !== undefined && Date.now() >= command.deadline) partial = true;
      }
    }

    // 2. The worker over them, a batch at a time, as SQS would hand them over.
    const limit = command.limit ?? DEFAULT_PLAN_LIMIT;
    const counts = noCounts();
    const items: PlanItem[] = [];
    let planned = 0;
    // At least one batch is planned however little time is left, so every call makes progress.
    for (let start = 0; start < jobs.length; start += deps.batchSize) {
      if (start > 0 && Date.now() >= command.deadline) {
        partial = true;
        break;
      }
      const batch = jobs.slice(start, start + deps.batchSize);
      batchItems = [];
      await worker(
        batch.map((job) => ({ messageId: randomUUID(), body: JSON.stringify(job), receiveCount: 1 })),
      );
      const ids = (source: Job['source']) =>
        batchItems.filter((i) => i.job.source === source).map((i) => i.id);
      const [bySalesforceId, byIntacctKey] = await Promise.all([
        crosswalk.bySalesforceIds(flow.name, ids('salesforce')),
        crosswalk.byIntacctKeys(flow.name, ids('intacct')),
      ]);
      for (const item of planItems(batchItems, recorder.endBatch(), { bySalesforceId, byIntacctKey })) {
        counts[item.action]++;
        if (items.length < limit) items.push(item);
      }
      planned += batch.length;
    }

    const sessions = ia.counters.sessionsOpened - before.ia.sessionsOpened;
    const plan = fitItems({
      op: 'dry-run' as const,
      flow: flow.name,
      since: command.since ?? null,
      counts,
      cost: {
        // A login is the warm worker's already: not part of what the backfill costs.
        intacctRequests:
          ia.counters.httpRequests - before.ia.httpRequests - sessions + recorder.intacctRequests,
        intacctTransactions:
          ia.counters.apiTransactions - before.ia.apiTransactions + recorder.cost.intacctTransactions,
        salesforceCalls: sf.stats().apiCalls - before.sf + recorder.cost.salesforceCalls,
      },
      items,
      partial,
      enumerated: jobs.length,
      planned,
    });
    const listed = Object.values(counts).reduce((n, c) => n + c, 0);
    return { ...plan, truncated: plan.truncated || listed > plan.items.length };
  };
}

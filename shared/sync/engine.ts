/**
 * The sync engine (DESIGN §5): a thin dispatcher. For one flow's batch of jobs it picks the flow's
 * kind, lets it plan and write through the kernel, turns the items into one outcome per message,
 * and records the batch's stats.
 */
import { randomUUID } from 'node:crypto';
import { SyncError } from '#shared/errors.ts';
import type { Logger } from '#shared/observability/logger.ts';
import type { FlowConfig } from './flow-schema.ts';
import { recordingCrosswalk } from './kernel/activity.ts';
import { internal } from './kernel/failures.ts';
import { type Counts, settle, type WorkItem } from './kernel/work-items.ts';
import type { KindContext } from './kinds/context.ts';
import { runnerFor } from './kinds/index.ts';
import type { Crosswalk, Ledger, SystemPort } from './ports.ts';
import type { FlowProcessor } from './processor.ts';

export interface EngineDeps {
  flows: readonly FlowConfig[];
  salesforce: SystemPort;
  intacct: SystemPort;
  crosswalk: Crosswalk;
  /** The document kind's ports (document flows fail without them). */
  documents?: KindContext['documents'];
  ledger: Ledger;
  logger: Logger;
  now?: () => Date;
  /** How long a create's claim lasts (default 120 s: longer than one worker invocation may run). */
  claimTtlSeconds?: number;
  /** Called once per flow batch with its counts (the worker turns them into EMF metrics). */
  onCounts?: (flow: string, counts: { received: number } & Counts) => void;
  /** Called once per flow batch with its items and their outcomes (the dry run's plan reads them). */
  onItems?: (flow: string, items: readonly WorkItem[]) => void;
}

export function makeSyncEngine(deps: EngineDeps): FlowProcessor {
  const now = deps.now ?? (() => new Date());
  const flows = new Map(deps.flows.map((f) => [f.name, f]));

  return async (flowName, jobs) => {
    const flow = flows.get(flowName);
    if (flow === undefined)
      throw new SyncError(`flow ${flowName} has no configuration`, {
        code: 'FLOW_UNKNOWN',
        retryable: false,
      });
    const activity = recordingCrosswalk(deps.crosswalk);
    const items = await runnerFor(flow)(
      {
        salesforce: deps.salesforce,
        intacct: deps.intacct,
        crosswalk: activity.crosswalk,
        logger: deps.logger,
        now,
        owner: randomUUID(),
        claimTtlSeconds: deps.claimTtlSeconds ?? 120,
        flows: deps.flows,
        documents: deps.documents,
      },
      flow,
      jobs,
    );
    deps.onItems?.(flow.name, items);
    const { outcomes, counts } = settle(items, () => internal('no outcome'));
    await deps.ledger.addStats(flow.name, now().toISOString().slice(0, 10), {
      received: jobs.length,
      ...counts,
    });
    deps.onCounts?.(flow.name, { received: jobs.length, ...counts });
    // The records are synced and linked: an audit that cannot be written costs the console's
    // activity list an entry, never a retry of the batch.
    await deps.ledger.audit(activity.take()).catch((error: unknown) => {
      deps.logger.warn('audit not written', { flow: flow.name, error });
    });
    return outcomes;
  };
}

/**
 * What every flow kind gets from the engine: the ports, a logger, the clock, and who this
 * invocation is (the owner of its claims).
 */
import type { Job } from '#shared/jobs/job.ts';
import type { Logger } from '#shared/observability/logger.ts';
import type { DocumentPort, LinesReader } from '../document-ports.ts';
import type { FlowConfig } from '../flow-schema.ts';
import type { WorkItem } from '../kernel/work-items.ts';
import type { Crosswalk, SystemPort } from '../ports.ts';

export interface KindContext {
  salesforce: SystemPort;
  intacct: SystemPort;
  crosswalk: Crosswalk;
  logger: Logger;
  now: () => Date;
  /** Unique per invocation: claims name it. */
  owner: string;
  /** How long a claim lasts: at least as long as one invocation may run. */
  claimTtlSeconds: number;
  /** Every flow of the config (a document syncs its account through the account flow). */
  flows: readonly FlowConfig[];
  /** The document kind's ports: source records with lines, Intacct documents. */
  documents?: { source: LinesReader; target: DocumentPort };
}

/** Plans and writes one flow's jobs; every returned item has an outcome. */
export type KindRunner<F extends FlowConfig = FlowConfig> = (
  context: KindContext,
  flow: F,
  jobs: ReadonlyArray<{ messageId: string; job: Job }>,
) => Promise<WorkItem[]>;

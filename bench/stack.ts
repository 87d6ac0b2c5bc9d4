/**
 * The pipeline the bench measures: the local runtime (real handlers, dynalite, fauxqs) in a thread
 * of its own (runtime-thread.ts), with both simulators on the main thread at realistic latency and
 * the Intacct concurrency cap, composed here rather than with `startLocalStack` so the bench
 * controls what `startLocalStack` does not pass on (simulator latency, cap, outbound rules, empty
 * seeds), and so the Intacct simulator can time writes (intacct-writes.ts).
 *
 * Outbound messages follow docs/deploying.md: the Flow skips the integration user's own edits.
 * `outbound.enabled` is the bench's switch for bulk data loads (like loading with the Flow bypassed).
 */
import { type IntacctSimulator, startIntacctSimulator } from '#local/intacct-sim/index.ts';
import {
  DEFAULT_RULES,
  type SalesforceSimulator,
  salesforceSecretFor,
  startSalesforceSimulator,
} from '#local/salesforce-sim/index.ts';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { type IntacctWrites, watchIntacctWrites } from './intacct-writes.ts';
import { startRuntimeThread, type ThreadRuntime } from './runtime-thread.ts';

export interface BenchSettings {
  salesforceLatencyMs: number;
  intacctLatencyMs: number;
  intacctCap: number;
}

export const REALISTIC: BenchSettings = { salesforceLatencyMs: 120, intacctLatencyMs: 350, intacctCap: 2 };

export interface Simulators {
  salesforce: SalesforceSimulator;
  intacct: IntacctSimulator;
  /** When false, Salesforce changes fire no outbound messages (bulk loads). */
  outbound: { enabled: boolean };
  stop(): Promise<void>;
}

export interface BenchStack extends Simulators {
  runtime: ThreadRuntime;
  /** When marked values reached Intacct (the real-time scenario's latency). */
  writes: IntacctWrites;
}

/** Both simulators, empty, at the given latency and cap. */
export async function startSimulators(config: SyncConfig, settings: BenchSettings): Promise<Simulators> {
  const outbound = { enabled: false };
  let integrationUserId = '';
  const salesforce = await startSalesforceSimulator({
    seed: 'empty',
    credentials: { orgId: config.salesforce.orgId },
    latencyMs: settings.salesforceLatencyMs,
    timeScale: 60,
    outboundRules: DEFAULT_RULES.map((rule) => ({
      ...rule,
      when: (after, before) =>
        outbound.enabled &&
        after.LastModifiedById !== integrationUserId &&
        (rule.when?.(after, before) ?? true),
    })),
  });
  integrationUserId = salesforce.users.integrationUserId;
  const intacct = await startIntacctSimulator({
    // The demo's entities (E100 US, E200 UK): the shipped document flow routes by entity.
    seed: 'entities',
    latencyMs: settings.intacctLatencyMs,
    concurrencyCap: settings.intacctCap,
  });
  return {
    salesforce,
    intacct,
    outbound,
    async stop() {
      salesforce.setOutboundEndpoint(undefined);
      await Promise.all([salesforce.stop(), intacct.stop()]);
    },
  };
}

/** The whole local pipeline on fresh simulators. One per process: the handlers read env at import. */
export async function startBenchStack(config: SyncConfig, settings: BenchSettings): Promise<BenchStack> {
  const sims = await startSimulators(config, settings);
  const writes = watchIntacctWrites(sims.intacct);
  const sf = sims.salesforce.readyInfo();
  const runtime = await startRuntimeThread({
    config,
    timers: false,
    // each worker instance in a thread of its own, with its own clients, as deployed
    workerThreads: true,
    env: {
      SALESFORCE_SECRET_JSON: JSON.stringify(salesforceSecretFor(sf)),
      INTACCT_SECRET_JSON: JSON.stringify(sims.intacct.readyInfo()),
    },
  });
  sims.salesforce.setOutboundEndpoint(runtime.webhookUrl);
  return {
    ...sims,
    runtime,
    writes,
    async stop() {
      sims.salesforce.setOutboundEndpoint(undefined);
      await runtime.stop(5_000);
      writes.stop();
      await sims.stop();
    },
  };
}

/**
 * `sfi local`: the whole pipeline on this machine — embedded AWS, the real handlers, and both
 * simulators with demo data, the Salesforce simulator's outbound messages pointed at the local
 * webhook. Returns the ready line of DESIGN §7.
 */

import {
  type IntacctSimulator,
  type IntacctSimulatorOptions,
  startIntacctSimulator,
} from '#local/intacct-sim/index.ts';
import {
  DEFAULT_RULES,
  type SalesforceSimulator,
  type SalesforceSimulatorOptions,
  salesforceSecretFor,
  startSalesforceSimulator,
} from '#local/salesforce-sim/index.ts';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from './runtime.ts';

export interface LocalStackOptions {
  config: SyncConfig;
  port?: number;
  seed?: 'demo' | 'empty';
  timers?: boolean;
  /** Simulated seconds per real second for outbound-message retries (default 60: a 1-minute retry takes 1 s). */
  timeScale?: number;
  /** Extra simulator options (latency, faults) for tests and benchmarks. */
  salesforce?: Partial<SalesforceSimulatorOptions>;
  intacct?: Partial<IntacctSimulatorOptions>;
  /** Passed to the local runtime (visibility timeout, batching window). */
  runtime?: Partial<LocalRuntimeOptions>;
}

export interface LocalStack {
  runtime: LocalRuntime;
  salesforce: SalesforceSimulator;
  intacct: IntacctSimulator;
  ready: ReadyLine;
  stop(graceMs?: number): Promise<void>;
}

export interface ReadyLine {
  event: 'ready';
  controlUrl: string;
  webhookUrl: string;
  salesforce: ReturnType<SalesforceSimulator['readyInfo']>;
  intacct: ReturnType<IntacctSimulator['readyInfo']>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const seed = options.seed ?? 'demo';
  // Outbound messages only for objects a flow syncs, as an admin would set up the Flows.
  const objects = new Set(options.config.flows.map((f) => f.salesforceObject));
  const salesforce = await startSalesforceSimulator({
    seed,
    credentials: { orgId: options.config.salesforce.orgId },
    outboundRules: DEFAULT_RULES.filter((r) => objects.has(r.object)),
    timeScale: options.timeScale ?? 60,
    ...options.salesforce,
  });
  const intacct = await startIntacctSimulator({ seed, ...options.intacct });
  try {
    const sf = salesforce.readyInfo();
    const ia = intacct.readyInfo();
    const runtime = await startLocalRuntime({
      config: options.config,
      port: options.port,
      portFallback: true,
      timers: options.timers,
      ...options.runtime,
      env: {
        SALESFORCE_SECRET_JSON: JSON.stringify(salesforceSecretFor(sf)),
        INTACCT_SECRET_JSON: JSON.stringify(ia),
      },
    });
    salesforce.setOutboundEndpoint(runtime.webhookUrl);
    return {
      runtime,
      salesforce,
      intacct,
      ready: {
        event: 'ready',
        controlUrl: runtime.controlUrl,
        webhookUrl: runtime.webhookUrl,
        salesforce: sf,
        intacct: ia,
      },
      async stop(graceMs) {
        salesforce.setOutboundEndpoint(undefined);
        await runtime.stop(graceMs);
        await Promise.all([salesforce.stop(), intacct.stop()]);
      },
    };
  } catch (error) {
    await Promise.all([salesforce.stop(), intacct.stop()]);
    throw error;
  }
}

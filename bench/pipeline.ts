/**
 * Pipeline scenarios on the bench stack: `backfill` (N accounts synced by the salesforce-delta
 * schedule), `rerun` (the same backfill again, nothing changed) and `realtime` (outbound-message
 * bursts POSTed to the webhook, latency from POST to the Intacct write that carries the change).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localClientConfig } from '#local/aws/embedded-aws.ts';
import { DynamoStateStore } from '#shared/aws/state-store.ts';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { startCpuAreas, sumAreas } from './cpu-areas.ts';
import { percentile, startMeter } from './measure.ts';
import { progress, step } from './progress.ts';
import type { BenchStack } from './stack.ts';
import type { PipelineRun } from './types.ts';
import { createAccounts, outboundBody, waitIdle } from './workload.ts';

const SETTLE_TIMEOUT_MS = 10 * 60_000;

/** Worker and per-flow counters from the control API (read outside the measured window: they cost DynamoDB reads). */
export async function workerStats(stack: BenchStack): Promise<{ messages: number; skipped: number }> {
  const doc = (await (await fetch(`${stack.runtime.controlUrl}/status`)).json()) as {
    worker: { messages: number };
    flows: Record<string, { skipped: number }>;
  };
  const skipped = Object.values(doc.flows).reduce((n, f) => n + f.skipped, 0);
  return { messages: doc.worker.messages, skipped };
}

/** Runs `body` between two meter readings and control-API snapshots; `live` feeds the progress line. */
export async function measured(
  stack: BenchStack,
  label: string,
  total: number,
  live: () => number,
  body: () => Promise<void>,
  settleTimeoutMs = SETTLE_TIMEOUT_MS,
): Promise<
  Omit<PipelineRun, 'name' | 'records' | 'changed' | 'latencyMs' | 'checks'> & {
    jobs: number;
    skipped: number;
    settled: boolean;
  }
> {
  const before = await workerStats(stack);
  const meter = await startMeter(stack);
  // The main thread (simulators, bench) and the runtime's thread are sampled apart and summed.
  const stopProfile = await startCpuAreas();
  await stack.runtime.profileStart();
  const t0 = performance.now();
  await body();
  const quietAt = await waitIdle(stack, {
    timeoutMs: settleTimeoutMs,
    onTick: () => {
      const done = live();
      progress(label, done, total, done / Math.max(0.001, (performance.now() - t0) / 1000));
    },
  });
  const end = quietAt ?? performance.now();
  const costs = {
    ...(await meter.read()),
    cpu: sumAreas(await stopProfile(), await stack.runtime.profileStop()),
  };
  const after = await workerStats(stack);
  return {
    costs,
    wallMs: Math.round(end - t0),
    jobs: after.messages - before.messages,
    skipped: after.skipped - before.skipped,
    settled: quietAt !== undefined,
  };
}

const intacctWrites = (stack: BenchStack) => {
  const f = stack.intacct.counters().byFunction;
  return (f.create ?? 0) + (f.update ?? 0);
};

export async function backfill(stack: BenchStack, n: number): Promise<PipelineRun> {
  stack.outbound.enabled = false;
  progress('backfill: creating accounts in the Salesforce simulator');
  createAccounts(stack, 'BF', n);
  step(`backfill: ${n} accounts created in the Salesforce store (outbound messages off during the load)`);
  const start = intacctWrites(stack);
  const m = await measured(
    stack,
    'backfill: synced',
    n,
    () => intacctWrites(stack) - start,
    async () => {
      await stack.runtime.runSchedule('salesforce-delta');
    },
  );
  const accounts = stack.salesforce
    .records('Account')
    .filter((a) => String(a.AccountNumber).startsWith('BF-'));
  const customers = new Set(
    stack.intacct
      .records('CUSTOMER')
      .map((c) => String(c.CUSTOMERID))
      .filter((id) => id.startsWith('BF-')),
  );
  return {
    name: 'backfill',
    records: n,
    changed: n,
    costs: m.costs,
    wallMs: m.wallMs,
    latencyMs: null,
    checks: {
      settled: m.settled,
      jobs: m.jobs,
      customersInIntacct: customers.size,
      missingInIntacct: accounts.filter((a) => !customers.has(String(a.AccountNumber))).length,
      writeBackMissing: accounts.filter((a) => a.Intacct_Customer_Id__c !== a.AccountNumber).length,
    },
  };
}

/** The bench stack's state table, through the same adapter the scheduler uses. */
export function stateStoreOf(stack: BenchStack): DynamoStateStore {
  return new DynamoStateStore({
    db: DynamoDBDocumentClient.from(
      new DynamoDBClient(localClientConfig(stack.runtime.aws.dynamodbEndpoint)),
    ),
    table: stack.runtime.aws.tables.state,
  });
}

/** The same backfill again: every Salesforce watermark back to the epoch, then the same poll. */
export async function rerun(stack: BenchStack, config: SyncConfig, n: number): Promise<PipelineRun> {
  const state = stateStoreOf(stack);
  for (const flow of config.flows)
    await state.setWatermark(flow.name, 'salesforce', new Date(0).toISOString());
  const m = await measured(
    stack,
    'rerun: jobs done',
    n,
    () => 0,
    async () => {
      await stack.runtime.runSchedule('salesforce-delta');
    },
  );
  return {
    name: 'rerun',
    records: n,
    changed: 0,
    costs: m.costs,
    wallMs: m.wallMs,
    latencyMs: null,
    checks: { settled: m.settled, jobs: m.jobs, skipped: m.skipped },
  };
}

/** `count` notifications in bursts of `burst`, one burst every `intervalMs`, POSTed to the webhook. */
export async function realtime(
  stack: BenchStack,
  config: SyncConfig,
  count: number,
  burst: number,
  intervalMs: number,
): Promise<PipelineRun> {
  stack.outbound.enabled = false;
  const accounts = stack.salesforce
    .records('Account')
    .filter((a) => String(a.AccountNumber).startsWith('BF-') && a.Intacct_Customer_Id__c === a.AccountNumber)
    .slice(0, count);
  if (accounts.length < count)
    throw new Error(`realtime needs ${count} synced accounts, found ${accounts.length}`);
  const markers = accounts.map((_, i) => `+1 737 200 ${String(i).padStart(4, '0')}`);
  stack.writes.watch('PHONE1', markers);
  const sentAt: number[] = [];
  const acks: number[] = [];
  const m = await measured(
    stack,
    'realtime: written',
    count,
    () => markers.filter((v) => stack.writes.writtenAt(v) !== undefined).length,
    async () => {
      const posts: Promise<void>[] = [];
      const t0 = performance.now();
      for (let from = 0; from < count; from += burst) {
        const wait = t0 + (from / burst) * intervalMs - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const slice = accounts.slice(from, from + burst);
        slice.forEach((a, i) => {
          stack.salesforce.asUser.update('Account', String(a.Id), { Phone: markers[from + i] });
        });
        const body = outboundBody(
          config.salesforce.orgId,
          slice.map((a) => stack.salesforce.record('Account', String(a.Id)) ?? a),
        );
        const at = performance.now();
        for (let i = 0; i < slice.length; i++) sentAt[from + i] = at;
        posts.push(
          fetch(stack.runtime.webhookUrl, {
            method: 'POST',
            headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
            body,
          }).then(async (r) => {
            await r.text();
            acks.push(r.status);
          }),
        );
      }
      await Promise.all(posts);
    },
  );
  const latencies: number[] = [];
  let unwritten = 0;
  markers.forEach((v, i) => {
    const at = stack.writes.writtenAt(v);
    if (at === undefined) unwritten++;
    else latencies.push(at - (sentAt[i] ?? at));
  });
  return {
    name: 'realtime',
    records: count,
    changed: count,
    costs: m.costs,
    wallMs: m.wallMs,
    latencyMs: { p50: Math.round(percentile(latencies, 50)), p95: Math.round(percentile(latencies, 95)) },
    checks: {
      settled: m.settled,
      jobs: m.jobs,
      acked: acks.filter((s) => s === 200).length,
      posts: acks.length,
      unwritten,
      maxLatencyMs: Math.round(percentile(latencies, 100)),
    },
  };
}

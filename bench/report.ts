/** Turns measured runs into the issue-6 figures, checks them against DESIGN §8, and prints tables. */
import type { BundleReport } from './bundles.ts';
import type { CpuByArea } from './cpu-areas.ts';
import { costPerMillion } from './prices.ts';
import type {
  BenchReport,
  CpuFigures,
  NaiveRun,
  PipelineRun,
  Reliability,
  ScenarioFigures,
} from './types.ts';

export function figures(
  run: PipelineRun,
  naive: NaiveRun | undefined,
  limitPerSec: number,
  sizing: { intacctCap: number; workerMemoryMb: number },
): ScenarioFigures {
  const c = run.costs;
  const basis = run.changed > 0 ? run.changed : run.records;
  const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
  return {
    name: run.name,
    records: run.records,
    changed: run.changed,
    salesforce: { calls: c.salesforce.calls },
    intacct: {
      requests: c.intacct.requests,
      reads: c.intacct.reads,
      writes: c.intacct.writes,
      transactions: c.intacct.transactions,
    },
    dynamodb: { reads: c.dynamodb.reads, writes: c.dynamodb.writes },
    sqs: { calls: c.sqs.calls },
    wallMs: run.wallMs,
    throughputPerSec: Math.round((basis / Math.max(1, run.wallMs)) * 1000 * 10) / 10,
    limitPerSec: Math.round(limitPerSec * 10) / 10,
    latencyMs: run.latencyMs,
    naive: naive?.scaled ?? null,
    breakdown: {
      intacctBusyShare: round(c.intacct.busyMs / Math.max(1, sizing.intacctCap * run.wallMs), 3),
      intacctPeakInFlight: c.intacct.peakInFlight,
      intacctRateLimitedShare: round(c.intacct.rateLimited / Math.max(1, c.intacct.requests), 4),
      workerMsPerRecord: round(c.lambda.busyMs / Math.max(1, basis), 2),
      awsUsdPerMillion: round(costPerMillion(c, basis, sizing.workerMemoryMb), 2),
      ...(c.cpu === undefined ? {} : { cpu: cpuFigures(c.cpu, basis) }),
    },
  };
}

/** The areas of cpu-areas.ts folded into the five the report shows (runtime, bench, GC, Node into other). */
function cpuFigures(cpu: CpuByArea, records: number): CpuFigures {
  const ms = {
    pipeline: cpu.pipeline ?? 0,
    awsSdk: cpu['aws-sdk'] ?? 0,
    emulators: cpu.emulators ?? 0,
    simulators: cpu.simulators ?? 0,
    other: (cpu.other ?? 0) + (cpu.gc ?? 0) + (cpu['local-runtime'] ?? 0) + (cpu.bench ?? 0),
  };
  const busy = Object.values(ms).reduce((a, b) => a + b, 0);
  const idle = cpu.idle ?? 0;
  const per = (x: number, d: number) => Math.round((x / Math.max(1, d)) * 1000) / 1000;
  const keys = Object.keys(ms) as Array<keyof typeof ms>;
  return {
    msPerRecord: Object.fromEntries(keys.map((k) => [k, per(ms[k], records)])) as CpuFigures['msPerRecord'],
    busyShare: Object.fromEntries(keys.map((k) => [k, per(ms[k], busy)])) as CpuFigures['busyShare'],
    idleShare: per(idle, busy + idle),
  };
}

export interface Target {
  target: string;
  measured: string;
  met: boolean;
}

/** DESIGN §8, target by target, from what was measured (targets whose scenario did not run are left out). */
export function checkTargets(
  scenarios: ScenarioFigures[],
  bundles: Partial<Record<string, BundleReport>>,
  reliability: Reliability | null,
  batchingWindowMs: number,
  roundTripMs: number,
): Target[] {
  const out: Target[] = [];
  const by = (name: string) => scenarios.find((s) => s.name === name);
  const bf = by('backfill');
  if (bf) {
    const n = bf.records;
    const sfBudget = Math.ceil(n / 2000) + Math.ceil(n / 200) + 10;
    out.push({
      target: `Salesforce calls ≤ N/2000 + N/200 + 10 = ${sfBudget}`,
      measured: String(bf.salesforce.calls),
      met: bf.salesforce.calls <= sfBudget,
    });
    const perChanged = bf.intacct.transactions / Math.max(1, bf.changed);
    out.push({
      target: 'Intacct transactions ≤ 1.02 per changed record',
      measured: perChanged.toFixed(3),
      met: perChanged <= 1.02,
    });
    out.push({
      target: `Intacct HTTP requests ≤ N/50 = ${Math.ceil(n / 50)}`,
      measured: String(bf.intacct.requests),
      met: bf.intacct.requests <= Math.ceil(n / 50),
    });
    const share = bf.throughputPerSec / bf.limitPerSec;
    out.push({
      target: `Backfill throughput ≥ 80% of ${bf.limitPerSec}/s`,
      measured: `${bf.throughputPerSec}/s = ${(share * 100).toFixed(0)}%`,
      met: share >= 0.8,
    });
    const w = bf.dynamodb.writes / n;
    const r = bf.dynamodb.reads / n;
    out.push({ target: 'DynamoDB ≤ 2 writes per synced record', measured: w.toFixed(3), met: w <= 2 });
    out.push({ target: 'DynamoDB ≤ 1 batched read per synced record', measured: r.toFixed(3), met: r <= 1 });
  }
  const rr = by('rerun');
  if (rr) {
    const writes = rr.intacct.writes;
    out.push({
      target: 'Rerun: 0 writes for unchanged records',
      measured: `${writes} Intacct writes`,
      met: writes === 0,
    });
  }
  const rt = by('realtime');
  if (rt?.latencyMs) {
    const budget = batchingWindowMs + 3 * roundTripMs;
    out.push({
      target: `Real-time p95 ≤ window ${batchingWindowMs} ms + 3 × ${roundTripMs} ms = ${budget} ms`,
      measured: `${rt.latencyMs.p95} ms`,
      met: rt.latencyMs.p95 <= budget,
    });
  }
  const wh = bundles.webhook;
  if (wh) {
    out.push({
      target: 'Webhook bundle ≤ 150 KB',
      measured: `${(wh.bytes / 1024).toFixed(1)} KB`,
      met: wh.bytes <= 150 * 1024,
    });
    out.push({
      target: 'No jsforce in the webhook bundle',
      measured: wh.jsforce ? 'jsforce bundled' : 'none',
      met: !wh.jsforce,
    });
    out.push({
      target: 'Webhook cold init ≤ 100 ms',
      measured: `${wh.initMs} ms (AWS SDK alone ${wh.sdkOnlyInitMs} ms)`,
      met: wh.initMs <= 100,
    });
  }
  const wk = bundles.worker;
  if (wk)
    out.push({
      target: 'Worker bundle ≤ 1.5 MB',
      measured: `${(wk.bytes / 1024 / 1024).toFixed(2)} MB`,
      met: wk.bytes <= 1.5 * 1024 * 1024,
    });
  if (reliability) {
    const ok =
      reliability.lost === 0 &&
      reliability.duplicates === 0 &&
      reliability.dlq === reliability.expectedPermanentFailures;
    out.push({
      target: `Faults (${reliability.records} records): 0 lost, 0 duplicates, permanent failures in the DLQ`,
      measured: `lost ${reliability.lost}, duplicates ${reliability.duplicates}, DLQ ${reliability.dlq}/${reliability.expectedPermanentFailures} expected`,
      met: ok,
    });
  }
  return out;
}

const num = (v: number) => v.toLocaleString('en-US');

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The human report: scenarios beside their naive baselines, bundles, reliability, targets. */
export function render(
  report: BenchReport,
  bundles: Partial<Record<string, BundleReport>>,
  targets: Target[],
): string {
  const rows: string[][] = [];
  for (const s of report.scenarios) {
    rows.push([
      s.name,
      num(s.records),
      num(s.changed),
      num(s.salesforce.calls),
      `${num(s.intacct.requests)} / ${num(s.intacct.reads)} / ${num(s.intacct.writes)} / ${num(s.intacct.transactions)}`,
      `${num(s.dynamodb.reads)} / ${num(s.dynamodb.writes)}`,
      num(s.sqs.calls),
      `${(s.wallMs / 1000).toFixed(1)} s`,
      `${s.throughputPerSec}/s`,
      s.latencyMs ? `${s.latencyMs.p50} / ${s.latencyMs.p95}` : '-',
    ]);
    if (s.naive)
      rows.push([
        '  naive (scaled)',
        '',
        '',
        num(s.naive.salesforceCalls),
        `${num(s.naive.intacctRequests)} / - / - / ${num(s.naive.intacctTransactions)}`,
        '-',
        '-',
        `${(s.naive.wallMs / 1000).toFixed(0)} s`,
        `${(((s.changed || s.records) / Math.max(1, s.naive.wallMs)) * 1000).toFixed(1)}/s`,
        '',
      ]);
  }
  const parts = [
    table(
      [
        'scenario',
        'records',
        'changed',
        'SF calls',
        'Intacct req/reads/writes/tx',
        'DDB r/w',
        'SQS',
        'wall',
        'throughput',
        'p50/p95 ms',
      ],
      rows,
    ),
    `Intacct limit: ${report.scenarios[0]?.limitPerSec ?? '-'} records/s (cap × functions per request ÷ request latency)`,
    '',
    table(
      ['scenario', 'Intacct busy', 'peak in flight', '429 share', 'worker ms/record', 'AWS $/M records (≤)'],
      report.scenarios.map((s) => [
        s.name,
        `${(s.breakdown.intacctBusyShare * 100).toFixed(0)}%`,
        String(s.breakdown.intacctPeakInFlight),
        `${(s.breakdown.intacctRateLimitedShare * 100).toFixed(2)}%`,
        s.breakdown.workerMsPerRecord.toFixed(2),
        `$${s.breakdown.awsUsdPerMillion.toFixed(2)}`,
      ]),
    ),
    '',
    table(
      ['CPU ms/record (share of busy)', 'pipeline', 'AWS SDK', 'emulators', 'simulators', 'other', 'idle'],
      report.scenarios.flatMap((s) => {
        const c = s.breakdown.cpu;
        if (c === undefined) return [];
        const cell = (k: keyof CpuFigures['msPerRecord']) =>
          `${c.msPerRecord[k].toFixed(2)} (${(c.busyShare[k] * 100).toFixed(0)}%)`;
        return [
          [
            s.name,
            cell('pipeline'),
            cell('awsSdk'),
            cell('emulators'),
            cell('simulators'),
            cell('other'),
            `${(c.idleShare * 100).toFixed(0)}%`,
          ],
        ];
      }),
    ),
    '',
    table(
      ['bundle', 'size', 'cold init', 'AWS SDK alone'],
      Object.entries(bundles).map(([k, b]) => [
        k,
        `${((b?.bytes ?? 0) / 1024).toFixed(1)} KB`,
        `${b?.initMs} ms`,
        `${b?.sdkOnlyInitMs} ms`,
      ]),
    ),
    '',
    report.reliability
      ? `reliability: ${JSON.stringify(report.reliability)}`
      : 'reliability: (faults scenario not run)',
    '',
    table(
      ['DESIGN §8 target', 'measured', ''],
      targets.map((t) => [t.target, t.measured, t.met ? 'met' : 'MISSED']),
    ),
  ];
  return `${parts.join('\n')}\n`;
}

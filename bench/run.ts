/**
 * `npm run bench [-- --json] [--scenario a,b] [--records N] [--items N] [--documents N] [--document-lines N] [--invoices N] [--invoices-per-customer N] [--naive-sample N] [--no-naive] [--no-bundles] [--worker-concurrency N] [--worker-batch N] [--worker-chunks-in-flight N] [--churn-gap-ms MS]`
 *
 * Runs the named scenarios on the local pipeline with both simulators at realistic latency and the
 * Intacct concurrency cap, beside a naive one-call-per-step baseline on the same simulators, then
 * measures the Lambda bundles. Progress goes to stderr; the table (or with --json, one JSON
 * document, last) to stdout. The report is also written to .bench/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { functionDefinitions } from '#infra/definitions.ts';
import { loadSyncConfig } from '#shared/config/sync-config.ts';
import { type BundleReport, measureBundles } from './bundles.ts';
import { churn, faults } from './churn-faults.ts';
import { documents } from './documents.ts';
import { type NaivePlan, runNaive } from './naive.ts';
import { backfill, realtime, rerun } from './pipeline.ts';
import { priceChange, productsBackfill } from './products.ts';
import { step } from './progress.ts';
import { receivables } from './receivables.ts';
import { checkTargets, figures, render } from './report.ts';
import { type RevenueBench, revenue, withRevenueReport } from './revenue.ts';
import { reconcileRun, scale } from './scale.ts';
import { REALISTIC, startBenchStack } from './stack.ts';
import type { BenchReport, PipelineRun, Reliability } from './types.ts';

const ALL = [
  'backfill',
  'rerun',
  'realtime',
  'churn',
  'faults',
  'reconcile',
  'products',
  'price-change',
  'documents',
  'scale',
  'receivables',
  'revenue',
] as const;
/** Not part of a plain `npm run bench` (minutes of work): ask for them with --scenario. */
const ON_REQUEST = new Set(['scale', 'receivables', 'revenue']);
type Scenario = (typeof ALL)[number];

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    scenario: { type: 'string', multiple: true },
    records: { type: 'string', default: '10000' },
    items: { type: 'string', default: '5000' },
    documents: { type: 'string', default: '2000' },
    'document-lines': { type: 'string', default: '5' },
    'scale-records': { type: 'string', default: '50000' },
    invoices: { type: 'string', default: '10000' },
    'invoices-per-customer': { type: 'string', default: '20' },
    'revenue-customers': { type: 'string', default: '1000' },
    'revenue-months': { type: 'string', default: '12' },
    'scale-budget': { type: 'string', default: '10' },
    'naive-sample': { type: 'string', default: '200' },
    'no-naive': { type: 'boolean', default: false },
    'no-bundles': { type: 'boolean', default: false },
    'init-runs': { type: 'string', default: '7' },
    'worker-concurrency': { type: 'string' },
    'worker-batch': { type: 'string' },
    'worker-chunks-in-flight': { type: 'string' },
    'churn-gap-ms': { type: 'string', default: '1100' },
    verbose: { type: 'boolean', default: false },
  },
});
const selected = new Set<Scenario>(
  (args.scenario ?? ALL.filter((s) => !ON_REQUEST.has(s)))
    .flatMap((s) => s.split(','))
    .map((s) => {
      if (!(ALL as readonly string[]).includes(s))
        throw new Error(`unknown scenario "${s}"; use ${ALL.join(', ')}`);
      return s as Scenario;
    }),
);
const n = Number(args.records);
const sample = Number(args['naive-sample']);
if (!(n >= 100) || !(sample >= 10)) throw new Error('--records must be ≥ 100 and --naive-sample ≥ 10');
// Handler logs (dead-lettered jobs in `faults` are expected) stay out of the progress lines.
if (!args.verbose) process.env.LOG_LEVEL ??= 'error';

// The revenue report is off in the shipped config; its scenario switches it on (the other
// scenarios never run its schedule, so they are unaffected).
const shipped = selected.has('revenue') ? withRevenueReport(loadSyncConfig()) : loadSyncConfig();
// Experiments with the worker's shape (the report says which values ran).
const config = {
  ...shipped,
  worker: {
    ...shipped.worker,
    maxConcurrency: Number(args['worker-concurrency'] ?? shipped.worker.maxConcurrency),
    batchSize: Number(args['worker-batch'] ?? shipped.worker.batchSize),
    chunksInFlight: Number(args['worker-chunks-in-flight'] ?? shipped.worker.chunksInFlight),
  },
};
if (
  ![config.worker.maxConcurrency, config.worker.batchSize, config.worker.chunksInFlight].every((v) => v >= 1)
)
  throw new Error(
    '--worker-concurrency, --worker-batch and --worker-chunks-in-flight must be positive integers',
  );
let revenueResult: RevenueBench | null = null;
const settings = REALISTIC;
const sizes = {
  realtime: Math.min(1000, n),
  burst: 100,
  intervalMs: 1000,
  churnPerSide: Math.min(500, Math.floor(n / 5)),
  churnBoth: Math.min(100, Math.floor(n / 20)),
  faults: Math.min(1000, n),
  permanent: 3,
};
const limitPerSec =
  (settings.intacctCap * config.intacct.functionsPerRequest) / (settings.intacctLatencyMs / 1000);
const batchingWindowMs = Math.min(1000, config.worker.maxBatchingWindowSeconds * 1000);
const started = performance.now();

const bundles: Partial<Record<string, BundleReport>> = args['no-bundles']
  ? {}
  : await measureBundles(config, Number(args['init-runs']));

const runs: PipelineRun[] = [];
let reliability: Reliability | null = null;
const needsBackfill = ['backfill', 'rerun', 'realtime', 'churn', 'reconcile'].some((s) =>
  selected.has(s as Scenario),
);
const items = Number(args.items);
const needsProducts = selected.has('products') || selected.has('price-change');
if (
  needsBackfill ||
  selected.has('faults') ||
  needsProducts ||
  selected.has('documents') ||
  selected.has('scale') ||
  selected.has('receivables') ||
  selected.has('revenue')
) {
  const stack = await startBenchStack(config, settings);
  try {
    if (needsBackfill) {
      const bf = await backfill(stack, n);
      if (selected.has('backfill')) runs.push(bf);
      step(`backfill: ${n} records in ${(bf.wallMs / 1000).toFixed(1)} s ${JSON.stringify(bf.checks)}`);
    }
    if (selected.has('rerun')) runs.push(await rerun(stack, config, n));
    if (selected.has('realtime'))
      runs.push(await realtime(stack, config, sizes.realtime, sizes.burst, sizes.intervalMs));
    if (selected.has('churn'))
      runs.push(await churn(stack, sizes.churnPerSide, sizes.churnBoth, Number(args['churn-gap-ms'])));
    if (selected.has('faults')) {
      const f = await faults(stack, sizes.faults, sizes.permanent);
      runs.push(f.run);
      reliability = f.reliability;
    }
    if (selected.has('reconcile')) runs.push(await reconcileRun(stack));
    if (needsProducts) {
      const p = await productsBackfill(stack, config, items);
      if (selected.has('products')) runs.push(p);
      if (selected.has('price-change')) runs.push(await priceChange(stack, items));
    }
    if (selected.has('documents'))
      runs.push(await documents(stack, config, Number(args.documents), Number(args['document-lines'])));
    if (selected.has('scale'))
      runs.push(await scale(stack, Number(args['scale-records']), Number(args['scale-budget'])));
    if (selected.has('receivables'))
      runs.push(
        ...(await receivables(stack, config, Number(args.invoices), Number(args['invoices-per-customer']))),
      );
    if (selected.has('revenue'))
      revenueResult = await revenue(stack, Number(args['revenue-customers']), Number(args['revenue-months']));
    for (const r of runs.filter((x) => x.name !== 'backfill'))
      step(
        `${r.name}: ${r.records} records in ${(r.wallMs / 1000).toFixed(1)} s ${JSON.stringify(r.checks)}`,
      );
  } finally {
    await stack.stop();
  }
}

const plan: NaivePlan = { sizes: {}, burst: sizes.burst, intervalMs: sizes.intervalMs };
const half = Math.max(10, Math.floor(sample / 2));
for (const r of runs) {
  // The scale and reconcile rows have no naive twin: a recipe has neither checkpoints nor a reconciliation.
  if (r.name === 'scale' || r.name === 'reconcile') continue;
  const size = [
    'backfill',
    'rerun',
    'products',
    'price-change',
    'documents',
    'receivables-invoices',
    'receivables-payments',
  ].includes(r.name)
    ? sample
    : half;
  plan.sizes[r.name as keyof NaivePlan['sizes']] = [Math.min(size, r.records), r.records];
}
const naive = args['no-naive'] ? [] : await runNaive(config, settings, plan);

const sizing = {
  intacctCap: settings.intacctCap,
  workerMemoryMb: functionDefinitions(config).worker.memoryMb,
};
const scenarios = runs.map((r) =>
  figures(
    r,
    naive.find((x) => x.name === r.name),
    limitPerSec,
    sizing,
  ),
);
const targets = checkTargets(scenarios, bundles, reliability, batchingWindowMs, settings.intacctLatencyMs);
const report: BenchReport = {
  scenarios,
  bundles: Object.fromEntries(
    Object.entries(bundles).map(([k, b]) => [k, { bytes: b?.bytes ?? 0, initMs: b?.initMs ?? 0 }]),
  ),
  reliability,
  meta: {
    machine: { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    settings: {
      ...settings,
      functionsPerRequest: config.intacct.functionsPerRequest,
      batchingWindowMs,
      ...sizes,
    },
    runtimeMs: Math.round(performance.now() - started),
    checks: Object.fromEntries(runs.map((r) => [r.name, r.checks])),
    ...(revenueResult === null ? {} : { revenue: revenueResult }),
    costs: Object.fromEntries(runs.map((r) => [r.name, r.costs])),
    naive,
    bundles,
    targets,
  },
};
mkdirSync('.bench', { recursive: true });
writeFileSync('.bench/latest.json', `${JSON.stringify(report, null, 2)}\n`);
const human = render(report, bundles, targets);
step(`bench finished in ${((performance.now() - started) / 60_000).toFixed(1)} min`);
if (args.json) {
  process.stderr.write(human);
  process.stdout.write(`${JSON.stringify(report)}\n`);
} else process.stdout.write(human);

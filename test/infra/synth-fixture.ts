/**
 * Builds the real CDK app once per test file from a sync config whose values differ from the
 * defaults, so a test that finds a value in the template proves it came from the config.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnResource } from 'aws-cdk-lib';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { addSyncStacks, PROJECT_ROOT, type SyncAppStacks } from '#infra/sync-app.ts';

/** Values the fixture config sets; tests assert against these, not against literals. */
export const FIXTURE = {
  prefix: 'sfitest',
  worker: {
    timeoutSeconds: 90,
    batchSize: 250,
    maxBatchingWindowSeconds: 7,
    maxConcurrency: 4,
    chunkSize: 150,
    chunksInFlight: 3,
    maxReceiveCount: 3,
  },
  alarms: { dlqDepth: 2, workerErrors: 9, oldestMessageAgeSeconds: 1200 },
  retention: { logDays: 60, auditDays: 90, failureDays: 365 },
  schedules: [
    { name: 'salesforce-delta', rate: '5 minutes' },
    { name: 'intacct-delta', rate: '1 hour' },
    { name: 'stock-levels', rate: '1 hour' },
    { name: 'reconcile', cron: '0 3 * * ? *' },
    // The shipped receivables flows re-check on it (poll.recheck); without it the config is invalid.
    { name: 'receivables-daily', cron: '0 6 * * ? *' },
  ],
} as const;

export interface SynthesizedApp extends SyncAppStacks {
  app: App;
  outdir: string;
  statefulTemplate: Template;
  statelessTemplate: Template;
}

/** Writes the fixture config next to a fresh cloud assembly directory and returns its path. */
export function writeFixtureConfig(change: (config: Record<string, unknown>) => void = () => {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sfi-infra-'));
  const config = JSON.parse(readFileSync(join(PROJECT_ROOT, 'sync.config.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  // A deep copy: a test's change must never leak into FIXTURE, which other tests assert against.
  Object.assign(
    config,
    structuredClone({
      worker: FIXTURE.worker,
      alarms: FIXTURE.alarms,
      retention: FIXTURE.retention,
      schedules: FIXTURE.schedules,
    }),
  );
  change(config);
  const file = join(dir, 'sync.config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/**
 * Synthesizes the app. `bundle: false` skips esbuild (CDK's `aws:cdk:bundling-stacks` context)
 * for files that only look at templates; the stateless-stack tests bundle for real.
 */
export function synthesize(options: {
  bundle: boolean;
  /** Edits the fixture config before synth (e.g. turns on mutual TLS). */
  change?: (config: Record<string, unknown>) => void;
}): SynthesizedApp {
  const configFile = writeFixtureConfig(options.change);
  const outdir = mkdtempSync(join(tmpdir(), 'sfi-cdk-out-'));
  const app = new App({
    outdir,
    context: options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] },
  });
  const stacks = addSyncStacks(app, { configFile, prefix: FIXTURE.prefix });
  return {
    ...stacks,
    app,
    outdir,
    statefulTemplate: Template.fromStack(stacks.stateful),
    statelessTemplate: Template.fromStack(stacks.stateless),
  };
}

/** The CloudFormation logical ID of an L2 construct's resource, for matching Refs and imports. */
export function logicalId(construct: IConstruct): string {
  const resource = construct.node.defaultChild as CfnResource;
  return resource.stack.getLogicalId(resource);
}

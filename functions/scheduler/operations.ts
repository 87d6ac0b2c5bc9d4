/**
 * The scheduler's on-demand operations (`{detail: {op, …}}`, Lambda Invoke by sfi): `describe`,
 * `backfill` and `dry-run`. Each event is checked before anything runs; a bad one is a
 * ValidationError whose message names the flows there are (a deployed Lambda's error carries only
 * its message).
 */
import { withDigestSchedule } from '#shared/config/notifications-config.ts';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { ValidationError } from '#shared/errors.ts';
import { MAX_PAGE_SIZE } from './backfill-pages.ts';
import type { BackfillCommand, BackfillResult } from './backfill-task.ts';
import type { DryRunCommand, DryRunResult } from './dry-run-task.ts';

export const OPERATIONS = ['describe', 'backfill', 'dry-run'] as const;

export interface OperationDeps {
  config: SyncConfig;
  /** Flows the config file names but switches off (`"enabled": false`), if the bundle knows them. */
  disabled: readonly string[];
  backfill: (command: BackfillCommand) => Promise<BackfillResult>;
  dryRun: (command: DryRunCommand) => Promise<DryRunResult>;
}

/** The flows a raw config file switches off (the validated config leaves them out). */
export function disabledFlows(raw: unknown): string[] {
  const flows = (raw as { flows?: unknown } | null)?.flows;
  if (!Array.isArray(flows)) return [];
  return flows.flatMap((f) =>
    f !== null && typeof f === 'object' && (f as { enabled?: unknown }).enabled === false
      ? [String((f as { name?: unknown }).name)]
      : [],
  );
}

/** The config compiled into this bundle, so the CLI of a deployed stack knows its flows and schedules. */
export function describeConfig(config: SyncConfig, disabled: readonly string[] = []) {
  return {
    op: 'describe' as const,
    config,
    flows: [
      ...config.flows.map((f) => ({
        name: f.name,
        kind: f.kind,
        enabled: true,
        salesforceObject: f.salesforceObject,
        intacctObject: f.intacctObject,
      })),
      ...disabled.map((name) => ({ name, enabled: false })),
    ],
    schedules: withDigestSchedule(config.schedules, config.notifications).map((s) => ({
      name: s.name,
      ...(s.rate === undefined ? {} : { rate: s.rate }),
      ...(s.cron === undefined ? {} : { cron: s.cron }),
      ...(s.description === undefined ? {} : { description: s.description }),
    })),
  };
}

/** Runs one operation; `deadline` (epoch ms) is the invocation's time budget. */
export function makeOperations(deps: OperationDeps) {
  const flows = deps.config.flows.map((f) => f.name);
  return async (detail: Record<string, unknown>, deadline: number) => {
    const op = detail.op;
    if (op === 'describe') return describeConfig(deps.config, deps.disabled);
    if (op !== 'backfill' && op !== 'dry-run')
      throw new ValidationError(
        `unknown operation "${String(op)}"; the operations are: ${OPERATIONS.join(', ')}`,
        {
          code: 'OP_UNKNOWN',
          hint: 'update sfi to the version deployed, or deploy this one',
        },
      );
    const command = {
      flow: checkFlow(detail.flow, flows, deps.disabled),
      ...optional('since', checkSince(detail.since)),
      ...optional('pageSize', checkInteger(detail.pageSize, 'pageSize', 1, MAX_PAGE_SIZE)),
      deadline,
    };
    if (op === 'backfill') return deps.backfill(command);
    return deps.dryRun({ ...command, ...optional('limit', checkInteger(detail.limit, 'limit', 0, 100_000)) });
  };
}

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

export function checkFlow(flow: unknown, flows: readonly string[], disabled: readonly string[]): string {
  if (typeof flow === 'string' && flows.includes(flow)) return flow;
  const list = flows.join(', ');
  if (typeof flow === 'string' && disabled.includes(flow))
    throw new ValidationError(
      `flow "${flow}" is switched off ("enabled": false); the flows that run are: ${list}`,
      {
        code: 'FLOW_DISABLED',
        hint: 'set "enabled": true in sync.config.json and deploy, or give one of the flows that run',
        meta: { flow, flows },
      },
    );
  throw new ValidationError(
    typeof flow === 'string'
      ? `no flow "${flow}" in the deployed config; the flows are: ${list}`
      : `the operation needs a flow; the flows are: ${list}`,
    {
      code: 'FLOW_UNKNOWN',
      hint: 'give one of those names (flows switched off in sync.config.json are not deployed)',
      meta: { flow, flows },
    },
  );
}

/** An ISO date or date-time, as the instant it names; absent: undefined. */
export function checkSince(since: unknown): string | undefined {
  if (since === undefined || since === null) return undefined;
  const at = typeof since === 'string' ? Date.parse(since) : Number.NaN;
  if (Number.isNaN(at))
    throw new ValidationError(
      `since must be an ISO date or date-time, e.g. 2026-01-01, got ${JSON.stringify(since)}`,
      {
        code: 'SINCE_INVALID',
        hint: 'an ISO date (2026-01-01) or date-time (2026-01-01T00:00:00Z); leave it out for everything',
      },
    );
  return new Date(at).toISOString();
}

function checkInteger(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw new ValidationError(
    `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
    {
      code: 'ARGUMENT_INVALID',
      hint: `give ${name} as a number from ${min} to ${max}, or leave it out`,
    },
  );
}

#!/usr/bin/env node
/**
 * The sfi CLI. `npm start` = `sfi local`; `npm run sfi -- <command>` from a checkout.
 * Commands print JSON or short text to stdout and errors (with a fix) to stderr; exit code 0 on
 * success, 1 on a failed check, 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG_FILE, loadSyncConfig } from '#shared/config/sync-config.ts';
import { SyncError } from '#shared/errors.ts';

/** A report's month, or a range of months. */
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])(\.\.\d{4}-(0[1-9]|1[0-2]))?$/;

const USAGE = `usage: sfi <command> [flags]

  local [--once] [--port N] [--config F]      run the whole pipeline locally with both simulators
  simulate salesforce|intacct [--port N] [--seed demo|empty]
                                              run one simulator standalone
  config validate [--config F] [--org] [--metadata DIR]
                                              check the sync config and list every problem, and
                                              that every Salesforce field it names exists with a
                                              fitting type (keys: unique external IDs) in the
                                              metadata (default salesforce/force-app) and standard
                                              schema, or with --org in a live org through describe
                                              (SALESFORCE_SECRET_JSON; without it, a local simulator)
  status [--json]                             queues, per-flow stats today and 7 days, open failures
                                              by class, last run of each schedule, paused flows,
                                              the month's Intacct use and projection
  failures [--open|--resolved|--all] [--flow F] [--class C] [--code C] [--json|--csv]
                                              failure records: one per record and code, with count,
                                              class, both IDs, cause, fix, first and last seen
  failures resolve [<flow>] <recordId>        mark one record's open failures resolved
  redrive [--flow F] [--code C] [--id ID] [--dry-run]
                                              move dead-lettered jobs back to the jobs queue (after
                                              a fix): all, or by flow, code or record; --dry-run lists
  replay <flow> <id> [--side salesforce|intacct]
                                              sync one record again from its current state
  backfill <flow> [--since D] [--dry-run] [--no-wait]
                                              re-read a flow's records changed since D (default: all)
                                              and follow them through the queue (progress on stderr)
  dry-run <flow> [--since D] [--limit N] [--json]
                                              the plan (create / update / link / skip / fail per record,
                                              with field diffs) and its API cost; nothing is written
  pause <flow> | resume <flow>                kill switch: a paused flow's jobs wait in the queue
  run-schedule <name> [--period YYYY-MM[..YYYY-MM]]
                                              run one schedule now; a report's (revenue-reconciliation)
                                              for those months (default: its last closed months)
  reconcile <flow> [--fix] [--json]           compare both systems in full: drift field by field,
                                              records on one side only, gone links, duplicates;
                                              --fix enqueues the repairs
  unlink <flow> <salesforceId>                forget one linked pair (its target was deleted): the
                                              record syncs as new on its next change or replay
  console [--port N]                          the operator's page on 127.0.0.1 for the same stack
                                              (docs/console.md); Ctrl-C stops it
  notifications [--flow F] [--json]           the failure digests the local stack recorded (deployed:
                                              they go to the failure topic's subscribers)

Which stack (every command from status down):
  --stack P [--region R]  a deployed stack: the CloudFormation stacks P-stateful and P-stateless
                          (credentials from the standard AWS chain: AWS_PROFILE, SSO, keys)
  --outputs F             a deployed stack from the file "cdk deploy --all --outputs-file F" wrote
  (neither)               the running "sfi local" at --url (default http://127.0.0.1:3000)

Fault flags (local and simulate):
  --latency-ms N        delay every simulated API response by N ms
  --error-rate R        answer a share R (0..1) of API calls with a transient error (503 / 5xx)
  --concurrency-cap N   Intacct answers 429 GW-0010 above N requests in flight

Flags:
  --config F   sync config file (default ${DEFAULT_CONFIG_FILE})
  --url U      a running "sfi local" (default http://127.0.0.1:3000)
`;

class UsageError extends Error {}

function numberFlag(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`${name} must be a number ${min}..${max}, got "${value}"`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      once: { type: 'boolean', default: false },
      port: { type: 'string' },
      config: { type: 'string', default: DEFAULT_CONFIG_FILE },
      seed: { type: 'string', default: 'demo' },
      url: { type: 'string', default: 'http://127.0.0.1:3000' },
      side: { type: 'string', default: 'salesforce' },
      since: { type: 'string' },
      'latency-ms': { type: 'string' },
      'error-rate': { type: 'string' },
      'concurrency-cap': { type: 'string' },
      fix: { type: 'boolean', default: false },
      org: { type: 'boolean', default: false },
      metadata: { type: 'string', default: 'salesforce/force-app' },
      json: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      csv: { type: 'boolean', default: false },
      flow: { type: 'string' },
      stack: { type: 'string' },
      outputs: { type: 'string' },
      region: { type: 'string' },
      code: { type: 'string' },
      id: { type: 'string' },
      class: { type: 'string' },
      open: { type: 'boolean', default: false },
      resolved: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      'no-wait': { type: 'boolean', default: false },
      period: { type: 'string' },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, sub] = positionals;
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new UsageError(`--port must be an integer 0..65535, got "${values.port}"`);
  }
  const seed = values.seed;
  if (seed !== 'demo' && seed !== 'empty')
    throw new UsageError(`--seed must be demo or empty, got "${seed}"`);

  const faults = {
    latencyMs: numberFlag(values['latency-ms'], '--latency-ms', 0, 60_000),
    errorRate: numberFlag(values['error-rate'], '--error-rate', 0, 1),
    concurrencyCap: numberFlag(values['concurrency-cap'], '--concurrency-cap', 0, 100),
  };

  const target = {
    url: values.url,
    ...(values.stack === undefined ? {} : { stack: values.stack }),
    ...(values.outputs === undefined ? {} : { outputs: values.outputs }),
    ...(values.region === undefined ? {} : { region: values.region }),
  };

  switch (command) {
    case 'local': {
      const { runLocal } = await import('./commands/local.ts');
      return runLocal({
        config: loadSyncConfig(values.config),
        port: port ?? 3000,
        once: values.once,
        seed,
        faults,
      });
    }
    case 'simulate': {
      if (sub !== 'salesforce' && sub !== 'intacct')
        throw new UsageError('simulate needs "salesforce" or "intacct"');
      const { runSimulator } = await import('./commands/simulate.ts');
      return runSimulator({ system: sub, port: port ?? 0, seed, faults });
    }
    case 'config': {
      if (sub !== 'validate') throw new UsageError('config needs a subcommand: validate');
      const { runConfigValidate } = await import('./commands/config-validate.ts');
      return runConfigValidate({ config: values.config, org: values.org, metadata: values.metadata });
    }
    case 'failures': {
      const { runFailures, runResolve } = await import('./commands/failures.ts');
      if (sub === 'resolve') {
        const rest = positionals.slice(2);
        const [flow, id] = rest.length >= 2 ? rest : [undefined, rest[0]];
        if (id === undefined) throw new UsageError('failures resolve needs [<flow>] <recordId>');
        return runResolve(target, id, flow);
      }
      if (sub !== undefined) throw new UsageError(`failures takes "resolve" or no subcommand, got "${sub}"`);
      const states = [values.open && 'open', values.resolved && 'resolved', values.all && 'all'].filter(
        Boolean,
      );
      if (states.length > 1) throw new UsageError('give one of --open, --resolved, --all');
      return runFailures(target, {
        filter: {
          state: (states[0] || 'open') as 'open' | 'resolved' | 'all',
          ...(values.flow === undefined ? {} : { flow: values.flow }),
          ...(values.class === undefined ? {} : { class: values.class }),
          ...(values.code === undefined ? {} : { code: values.code }),
        },
        csv: values.csv,
        json: values.json,
      });
    }
    case 'notifications': {
      if (sub !== undefined) throw new UsageError(`notifications takes no subcommand, got "${sub}"`);
      const { runNotifications } = await import('./commands/notifications.ts');
      return runNotifications({ url: values.url, flow: values.flow, json: values.json });
    }
    case 'status': {
      const { runStatus } = await import('./commands/status.ts');
      return runStatus(target, values.json);
    }
    case 'redrive': {
      const { runRedrive } = await import('./commands/redrive.ts');
      return runRedrive(target, {
        filter: {
          ...(values.flow === undefined ? {} : { flow: values.flow }),
          ...(values.code === undefined ? {} : { code: values.code }),
          ...(values.id === undefined ? {} : { id: values.id }),
        },
        dryRun: values['dry-run'],
        json: values.json,
      });
    }
    case 'run-schedule': {
      if (sub === undefined) throw new UsageError('run-schedule needs <name>');
      if (values.period !== undefined && !PERIOD.test(values.period))
        throw new UsageError(
          `--period must be a month (YYYY-MM) or a range (YYYY-MM..YYYY-MM), got "${values.period}"`,
        );
      const { runScheduleNow } = await import('#shared/ops/on-demand.ts');
      const { printJson, withTarget } = await import('./commands/with-target.ts');
      const run = await withTarget(target, (context) =>
        runScheduleNow(context, sub, values.period === undefined ? {} : { period: values.period }),
      );
      printJson({ schedule: sub, run });
      return 0;
    }
    case 'pause':
    case 'resume': {
      if (sub === undefined) throw new UsageError(`${command} needs <flow>`);
      const { runPause } = await import('./commands/pause.ts');
      return runPause(target, sub, command);
    }
    case 'replay': {
      const id = positionals[2];
      if (sub === undefined || id === undefined) throw new UsageError('replay needs <flow> <id>');
      if (values.side !== 'salesforce' && values.side !== 'intacct')
        throw new UsageError('--side must be salesforce or intacct');
      const side = values.side;
      const { replay } = await import('#shared/ops/on-demand.ts');
      const { printJson, withTarget } = await import('./commands/with-target.ts');
      printJson(await withTarget(target, (context) => replay(context, sub, side, id)));
      return 0;
    }
    case 'unlink': {
      const id = positionals[2];
      if (sub === undefined || id === undefined) throw new UsageError('unlink needs <flow> <salesforceId>');
      const { unlink } = await import('#shared/ops/on-demand.ts');
      const { printJson, withTarget } = await import('./commands/with-target.ts');
      printJson(await withTarget(target, (context, stores) => unlink(context, stores, sub, id)));
      return 0;
    }
    case 'reconcile': {
      if (sub === undefined) throw new UsageError('reconcile needs <flow>');
      const { runReconcile } = await import('./commands/reconcile.ts');
      return runReconcile(target, { flow: sub, fix: values.fix, json: values.json });
    }
    case 'backfill': {
      if (sub === undefined) throw new UsageError('backfill needs <flow>');
      const { runBackfill } = await import('./commands/backfill.ts');
      return runBackfill(target, {
        flow: sub,
        ...(values.since === undefined ? {} : { since: values.since }),
        dryRun: values['dry-run'],
        wait: !values['no-wait'],
        json: values.json,
      });
    }
    case 'console': {
      const { runConsole } = await import('./commands/console.ts');
      return runConsole(target, port ?? 0);
    }
    case 'dry-run': {
      if (sub === undefined) throw new UsageError('dry-run needs <flow>');
      const limit = numberFlag(values.limit, '--limit', 0, 100_000);
      const { runDryRun } = await import('./commands/backfill.ts');
      return runDryRun(target, {
        flow: sub,
        ...(values.since === undefined ? {} : { since: values.since }),
        json: values.json,
        ...(limit === undefined ? {} : { limit }),
      });
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    ) {
      process.stderr.write(`sfi: ${(error as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (error instanceof SyncError) {
      process.stderr.write(`sfi: ${error.message}\n${error.hint ? `fix: ${error.hint}\n` : ''}`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`sfi: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    }
  },
);

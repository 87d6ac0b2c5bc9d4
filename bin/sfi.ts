#!/usr/bin/env node
/**
 * The sfi CLI. `npm start` = `sfi local`; `npm run sfi -- <command>` from a checkout.
 * Commands print JSON or short text to stdout and errors (with a fix) to stderr; exit code 0 on
 * success, 1 on a failed check, 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG_FILE, loadSyncConfig } from '#shared/config/sync-config.ts';
import { SyncError } from '#shared/errors.ts';

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
  status [--url U]                            queue depths, per-flow stats, failures, paused flows,
                                              the month's Intacct use and projection (local control API)
  pause <flow> [--url U]                      kill switch: the flow's jobs wait in the queue, nothing fails
  resume <flow> [--url U]                     let a paused flow's waiting jobs run
  failures [--all] [--flow F] [--csv] [--url U]
                                              failure records: open ones (or --all, resolved
                                              too), one per record and code, with count, class,
                                              both IDs, cause and fix; --csv for a spreadsheet
  failures resolve <flow> <recordId> [--url U]
                                              mark one record's open failures resolved
  notifications [--flow F] [--json] [--url U]
                                              the failure digests sent (locally: recorded), at most
                                              one per flow per notifications.digestMinutes, each
                                              listing the flow's new open failures with their fix
  run-schedule <name> [--url U]               run one schedule now
  redrive [--url U]                           move every DLQ message back to the jobs queue (after a fix)
  replay <flow> <id> [--side salesforce|intacct] [--url U]
                                              sync one record again from its current state
  backfill <flow> [--since ISO] [--url U]     re-read a flow's records changed since a date (default: all)
  unlink <flow> <salesforceId> [--url U]      forget one linked pair (its target was deleted): the
                                              record syncs as new on its next change or replay
  reconcile <flow> [--fix] [--json] [--url U] compare both systems in full: drift field by field,
                                              records on one side only, gone links, duplicates;
                                              --fix enqueues the repairs

Fault flags (local and simulate):
  --latency-ms N        delay every simulated API response by N ms
  --error-rate R        answer a share R (0..1) of API calls with a transient error (503 / 5xx)
  --concurrency-cap N   Intacct answers 429 GW-0010 above N requests in flight

Flags:
  --config F   sync config file (default ${DEFAULT_CONFIG_FILE})
  --url U      control API of a running "sfi local" (default http://127.0.0.1:3000)
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
      const { runFailures } = await import('./commands/failures.ts');
      if (sub === 'resolve') {
        const [flow, id] = positionals.slice(2);
        if (flow === undefined || id === undefined)
          throw new UsageError('failures resolve needs <flow> <recordId>');
        return runFailures({ url: values.url, resolve: { flow, id }, all: false, csv: false });
      }
      if (sub !== undefined) throw new UsageError(`failures takes "resolve" or no subcommand, got "${sub}"`);
      return runFailures({ url: values.url, all: values.all, flow: values.flow, csv: values.csv });
    }
    case 'notifications': {
      if (sub !== undefined) throw new UsageError(`notifications takes no subcommand, got "${sub}"`);
      const { runNotifications } = await import('./commands/notifications.ts');
      return runNotifications({ url: values.url, flow: values.flow, json: values.json });
    }
    case 'status':
    case 'redrive':
    case 'run-schedule': {
      const { runControl } = await import('./commands/control.ts');
      return runControl({ command, url: values.url, schedule: sub });
    }
    case 'pause':
    case 'resume': {
      if (sub === undefined) throw new UsageError(`${command} needs <flow>`);
      const { runPause } = await import('./commands/pause.ts');
      return runPause({ url: values.url, flow: sub, action: command });
    }
    case 'replay': {
      const id = positionals[2];
      if (sub === undefined || id === undefined) throw new UsageError('replay needs <flow> <id>');
      if (values.side !== 'salesforce' && values.side !== 'intacct')
        throw new UsageError('--side must be salesforce or intacct');
      const query = new URLSearchParams({ flow: sub, source: values.side, id });
      const { post } = await import('./commands/control.ts');
      return post(values.url, `/replay?${query}`);
    }
    case 'unlink': {
      const id = positionals[2];
      if (sub === undefined || id === undefined) throw new UsageError('unlink needs <flow> <salesforceId>');
      const query = new URLSearchParams({ flow: sub, salesforceId: id });
      const { post } = await import('./commands/control.ts');
      return post(values.url, `/unlink?${query}`);
    }
    case 'reconcile': {
      if (sub === undefined) throw new UsageError('reconcile needs <flow>');
      const { runReconcile } = await import('./commands/reconcile.ts');
      return runReconcile({ url: values.url, flow: sub, fix: values.fix, json: values.json });
    }
    case 'backfill': {
      if (sub === undefined) throw new UsageError('backfill needs <flow>');
      if (values.since !== undefined && Number.isNaN(Date.parse(values.since))) {
        throw new UsageError(`--since must be a date, e.g. 2026-01-01, got "${values.since}"`);
      }
      const query = values.since === undefined ? '' : `?${new URLSearchParams({ since: values.since })}`;
      const { post } = await import('./commands/control.ts');
      return post(values.url, `/backfill/${encodeURIComponent(sub)}${query}`);
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

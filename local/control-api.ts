/**
 * The control API of DESIGN §7: GET /status (queue depths, per-flow stats, recent failures,
 * schedules; ?waitForIdle=S waits for quiescence), POST /schedules/{name}/run, POST /replay,
 * POST /backfill/{flow}, POST /unlink, POST /dlq/redrive, GET /failures, GET /notifications,
 * GET / and /api/* (the console of `sfi console`).
 */

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { SyncError } from '#shared/errors.ts';
import type { Job } from '#shared/jobs/job.ts';
import { type OpsContext, type OpsStores, opsStores } from '#shared/ops/context.ts';
import { opsStatus } from '#shared/ops/ops-status.ts';
import { localClientConfig } from './aws/embedded-aws.ts';
import { handleConsole } from './control-console.ts';
import { handleFailures } from './control-failures.ts';
import { handleNotifications } from './control-notifications.ts';
import { handleOperate } from './control-operate.ts';
import type { WorkerSource } from './lambda/sqs-event-source.ts';
import type { RecordedNotification } from './notification-sink.ts';

export interface ControlDeps {
  config: SyncConfig;
  queueDepths(): Promise<Record<'jobs' | 'dlq', { visible: number; inFlight: number; delayed: number }>>;
  isIdle(): Promise<boolean>;
  runSchedule(name: string, args?: { flow?: string; fix?: boolean }): Promise<unknown>;
  redrive(): Promise<{ moved: number }>;
  /** The failure digests the local failure topic received. */
  notifications(): Promise<RecordedNotification[]>;
  /** Puts one job on the jobs queue (replay of one record). */
  enqueue(job: Job): Promise<void>;
  source: WorkerSource;
}

const MAX_WAIT_SECONDS = 600;
let ops: { key: string; context: OpsContext; stores: OpsStores } | undefined;

/**
 * The local stack as sfi sees a deployed one (shared/ops): its outputs from the environment the
 * runtime set, SDK clients on the embedded endpoints. The status document is the one sfi prints.
 */
function opsFor(config: SyncConfig): { context: OpsContext; stores: OpsStores } {
  const env = process.env;
  const key = `${env.AWS_ENDPOINT_URL_DYNAMODB} ${env.AWS_ENDPOINT_URL_SQS} ${env.STATE_TABLE}`;
  if (ops?.key !== key || ops.context.config !== config) {
    const context: OpsContext = {
      where: 'the local stack',
      outputs: {
        jobsQueueUrl: env.JOBS_QUEUE_URL ?? '',
        deadLetterQueueUrl: env.DLQ_URL ?? '',
        stateTable: env.STATE_TABLE ?? '',
        crosswalkTable: env.CROSSWALK_TABLE ?? '',
        ledgerTable: env.LEDGER_TABLE ?? '',
        schedulerFunction: 'sfi-local-scheduler',
      },
      config,
      sqs: new SQSClient(localClientConfig(env.AWS_ENDPOINT_URL_SQS ?? '')),
      db: DynamoDBDocumentClient.from(
        new DynamoDBClient(localClientConfig(env.AWS_ENDPOINT_URL_DYNAMODB ?? '')),
      ),
      invokeScheduler: () => Promise.reject(new Error('the control API runs schedules through its runtime')),
    };
    ops = { key, context, stores: opsStores(context) };
  }
  return ops;
}

const storesFor = (config: SyncConfig) => opsFor(config).stores;

/** Builds the /status document: sfi's, with the local worker's own counters. */
export async function status(deps: ControlDeps, idle?: boolean) {
  const { context, stores } = opsFor(deps.config);
  return {
    ...(await opsStatus(context, stores)),
    idle: idle ?? (await deps.isIdle()),
    worker: { ...deps.source.stats, inFlight: deps.source.inFlight },
  };
}

function send(response: ServerResponse, code: number, body: unknown) {
  response.writeHead(code, { 'content-type': 'application/json' }).end(`${JSON.stringify(body, null, 2)}\n`);
}

export async function handleControl(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  deps: ControlDeps,
): Promise<void> {
  const method = request.method ?? 'GET';
  const flows = deps.config.flows.map((f) => f.name);
  if (await handleFailures(method, url, response, { flows, ledger: storesFor(deps.config).ledger, send }))
    return;
  if (await handleNotifications(method, url, response, { flows, notifications: deps.notifications, send }))
    return;
  if (await handleOperate(method, url, response, { operate: storesFor(deps.config).operate, send })) return;
  if (method === 'GET' && url.pathname === '/status') {
    const wait = url.searchParams.get('waitForIdle');
    if (wait !== null) {
      const seconds = Number(wait);
      if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_WAIT_SECONDS) {
        send(response, 400, {
          error: 'BAD_REQUEST',
          message: `waitForIdle must be 0..${MAX_WAIT_SECONDS} seconds`,
        });
        return;
      }
      const deadline = Date.now() + seconds * 1000;
      let idle = await deps.isIdle();
      while (!idle && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        idle = await deps.isIdle();
      }
      send(response, 200, await status(deps, idle));
      return;
    }
    send(response, 200, await status(deps));
    return;
  }
  const run = /^\/schedules\/([^/]+)\/run$/.exec(url.pathname);
  if (method === 'POST' && run !== null) {
    const name = decodeURIComponent(run[1] ?? '');
    try {
      send(response, 200, { schedule: name, run: await deps.runSchedule(name) });
    } catch (error) {
      const known = error instanceof SyncError && !error.retryable;
      send(response, known ? 404 : 500, {
        error: error instanceof SyncError ? error.code : 'INTERNAL',
        message: (error as Error).message,
        hint: error instanceof SyncError ? error.hint : undefined,
      });
    }
    return;
  }
  if (method === 'POST' && url.pathname === '/replay') {
    const flow = url.searchParams.get('flow') ?? '';
    const source = url.searchParams.get('source') ?? 'salesforce';
    const id = url.searchParams.get('id') ?? '';
    const known = deps.config.flows.find((f) => f.name === flow);
    if (known === undefined || (source !== 'salesforce' && source !== 'intacct') || id === '') {
      send(response, 400, {
        error: 'BAD_REQUEST',
        message: 'give ?flow=<flow>&source=salesforce|intacct&id=<record ID>',
        flows: deps.config.flows.map((f) => f.name),
      });
      return;
    }
    // No snapshot and no version: the worker re-reads the record and syncs its current state.
    await deps.enqueue({
      v: 1,
      flow,
      source,
      object: source === 'salesforce' ? known.salesforceObject : known.intacctObject,
      recordId: id,
      reason: 'replay',
      correlationId: `replay:${randomUUID()}`,
      enqueuedAt: new Date().toISOString(),
    });
    send(response, 202, { enqueued: 1, flow, source, id });
    return;
  }
  const reconcileRun = /^\/reconcile\/([^/]+)$/.exec(url.pathname);
  if (method === 'POST' && reconcileRun !== null) {
    const flow = decodeURIComponent(reconcileRun[1] ?? '');
    if (!deps.config.flows.some((f) => f.name === flow && f.kind === 'mirror')) {
      send(response, 400, {
        error: 'BAD_REQUEST',
        message: `"${flow}" is not a mirror flow; reconcile one of: ${deps.config.flows
          .filter((f) => f.kind === 'mirror')
          .map((f) => f.name)
          .join(', ')}`,
      });
      return;
    }
    const run = await deps.runSchedule('reconcile', { flow, fix: url.searchParams.get('fix') === 'true' });
    const { state } = storesFor(deps.config);
    send(response, 200, { run, report: await state.latestReport('reconcile', flow) });
    return;
  }
  const backfill = /^\/backfill\/([^/]+)$/.exec(url.pathname);
  if (method === 'POST' && backfill !== null) {
    const flow = decodeURIComponent(backfill[1] ?? '');
    const since = url.searchParams.get('since') ?? new Date(0).toISOString();
    if (!deps.config.flows.some((f) => f.name === flow) || Number.isNaN(Date.parse(since))) {
      send(response, 400, {
        error: 'BAD_REQUEST',
        message: 'give a configured flow and ?since=<ISO date> (default: everything)',
      });
      return;
    }
    // Move the flow's watermarks back, then poll both sides now (the polls skip what is in sync).
    const { state } = storesFor(deps.config);
    for (const side of ['salesforce', 'intacct'])
      await state.setWatermark(flow, side, new Date(since).toISOString());
    const runs = [await deps.runSchedule('salesforce-delta'), await deps.runSchedule('intacct-delta')];
    send(response, 200, { flow, since, runs });
    return;
  }
  if (method === 'POST' && url.pathname === '/unlink') {
    // Forgets one linked pair (e.g. after its target was deleted): the record then syncs as new.
    const flow = url.searchParams.get('flow') ?? '';
    const salesforceId = url.searchParams.get('salesforceId') ?? '';
    if (!deps.config.flows.some((f) => f.name === flow) || salesforceId === '') {
      send(response, 400, {
        error: 'BAD_REQUEST',
        message: 'give ?flow=<flow>&salesforceId=<Salesforce ID of the pair>',
        flows: deps.config.flows.map((f) => f.name),
      });
      return;
    }
    const { crosswalk } = storesFor(deps.config);
    const link = (await crosswalk.bySalesforceIds(flow, [salesforceId])).get(salesforceId);
    if (link === undefined) {
      send(response, 404, { error: 'NOT_LINKED', message: `${flow} has no link for ${salesforceId}` });
      return;
    }
    if (!(await crosswalk.remove(link))) {
      send(response, 409, { error: 'CHANGED', message: 'the link changed meanwhile; run the command again' });
      return;
    }
    send(response, 200, { unlinked: { flow, salesforceId, intacctKey: link.intacctKey } });
    return;
  }
  if (method === 'POST' && url.pathname === '/dlq/redrive') {
    send(response, 200, await deps.redrive());
    return;
  }
  // GET / and /api/*: the console, as `sfi console` serves it.
  if (await handleConsole(request, response, url, deps.config)) return;
  send(response, 404, { error: 'NOT_FOUND', message: `no route ${method} ${url.pathname}; try GET /status` });
}

/**
 * The local pipeline: embedded AWS, the real Lambda handlers invoked with Lambda's event shapes
 * (HTTP API v2, SQS batches with partial batch responses, scheduled events), and the control API
 * of DESIGN §7, all on one loopback HTTP server.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, ScheduledEvent } from 'aws-lambda';
import { functionDefinitions, ROUTES } from '#infra/definitions.ts';
import { SqsJobQueue } from '#shared/aws/job-queue.ts';
import { redrive } from '#shared/aws/redrive.ts';
import { withDigestSchedule } from '#shared/config/notifications-config.ts';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { createLogger, type Logger } from '#shared/observability/logger.ts';
import { queueDepth } from '#shared/ops/ops-status.ts';
import { type EmbeddedAws, localClientConfig, startEmbeddedAws } from './aws/embedded-aws.ts';
import { handleStackApi, LOCAL_STACK_PREFIX, type StackApiDeps } from './aws/stack-api.ts';
import { handleControl } from './control-api.ts';
import { fromResult, matchRoute, readBody, toEvent } from './lambda/http-api.ts';
import { scheduledEvent, startScheduleTimers } from './lambda/schedule-timers.ts';
import { SqsEventSource, type SqsHandler, type WorkerSource } from './lambda/sqs-event-source.ts';
import { ThreadedWorkers } from './lambda/worker-threads.ts';
import { type RecordedNotification, startNotificationSink } from './notification-sink.ts';

export type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2>;
export type ScheduleHandler = (event: ScheduledEvent<{ schedule: string }>) => Promise<unknown>;

export interface LocalRuntimeOptions {
  config: SyncConfig;
  port?: number;
  /** When `port` is taken, listen on a free one instead of failing (the ready line tells which). */
  portFallback?: boolean;
  /** Jobs queue visibility timeout locally (default 10 s instead of 6 × worker timeout). */
  visibilityTimeoutSeconds?: number;
  /** Batching window locally, in ms (default: the config's, capped at 1 s). */
  maxBatchingWindowMs?: number;
  /** Fire rate schedules on timers (default true); scale shortens their period (e.g. 0.01). */
  timers?: boolean;
  timerScale?: number;
  /** Extra environment for the handlers (e.g. simulator credentials). */
  env?: Record<string, string>;
  /**
   * Run each of the `worker.maxConcurrency` worker instances in a thread of its own, with its own
   * clients and Intacct limiter, as deployed (the bench does). Default: one in-process event
   * source stands in for them all, sharing one set of clients (tests reach its module state).
   */
  workerThreads?: boolean;
  /** Replace a real handler (tests of the runtime's own semantics). */
  handlers?: { webhook?: HttpHandler; worker?: SqsHandler; scheduler?: ScheduleHandler };
  logger?: Logger;
}

export interface LocalRuntime {
  controlUrl: string;
  webhookUrl: string;
  intacctPushUrl: string;
  webhookSecret: { salesforcePathToken: string; intacctSharedSecret: string };
  aws: EmbeddedAws;
  sqs: SQSClient;
  queueDepths(): Promise<Record<'jobs' | 'dlq', { visible: number; inFlight: number; delayed: number }>>;
  isIdle(): Promise<boolean>;
  runSchedule(
    name: string,
    args?: { flow?: string; fix?: boolean; budgetSeconds?: number },
  ): Promise<unknown>;
  /** One scheduler invocation with this event detail (a schedule, or an on-demand `op` of sfi). */
  invokeScheduler(detail: Record<string, unknown>): Promise<unknown>;
  /**
   * Simulates a worker instance dying mid-batch: polling stops, messages it holds are released at
   * once while its in-flight invocations keep running unacknowledged (their deletes may land late
   * or not at all), and a fresh instance starts polling. SQS redelivers; nothing may duplicate.
   */
  crashWorker(): Promise<void>;
  /**
   * Stops the worker's polling once its invocations have finished (messages wait on the queue) and
   * answers a function that starts it again: a test can enqueue a whole run and have it delivered
   * as SQS would deliver a backlog, in full batches.
   */
  holdWorker(): Promise<() => void>;
  /** Worker invocations so far and their handler time (ms), across crashed instances too. */
  workerUsage(): { invocations: number; busyMs: number };
  /** With `workerThreads`, starts a CPU profile in each instance; the function answers them. */
  profileWorkers(): Promise<() => Promise<unknown[]>>;
  /** Moves every DLQ message back to the jobs queue (after the cause was fixed). */
  redrive(): Promise<{ moved: number }>;
  /** The failure digests the scheduler published to the local failure topic, oldest first. */
  notifications(): Promise<RecordedNotification[]>;
  stop(graceMs?: number): Promise<void>;
}

const MAX_BODY = 10 * 1024 * 1024; // API Gateway's payload limit
/** Locally the jobs queue's visibility timeout is short so that retries come back in seconds. */
const LOCAL_VISIBILITY_SECONDS = 10;

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const config = options.config;
  const logger =
    options.logger ?? createLogger({ service: 'local', write: (l) => process.stderr.write(`${l}\n`) });
  const aws = await startEmbeddedAws({
    config,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? LOCAL_VISIBILITY_SECONDS,
  });
  const sqs = new SQSClient(localClientConfig(aws.sqsEndpoint));
  // fauxqs serves SNS on the SQS endpoint; the digest publishes there as it does to the stack's topic.
  const failureTopic = await startNotificationSink({ endpoint: aws.sqsEndpoint, sqs, prefix: 'sfi-local' });
  const webhookSecret = {
    salesforcePathToken: randomBytes(16).toString('hex'),
    intacctSharedSecret: randomBytes(16).toString('hex'),
  };
  Object.assign(process.env, aws.env, {
    AWS_ENDPOINT_URL_SNS: aws.sqsEndpoint,
    FAILURE_TOPIC_ARN: failureTopic.topicArn,
    SYNC_CONFIG: JSON.stringify(config),
    SALESFORCE_ORG_ID: config.salesforce.orgId,
    WEBHOOK_SECRET_JSON: JSON.stringify(webhookSecret),
    LOG_STREAM: 'stderr',
    SFI_EMF: 'off',
    // One process stands in for every worker instance, so it may use the company's whole Intacct concurrency.
    SFI_WORKER_PROCESSES: '1',
    // Retries come back in about a second locally instead of 10 s (deployed default).
    SFI_RETRY_BASE_SECONDS: '1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...options.env,
  });
  // The real handlers build their clients from the environment at import, as on a cold start.
  const webhook =
    options.handlers?.webhook ??
    ((await import('#functions/webhook/handler.ts')).handler as unknown as HttpHandler);
  // With worker threads, each instance imports the worker in its own thread; this one needs none.
  const worker =
    options.handlers?.worker ??
    (options.workerThreads
      ? undefined
      : ((await import('#functions/worker/handler.ts')).handler as unknown as SqsHandler));
  const scheduler =
    options.handlers?.scheduler ??
    ((await import('#functions/scheduler/handler.ts')).handler as unknown as ScheduleHandler);
  const lambdaContext = {} as never;

  const queueArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: aws.queues.jobs, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn;
  const visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? LOCAL_VISIBILITY_SECONDS;
  const maxBatchingWindowMs =
    options.maxBatchingWindowMs ?? Math.min(1000, config.worker.maxBatchingWindowSeconds * 1000);
  const newSource = (): WorkerSource =>
    options.workerThreads
      ? new ThreadedWorkers({
          instances: config.worker.maxConcurrency,
          data: {
            sqsEndpoint: aws.sqsEndpoint,
            queueUrl: aws.queues.jobs,
            queueArn: queueArn ?? '',
            batchSize: config.worker.batchSize,
            maxBatchingWindowMs,
            visibilityTimeoutSeconds,
            region: aws.region,
          },
        })
      : new SqsEventSource({
          sqs,
          queueUrl: aws.queues.jobs,
          queueArn: queueArn ?? '',
          handler: () => (event) =>
            (worker as (e: unknown, c: unknown) => ReturnType<SqsHandler>)(event, lambdaContext),
          batchSize: config.worker.batchSize,
          maxBatchingWindowMs,
          concurrency: config.worker.maxConcurrency,
          visibilityTimeoutSeconds,
          region: aws.region,
          logger,
        });
  let source = newSource();
  /** Sources replaced by crashWorker/holdWorker: their usage still counts; their threads end with the runtime. */
  const replaced: WorkerSource[] = [];
  source.start();

  // The scheduler gets its Lambda's remaining time, as deployed (its time budget follows from it).
  const schedulerTimeoutMs = functionDefinitions(config).scheduler.timeoutSeconds * 1000;
  // One invocation of the scheduler Lambda with an event detail: a schedule run, or an on-demand
  // operation (`op`) of sfi.
  const invokeScheduler = (detail: Record<string, unknown>) => {
    const endsAt = Date.now() + schedulerTimeoutMs;
    const event = scheduledEvent(typeof detail.schedule === 'string' ? detail.schedule : '', aws.region);
    return (scheduler as (e: unknown, c: unknown) => Promise<unknown>)(
      { ...event, detail: { ...event.detail, ...detail } },
      {
        getRemainingTimeInMillis: () => endsAt - Date.now(),
      },
    );
  };
  const runSchedule = (name: string, args?: { flow?: string; fix?: boolean; budgetSeconds?: number }) =>
    invokeScheduler({ ...args, schedule: name });
  const stopTimers =
    options.timers === false
      ? () => {}
      : startScheduleTimers(
          withDigestSchedule(config.schedules, config.notifications),
          (name) => {
            runSchedule(name).catch((error: unknown) =>
              logger.error('scheduled run failed', { schedule: name, error }),
            );
          },
          options.timerScale,
        );

  // Sequential, as before: jobs first, so a job moving to the DLQ between the reads is not missed.
  async function queueDepths() {
    return { jobs: await queueDepth(sqs, aws.queues.jobs), dlq: await queueDepth(sqs, aws.queues.dlq) };
  }
  const jobQueue = new SqsJobQueue({ client: sqs, queueUrl: aws.queues.jobs });
  const redriveDlq = () => redrive({ sqs, dlqUrl: aws.queues.dlq, jobsUrl: aws.queues.jobs });
  async function isIdle() {
    const { jobs } = await queueDepths();
    return jobs.visible + jobs.inFlight + jobs.delayed === 0 && source.inFlight === 0;
  }

  // What a deployed stack's outputs say, for sfi's DescribeStacks and Lambda Invoke (stack-api.ts).
  const stackApi: StackApiDeps = {
    region: aws.region,
    endpoints: { sqs: aws.sqsEndpoint, dynamodb: aws.dynamodbEndpoint },
    outputs: {
      jobsQueueUrl: aws.queues.jobs,
      deadLetterQueueUrl: aws.queues.dlq,
      stateTable: aws.tables.state,
      crosswalkTable: aws.tables.crosswalk,
      ledgerTable: aws.tables.ledger,
      schedulerFunction: `${LOCAL_STACK_PREFIX}-scheduler`,
      failureTopicArn: failureTopic.topicArn,
    },
    invokeScheduler,
  };

  let controlUrl = '';
  const server: Server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://local');
      if (await handleStackApi(request, response, url, stackApi, () => controlUrl)) return;
      const match = matchRoute(ROUTES, request.method ?? 'GET', url.pathname);
      if (match === undefined) {
        await handleControl(request, response, url, {
          config,
          queueDepths,
          isIdle,
          runSchedule,
          redrive: redriveDlq,
          notifications: () => failureTopic.list(),
          enqueue: async (job) => {
            const result = await jobQueue.enqueue([job]);
            if (result.failed.length > 0) throw new Error(`could not enqueue: ${result.failed[0]?.message}`);
          },
          get source() {
            return source;
          },
        });
        return;
      }
      const body = await readBody(request, MAX_BODY);
      if (body === 'too-large') {
        response
          .writeHead(413, { 'content-type': 'application/json' })
          .end('{"message":"Request Entity Too Large"}');
        return;
      }
      const result = fromResult(
        await (webhook as (e: unknown, c: unknown) => Promise<APIGatewayProxyResultV2>)(
          toEvent(request, match.route, match.params, body),
          lambdaContext,
        ),
      );
      response.writeHead(result.statusCode, result.headers).end(result.body);
    } catch (error) {
      logger.error('local request failed', { error, url: request.url });
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'Internal Server Error' }));
    }
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  try {
    await listen(options.port ?? 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !options.portFallback) throw error;
    logger.warn('port in use, listening on a free port instead', { port: options.port });
    await listen(0);
  }
  controlUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let stopped = false;
  return {
    controlUrl,
    webhookUrl: `${controlUrl}/salesforce/outbound-message/${webhookSecret.salesforcePathToken}`,
    intacctPushUrl: `${controlUrl}/intacct/events`,
    webhookSecret,
    aws,
    sqs,
    queueDepths,
    isIdle,
    runSchedule,
    invokeScheduler,
    redrive: redriveDlq,
    notifications: () => failureTopic.list(),
    workerUsage: () =>
      [...replaced, source]
        .map((w) => w.stats)
        .reduce(
          (sum, st) => ({ invocations: sum.invocations + st.invocations, busyMs: sum.busyMs + st.busyMs }),
          { invocations: 0, busyMs: 0 },
        ),
    async profileWorkers() {
      return source instanceof ThreadedWorkers ? source.profile() : async () => [];
    },
    async crashWorker() {
      const dying = source;
      source = newSource();
      await dying.stop(0);
      // Its invocations still running count as they end.
      replaced.push(dying);
      source.start();
    },
    async holdWorker() {
      const held = source;
      source = newSource();
      await held.stop(config.worker.timeoutSeconds * 1000);
      replaced.push(held);
      const waiting = source;
      return () => waiting.start();
    },
    async stop(graceMs = config.worker.timeoutSeconds * 1000) {
      if (stopped) return;
      stopped = true;
      stopTimers();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await source.stop(graceMs);
      for (const ended of [...replaced, source]) if (ended instanceof ThreadedWorkers) await ended.end();
      sqs.destroy();
      await aws.stop();
    },
  };
}

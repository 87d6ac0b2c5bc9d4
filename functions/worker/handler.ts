/** Composition root of the worker Lambda (SQS jobs → sync engine, partial batch response). */
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { makeClients } from '#functions/commons/clients.ts';
import { loadConfigFromEnv } from '#functions/commons/config.ts';
import { makeDocumentClient } from '#functions/commons/dynamodb.ts';
import { logLine, makeLogger, makeSqsClient, requireEnv } from '#functions/commons/runtime.ts';
import { dynamoCrosswalk } from '#shared/aws/crosswalk.ts';
import { SqsDeadLetter } from '#shared/aws/dead-letter.ts';
import { DynamoKvTable } from '#shared/aws/kv-table.ts';
import { DynamoLedger } from '#shared/aws/ledger.ts';
import { resolveBudget } from '#shared/config/budget-config.ts';
import { companyClock, type IntacctClient } from '#shared/intacct/index.ts';
import { emitMetrics, METRIC } from '#shared/observability/metrics.ts';
import { makeDeferralGate } from '#shared/ops/deferral.ts';
import { TableFlowPauses } from '#shared/ops/flow-pauses.ts';
import type { SalesforceClient } from '#shared/salesforce/index.ts';
import { IntacctDocuments } from '#shared/sync/adapters/intacct-documents.ts';
import { IntacctPort } from '#shared/sync/adapters/intacct-port.ts';
import { SalesforcePort } from '#shared/sync/adapters/salesforce-port.ts';
import { makeSyncEngine } from '#shared/sync/engine.ts';
import { intacctKeyField, routable } from '#shared/sync/flows.ts';
import type { FlowProcessor } from '#shared/sync/processor.ts';
import { DEFER_SECONDS, makeSqsBatchHandler } from './sqs-batch.ts';
import { makeUsageRecorder } from './usage.ts';
import { makeWorker } from './use-case.ts';

const config = loadConfigFromEnv();
const logger = makeLogger('worker');
const sqs = makeSqsClient();
const db = makeDocumentClient();
const ledger = new DynamoLedger({
  db,
  table: requireEnv('LEDGER_TABLE'),
  auditDays: config.retention.auditDays,
  failureDays: config.retention.failureDays,
});
const crosswalk = dynamoCrosswalk({ db, table: requireEnv('CROSSWALK_TABLE') });
const clients = makeClients(
  config,
  Number(process.env.SFI_WORKER_PROCESSES ?? config.worker.maxConcurrency),
  db,
);
/**
 * The worker's clock: the month usage is counted under and the budget governor judges by.
 * Tests of the local pipeline replace `now` to move to the next month; nothing else does.
 */
export const workerClock = { now: (): Date => new Date() };
const now = () => workerClock.now();
const budget = resolveBudget(config.intacct);
const deferral = makeDeferralGate({
  flows: config.flows.map((f) => f.name),
  pauses: new TableFlowPauses(new DynamoKvTable({ db, table: requireEnv('STATE_TABLE') })),
  budget,
  // Adding 0 answers the month's total through the ledger port, which has no read of it.
  usage: (month) => ledger.addIntacctTransactions(month, 0),
  salesforce: { reservePercent: config.salesforce.apiReservePercent, usage: () => ledger.salesforceUsage() },
  now,
});
// Locally (and in tests) deferred jobs come back in seconds rather than minutes.
const deferOverride = process.env.SFI_DEFER_SECONDS;
const keyFields = new Map(config.flows.map((f) => [f.intacctObject, intacctKeyField(f)]));

// Locally there is no CloudWatch to read EMF lines; the local runtime turns them off.
const stdout = process.env.SFI_EMF === 'off' ? () => {} : logLine();
const recordUsage = makeUsageRecorder({
  ledger,
  budget: budget?.allowance ?? config.intacct.monthlyTransactionBudget,
  logger,
  write: stdout,
  now,
});
let recorded = 0;

let engine: Promise<{ run: FlowProcessor; intacct: IntacctClient; salesforce: SalesforceClient }> | undefined;
/** The Salesforce API use last recorded by this instance (a reading is stored only when it moves). */
let lastReading = '';
const processFlow: FlowProcessor = async (flow, jobs) => {
  engine ??= Promise.all([clients.salesforce(), clients.intacct()]).then(([sf, ia]) => {
    // A cold instance logs in to Intacct while its first batch reads links and sources.
    ia.warmUp();
    const salesforce = new SalesforcePort(sf);
    return {
      intacct: ia,
      salesforce: sf,
      run: makeSyncEngine({
        flows: config.flows,
        salesforce,
        documents: { source: salesforce, target: new IntacctDocuments(ia) },
        intacct: new IntacctPort(
          ia,
          (object) => keyFields.get(object) ?? 'RECORDNO',
          companyClock(config.intacct.timezone),
        ),
        crosswalk,
        ledger,
        logger,
        // A claim outlives the invocation that took it (its timeout) by a margin.
        claimTtlSeconds: config.worker.timeoutSeconds + 60,
        onCounts: (name, counts) =>
          emitMetrics(
            stdout,
            { Flow: name },
            {
              [METRIC.received]: counts.received,
              [METRIC.created]: counts.created,
              [METRIC.updated]: counts.updated,
              [METRIC.skipped]: counts.skipped,
              [METRIC.failed]: counts.failed,
            },
          ),
      }),
    };
  });
  engine.catch(() => {
    engine = undefined;
  });
  const { run, intacct, salesforce } = await engine;
  try {
    return await run(flow, jobs);
  } finally {
    // Concurrent invocations share the client (locally): record what is new since the last record.
    const total = intacct.counters.apiTransactions;
    const used = total - recorded;
    recorded = total;
    await recordUsage(used).catch((error: unknown) => logger.warn('usage not recorded', { error }));
    const reading = salesforce.stats().apiUsage;
    const key = reading === undefined ? '' : `${reading.used}/${reading.limit}`;
    if (reading !== undefined && key !== lastReading) {
      lastReading = key;
      await ledger
        .recordSalesforceUsage({ ...reading, at: now().toISOString() })
        .catch((error: unknown) => logger.warn('Salesforce API use not recorded', { error }));
    }
  }
};

const handle = makeSqsBatchHandler(
  makeWorker({
    ledger,
    flows: config.flows.map(routable),
    logger,
    processFlow,
    deferral,
    chunks: { size: config.worker.chunkSize, inFlight: config.worker.chunksInFlight },
  }),
  {
    sqs,
    queueUrl: requireEnv('JOBS_QUEUE_URL'),
    deadLetter: new SqsDeadLetter({ client: sqs, queueUrl: requireEnv('DLQ_URL') }),
    ledger,
    logger,
    retryBaseSeconds: Number(process.env.SFI_RETRY_BASE_SECONDS ?? 10),
    maxReceiveCount: config.worker.maxReceiveCount,
    deferSeconds:
      deferOverride === undefined
        ? DEFER_SECONDS
        : { paused: Number(deferOverride), budget: Number(deferOverride) },
  },
);

export const handler = middy<SQSEvent, SQSBatchResponse>().handler(handle);

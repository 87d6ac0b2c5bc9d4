/** Composition root of the worker Lambda (SQS jobs → sync engine, partial batch response). */
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { makeClients } from '#functions/commons/clients.ts';
import { loadConfigFromEnv } from '#functions/commons/config.ts';
import { makeDocumentClient, makeLogger, makeSqsClient, requireEnv } from '#functions/commons/runtime.ts';
import { DynamoCrosswalk } from '#shared/aws/crosswalk.ts';
import { SqsDeadLetter } from '#shared/aws/dead-letter.ts';
import { DynamoLedger } from '#shared/aws/ledger.ts';
import { IntacctPort } from '#shared/sync/adapters/intacct-port.ts';
import { SalesforcePort } from '#shared/sync/adapters/salesforce-port.ts';
import { makeSyncEngine } from '#shared/sync/engine.ts';
import { makeSqsBatchHandler } from './sqs-batch.ts';
import { type FlowProcessor, makeWorker } from './use-case.ts';

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
const crosswalk = new DynamoCrosswalk({ db, table: requireEnv('CROSSWALK_TABLE') });
const clients = makeClients(config, Number(process.env.SFI_WORKER_PROCESSES ?? config.worker.maxConcurrency));
const keyFields = new Map(config.flows.map((f) => [f.intacctObject, f.intacctKey?.field ?? 'RECORDNO']));

let engine: Promise<FlowProcessor> | undefined;
const processFlow: FlowProcessor = async (flow, jobs) => {
  engine ??= Promise.all([clients.salesforce(), clients.intacct()]).then(([sf, ia]) =>
    makeSyncEngine({
      flows: config.flows,
      salesforce: new SalesforcePort(sf),
      intacct: new IntacctPort(ia, (object) => keyFields.get(object) ?? 'RECORDNO'),
      crosswalk,
      ledger,
      logger,
    }),
  );
  engine.catch(() => {
    engine = undefined;
  });
  return (await engine)(flow, jobs);
};

const handle = makeSqsBatchHandler(makeWorker({ ledger, flows: config.flows, logger, processFlow }), {
  sqs,
  queueUrl: requireEnv('JOBS_QUEUE_URL'),
  deadLetter: new SqsDeadLetter({ client: sqs, queueUrl: requireEnv('DLQ_URL') }),
  ledger,
  logger,
  retryBaseSeconds: Number(process.env.SFI_RETRY_BASE_SECONDS ?? 10),
});

export const handler = middy<SQSEvent, SQSBatchResponse>().handler(handle);

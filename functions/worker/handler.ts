/** Composition root of the worker Lambda (SQS jobs → sync, partial batch response). */
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import {
  loadConfigFromEnv,
  makeDocumentClient,
  makeLogger,
  makeSqsClient,
  requireEnv,
} from '#functions/commons/runtime.ts';
import { SqsDeadLetter } from '#shared/aws/dead-letter.ts';
import { DynamoLedger } from '#shared/aws/ledger.ts';
import { makeSqsBatchHandler } from './sqs-batch.ts';
import { makeWorker } from './use-case.ts';

const config = loadConfigFromEnv();
const logger = makeLogger('worker');
const sqs = makeSqsClient();
const ledger = new DynamoLedger({
  db: makeDocumentClient(),
  table: requireEnv('LEDGER_TABLE'),
  auditDays: config.retention.auditDays,
  failureDays: config.retention.failureDays,
});

const handle = makeSqsBatchHandler(makeWorker({ ledger, flows: config.flows, logger }), {
  sqs,
  queueUrl: requireEnv('JOBS_QUEUE_URL'),
  deadLetter: new SqsDeadLetter({ client: sqs, queueUrl: requireEnv('DLQ_URL') }),
  ledger,
  logger,
});

export const handler = middy<SQSEvent, SQSBatchResponse>().handler(handle);

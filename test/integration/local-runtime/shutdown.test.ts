import { ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EmbeddedAws, localClientConfig, startEmbeddedAws } from '#local/aws/embedded-aws.ts';
import { SqsEventSource } from '#local/lambda/sqs-event-source.ts';
import { createLogger } from '#shared/observability/logger.ts';
import { eventually, testConfig } from '../../helpers/config.ts';

const quiet = createLogger({ service: 'test', level: 'silent' });

describe('shutting down the local event source', () => {
  let aws: EmbeddedAws;
  let sqs: SQSClient;

  beforeEach(async () => {
    // A long visibility timeout: a message that was not released would stay hidden past the test.
    aws = await startEmbeddedAws({ config: testConfig(), visibilityTimeoutSeconds: 300 });
    sqs = new SQSClient(localClientConfig(aws.sqsEndpoint));
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: aws.queues.jobs,
        Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: `job-${i}` })),
      }),
    );
  });
  afterEach(async () => {
    sqs.destroy();
    await aws.stop();
  });

  async function drain(): Promise<string[]> {
    const bodies: string[] = [];
    for (let i = 0; i < 5; i++) {
      const out = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: aws.queues.jobs, MaxNumberOfMessages: 10 }),
      );
      bodies.push(...(out.Messages ?? []).map((m) => m.Body ?? ''));
    }
    return bodies.sort();
  }

  function source(handler: (event: SQSEvent) => Promise<undefined>) {
    return new SqsEventSource({
      sqs,
      queueUrl: aws.queues.jobs,
      queueArn: 'arn:aws:sqs:us-east-1:000000000000:sfi-local-jobs',
      handler: () => handler,
      batchSize: 4,
      maxBatchingWindowMs: 100,
      concurrency: 2,
      region: 'us-east-1',
      logger: quiet,
    });
  }

  it('returns every held message to the queue when in-flight work outlives the grace period', async () => {
    const started: string[] = [];
    const never = new Promise<undefined>(() => {});
    const es = source(async (event) => {
      started.push(...event.Records.map((r) => r.body));
      return never;
    });
    es.start();
    await eventually(() => started.length >= 4, 10_000, 'an invocation');
    await es.stop(200);
    const back = await drain();
    expect(back).toEqual(Array.from({ length: 10 }, (_, i) => `job-${i}`).sort());
  });

  it('lets in-flight invocations finish within the grace period and deletes only what they completed', async () => {
    const completed: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const es = source(async (event) => {
      await gate;
      completed.push(...event.Records.map((r) => r.body));
      return undefined;
    });
    es.start();
    await eventually(() => es.inFlight > 0, 10_000, 'an invocation');
    const stopping = es.stop(10_000);
    release();
    await stopping;
    const back = await drain();
    expect(completed.length).toBeGreaterThan(0);
    // Nothing is lost and nothing is both completed and still queued.
    expect([...completed, ...back].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `job-${i}`).sort());
  });
});

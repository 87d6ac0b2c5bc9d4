import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '#local/runtime.ts';
import { eventually, testConfig } from '../../helpers/config.ts';

/** Delivery log: body → number of times the worker saw it; the worker fails bodies listed in `failing`. */
const deliveries = new Map<string, number>();
const failing = new Map<string, number>(); // body → how many deliveries to fail (Infinity = always)

/** Bodies whose first batch answers with an identifier that is not in the batch. */
const bogusOnce = new Set<string>();
let bogusBatch: string[] = [];

/** Bodies whose invocation takes 2.5 s: longer than the 1 s visibility timeout of this queue. */
const slow = new Set<string>();

async function worker(event: SQSEvent) {
  if (event.Records.some((r) => slow.has(r.body))) {
    for (const r of event.Records) deliveries.set(r.body, (deliveries.get(r.body) ?? 0) + 1);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    return { batchItemFailures: [] };
  }
  const bogus = event.Records.find((r) => bogusOnce.delete(r.body));
  if (bogus !== undefined) {
    for (const r of event.Records) deliveries.set(r.body, (deliveries.get(r.body) ?? 0) + 1);
    bogusBatch = event.Records.map((r) => r.body);
    return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
  }
  const failures: Array<{ itemIdentifier: string }> = [];
  for (const record of event.Records) {
    const seen = (deliveries.get(record.body) ?? 0) + 1;
    deliveries.set(record.body, seen);
    if (seen <= (failing.get(record.body) ?? 0)) failures.push({ itemIdentifier: record.messageId });
  }
  return { batchItemFailures: failures };
}

describe('local SQS event source', () => {
  let runtime: LocalRuntime;

  beforeAll(async () => {
    runtime = await startLocalRuntime({
      config: testConfig({ worker: { maxReceiveCount: 3, batchSize: 10 } }),
      visibilityTimeoutSeconds: 1,
      maxBatchingWindowMs: 300,
      timers: false,
      handlers: { worker },
    });
  });
  afterAll(() => runtime.stop(1000));

  it('moves a job that fails on every delivery to the DLQ after maxReceiveCount receives', async () => {
    failing.set('always-fails', Number.POSITIVE_INFINITY);
    await runtime.sqs.send(
      new SendMessageCommand({ QueueUrl: runtime.aws.queues.jobs, MessageBody: 'always-fails' }),
    );
    await eventually(async () => (await runtime.queueDepths()).dlq.visible === 1, 20_000, 'the DLQ');
    const out = await runtime.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: runtime.aws.queues.dlq,
        MessageSystemAttributeNames: ['All'],
        MaxNumberOfMessages: 10,
      }),
    );
    expect(out.Messages?.map((m) => m.Body)).toEqual(['always-fails']);
    expect(deliveries.get('always-fails')).toBe(3);
    // The DLQ copy keeps the receive count it had on the jobs queue (plus this receive, if counted).
    expect(Number(out.Messages?.[0]?.Attributes?.ApproximateReceiveCount)).toBeGreaterThanOrEqual(3);
  });

  it('does not redeliver a message while its invocation is still running, even past the visibility timeout', async () => {
    slow.add('slow-1');
    await runtime.sqs.send(
      new SendMessageCommand({ QueueUrl: runtime.aws.queues.jobs, MessageBody: 'slow-1' }),
    );
    await eventually(() => deliveries.get('slow-1') === 1, 20_000, 'the first delivery');
    await eventually(() => runtime.isIdle(), 20_000, 'an idle queue');
    expect(deliveries.get('slow-1')).toBe(1);
  });

  it('re-delivers only the items a partial batch response reports as failed', async () => {
    failing.set('b', 1);
    await runtime.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: runtime.aws.queues.jobs,
        Entries: ['a', 'b', 'c'].map((body, i) => ({ Id: String(i), MessageBody: body })),
      }),
    );
    await eventually(() => deliveries.get('b') === 2, 20_000, 'the re-delivery of b');
    await eventually(() => runtime.isIdle(), 20_000, 'an idle queue');
    expect([deliveries.get('a'), deliveries.get('b'), deliveries.get('c')]).toEqual([1, 2, 1]);
    expect((await runtime.queueDepths()).jobs).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('treats an unknown item identifier as a failure of the whole batch, as Lambda does', async () => {
    bogusOnce.add('y1');
    await runtime.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: runtime.aws.queues.jobs,
        Entries: ['y1', 'y2', 'y3'].map((body, i) => ({ Id: String(i), MessageBody: body })),
      }),
    );
    await eventually(() => bogusBatch.length > 0, 20_000, 'the bogus response');
    await eventually(() => runtime.isIdle(), 20_000, 'an idle queue');
    expect(bogusBatch).toContain('y1');
    for (const body of bogusBatch) expect(deliveries.get(body)).toBe(2);
  });
});

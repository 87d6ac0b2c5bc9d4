import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { makeSqsBatchHandler } from '#functions/worker/sqs-batch.ts';
import type { Outcome } from '#functions/worker/use-case.ts';
import type { DeadLetter } from '#shared/aws/dead-letter.ts';
import type { FailureEntry, Ledger } from '#shared/aws/ledger.ts';
import { SyncError } from '#shared/errors.ts';
import { createLogger } from '#shared/observability/logger.ts';

const record = (id: string, receiveCount: number) => ({
  messageId: id,
  receiptHandle: `rh-${id}`,
  body: JSON.stringify({
    v: 1,
    flow: 'account-customer',
    source: 'salesforce',
    object: 'Account',
    recordId: `001${id}`,
    reason: 'webhook',
    correlationId: 'c',
    enqueuedAt: '',
  }),
  attributes: {
    ApproximateReceiveCount: String(receiveCount),
    SentTimestamp: '0',
    SenderId: 'x',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn',
  awsRegion: 'us-east-1',
});

function harness(maxReceiveCount: number) {
  const dead: Array<{ code: string; receiveCount: number }> = [];
  const failures: FailureEntry[] = [];
  const visibility: unknown[] = [];
  const deadLetter: DeadLetter = {
    send: async (_b, error, ctx) => void dead.push({ code: error.code, receiveCount: ctx.receiveCount }),
  };
  const ledger = { failure: async (f: FailureEntry) => void failures.push(f) } as unknown as Ledger;
  const sqs = { send: async (command: unknown) => void visibility.push(command) } as unknown as SQSClient;
  const transient = new SyncError('Intacct 503', { code: 'INTACCT_SERVER', retryable: true });
  const worker = async (messages: ReadonlyArray<{ messageId: string }>): Promise<Outcome[]> =>
    messages.map((m) => ({ messageId: m.messageId, status: 'retry' as const, error: transient }));
  const handle = makeSqsBatchHandler(worker, {
    sqs,
    queueUrl: 'q',
    deadLetter,
    ledger,
    logger: createLogger({ service: 't', level: 'silent' }),
    maxReceiveCount,
  });
  return { handle, dead, failures, visibility };
}

describe('SQS batch outcomes', () => {
  it('reports a transient failure for redelivery and sets its backoff', async () => {
    const h = harness(5);
    const out = await h.handle({ Records: [record('a', 1)] } as SQSEvent);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'a' }]);
    expect(h.visibility).toHaveLength(1);
    expect(h.dead).toEqual([]);
  });

  it('dead-letters on the last allowed receive with the cause, instead of leaving SQS to move it silently', async () => {
    const h = harness(5);
    const out = await h.handle({ Records: [record('b', 5)] } as SQSEvent);
    expect(out.batchItemFailures).toEqual([]);
    expect(h.dead).toEqual([{ code: 'INTACCT_SERVER', receiveCount: 5 }]);
    expect(h.failures[0]).toMatchObject({
      flow: 'account-customer',
      code: 'INTACCT_SERVER',
      message: 'gave up after 5 attempts: Intacct 503',
      ids: { recordId: '001b' },
    });
  });
});

describe("a job that waits on another invocation's create claim", () => {
  const claimHeld = (until: string) =>
    new SyncError('another job is creating this record', {
      code: 'CLAIM_HELD',
      retryable: true,
      meta: { claimedUntil: until },
    });
  function claimHarness(until: string) {
    const sent: Array<{ name: string; input: Record<string, unknown> }> = [];
    const dead: string[] = [];
    const sqs = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        sent.push({ name: command.constructor.name, input: command.input });
        return {};
      },
    } as unknown as SQSClient;
    const handle = makeSqsBatchHandler(
      async (messages) =>
        messages.map((m) => ({ messageId: m.messageId, status: 'retry' as const, error: claimHeld(until) })),
      {
        sqs,
        queueUrl: 'q',
        deadLetter: { send: async (_b, error) => void dead.push(error.code) },
        ledger: { failure: async () => {}, resolveFailures: async () => 0 } as unknown as Ledger,
        logger: createLogger({ service: 't', level: 'silent' }),
        maxReceiveCount: 5,
        now: () => new Date('2026-12-01T10:00:00.000Z'),
      },
    );
    return { handle, sent, dead };
  }

  it('on its last receive, is re-sent to run after the claim runs out instead of being dead-lettered', async () => {
    const h = claimHarness('2026-12-01T10:01:30.000Z');
    const out = await h.handle({ Records: [record('a', 5)] } as SQSEvent);
    expect(out.batchItemFailures).toEqual([]);
    expect(h.dead).toEqual([]);
    expect(h.sent).toEqual([
      expect.objectContaining({
        name: 'SendMessageBatchCommand',
        input: expect.objectContaining({
          Entries: [expect.objectContaining({ MessageBody: record('a', 5).body, DelaySeconds: 91 })],
        }),
      }),
    ]);
  });

  it('before its last receive, retries as any transient failure does', async () => {
    const h = claimHarness('2026-12-01T10:01:30.000Z');
    const out = await h.handle({ Records: [record('a', 2)] } as SQSEvent);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'a' }]);
    expect(h.sent.map((s) => s.name)).toEqual(['ChangeMessageVisibilityBatchCommand']);
  });
});

describe('deferred jobs', () => {
  function deferHarness(failIds: string[] = []) {
    const sent: Array<{ name: string; input: Record<string, unknown> }> = [];
    const sqs = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        sent.push({ name: command.constructor.name, input: command.input });
        return command.constructor.name === 'SendMessageBatchCommand'
          ? { Failed: failIds.map((Id) => ({ Id, SenderFault: false })) }
          : {};
      },
    } as unknown as SQSClient;
    const job = { flow: 'account-customer' } as never;
    const handle = makeSqsBatchHandler(
      async (messages) =>
        messages.map((m) => ({
          messageId: m.messageId,
          status: 'defer' as const,
          cause: 'paused' as const,
          job,
        })),
      {
        sqs,
        queueUrl: 'q',
        deadLetter: { send: async () => {} },
        ledger: { resolveFailures: async () => 0 } as unknown as Ledger,
        logger: createLogger({ service: 't', level: 'silent' }),
        maxReceiveCount: 5,
        deferSeconds: { paused: 60, budget: 900 },
      },
    );
    return { handle, sent };
  }

  it('re-sends a deferred job delayed and lets the original be deleted, so no receive counts towards the DLQ', async () => {
    const h = deferHarness();
    const out = await h.handle({ Records: [record('a', 4)] } as SQSEvent);
    expect(out.batchItemFailures).toEqual([]);
    expect(h.sent).toEqual([
      {
        name: 'SendMessageBatchCommand',
        input: {
          QueueUrl: 'q',
          Entries: [
            { Id: '0', MessageBody: record('a', 4).body, DelaySeconds: 60, MessageAttributes: undefined },
          ],
        },
      },
    ]);
  });

  it('keeps a job whose copy SQS refused on the queue, invisible for the delay', async () => {
    const h = deferHarness(['0']);
    const out = await h.handle({ Records: [record('a', 1), record('b', 1)] } as SQSEvent);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'a' }]);
    expect(h.sent[1]).toEqual({
      name: 'ChangeMessageVisibilityBatchCommand',
      input: { QueueUrl: 'q', Entries: [{ Id: '0', ReceiptHandle: 'rh-a', VisibilityTimeout: 60 }] },
    });
  });
});

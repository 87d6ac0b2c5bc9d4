/**
 * DLQ redrive: moves messages back to the jobs queue with their original body (the failure
 * attributes stay behind), deleting each from the DLQ only after the jobs queue accepted it.
 * Works on any SQS endpoint (fauxqs has no StartMessageMoveTask), bounded by `max`.
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export async function redrive(options: {
  sqs: SQSClient;
  dlqUrl: string;
  jobsUrl: string;
  max?: number;
}): Promise<{ moved: number }> {
  const max = options.max ?? 10_000;
  let moved = 0;
  while (moved < max) {
    const out = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.dlqUrl,
        MaxNumberOfMessages: Math.min(10, max - moved),
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) break;
    const sent = await options.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: options.jobsUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? '' })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => Number(s.Id)));
    const done = messages.filter((_, i) => ok.has(i));
    if (done.length > 0) {
      await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.dlqUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
    }
    moved += done.length;
    // Entries the jobs queue refused stay in the DLQ and become visible again after 60 s.
    if (done.length < messages.length) break;
  }
  return { moved };
}

/**
 * DLQ redrive: moves messages back to the jobs queue with their original body (the failure
 * attributes stay behind), deleting each from the DLQ only after the jobs queue accepted it.
 * Works on any SQS endpoint (fauxqs has no StartMessageMoveTask), bounded by `max`.
 *
 * With `select`, only the messages it picks move; the others are held invisible while the DLQ is
 * scanned (so each is looked at once) and released at the end. `dryRun` moves nothing and says
 * what would have moved.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export interface DlqMessage {
  messageId: string;
  body: string;
  /** The failure the worker attached when it dead-lettered the job (absent after maxReceiveCount). */
  attributes: Record<string, string>;
}

export interface RedriveResult {
  moved: number;
  /** Messages looked at. */
  scanned: number;
  /** How many were picked: moved, or in a dry run would move. */
  picked: number;
  /** What moved (or, in a dry run, would move), up to `listed`. */
  selected: DlqMessage[];
}

/** Long enough to scan a big DLQ before held messages reappear; released at the end anyway. */
const HOLD_SECONDS = 300;

const toDlqMessage = (m: Message): DlqMessage => ({
  messageId: m.MessageId ?? '',
  body: m.Body ?? '',
  attributes: Object.fromEntries(
    Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? '']),
  ),
});

export async function redrive(options: {
  sqs: SQSClient;
  dlqUrl: string;
  jobsUrl: string;
  max?: number;
  select?: (message: DlqMessage) => boolean | Promise<boolean>;
  dryRun?: boolean;
  /** How many selected messages the result lists (default 100). */
  listed?: number;
}): Promise<RedriveResult> {
  const max = options.max ?? 10_000;
  const listed = options.listed ?? 100;
  const { sqs } = options;
  let moved = 0;
  let scanned = 0;
  let picked = 0;
  const selected: DlqMessage[] = [];
  const held: Message[] = [];
  const seen = new Set<string>();
  try {
    while (picked < max) {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.dlqUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          VisibilityTimeout: options.select === undefined && !options.dryRun ? 60 : HOLD_SECONDS,
          MessageAttributeNames: ['All'],
        }),
      );
      const fresh = (out.Messages ?? []).filter((m) => !seen.has(m.MessageId ?? ''));
      if (fresh.length === 0) {
        held.push(...(out.Messages ?? []));
        break;
      }
      const chosen: Message[] = [];
      for (const m of fresh) {
        seen.add(m.MessageId ?? '');
        scanned++;
        const wanted =
          picked < max && (options.select === undefined || (await options.select(toDlqMessage(m))));
        if (!wanted) {
          held.push(m);
          continue;
        }
        picked++;
        if (selected.length < listed) selected.push(toDlqMessage(m));
        if (options.dryRun) held.push(m);
        else chosen.push(m);
      }
      if (chosen.length === 0) continue;
      const sent = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: options.jobsUrl,
          Entries: chosen.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? '' })),
        }),
      );
      const ok = new Set((sent.Successful ?? []).map((s) => Number(s.Id)));
      const done = chosen.filter((_, i) => ok.has(i));
      if (done.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: options.dlqUrl,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
          }),
        );
      }
      moved += done.length;
      // Entries the jobs queue refused stay in the DLQ (released below, to try again later).
      held.push(...chosen.filter((_, i) => !ok.has(i)));
      if (done.length < chosen.length) break;
    }
  } finally {
    await release(sqs, options.dlqUrl, held);
  }
  return { moved, scanned, picked, selected };
}

/** Makes held messages visible again at once. */
async function release(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 10) {
    const chunk = messages.slice(i, i + 10);
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((m, j) => ({
          Id: String(j),
          ReceiptHandle: m.ReceiptHandle ?? '',
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
}

/**
 * A local Lambda SQS event source mapping: long-polls the queue, fills batches up to `batchSize`
 * within the batching window, invokes the handler with the SQS event shape Lambda delivers, and
 * honours the partial batch response (only the reported items stay on the queue; they come back
 * after their visibility timeout and the queue's redrive policy moves them to the DLQ).
 * On stop, polling ends, in-flight invocations may finish until a deadline, and whatever is still
 * held is made visible again at once, so a shutdown never loses a job.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Logger } from '#shared/observability/logger.ts';

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export interface SqsEventSourceOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  handler: () => SqsHandler;
  batchSize: number;
  maxBatchingWindowMs: number;
  /**
   * The queue's visibility timeout. Deployed it is 6 × the function timeout, so a message is never
   * redelivered while its invocation runs; locally it is short (fast retries), so the event source
   * keeps in-flight messages invisible itself, renewing their visibility until the invocation ends.
   */
  visibilityTimeoutSeconds?: number;
  concurrency: number;
  region: string;
  logger: Logger;
  /** Called when an invocation starts or ends (a thread hosting this source reports its state). */
  onActivity?: () => void;
}

/** What the local runtime needs of a worker's event source, in this thread or in others. */
export interface WorkerSource {
  start(): void;
  stop(graceMs: number): Promise<void>;
  readonly inFlight: number;
  readonly stats: SourceStats;
}

/** `busyMs`: handler time summed over invocations (what Lambda bills as duration). */
export interface SourceStats {
  invocations: number;
  messages: number;
  deleted: number;
  failedItems: number;
  handlerErrors: number;
  busyMs: number;
}

/** Counts of a source that has done nothing yet. */
export const noStats = (): SourceStats => ({
  invocations: 0,
  messages: 0,
  deleted: 0,
  failedItems: 0,
  handlerErrors: 0,
  busyMs: 0,
});

export class SqsEventSource implements WorkerSource {
  readonly #o: SqsEventSourceOptions;
  #running = false;
  #loops: Promise<void>[] = [];
  /** Messages received and not yet deleted or released, by receipt handle. */
  readonly #held = new Map<string, Message>();
  #invocations = 0;
  readonly stats: SourceStats = noStats();

  constructor(options: SqsEventSourceOptions) {
    this.#o = options;
  }

  /** Invocations running now (for /status and waitForIdle). */
  get inFlight(): number {
    return this.#invocations;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loops = Array.from({ length: this.#o.concurrency }, () => this.#loop());
  }

  /**
   * Stops polling; lets invocations finish for up to `graceMs`, then returns every message still
   * held to the queue (visibility 0). Resolves when nothing is held.
   */
  async stop(graceMs: number): Promise<void> {
    this.#running = false;
    const loops = Promise.all(this.#loops);
    await Promise.race([loops, new Promise((r) => setTimeout(r, graceMs).unref())]);
    await this.#release([...this.#held.values()]);
  }

  async #loop(): Promise<void> {
    while (this.#running) {
      const batch = await this.#collect();
      if (batch.length === 0) continue;
      await this.#invoke(batch);
    }
  }

  /**
   * One batch: the window counts from the first message received, as Lambda's does, so a poller
   * that waited on an empty queue still gathers what arrives behind the first message. Once the
   * first message is in, up to 10 receives go out at once, as Lambda's pollers read in parallel.
   * Locally a round that finds the queue drained ends the gathering early, so a lone message is not
   * held for the whole window.
   */
  async #collect(): Promise<Message[]> {
    const batch: Message[] = [];
    let deadline = Number.POSITIVE_INFINITY;
    while (this.#running && batch.length < this.#o.batchSize) {
      // Gathering, a long poll waits only for whole seconds the window has left beyond this one.
      const waitSeconds =
        batch.length === 0 ? 1 : Math.min(1, Math.max(0, Math.floor((deadline - Date.now() - 1) / 1000)));
      const wanted = batch.length === 0 ? [Math.min(10, this.#o.batchSize)] : this.#split(batch.length);
      const rounds = await Promise.all(wanted.map((n) => this.#receive(n, waitSeconds)));
      const messages = rounds.flat();
      for (const m of messages) {
        if (m.ReceiptHandle !== undefined) this.#held.set(m.ReceiptHandle, m);
      }
      if (batch.length === 0 && messages.length > 0) deadline = Date.now() + this.#o.maxBatchingWindowMs;
      batch.push(...messages);
      const drained = rounds.some((r, k) => r.length < (wanted[k] ?? 0));
      if (batch.length > 0 && (drained || Date.now() >= deadline)) break;
    }
    if (!this.#running && batch.length > 0) {
      await this.#release(batch);
      return [];
    }
    return batch;
  }

  /** What the next parallel receives ask for: up to 10 messages each, the batch's room in all. */
  #split(have: number): number[] {
    const room = this.#o.batchSize - have;
    return Array.from({ length: Math.min(10, Math.ceil(room / 10)) }, (_, k) => Math.min(10, room - k * 10));
  }

  async #receive(max: number, waitSeconds: number): Promise<Message[]> {
    try {
      const out = await this.#o.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.#o.queueUrl,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      return out.Messages ?? [];
    } catch (error) {
      if (this.#running) {
        this.#o.logger.warn('receive failed', { error });
        await new Promise((r) => setTimeout(r, 200));
      }
      return [];
    }
  }

  async #invoke(batch: Message[]): Promise<void> {
    this.#invocations++;
    this.stats.invocations++;
    this.stats.messages += batch.length;
    this.#o.onActivity?.();
    let failed = new Set<string>();
    const heartbeat = this.#keepInvisible(batch);
    const started = performance.now();
    try {
      const response = await this.#o.handler()({ Records: batch.map((m) => this.#record(m)) });
      const ids = new Set(batch.map((m) => m.MessageId ?? ''));
      const reported = response?.batchItemFailures ?? [];
      // As Lambda does: an identifier that is empty or not in the batch fails the whole batch.
      if (reported.some((f) => !f.itemIdentifier || !ids.has(f.itemIdentifier))) failed = ids;
      else failed = new Set(reported.map((f) => f.itemIdentifier));
    } catch (error) {
      this.stats.handlerErrors++;
      this.#o.logger.error('handler threw, batch returns to the queue', { error, messages: batch.length });
      failed = new Set(batch.map((m) => m.MessageId ?? ''));
    } finally {
      clearInterval(heartbeat);
      this.#invocations--;
      this.stats.busyMs += performance.now() - started;
    }
    this.stats.failedItems += failed.size;
    const done = batch.filter((m) => !failed.has(m.MessageId ?? ''));
    for (const m of batch) if (failed.has(m.MessageId ?? '')) this.#held.delete(m.ReceiptHandle ?? '');
    await this.#delete(done);
    this.#o.onActivity?.();
  }

  /** Renews the batch's visibility at half the timeout while it is held (see visibilityTimeoutSeconds). */
  #keepInvisible(batch: Message[]): NodeJS.Timeout | undefined {
    const seconds = this.#o.visibilityTimeoutSeconds;
    if (seconds === undefined) return undefined;
    const timer = setInterval(
      () => {
        const held = batch.filter((m) => this.#held.has(m.ReceiptHandle ?? ''));
        for (let i = 0; i < held.length; i += 10) {
          this.#o.sqs
            .send(
              new ChangeMessageVisibilityBatchCommand({
                QueueUrl: this.#o.queueUrl,
                Entries: held.slice(i, i + 10).map((m, j) => ({
                  Id: String(j),
                  ReceiptHandle: m.ReceiptHandle ?? '',
                  VisibilityTimeout: seconds,
                })),
              }),
            )
            // A failed renewal only means the message may come back early: SQS redelivers it.
            .catch(() => undefined);
        }
      },
      Math.max(250, (seconds * 1000) / 2),
    );
    timer.unref();
    return timer;
  }

  #record(m: Message): SQSRecord {
    const attributes = m.Attributes ?? {};
    return {
      messageId: m.MessageId ?? '',
      receiptHandle: m.ReceiptHandle ?? '',
      body: m.Body ?? '',
      attributes: {
        ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
        SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
        SenderId: attributes.SenderId ?? 'local',
        ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
          k,
          {
            stringValue: v.StringValue,
            dataType: v.DataType ?? 'String',
            stringListValues: [],
            binaryListValues: [],
          },
        ]),
      ),
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.#o.queueArn,
      awsRegion: this.#o.region,
    };
  }

  async #delete(messages: Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      await this.#o.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.#o.queueUrl,
          Entries: chunk.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
      for (const m of chunk) this.#held.delete(m.ReceiptHandle ?? '');
      this.stats.deleted += chunk.length;
    }
  }

  async #release(messages: Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      await this.#o.sqs
        .send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.#o.queueUrl,
            Entries: chunk.map((m, j) => ({
              Id: String(j),
              ReceiptHandle: m.ReceiptHandle ?? '',
              VisibilityTimeout: 0,
            })),
          }),
        )
        .catch((error: unknown) =>
          this.#o.logger.warn('release failed; messages return after their timeout', { error }),
        );
      for (const m of chunk) this.#held.delete(m.ReceiptHandle ?? '');
    }
  }
}

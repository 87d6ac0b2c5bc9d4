import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SyncError } from '#shared/errors.ts';

/** The port for sending a job that can never succeed straight to the DLQ, with its reason. */
export interface DeadLetter {
  send(
    body: string,
    error: SyncError,
    context: { sourceMessageId: string; receiveCount: number },
  ): Promise<void>;
}

/**
 * Sends to the DLQ with the failure as message attributes, so `sfi failures` and the console show
 * the cause beside the payload and `sfi redrive` can send the untouched body back.
 */
export class SqsDeadLetter implements DeadLetter {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  constructor(options: { client: SQSClient; queueUrl: string }) {
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
  }

  async send(
    body: string,
    error: SyncError,
    context: { sourceMessageId: string; receiveCount: number },
  ): Promise<void> {
    const text = (value: string) => ({ DataType: 'String', StringValue: value.slice(0, 1000) || '-' });
    await this.#client.send(
      new SendMessageCommand({
        QueueUrl: this.#queueUrl,
        MessageBody: body,
        MessageAttributes: {
          errorCode: text(error.code),
          errorMessage: text(error.message),
          hint: text(error.hint ?? ''),
          sourceMessageId: text(context.sourceMessageId),
          receiveCount: { DataType: 'Number', StringValue: String(context.receiveCount) },
        },
      }),
    );
  }
}

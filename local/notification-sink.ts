/**
 * The local failure topic: an SNS topic in fauxqs with a queue subscribed to it, as an operator
 * would subscribe an inbox. The scheduler publishes through the SNS SDK exactly as deployed; the
 * runtime keeps every digest that arrived, for GET /notifications and `sfi notifications`.
 */
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { localClientConfig } from './aws/embedded-aws.ts';

/** One digest as a subscriber received it. */
export interface RecordedNotification {
  messageId: string;
  topicArn: string;
  /** When SNS accepted it. */
  at: string;
  subject: string;
  message: string;
  flow: string;
  failures: number;
}

export interface NotificationSink {
  topicArn: string;
  /** Every digest received so far, oldest first. */
  list(): Promise<RecordedNotification[]>;
}

interface Envelope {
  MessageId: string;
  TopicArn: string;
  Timestamp: string;
  Subject?: string;
  Message: string;
  MessageAttributes?: Record<string, { Value: string }>;
}

export async function startNotificationSink(options: {
  endpoint: string;
  sqs: SQSClient;
  prefix: string;
}): Promise<NotificationSink> {
  const sns = new SNSClient(localClientConfig(options.endpoint));
  try {
    const topicArn =
      (await sns.send(new CreateTopicCommand({ Name: `${options.prefix}-failures` }))).TopicArn ?? '';
    const created = await options.sqs.send(
      new CreateQueueCommand({ QueueName: `${options.prefix}-failure-inbox` }),
    );
    // fauxqs names queues by a host that may not resolve; it routes by path (as for the jobs queue).
    const queueUrl = `${options.endpoint}${new URL(created.QueueUrl ?? '').pathname}`;
    const queueArn = (
      await options.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
      )
    ).Attributes?.QueueArn;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));

    const received: RecordedNotification[] = [];
    return {
      topicArn,
      async list() {
        for (;;) {
          const out = await options.sqs.send(
            new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
          );
          const messages = out.Messages ?? [];
          if (messages.length === 0) break;
          for (const m of messages) {
            const e = JSON.parse(m.Body ?? '{}') as Envelope;
            received.push({
              messageId: e.MessageId,
              topicArn: e.TopicArn,
              at: e.Timestamp,
              subject: e.Subject ?? '',
              message: e.Message,
              flow: e.MessageAttributes?.flow?.Value ?? '',
              failures: Number(e.MessageAttributes?.failures?.Value ?? 0),
            });
          }
          await options.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
            }),
          );
        }
        return [...received];
      },
    };
  } finally {
    sns.destroy();
  }
}

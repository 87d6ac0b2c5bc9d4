/**
 * Sends a digest to the failure topic. Deployed that is the stack's SNS topic (e-mail and chat
 * subscribers); locally fauxqs's, whose subscribed queue the runtime reads for GET /notifications.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { DigestMessage, DigestPublisher } from './digest-ports.ts';

export class SnsDigestPublisher implements DigestPublisher {
  readonly #sns: SNSClient;
  readonly #topicArn: string;

  constructor(options: { sns: SNSClient; topicArn: string }) {
    this.#sns = options.sns;
    this.#topicArn = options.topicArn;
  }

  async publish(message: DigestMessage): Promise<{ messageId: string }> {
    const out = await this.#sns.send(
      new PublishCommand({
        TopicArn: this.#topicArn,
        Subject: message.subject,
        Message: message.text,
        // Subscribers can filter on these (one flow's digests to one team, say).
        MessageAttributes: {
          flow: { DataType: 'String', StringValue: message.attributes.flow },
          failures: { DataType: 'Number', StringValue: String(message.attributes.failures) },
        },
      }),
    );
    return { messageId: out.MessageId ?? '' };
  }
}

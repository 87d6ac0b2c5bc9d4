import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * The failure topic (DESIGN §9), beside the alarm topic: the scheduler's failure digest publishes
 * to it, at most one message per flow per `notifications.digestMinutes`; operators subscribe an
 * e-mail address or a chat integration. Encrypted with a key of its own (rotated) so that only
 * principals granted on that key can publish or read, and reachable over TLS only.
 */
export class FailureTopic extends Construct {
  readonly topic: Topic;
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Messages live in SNS for seconds; nothing encrypted with this key outlives the stack.
    this.key = new Key(this, 'Key', {
      description: 'Encrypts the failure digest topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Salesforce–Intacct sync failures',
      masterKey: this.key,
      enforceSSL: true,
    });
  }
}

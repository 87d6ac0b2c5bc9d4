import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueDefinition } from '#infra/definitions.ts';

export interface JobsQueueProps {
  jobs: QueueDefinition;
  dlq: QueueDefinition;
  /** Physical name prefix, e.g. `sfi` → `sfi-jobs` and `sfi-dlq`. */
  namePrefix: string;
}

/**
 * The jobs queue and its dead-letter queue, built from the shared queue definitions: SSE with the
 * SQS-managed key, a policy that denies any request not made over TLS, and a redrive policy that
 * moves a job to the DLQ after `maxReceiveCount` receives (DESIGN §3.1: every failure ends in the DLQ).
 */
export class JobsQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: JobsQueueProps) {
    super(scope, id);
    const { jobs, dlq } = props;
    if (jobs.maxReceiveCount === undefined) {
      throw new Error(
        'the jobs queue definition needs maxReceiveCount; without it no job ever reaches the DLQ',
      );
    }
    // Retained like the tables: a failed job in the DLQ is evidence an operator still has to act on.
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      queueName: `${props.namePrefix}-${dlq.id}`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(dlq.retentionSeconds),
      visibilityTimeout: Duration.seconds(dlq.visibilityTimeoutSeconds),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.queue = new Queue(this, 'Queue', {
      queueName: `${props.namePrefix}-${jobs.id}`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(jobs.retentionSeconds),
      visibilityTimeout: Duration.seconds(jobs.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: jobs.maxReceiveCount },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

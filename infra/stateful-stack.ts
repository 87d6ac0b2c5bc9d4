import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { CredentialSecret } from './constructs/credential-secret.ts';
import { JobsQueue } from './constructs/jobs-queue.ts';
import { SyncTable } from './constructs/sync-table.ts';
import { queueDefinitions, TABLES, type TableDefinition, tableName } from './definitions.ts';
import { INTACCT_SECRET_TEMPLATE, SALESFORCE_SECRET_TEMPLATE, type WebhookSecret } from './secret-shapes.ts';

export interface StatefulStackProps extends StackProps {
  config: SyncConfig;
  /** Prefix of physical names (tables, queues, secrets), e.g. `sfi`. */
  namePrefix: string;
}

/** A table with the shared definition it was built from, so consumers can bind it by its env var. */
export interface BoundTable {
  definition: TableDefinition;
  table: Table;
}

/**
 * Everything that holds data: the DynamoDB tables, the jobs queue with its DLQ and the credential
 * secrets. Kept apart from the functions so a redeploy of code can never replace state.
 */
export class StatefulStack extends Stack {
  readonly tables: BoundTable[];
  readonly jobsQueue: Queue;
  readonly deadLetterQueue: Queue;
  readonly salesforceSecret: Secret;
  readonly intacctSecret: Secret;
  readonly webhookSecret: Secret;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const prefix = props.namePrefix;

    this.tables = TABLES.map((definition) => {
      const { table } = new SyncTable(this, `${capitalise(definition.id)}Table`, {
        definition,
        tableName: tableName(prefix, definition),
      });
      new CfnOutput(this, `${capitalise(definition.id)}TableName`, {
        value: table.tableName,
        description: definition.description,
      });
      return { definition, table };
    });

    const queues = queueDefinitions(props.config);
    const jobs = new JobsQueue(this, 'Jobs', { jobs: queues.jobs, dlq: queues.dlq, namePrefix: prefix });
    this.jobsQueue = jobs.queue;
    this.deadLetterQueue = jobs.deadLetterQueue;
    new CfnOutput(this, 'JobsQueueUrl', { value: this.jobsQueue.queueUrl, description: 'Jobs queue' });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: this.deadLetterQueue.queueUrl,
      description: 'Jobs that failed maxReceiveCount times or permanently; inspect with sfi failures',
    });

    this.salesforceSecret = new CredentialSecret(this, 'SalesforceCredentials', {
      secretName: `${prefix}/salesforce`,
      description: 'Salesforce connected-app credentials (JSON, see docs/deploying.md)',
      initialValue: { placeholder: SALESFORCE_SECRET_TEMPLATE },
    }).secret;
    this.intacctSecret = new CredentialSecret(this, 'IntacctCredentials', {
      secretName: `${prefix}/intacct`,
      description: 'Sage Intacct Web Services sender and user credentials (JSON, see docs/deploying.md)',
      initialValue: { placeholder: INTACCT_SECRET_TEMPLATE },
    }).secret;
    // Only the path token is generated; intacctSharedSecret stays absent until the operator enables Intacct push.
    const webhookTemplate: Omit<WebhookSecret, 'salesforcePathToken'> = {};
    this.webhookSecret = new CredentialSecret(this, 'WebhookCredentials', {
      secretName: `${prefix}/webhook`,
      description: 'Webhook path token for Salesforce outbound messages and the Intacct push shared secret',
      initialValue: { generate: { key: 'salesforcePathToken', template: webhookTemplate, length: 48 } },
    }).secret;
    for (const [name, secret] of [
      ['SalesforceSecretArn', this.salesforceSecret],
      ['IntacctSecretArn', this.intacctSecret],
      ['WebhookSecretArn', this.webhookSecret],
    ] as const) {
      new CfnOutput(this, name, { value: secret.secretArn });
    }
  }

  /** The table built from a definition id; throws when the definitions and the stack disagree. */
  table(id: TableDefinition['id']): BoundTable {
    const found = this.tables.find((t) => t.definition.id === id);
    if (found === undefined) throw new Error(`no table "${id}" in the stateful stack`);
    return found;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

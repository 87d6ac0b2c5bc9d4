import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { queueDefinitions, TABLES, tableName } from '#infra/definitions.ts';
import { INTACCT_SECRET_TEMPLATE, SALESFORCE_SECRET_TEMPLATE } from '#infra/secret-shapes.ts';
import { FIXTURE, logicalId, type SynthesizedApp, synthesize } from './synth-fixture.ts';

let synth: SynthesizedApp;
beforeAll(() => {
  synth = synthesize({ bundle: false });
});

describe('stateful stack: tables', () => {
  it.each(TABLES.map((t) => [t.id, t] as const))(
    'builds the %s table from the shared definition',
    (_id, definition) => {
      synth.statefulTemplate.hasResource('AWS::DynamoDB::Table', {
        Properties: Match.objectLike({
          TableName: tableName(FIXTURE.prefix, definition),
          KeySchema: [
            { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: definition.sortKey.name, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes:
            definition.globalSecondaryIndexes.length === 0
              ? Match.absent()
              : definition.globalSecondaryIndexes.map((index) =>
                  Match.objectLike({
                    IndexName: index.indexName,
                    KeySchema: [
                      { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
                      { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
                    ],
                  }),
                ),
          TimeToLiveSpecification:
            definition.timeToLiveAttribute === undefined
              ? Match.absent()
              : { AttributeName: definition.timeToLiveAttribute, Enabled: true },
        }),
      });
    },
  );

  it('bills every table on demand with point-in-time recovery, encryption and deletion protection', () => {
    const tables = synth.statefulTemplate.findResources('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(TABLES.length);
    for (const table of Object.values(tables)) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      });
    }
  });

  it('keeps tables, queues and secrets when the stack is deleted', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::SecretsManager::Secret']) {
      for (const resource of Object.values(synth.statefulTemplate.findResources(type))) {
        expect(resource).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      }
    }
  });
});

describe('stateful stack: jobs queue and DLQ', () => {
  const expected = () => queueDefinitions(synth.config);

  it('moves a job to the DLQ after maxReceiveCount receives from the config', () => {
    synth.statefulTemplate.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `${FIXTURE.prefix}-jobs`,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(synth.stateful.deadLetterQueue), 'Arn'] },
        maxReceiveCount: FIXTURE.worker.maxReceiveCount,
      },
    });
  });

  it('hides a received job for at least six times the worker timeout', () => {
    const jobs = synth.statefulTemplate.findResources('AWS::SQS::Queue', {
      Properties: { QueueName: `${FIXTURE.prefix}-jobs` },
    });
    const [queue] = Object.values(jobs);
    expect(queue?.Properties.VisibilityTimeout).toBe(expected().jobs.visibilityTimeoutSeconds);
    expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * FIXTURE.worker.timeoutSeconds);
  });

  it('keeps dead letters for the DLQ retention of the definitions', () => {
    synth.statefulTemplate.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `${FIXTURE.prefix}-dlq`,
      MessageRetentionPeriod: expected().dlq.retentionSeconds,
      RedrivePolicy: Match.absent(),
    });
  });

  it('encrypts both queues at rest', () => {
    for (const queue of [synth.stateful.jobsQueue, synth.stateful.deadLetterQueue]) {
      const resource = synth.statefulTemplate.toJSON().Resources[logicalId(queue)];
      expect(resource.Properties.SqsManagedSseEnabled).toBe(true);
    }
  });

  it('denies every request to either queue that is not made over TLS', () => {
    for (const queue of [synth.stateful.jobsQueue, synth.stateful.deadLetterQueue]) {
      synth.statefulTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });
});

describe('stateful stack: secrets', () => {
  it('creates the Salesforce and Intacct secrets with placeholder JSON of the documented shape', () => {
    for (const [name, template] of [
      ['salesforce', SALESFORCE_SECRET_TEMPLATE],
      ['intacct', INTACCT_SECRET_TEMPLATE],
    ] as const) {
      const secrets = synth.statefulTemplate.findResources('AWS::SecretsManager::Secret', {
        Properties: { Name: `${FIXTURE.prefix}/${name}` },
      });
      const [secret] = Object.values(secrets);
      expect(JSON.parse(secret?.Properties.SecretString)).toEqual(template);
    }
  });

  it('generates a URL-safe webhook path token and leaves Intacct push disabled (no shared secret)', () => {
    synth.statefulTemplate.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: `${FIXTURE.prefix}/webhook`,
      GenerateSecretString: Match.objectLike({
        GenerateStringKey: 'salesforcePathToken',
        ExcludePunctuation: true,
        PasswordLength: 48,
        SecretStringTemplate: '{}',
      }),
    });
  });

  it('outputs table names, queue URLs and secret ARNs', () => {
    const outputs = Object.keys(synth.statefulTemplate.findOutputs('*'));
    expect(outputs).toEqual(
      expect.arrayContaining([
        'StateTableName',
        'CrosswalkTableName',
        'LedgerTableName',
        'JobsQueueUrl',
        'DeadLetterQueueUrl',
        'SalesforceSecretArn',
        'IntacctSecretArn',
        'WebhookSecretArn',
      ]),
    );
  });
});

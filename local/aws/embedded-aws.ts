/**
 * Embedded AWS for local runs and tests: DynamoDB via dynalite and SQS via fauxqs, both in this
 * process on 127.0.0.1, provisioned from `infra/definitions.ts` (the same source the CDK stack uses).
 */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import dynalite from 'dynalite';
import { buildApp } from 'fauxqs';
import { queueDefinitions, TABLES, tableName } from '#infra/definitions.ts';
import type { SyncConfig } from '#shared/config/sync-config.ts';

export interface EmbeddedAws {
  region: string;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  tables: Record<(typeof TABLES)[number]['id'], string>;
  queues: { jobs: string; dlq: string };
  /** Environment variables that point the AWS SDK and our functions at these resources. */
  env: Record<string, string>;
  /** Requests each emulator served, by operation (DynamoDB `GetItem`…, SQS `SendMessageBatch`…). */
  counters(): { dynamodb: Record<string, number>; sqs: Record<string, number> };
  stop(): Promise<void>;
}

export interface EmbeddedAwsOptions {
  config: SyncConfig;
  /** Resource name prefix; the stack uses its own, local runs "sfi-local". */
  prefix?: string;
  /**
   * Local override of the jobs queue visibility timeout (seconds). Deployed, it is 6 × the worker
   * timeout; locally a retry would otherwise wait minutes, so the local runtime shortens it.
   */
  visibilityTimeoutSeconds?: number;
}

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Clients pointed at an embedded endpoint (short retry budget: a local failure is a bug, not a blip). */
export function localClientConfig(endpoint: string) {
  return { endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 2 };
}

export async function startEmbeddedAws(options: EmbeddedAwsOptions): Promise<EmbeddedAws> {
  const prefix = options.prefix ?? 'sfi-local';
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const counts = { dynamodb: {} as Record<string, number>, sqs: {} as Record<string, number> };
  const count = (bucket: Record<string, number>, op: string | undefined) => {
    if (op !== undefined && op !== '') bucket[op] = (bucket[op] ?? 0) + 1;
  };
  // Count before dynalite's own handler runs: X-Amz-Target is "DynamoDB_20120810.<Operation>".
  dynamo.prependListener('request', (req) =>
    count(counts.dynamodb, String(req.headers['x-amz-target'] ?? '').split('.')[1]),
  );
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(0, '127.0.0.1', () => resolve());
  });
  const dynamodbEndpoint = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
  // fauxqs's own start helper binds 0.0.0.0; build its app and bind loopback ourselves.
  const sqsServer = buildApp({ logger: false });
  sqsServer.addHook('onRequest', async (req) => {
    count(counts.sqs, String(req.headers['x-amz-target'] ?? '').split('.')[1]);
  });
  const sqsEndpoint = await sqsServer.listen({ port: 0, host: '127.0.0.1' });

  const ddb = new DynamoDBClient(localClientConfig(dynamodbEndpoint));
  const sqs = new SQSClient(localClientConfig(sqsEndpoint));
  try {
    const tables = {} as EmbeddedAws['tables'];
    for (const table of TABLES) {
      const name = tableName(prefix, table);
      const keys = [
        table.partitionKey,
        table.sortKey,
        ...table.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
      ];
      const attributes = [...new Map(keys.map((k) => [k.name, k])).values()];
      await ddb.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
          KeySchema: [
            { AttributeName: table.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: table.sortKey.name, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes:
            table.globalSecondaryIndexes.length === 0
              ? undefined
              : table.globalSecondaryIndexes.map((index) => ({
                  IndexName: index.indexName,
                  KeySchema: [
                    { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
                    { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
                  ],
                  Projection: { ProjectionType: 'ALL' },
                })),
        }),
      );
      tables[table.id] = name;
    }

    const defs = queueDefinitions(options.config);
    const dlq = await sqs.send(
      new CreateQueueCommand({
        QueueName: `${prefix}-dlq`,
        Attributes: {
          VisibilityTimeout: String(defs.dlq.visibilityTimeoutSeconds),
          MessageRetentionPeriod: String(defs.dlq.retentionSeconds),
        },
      }),
    );
    const dlqUrl = `${sqsEndpoint}${new URL(dlq.QueueUrl ?? '').pathname}`;
    const dlqArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))
    ).Attributes?.QueueArn;
    const jobs = await sqs.send(
      new CreateQueueCommand({
        QueueName: `${prefix}-jobs`,
        Attributes: {
          VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? defs.jobs.visibilityTimeoutSeconds),
          MessageRetentionPeriod: String(defs.jobs.retentionSeconds),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqArn,
            maxReceiveCount: String(defs.jobs.maxReceiveCount),
          }),
        },
      }),
    );
    // fauxqs names queues sqs.<region>.localhost, which does not resolve everywhere; it routes by
    // path, so the loopback endpoint with the same path reaches the same queue.
    const loopback = (url: string) => `${sqsEndpoint}${new URL(url).pathname}`;
    const queues = { jobs: loopback(jobs.QueueUrl ?? ''), dlq: loopback(dlqUrl) };

    const env: Record<string, string> = {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
      AWS_ENDPOINT_URL_SQS: sqsEndpoint,
      [defs.jobs.envVar]: queues.jobs,
      [defs.dlq.envVar]: queues.dlq,
    };
    for (const table of TABLES) env[table.envVar] = tables[table.id];

    return {
      region: REGION,
      dynamodbEndpoint,
      sqsEndpoint,
      tables,
      queues,
      env,
      counters: () => structuredClone(counts),
      async stop() {
        ddb.destroy();
        sqs.destroy();
        await sqsServer.close();
        await new Promise<void>((resolve) => dynamo.close(() => resolve()));
      },
    };
  } catch (error) {
    ddb.destroy();
    sqs.destroy();
    await sqsServer.close();
    dynamo.close();
    throw error;
  }
}

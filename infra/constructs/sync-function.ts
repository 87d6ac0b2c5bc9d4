import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV, type FunctionId, type functionDefinitions } from '#infra/definitions.ts';
import type { BoundTable } from '#infra/stateful-stack.ts';
import { ValidationError } from '#shared/errors.ts';

/** Lets Node's `require` work inside the ESM bundle for CommonJS dependencies that call it. */
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);";

const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

export interface SyncFunctionProps {
  functionId: FunctionId;
  definition: ReturnType<typeof functionDefinitions>[FunctionId];
  /** Absolute path of the repository root (holds package.json and package-lock.json). */
  projectRoot: string;
  logRetention: RetentionDays;
  environment: Record<string, string>;
  /** Constants compiled into the bundle (esbuild `define`), for values too large for the environment. */
  define?: Record<string, string>;
}

/**
 * A Lambda with the house defaults: Node 24 on arm64, ESM bundle built by the locally installed
 * esbuild (never Docker), minified with source maps, the AWS SDK left to the runtime, its own
 * log group with the configured retention, and its own role that starts with nothing but writing
 * to that log group. Access is added with the `bind*` helpers, which set the env var and grant the
 * least privilege together so the two can never drift.
 */
export class SyncFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: SyncFunctionProps) {
    super(scope, id);
    const { definition } = props;
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    // An own role instead of the AWSLambdaBasicExecutionRole managed policy, which may write to any log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${props.functionId} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(props.projectRoot, definition.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      description: definition.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: definition.memoryMb,
      timeout: Duration.seconds(definition.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        [ENV.logLevel]: 'INFO',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node24',
        platform: 'node',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        define: props.define,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The nodejs24.x runtime ships AWS SDK v3; bundling it would only grow cold starts.
        externalModules: ['@aws-sdk/*', '@smithy/*'],
      },
    });
  }

  /** Sets a plain environment variable (no access attached). */
  setEnv(name: string, value: string): this {
    this.fn.addEnvironment(name, value);
    return this;
  }

  /**
   * Tells the function a table's name through the definition's env var and grants read or
   * read/write. Indexes are granted by name rather than CDK's `index/*`, so the policy holds no wildcard.
   */
  bindTable(bound: BoundTable, access: 'read' | 'readWrite'): this {
    const { table, definition } = bound;
    this.fn.addEnvironment(definition.envVar, table.tableName);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: access === 'read' ? TABLE_READ_ACTIONS : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
        resources: [table.tableArn],
      }),
    );
    if (definition.globalSecondaryIndexes.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query', 'dynamodb:Scan'],
          resources: definition.globalSecondaryIndexes.map(
            (index) => `${table.tableArn}/index/${index.indexName}`,
          ),
        }),
      );
    }
    return this;
  }

  /** Tells the function a queue's URL and lets it send to it (nothing else). */
  bindQueueSender(envVar: string, queue: IQueue): this {
    this.fn.addEnvironment(envVar, queue.queueUrl);
    queue.grantSendMessages(this.role);
    return this;
  }

  /**
   * Makes the function the consumer of a queue with partial batch responses: only the records the
   * handler lists in `batchItemFailures` return to the queue.
   */
  consumeQueue(
    envVar: string,
    queue: IQueue,
    options: { batchSize: number; maxBatchingWindowSeconds: number; maxConcurrency: number },
  ): this {
    if (options.batchSize > 10 && options.maxBatchingWindowSeconds < 1) {
      throw new ValidationError(
        'worker.batchSize above 10 needs worker.maxBatchingWindowSeconds of at least 1',
        {
          code: 'CONFIG_INVALID',
          hint: 'raise worker.maxBatchingWindowSeconds or lower worker.batchSize to 10 in the sync config',
        },
      );
    }
    this.fn.addEnvironment(envVar, queue.queueUrl);
    this.fn.addEventSource(
      new SqsEventSource(queue, {
        batchSize: options.batchSize,
        maxConcurrency: options.maxConcurrency,
        reportBatchItemFailures: true,
        ...(options.maxBatchingWindowSeconds > 0
          ? { maxBatchingWindow: Duration.seconds(options.maxBatchingWindowSeconds) }
          : {}),
      }),
    );
    return this;
  }

  /**
   * Tells the function a topic's ARN and lets it publish there (nothing else): `sns:Publish` on the
   * topic and, for an encrypted one, the two key actions a publish needs, without CDK's
   * `kms:GenerateDataKey*` wildcard.
   */
  bindTopicPublisher(envVar: string, topic: ITopic, key?: IKey): this {
    this.fn.addEnvironment(envVar, topic.topicArn);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }),
    );
    if (key !== undefined) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
      );
    }
    return this;
  }

  /** Tells the function a secret's ARN and lets it read that one secret. */
  bindSecret(envVar: string, secret: ISecret): this {
    this.fn.addEnvironment(envVar, secret.secretArn);
    secret.grantRead(this.role);
    return this;
  }
}

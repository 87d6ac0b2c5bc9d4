import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, functionDefinitions, ROUTES, TABLES } from '#infra/definitions.ts';
import { parseSyncConfig } from '#shared/config/sync-config.ts';
import { FIXTURE, logicalId, type SynthesizedApp, synthesize } from './synth-fixture.ts';

let synth: SynthesizedApp;
beforeAll(() => {
  synth = synthesize({ bundle: true });
});

const functions = () =>
  ({
    webhook: synth.stateless.webhook,
    worker: synth.stateless.worker,
    scheduler: synth.stateless.scheduler,
  }) as const;
const lambda = (id: keyof ReturnType<typeof functions>) =>
  synth.statelessTemplate.toJSON().Resources[logicalId(functions()[id].fn)];
/** The staged bundle of a function: CDK names the directory after the asset hash in the S3 key. */
const bundleDir = (id: keyof ReturnType<typeof functions>) =>
  join(synth.outdir, `asset.${(lambda(id).Properties.Code.S3Key as string).replace(/\.zip$/, '')}`);

describe('stateless stack: functions', () => {
  it.each(['webhook', 'worker', 'scheduler'] as const)(
    'runs %s on nodejs24.x, arm64, sized from the definitions',
    (id) => {
      const definition = functionDefinitions(synth.config)[id];
      expect(lambda(id).Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: definition.timeoutSeconds,
        MemorySize: definition.memoryMb,
        LoggingConfig: { LogGroup: { Ref: logicalId(functions()[id].logGroup) } },
      });
    },
  );

  it('gives every function its own log group with the configured retention', () => {
    for (const fn of Object.values(functions())) {
      expect(
        synth.statelessTemplate.toJSON().Resources[logicalId(fn.logGroup)].Properties.RetentionInDays,
      ).toBe(FIXTURE.retention.logDays);
    }
  });

  it('bundles each handler as minified ESM with a source map', () => {
    for (const id of ['webhook', 'worker', 'scheduler'] as const) {
      const dir = bundleDir(id);
      expect(readdirSync(dir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code.startsWith("import { createRequire } from 'node:module'")).toBe(true);
      expect(code).toMatch(/export\s*\{[^}]*\bhandler\b/);
    }
  });

  it('leaves the AWS SDK to the Lambda runtime instead of bundling it', () => {
    for (const id of ['webhook', 'worker', 'scheduler'] as const) {
      const dir = bundleDir(id);
      expect(existsSync(join(dir, 'node_modules'))).toBe(false);
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      // Every mention of the SDK is an import specifier; none of its request-signing code is inlined.
      const mentions = code.match(/.{0,6}"@aws-sdk\/[a-z0-9-]+"/g) ?? [];
      for (const mention of mentions) expect(mention).toMatch(/(from|import\()\s*"@aws-sdk\//);
      expect(code).not.toContain('x-amz-user-agent');
    }
  });

  it('compiles the validated sync config into every bundle and passes the Salesforce org to accept', () => {
    for (const id of ['webhook', 'worker', 'scheduler'] as const) {
      const variables = lambda(id).Properties.Environment.Variables;
      expect(variables[ENV.salesforceOrgId]).toBe(synth.config.salesforce.orgId);
      // Not in the environment (4 KB limit) but a string constant in the code: find it and read it back.
      expect(variables[ENV.syncConfig]).toBeUndefined();
      const code = readFileSync(join(bundleDir(id), 'index.mjs'), 'utf8');
      // esbuild may re-quote the literal; find either form and evaluate just that literal.
      const start = code.search(/['"`]\{\\?"version\\?":1,/);
      expect(start).toBeGreaterThan(-1);
      const quote = code[start] as string;
      let end = start + 1;
      while (code[end] !== quote || code[end - 1] === '\\') end++;
      const embedded = JSON.parse(runInNewContext(code.slice(start, end + 1)) as string);
      expect(parseSyncConfig(embedded, ENV.syncConfig)).toEqual(synth.config);
      expect(embedded.worker).toEqual(FIXTURE.worker);
    }
  });

  it('tells each function exactly the tables, queues and secrets it may use', () => {
    const envOf = (id: keyof ReturnType<typeof functions>) =>
      Object.keys(lambda(id).Properties.Environment.Variables);
    const tableVars = TABLES.map((t) => t.envVar);
    expect(envOf('webhook')).toEqual(expect.arrayContaining(['JOBS_QUEUE_URL', ENV.webhookSecretArn]));
    expect(envOf('webhook')).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/_TABLE$|SALESFORCE_SECRET|INTACCT_SECRET/)]),
    );
    expect(envOf('worker')).toEqual(
      expect.arrayContaining([
        ...tableVars,
        'JOBS_QUEUE_URL',
        'DLQ_URL',
        ENV.salesforceSecretArn,
        ENV.intacctSecretArn,
      ]),
    );
    expect(envOf('scheduler')).toEqual(
      expect.arrayContaining([
        'STATE_TABLE',
        'JOBS_QUEUE_URL',
        ENV.salesforceSecretArn,
        ENV.intacctSecretArn,
      ]),
    );
  });
});

describe('stateless stack: worker subscription', () => {
  it('reports batch item failures with batch size, window and concurrency from the config', () => {
    synth.statelessTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(synth.stateless.worker.fn) },
      EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp(logicalId(synth.stateful.jobsQueue)) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: FIXTURE.worker.batchSize,
      MaximumBatchingWindowInSeconds: FIXTURE.worker.maxBatchingWindowSeconds,
      ScalingConfig: { MaximumConcurrency: FIXTURE.worker.maxConcurrency },
    });
  });
});

describe('stateless stack: HTTP API', () => {
  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))(
    'routes %s to the webhook',
    (routeKey) => {
      const routes = synth.statelessTemplate.findResources('AWS::ApiGatewayV2::Route', {
        Properties: { RouteKey: routeKey },
      });
      const [route] = Object.values(routes);
      expect(route).toBeDefined();
      const target = route?.Properties.Target['Fn::Join'][1][1].Ref as string;
      synth.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: { 'Fn::GetAtt': [logicalId(synth.stateless.webhook.fn), 'Arn'] },
      });
      expect(synth.statelessTemplate.toJSON().Resources[target].Properties.IntegrationUri).toEqual({
        'Fn::GetAtt': [logicalId(synth.stateless.webhook.fn), 'Arn'],
      });
    },
  );

  it('throttles the stage and writes access logs that never contain the token-bearing path', () => {
    const stages = synth.statelessTemplate.findResources('AWS::ApiGatewayV2::Stage');
    const [stage] = Object.values(stages);
    expect(stage?.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: expect.any(Number),
        ThrottlingBurstLimit: expect.any(Number),
      },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
    });
    const format = JSON.parse(stage?.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey' });
    expect(Object.values(format)).not.toContain('$context.path');
  });

  it('outputs the outbound-message URL with its {token} segment and the Intacct events URL', () => {
    const outputs = synth.statelessTemplate.findOutputs('*');
    const rendered = (name: string) => JSON.stringify(outputs[name]?.Value);
    expect(rendered('SalesforceOutboundMessageUrl')).toContain('/salesforce/outbound-message/{token}');
    expect(rendered('IntacctEventsUrl')).toContain('/intacct/events');
    expect(outputs.ApiUrl).toBeDefined();
  });
});

describe('stateless stack: schedules', () => {
  it.each(FIXTURE.schedules.map((s) => [s.name, s] as const))(
    'invokes the scheduler for %s with a scheduled event naming the schedule',
    (name, schedule) => {
      const expression =
        'cron' in schedule ? `cron(${schedule.cron})` : `rate(${schedule.rate.replace(/s$/, '')}`;
      const rules = synth.statelessTemplate.findResources('AWS::Events::Rule', {
        Properties: { ScheduleExpression: Match.stringLikeRegexp(`^${escapeRegExp(expression)}s?\\)?$`) },
      });
      const targets = Object.values(rules).flatMap((r) => r.Properties.Targets);
      const target = targets.find((t) => t.InputTransformer.InputTemplate.includes(`"schedule":"${name}"`));
      expect(target?.Arn).toEqual({ 'Fn::GetAtt': [logicalId(synth.stateless.scheduler.fn), 'Arn'] });
      expect(target.InputTransformer.InputPathsMap).toEqual({
        id: '$.id',
        account: '$.account',
        time: '$.time',
        region: '$.region',
        resources: '$.resources',
      });
      // Fill the placeholders the way EventBridge does (strings quoted, arrays as JSON) and parse.
      const event = JSON.parse(
        (target.InputTransformer.InputTemplate as string)
          .replace('<id>', '"e-1"')
          .replace('<account>', '"123456789012"')
          .replace('<time>', '"2026-01-01T00:00:00Z"')
          .replace('<region>', '"eu-west-1"')
          .replace('<resources>', '["arn:aws:events:eu-west-1:123456789012:rule/x"]'),
      );
      expect(event).toEqual({
        version: '0',
        id: 'e-1',
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: '123456789012',
        time: '2026-01-01T00:00:00Z',
        region: 'eu-west-1',
        resources: ['arn:aws:events:eu-west-1:123456789012:rule/x'],
        detail: { schedule: name },
      });
    },
  );

  it('renders a one-hour rate in the singular form EventBridge requires', () => {
    synth.statelessTemplate.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
    });
  });
});

describe('stateless stack: alarms and dashboard', () => {
  const alarm = (metricName: string) => {
    const alarms = synth.statelessTemplate.findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: metricName },
    });
    const [found] = Object.values(alarms);
    return found?.Properties;
  };

  it('alarms when the DLQ holds at least alarms.dlqDepth jobs', () => {
    expect(alarm('ApproximateNumberOfMessagesVisible')).toMatchObject({
      Namespace: 'AWS/SQS',
      Threshold: FIXTURE.alarms.dlqDepth,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::ImportValue': expect.stringContaining(logicalId(synth.stateful.deadLetterQueue)) },
        },
      ],
    });
  });

  it('alarms on worker errors at alarms.workerErrors', () => {
    expect(alarm('Errors')).toMatchObject({
      Namespace: 'AWS/Lambda',
      Threshold: FIXTURE.alarms.workerErrors,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(synth.stateless.worker.fn) } }],
    });
  });

  it('alarms when the oldest job is older than alarms.oldestMessageAgeSeconds', () => {
    expect(alarm('ApproximateAgeOfOldestMessage')).toMatchObject({
      Namespace: 'AWS/SQS',
      Threshold: FIXTURE.alarms.oldestMessageAgeSeconds,
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::ImportValue': expect.stringContaining(logicalId(synth.stateful.jobsQueue)) },
        },
      ],
    });
  });

  it('alarms when the worker reports the Intacct transaction budget used up (EMF metric)', () => {
    expect(alarm('IntacctBudgetUsedPercent')).toMatchObject({
      Namespace: 'SalesforceIntacctSync',
      Threshold: 100,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Dimensions: [{ Name: 'Service', Value: 'worker' }],
    });
  });

  it('notifies the alarm topic when an alarm fires and when it clears', () => {
    const topic = { Ref: logicalId(synth.stateless.alarms.topic) };
    for (const name of [
      'ApproximateNumberOfMessagesVisible',
      'Errors',
      'ApproximateAgeOfOldestMessage',
      'IntacctBudgetUsedPercent',
    ]) {
      expect(alarm(name)).toMatchObject({ AlarmActions: [topic], OKActions: [topic] });
    }
  });

  it('draws queue depths, the DLQ, worker errors/duration/throttles and webhook 4xx/5xx on the dashboard', () => {
    const [dashboard] = Object.values(synth.statelessTemplate.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const metric of [
      'ApproximateNumberOfMessagesVisible',
      'ApproximateNumberOfMessagesNotVisible',
      'ApproximateAgeOfOldestMessage',
      'Errors',
      'Duration',
      'Throttles',
      '4xx',
      '5xx',
    ]) {
      expect(body).toContain(metric);
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

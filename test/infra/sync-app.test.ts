import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { addSyncStacks } from '#infra/sync-app.ts';
import { writeFixtureConfig } from './synth-fixture.ts';

const build = (configFile: string, prefix?: string) =>
  addSyncStacks(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), {
    configFile,
    ...(prefix === undefined ? {} : { prefix }),
  });

describe('CDK app: config validation at synth', () => {
  it('fails with the file, the path and the fix when the sync config is invalid', () => {
    const file = writeFixtureConfig((config) => {
      (config.salesforce as Record<string, unknown>).orgId = 'not-an-org';
    });
    expect(() => build(file)).toThrow(
      /sync\.config\.json: salesforce\.orgId: use the 18-character Organization ID/,
    );
  });

  it('fails with the file name when the sync config is missing', () => {
    expect(() => build('/nonexistent/sync.config.json')).toThrow(
      /cannot read sync config \/nonexistent\/sync\.config\.json/,
    );
  });

  it('rejects a log retention CloudWatch does not offer, listing the ones it does', () => {
    const file = writeFixtureConfig((config) => {
      (config.retention as Record<string, unknown>).logDays = 31;
    });
    expect(() => build(file)).toThrow(/retention\.logDays 31 is not a CloudWatch Logs retention period/);
  });

  it('rejects a worker batch above 10 without a batching window, which SQS would refuse', () => {
    const file = writeFixtureConfig((config) => {
      Object.assign(config.worker as Record<string, unknown>, { batchSize: 50, maxBatchingWindowSeconds: 0 });
    });
    expect(() => build(file)).toThrow(/worker\.batchSize above 10 needs worker\.maxBatchingWindowSeconds/);
  });

  it('accepts a config larger than the Lambda environment holds, compiling it into the bundles', () => {
    const file = writeFixtureConfig((config) => {
      config.schedules = [
        ...(config.schedules as unknown[]),
        ...Array.from({ length: 40 }, (_, i) => ({
          name: `poll-${i}`,
          rate: '1 hour',
          description: 'a schedule with a description long enough to make the config big',
        })),
      ];
    });
    const { stateless } = build(file);
    for (const fn of Object.values(Template.fromStack(stateless).findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Environment.Variables).not.toHaveProperty('SYNC_CONFIG');
    }
  });

  it('rejects a name prefix that cannot be part of AWS resource names', () => {
    expect(() => build(writeFixtureConfig(), 'Bad_Prefix')).toThrow(/prefix "Bad_Prefix" is not usable/);
  });

  it('names both stacks and every physical resource after the prefix', () => {
    const { stateful, stateless } = build(writeFixtureConfig(), 'acme-sync');
    expect([stateful.stackName, stateless.stackName]).toEqual(['acme-sync-stateful', 'acme-sync-stateless']);
    const template = Template.fromStack(stateful);
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'acme-sync-state' });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'acme-sync-jobs' });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'acme-sync/salesforce' });
    Template.fromStack(stateless);
    // References are resolved at synth: the stateless stack deploys after the stateful one.
    expect(stateless.dependencies.map((s) => s.stackName)).toEqual(['acme-sync-stateful']);
  });
});

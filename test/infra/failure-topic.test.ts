/**
 * The failure topic of DESIGN §9 in the stack: beside the alarm topic, encrypted with a rotated
 * key of its own, TLS only, published to by the scheduler alone (which the digest schedule
 * invokes every `notifications.digestMinutes`).
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#infra/definitions.ts';
import { DIGEST_SCHEDULE } from '#shared/config/notifications-config.ts';
import { logicalId, type SynthesizedApp, synthesize } from './synth-fixture.ts';

/** Not the default (60), so the rule's rate proves it came from the config. */
const DIGEST_MINUTES = 30;

let synth: SynthesizedApp;
beforeAll(() => {
  synth = synthesize({
    bundle: false,
    change: (config) => {
      config.notifications = { digestMinutes: DIGEST_MINUTES };
    },
  });
});

interface Resource {
  Type: string;
  Properties: { Environment?: { Variables: Record<string, unknown> } } & Record<string, unknown>;
}
interface Statement {
  Effect: string;
  Action: unknown;
  Resource: unknown;
}
const resources = () => synth.statelessTemplate.toJSON().Resources as Record<string, Resource>;
const topicId = () => logicalId(synth.stateless.failures.topic);
const keyId = () => logicalId(synth.stateless.failures.key);

/** Every Allow statement of the inline policies attached to a function's role. */
function allowed(fn: typeof synth.stateless.scheduler) {
  return Object.values(synth.statelessTemplate.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: logicalId(fn.role) }]))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
    .filter((s) => s.Effect === 'Allow');
}

describe('failure topic', () => {
  it('is a topic of its own beside the alarm topic, encrypted with a rotated customer key', () => {
    expect(topicId()).not.toBe(logicalId(synth.stateless.alarms.topic));
    expect(resources()[topicId()]).toMatchObject({
      Type: 'AWS::SNS::Topic',
      Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [keyId(), 'Arn'] } },
    });
    expect(resources()[keyId()]).toMatchObject({
      Type: 'AWS::KMS::Key',
      Properties: { EnableKeyRotation: true },
    });
  });

  it('refuses publishes that do not use TLS', () => {
    synth.statelessTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('lets the scheduler publish to it and use its key for that, and tells it the ARN', () => {
    const statements = allowed(synth.stateless.scheduler);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: 'sns:Publish', Resource: { Ref: topicId() } }),
        expect.objectContaining({
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: { 'Fn::GetAtt': [keyId(), 'Arn'] },
        }),
      ]),
    );
    const scheduler = resources()[logicalId(synth.stateless.scheduler.fn)];
    expect(scheduler?.Properties.Environment?.Variables[ENV.failureTopicArn]).toEqual({ Ref: topicId() });
  });

  it('lets no other function publish to it or use its key', () => {
    for (const fn of [synth.stateless.webhook, synth.stateless.worker]) {
      const touching = allowed(fn).filter((s) => {
        const resource = JSON.stringify(s.Resource);
        return resource.includes(topicId()) || resource.includes(keyId());
      });
      expect(touching).toEqual([]);
    }
  });

  it('runs the digest on the scheduler every digestMinutes', () => {
    const rules = synth.statelessTemplate.findResources('AWS::Events::Rule', {
      Properties: { ScheduleExpression: `rate(${DIGEST_MINUTES} minutes)` },
    });
    const targets = Object.values(rules).flatMap((r) => r.Properties.Targets);
    const target = targets.find((t) =>
      t.InputTransformer.InputTemplate.includes(`"schedule":"${DIGEST_SCHEDULE}"`),
    );
    expect(target?.Arn).toEqual({ 'Fn::GetAtt': [logicalId(synth.stateless.scheduler.fn), 'Arn'] });
  });

  it('outputs the topic ARN for subscriptions', () => {
    expect(synth.statelessTemplate.findOutputs('FailureTopicArn').FailureTopicArn?.Value).toEqual({
      Ref: topicId(),
    });
  });
});

import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SynthesizedApp, synthesize } from './synth-fixture.ts';

let synth: SynthesizedApp;
beforeAll(() => {
  synth = synthesize({ bundle: false });
});

/** All acknowledgements recorded anywhere in the app, as `{ path, id, reason }`. */
function acknowledgements(): Array<{ path: string; id: string; reason: string }> {
  return synth.app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

// cdk-nag 3 reports through CDK policy validation, not annotations: a finding fails `app.synth()`
// and never shows up in `Annotations.fromStack`. So the test runs the pack over the tree directly.
describe('cdk-nag AwsSolutions', () => {
  it('finds no unacknowledged error or warning anywhere in the app', () => {
    const report = new AwsSolutionsChecks().validateScope(synth.app);
    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('would catch a finding: an unencrypted, unprotected queue added to the app fails the check', async () => {
    const { Queue, QueueEncryption } = await import('aws-cdk-lib/aws-sqs');
    const probe = synthesize({ bundle: false });
    new Queue(probe.stateful, 'ProbeQueue', { encryption: QueueEncryption.UNENCRYPTED });
    const report = new AwsSolutionsChecks().validateScope(probe.app);
    expect(report.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']),
    );
  });

  it('gives every acknowledgement a specific written reason', () => {
    const acks = acknowledgements().filter((a) => a.id.startsWith('AwsSolutions-'));
    expect(acks.map((a) => a.id).sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-SMG4',
      'AwsSolutions-SMG4',
      'AwsSolutions-SMG4',
    ]);
    for (const ack of acks) expect(ack.reason.length).toBeGreaterThan(80);
  });
});

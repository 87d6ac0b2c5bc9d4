import { RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface CredentialSecretProps {
  secretName: string;
  description: string;
  /**
   * Either a fixed placeholder object (not secret: the operator overwrites it), or a generated
   * value: `generate.key` receives a random URL-safe string and `generate.template` the other fields.
   * CloudFormation writes the value only when it creates the secret, so later deploys keep what the
   * operator stored as long as this value does not change.
   */
  initialValue: { placeholder: object } | { generate: { key: string; template: object; length: number } };
}

/**
 * A Secrets Manager secret holding one JSON document of third-party credentials, encrypted with the
 * AWS-managed key and retained when the stack is deleted.
 */
export class CredentialSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: CredentialSecretProps) {
    super(scope, id);
    const common = {
      secretName: props.secretName,
      description: props.description,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    const initial = props.initialValue;
    this.secret =
      'placeholder' in initial
        ? new Secret(this, 'Secret', {
            ...common,
            secretStringValue: SecretValue.unsafePlainText(JSON.stringify(initial.placeholder)),
          })
        : new Secret(this, 'Secret', {
            ...common,
            generateSecretString: {
              secretStringTemplate: JSON.stringify(initial.generate.template),
              generateStringKey: initial.generate.key,
              passwordLength: initial.generate.length,
              // The path token travels in a URL: letters and digits only.
              excludePunctuation: true,
              includeSpace: false,
            },
          });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'These are credentials issued by Salesforce and Intacct (or a token shared with them); no rotation Lambda can change them on the other side, so the operator rotates them there and updates the secret (docs/deploying.md).',
    });
  }
}

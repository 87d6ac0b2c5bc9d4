/**
 * Finds the stack the ops commands act on and builds their SDK clients (DESIGN §7):
 * `--stack <prefix>` reads the outputs of `<prefix>-stateful` and `<prefix>-stateless` through
 * CloudFormation; `--outputs <file>` reads what `cdk deploy --outputs-file` wrote; with neither,
 * the running `sfi local` at `--url` says which endpoints and prefix it serves, and from there
 * everything goes through the same SDK calls as against a deployed stack. Credentials come from
 * the standard AWS chain, endpoints from the SDK's standard settings (AWS_ENDPOINT_URL_<SERVICE>).
 */
import { readFileSync } from 'node:fs';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseSyncConfig, type SyncConfig } from '#shared/config/sync-config.ts';
import { SyncError, ValidationError } from '#shared/errors.ts';
import type { OpsContext } from './context.ts';
import { fromCdkOutputs, type StackOutputs } from './stack-outputs.ts';

export interface TargetFlags {
  stack?: string;
  outputs?: string;
  region?: string;
  url: string;
}

interface ClientSettings {
  region?: string;
  endpoints: Partial<Record<'sqs' | 'dynamodb' | 'lambda' | 'cloudformation', string>>;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** What the SDK says when the standard chain found no credentials, turned into what to do. */
function explainAwsError(error: unknown, where: string): never {
  const e = error as { name?: string; message?: string };
  if (e.name === 'CredentialsProviderError' || /Could not load credentials/i.test(e.message ?? '')) {
    throw new SyncError(`no AWS credentials for ${where}`, {
      code: 'AWS_CREDENTIALS_MISSING',
      retryable: false,
      hint: 'set AWS_PROFILE (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), or run "aws sso login", then try again',
    });
  }
  if (/Region is missing/i.test(e.message ?? '')) {
    throw new SyncError(`no AWS region for ${where}`, {
      code: 'AWS_REGION_MISSING',
      retryable: false,
      hint: 'pass --region (the region you deployed to) or set AWS_REGION',
    });
  }
  if (
    e.name === 'AccessDeniedException' ||
    e.name === 'AccessDenied' ||
    e.name === 'UnrecognizedClientException'
  ) {
    throw new SyncError(`AWS refused ${where}: ${e.message}`, {
      code: 'AWS_ACCESS_DENIED',
      retryable: false,
      hint: 'use credentials of the account the stack is deployed in, with read access to its queues, tables and functions (docs/deploying.md, Operating)',
    });
  }
  throw error;
}

async function describeOutputs(settings: ClientSettings, prefix: string): Promise<StackOutputs> {
  const cfn = new CloudFormationClient({
    ...(settings.region === undefined ? {} : { region: settings.region }),
    ...(settings.endpoints.cloudformation === undefined
      ? {}
      : { endpoint: settings.endpoints.cloudformation }),
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
  });
  const doc: Record<string, Record<string, string>> = {};
  try {
    for (const name of [`${prefix}-stateful`, `${prefix}-stateless`]) {
      try {
        const out = await cfn.send(new DescribeStacksCommand({ StackName: name }));
        doc[name] = Object.fromEntries(
          (out.Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
        );
      } catch (error) {
        if (/does not exist/i.test((error as Error).message)) {
          const region = settings.region ?? (await cfn.config.region());
          throw new ValidationError(`no stack "${name}" in ${region}`, {
            code: 'STACK_NOT_FOUND',
            hint: `--stack is the name prefix given to cdk deploy (the stacks are "<prefix>-stateful" and "<prefix>-stateless"); check it and --region`,
          });
        }
        explainAwsError(error, `stack ${name}`);
      }
    }
  } finally {
    cfn.destroy();
  }
  return fromCdkOutputs(doc, `stack ${prefix}`, prefix);
}

/** Asks a running `sfi local` for the endpoints and prefix it serves. */
async function localSettings(url: string): Promise<{ settings: ClientSettings; prefix: string }> {
  const base = url.replace(/\/$/, '');
  let response: Response;
  try {
    response = await fetch(`${base}/local/stack`);
  } catch (error) {
    throw new SyncError(`cannot reach sfi local at ${base} (${(error as Error).message})`, {
      code: 'LOCAL_NOT_RUNNING',
      retryable: false,
      hint: 'start the local pipeline with "npm start" (or pass --url), or act on a deployed stack with --stack <prefix> or --outputs <cdk-outputs.json>',
    });
  }
  if (!response.ok) {
    throw new SyncError(
      `${base} is not an sfi local of this version (GET /local/stack answered ${response.status})`,
      {
        code: 'LOCAL_NOT_RUNNING',
        retryable: false,
        hint: 'restart "npm start" from this checkout, or pass the right --url',
      },
    );
  }
  const doc = (await response.json()) as {
    prefix: string;
    region: string;
    endpoints: ClientSettings['endpoints'];
  };
  return {
    prefix: doc.prefix,
    // The embedded emulators take any credentials; these keep the chain from looking for real ones.
    settings: {
      region: doc.region,
      endpoints: doc.endpoints,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    },
  };
}

function clientOptions(settings: ClientSettings, service: keyof ClientSettings['endpoints']) {
  const endpoint = settings.endpoints[service];
  return {
    ...(settings.region === undefined ? {} : { region: settings.region }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
  };
}

/** The describe operation of the scheduler: the config compiled into the deployed functions. */
async function deployedConfig(invoke: OpsContext['invokeScheduler'], where: string): Promise<SyncConfig> {
  const described = (await invoke({ op: 'describe' })) as { config?: unknown } | null;
  if (described?.config === undefined) {
    throw new SyncError(`the scheduler of ${where} does not describe its config`, {
      code: 'STACK_OUTDATED',
      retryable: false,
      hint: 'deploy this version ("cdk deploy --all"); sfi needs the scheduler\'s describe operation',
    });
  }
  return parseSyncConfig(described.config, `the config of ${where}`);
}

export async function openTarget(flags: TargetFlags): Promise<OpsContext & { close(): void }> {
  if (flags.stack !== undefined && flags.outputs !== undefined) {
    throw new ValidationError('give --stack or --outputs, not both', {
      code: 'USAGE',
      hint: '--stack reads the outputs through CloudFormation; --outputs reads them from a file',
    });
  }
  let settings: ClientSettings = {
    ...(flags.region === undefined ? {} : { region: flags.region }),
    endpoints: {},
  };
  let outputs: StackOutputs;
  let where: string;
  if (flags.outputs !== undefined) {
    let text: string;
    try {
      text = readFileSync(flags.outputs, 'utf8');
    } catch (error) {
      throw new ValidationError(`cannot read ${flags.outputs}: ${(error as Error).message}`, {
        code: 'OUTPUTS_UNREADABLE',
        hint: 'pass the file "cdk deploy --all --outputs-file <file>" wrote',
      });
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      throw new ValidationError(`${flags.outputs} is not JSON: ${(error as Error).message}`, {
        code: 'OUTPUTS_INVALID',
        hint: 'pass the file "cdk deploy --all --outputs-file <file>" wrote',
      });
    }
    outputs = fromCdkOutputs(doc, flags.outputs);
    where = `the stack in ${flags.outputs}`;
  } else if (flags.stack !== undefined) {
    outputs = await describeOutputs(settings, flags.stack);
    where = `stack ${flags.stack}`;
  } else {
    const local = await localSettings(flags.url);
    settings = local.settings;
    outputs = await describeOutputs(settings, local.prefix);
    where = `the local stack at ${flags.url}`;
  }
  const sqs = new SQSClient(clientOptions(settings, 'sqs'));
  const dynamo = new DynamoDBClient(clientOptions(settings, 'dynamodb'));
  const lambda = new LambdaClient(clientOptions(settings, 'lambda'));
  const invokeScheduler = async (detail: Record<string, unknown>): Promise<unknown> => {
    let out: InvokeCommandOutput;
    try {
      out = await lambda.send(
        new InvokeCommand({
          FunctionName: outputs.schedulerFunction,
          InvocationType: 'RequestResponse',
          Payload: new TextEncoder().encode(JSON.stringify({ 'detail-type': 'sfi', source: 'sfi', detail })),
        }),
      );
    } catch (error) {
      explainAwsError(error, `the scheduler function of ${where}`);
    }
    const text = out.Payload === undefined ? '' : new TextDecoder().decode(out.Payload);
    const payload = text === '' ? null : (JSON.parse(text) as unknown);
    if (out.FunctionError !== undefined) {
      const e = (payload ?? {}) as {
        errorType?: string;
        errorMessage?: string;
        code?: string;
        hint?: string;
      };
      throw new SyncError(
        `the scheduler of ${where} failed: ${e.errorMessage ?? e.errorType ?? 'unknown error'}`,
        {
          code: e.code ?? 'SCHEDULER_FAILED',
          retryable: false,
          hint: e.hint ?? "see the scheduler function's CloudWatch logs",
        },
      );
    }
    return payload;
  };
  const close = () => {
    sqs.destroy();
    dynamo.destroy();
    lambda.destroy();
  };
  try {
    const config = await deployedConfig(invokeScheduler, where);
    return {
      where,
      outputs,
      config,
      sqs,
      db: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
      invokeScheduler,
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}

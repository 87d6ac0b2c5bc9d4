/**
 * What `sfi` needs to know about a stack, from its CloudFormation outputs: the queues, the tables
 * and the scheduler function. The same shape comes from `cdk deploy --outputs-file` (a JSON
 * object per stack), from DescribeStacks, and from a running `sfi local`.
 */
import { ValidationError } from '#shared/errors.ts';

export interface StackOutputs {
  jobsQueueUrl: string;
  deadLetterQueueUrl: string;
  stateTable: string;
  crosswalkTable: string;
  ledgerTable: string;
  schedulerFunction: string;
  failureTopicArn?: string;
}

/** The output keys the stacks declare (infra/stateful-stack.ts, infra/stateless-stack.ts). */
export const OUTPUT_KEYS = {
  jobsQueueUrl: 'JobsQueueUrl',
  deadLetterQueueUrl: 'DeadLetterQueueUrl',
  stateTable: 'StateTableName',
  crosswalkTable: 'CrosswalkTableName',
  ledgerTable: 'LedgerTableName',
  schedulerFunction: 'SchedulerFunctionName',
  failureTopicArn: 'FailureTopicArn',
} as const satisfies Record<keyof StackOutputs, string>;

const OPTIONAL: ReadonlySet<keyof StackOutputs> = new Set(['failureTopicArn']);

/**
 * Picks the outputs of the stacks `<prefix>-stateful` and `<prefix>-stateless` (or, without a
 * prefix, of every stack in the document) from a cdk-outputs document: `{stack: {key: value}}`.
 * Throws naming the missing outputs and where they come from.
 */
export function fromCdkOutputs(doc: unknown, source: string, prefix?: string): StackOutputs {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new ValidationError(`${source} is not a cdk outputs document (an object of stacks)`, {
      code: 'OUTPUTS_INVALID',
      hint: 'write it with "cdk deploy --all --outputs-file cdk-outputs.json"',
    });
  }
  const stacks = Object.entries(doc as Record<string, unknown>).filter(
    ([name]) => prefix === undefined || name === `${prefix}-stateful` || name === `${prefix}-stateless`,
  );
  const flat: Record<string, string> = {};
  for (const [, outputs] of stacks) {
    if (typeof outputs !== 'object' || outputs === null) continue;
    for (const [key, value] of Object.entries(outputs)) if (typeof value === 'string') flat[key] = value;
  }
  const picked: Partial<StackOutputs> = {};
  const missing: string[] = [];
  for (const [field, key] of Object.entries(OUTPUT_KEYS) as Array<[keyof StackOutputs, string]>) {
    const value = flat[key];
    if (value !== undefined && value !== '') picked[field] = value;
    else if (!OPTIONAL.has(field)) missing.push(key);
  }
  if (missing.length > 0) {
    const names = stacks.map(([name]) => name);
    throw new ValidationError(
      `${source} lacks the outputs ${missing.join(', ')}${names.length > 0 ? ` (stacks read: ${names.join(', ')})` : ' (no matching stack)'}`,
      {
        code: 'OUTPUTS_MISSING',
        hint:
          prefix === undefined
            ? 'deploy both stacks of this version ("cdk deploy --all --outputs-file cdk-outputs.json") and pass that file'
            : `deploy both stacks of this version; the stacks are "${prefix}-stateful" and "${prefix}-stateless" (check --stack and --region)`,
        meta: { missing },
      },
    );
  }
  return picked as StackOutputs;
}

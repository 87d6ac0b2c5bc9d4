import { beforeAll, describe, expect, it } from 'vitest';
import type { SyncFunction } from '#infra/constructs/sync-function.ts';
import { FIXTURE, logicalId, type SynthesizedApp, synthesize } from './synth-fixture.ts';

let synth: SynthesizedApp;
beforeAll(() => {
  synth = synthesize({ bundle: false });
});

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every statement of the inline policies attached to a function's role. */
function statementsOf(fn: SyncFunction): Statement[] {
  const roleRef = { Ref: logicalId(fn.role) };
  const policies = synth.statelessTemplate.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([roleRef]))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

/** The actions a function may perform on the stateful resource with the given logical ID. */
function actionsOn(fn: SyncFunction, resourceLogicalId: string): string[] {
  return statementsOf(fn)
    .filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Resource).includes(resourceLogicalId))
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
    .sort();
}

const ids = () => ({
  jobs: logicalId(synth.stateful.jobsQueue),
  dlq: logicalId(synth.stateful.deadLetterQueue),
  salesforce: logicalId(synth.stateful.salesforceSecret),
  intacct: logicalId(synth.stateful.intacctSecret),
  webhookSecret: logicalId(synth.stateful.webhookSecret),
  state: logicalId(synth.stateful.table('state').table),
  crosswalk: logicalId(synth.stateful.table('crosswalk').table),
  ledger: logicalId(synth.stateful.table('ledger').table),
});
const SECRET_READ = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];
const SEND = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];

describe('IAM least privilege per function', () => {
  it('lets the webhook send jobs and read the webhook secret, nothing else', () => {
    const webhook = synth.stateless.webhook;
    expect(actionsOn(webhook, ids().jobs)).toEqual(SEND);
    expect(actionsOn(webhook, ids().webhookSecret)).toEqual(SECRET_READ);
    for (const forbidden of [
      ids().dlq,
      ids().salesforce,
      ids().intacct,
      ids().state,
      ids().crosswalk,
      ids().ledger,
    ]) {
      expect(actionsOn(webhook, forbidden)).toEqual([]);
    }
    const actions = statementsOf(webhook).flatMap((s) => s.Action);
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
  });

  it('lets the worker consume jobs, re-send deferred ones, dead-letter them, use every table and read both API secrets', () => {
    const worker = synth.stateless.worker;
    // SendMessage: a deferred job (paused flow, bulk over budget) is re-sent delayed, not held visible.
    expect(actionsOn(worker, ids().jobs)).toEqual(
      expect.arrayContaining([
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:SendMessage',
      ]),
    );
    expect(actionsOn(worker, ids().dlq)).toEqual(SEND);
    for (const table of [ids().state, ids().crosswalk, ids().ledger]) {
      expect(actionsOn(worker, table)).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ]),
      );
    }
    expect(actionsOn(worker, ids().salesforce)).toEqual(SECRET_READ);
    expect(actionsOn(worker, ids().intacct)).toEqual(SECRET_READ);
    expect(actionsOn(worker, ids().webhookSecret)).toEqual([]);
  });

  it('grants the ledger index by name, not through an index wildcard', () => {
    const indexStatements = statementsOf(synth.stateless.worker).filter((s) =>
      JSON.stringify(s.Resource).includes('/index/'),
    );
    expect(indexStatements.map((s) => JSON.stringify(s.Resource))).toEqual([
      expect.stringContaining('/index/byKind'),
    ]);
    expect(indexStatements[0]?.Action).toEqual(['dynamodb:Query', 'dynamodb:Scan']);
  });

  it('lets the scheduler send jobs, use the state table, read (never write) the crosswalk and the ledger, and read both API secrets', () => {
    const scheduler = synth.stateless.scheduler;
    expect(actionsOn(scheduler, ids().jobs)).toEqual(SEND);
    expect(actionsOn(scheduler, ids().state)).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']),
    );
    expect(actionsOn(scheduler, ids().crosswalk)).toEqual(expect.arrayContaining(['dynamodb:Scan']));
    expect(actionsOn(scheduler, ids().crosswalk)).not.toContain('dynamodb:PutItem');
    // The failure digest reads open failures; only the worker records and resolves them.
    expect(actionsOn(scheduler, ids().ledger)).toEqual(expect.arrayContaining(['dynamodb:Query']));
    for (const write of [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ])
      expect(actionsOn(scheduler, ids().ledger)).not.toContain(write);
    expect(actionsOn(scheduler, ids().dlq)).toEqual([]);
    expect(actionsOn(scheduler, ids().salesforce)).toEqual(SECRET_READ);
    expect(actionsOn(scheduler, ids().intacct)).toEqual(SECRET_READ);
    expect(actionsOn(scheduler, ids().webhookSecret)).toEqual([]);
  });

  it('lets the scheduler write the ledger only when a report is switched on (its failures and stats)', () => {
    const withReport = synthesize({
      bundle: false,
      change: (config) => {
        const reports = config.reports as Array<Record<string, unknown>>;
        for (const r of reports) r.enabled = true;
        config.schedules = [...FIXTURE.schedules, { name: 'revenue-reconciliation', cron: '0 6 2 * ? *' }];
      },
    });
    const policies = withReport.statelessTemplate.findResources('AWS::IAM::Policy');
    const roleRef = JSON.stringify([{ Ref: logicalId(withReport.stateless.scheduler.role) }]);
    const ledger = logicalId(withReport.stateful.table('ledger').table);
    const actions = Object.values(policies)
      .filter((p) => JSON.stringify(p.Properties.Roles) === roleRef)
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
      .filter((st) => JSON.stringify(st.Resource).includes(ledger))
      .flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:PutItem']));
  });

  it('gives each function its own Lambda-only role with no managed policies and no wildcards', () => {
    for (const fn of [synth.stateless.webhook, synth.stateless.worker, synth.stateless.scheduler]) {
      const role = synth.statelessTemplate.toJSON().Resources[logicalId(fn.role)];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
      ]);
      for (const statement of statementsOf(fn)) {
        expect(statement.Resource).not.toBe('*');
        expect([statement.Action].flat().filter((a) => a.includes('*'))).toEqual([]);
      }
    }
  });

  it('lets each function write only to its own log group', () => {
    for (const fn of [synth.stateless.webhook, synth.stateless.worker, synth.stateless.scheduler]) {
      const logStatements = statementsOf(fn).filter((s) =>
        [s.Action].flat().some((a) => a.startsWith('logs:')),
      );
      expect(logStatements).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logicalId(fn.logGroup), 'Arn'] },
        },
      ]);
    }
  });
});

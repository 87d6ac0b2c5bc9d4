/**
 * Helpers for the revenue reconciliation tests: a local stack whose config has the account flow
 * and the report switched on, three customers synced to accounts, and the report's rows and run.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { localClientConfig } from '#local/aws/embedded-aws.ts';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { DynamoLedger, type FailureRecord } from '#shared/aws/ledger.ts';
import { DynamoStateStore } from '#shared/aws/state-store.ts';
import type { ReportRun } from '#shared/sync/kinds/report/index.ts';
import type { ReportConfig } from '#shared/sync/report-schema.ts';
import { testConfig } from './config.ts';
import { status } from './local-stack.ts';

export type Row = Record<string, unknown>;
export const SCHEDULE = 'revenue-reconciliation';

export function reportConfig(recognised: ReportConfig['recognised']) {
  const config = testConfig();
  const shipped = config.reports[0] as ReportConfig;
  return {
    ...config,
    flows: config.flows.filter((f) => f.name === 'account-customer'),
    reports: [{ ...shipped, enabled: true, recognised }],
    schedules: [...config.schedules, { name: SCHEDULE, cron: '0 6 2 * ? *', description: '' }],
  };
}

export async function start(recognised: ReportConfig['recognised']) {
  const stack = await startLocalStack({ config: reportConfig(recognised), seed: 'empty', timers: false });
  stack.salesforce.setOutboundEndpoint(undefined);
  return stack;
}

/** Three customers synced to accounts; answers customer ID → account ID. */
export async function customers(stack: LocalStack): Promise<Record<string, string>> {
  for (const id of ['C-A', 'C-B', 'C-C'])
    stack.intacct.userCreate('CUSTOMER', {
      CUSTOMERID: id,
      NAME: `Customer ${id}`,
      DISPLAYCONTACT: { PRINTAS: id },
    });
  await stack.runtime.runSchedule('intacct-delta');
  expect((await status(stack, 30)).idle).toBe(true);
  const accounts = Object.fromEntries(
    stack.salesforce.records('Account').map((a) => [String(a.Intacct_Customer_Id__c), String(a.Id)]),
  );
  expect(Object.keys(accounts).sort()).toEqual(['C-A', 'C-B', 'C-C']);
  return accounts;
}

export const rows = (stack: LocalStack) =>
  new Map(
    stack.salesforce.records('Revenue_Reconciliation__c').map((r) => [String(r.Reconciliation_Key__c), r]),
  );

export const run = (stack: LocalStack, period: string) =>
  stack.runtime.invokeScheduler({ schedule: SCHEDULE, period }) as Promise<{
    status: string;
    detail: string;
  }>;

/** The last run's report, as `sfi status` reads it from the state table. */
export async function savedReport(stack: LocalStack): Promise<ReportRun | undefined> {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient(localClientConfig(stack.runtime.aws.dynamodbEndpoint)),
  );
  return new DynamoStateStore({ db, table: stack.runtime.aws.tables.state }).latestReport<ReportRun>(
    'report',
    SCHEDULE,
  );
}

/** The report's open failures, as sfi failures reads them from the ledger. */
export async function openFailures(stack: LocalStack): Promise<FailureRecord[]> {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient(localClientConfig(stack.runtime.aws.dynamodbEndpoint)),
  );
  const ledger = new DynamoLedger({
    db,
    table: stack.runtime.aws.tables.ledger,
    auditDays: 1,
    failureDays: 1,
  });
  return (await ledger.openFailures(SCHEDULE)).sort(
    (a, b) => a.ids.recordId?.localeCompare(b.ids.recordId ?? '') ?? 0,
  );
}

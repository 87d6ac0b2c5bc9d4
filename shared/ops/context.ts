/**
 * What every `sfi` operation works through, for the local and a deployed stack alike: the stack's
 * outputs, its sync config (as compiled into the deployed functions), SDK clients for SQS and
 * DynamoDB, and an invocation of the scheduler Lambda. Built by target.ts.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoCrosswalk, type TableCrosswalk } from '#shared/aws/crosswalk.ts';
import { DynamoKvTable } from '#shared/aws/kv-table.ts';
import { DynamoLedger } from '#shared/aws/ledger.ts';
import { DynamoStateStore } from '#shared/aws/state-store.ts';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { TableFlowPauses } from './flow-pauses.ts';
import type { OperateDeps } from './operate.ts';
import type { StackOutputs } from './stack-outputs.ts';

export interface OpsContext {
  /** Where the commands act, for messages: "the local stack at …", "stack sfi-prod in eu-west-1". */
  where: string;
  outputs: StackOutputs;
  config: SyncConfig;
  sqs: SQSClient;
  db: DynamoDBDocumentClient;
  /** One RequestResponse invocation of the scheduler with this event detail; its result. */
  invokeScheduler(detail: Record<string, unknown>): Promise<unknown>;
}

export interface OpsStores {
  ledger: DynamoLedger;
  state: DynamoStateStore;
  crosswalk: TableCrosswalk;
  operate: OperateDeps;
}

export function opsStores(context: Pick<OpsContext, 'outputs' | 'config' | 'db'>): OpsStores {
  const { db, outputs, config } = context;
  const ledger = new DynamoLedger({
    db,
    table: outputs.ledgerTable,
    auditDays: config.retention.auditDays,
    failureDays: config.retention.failureDays,
  });
  return {
    ledger,
    state: new DynamoStateStore({ db, table: outputs.stateTable }),
    crosswalk: dynamoCrosswalk({ db, table: outputs.crosswalkTable }),
    operate: {
      flows: config.flows.map((f) => f.name),
      pauses: new TableFlowPauses(new DynamoKvTable({ db, table: outputs.stateTable })),
      intacct: config.intacct,
      // Adding 0 answers the month's total through the ledger port, which has no read of it.
      usage: (month) => ledger.addIntacctTransactions(month, 0),
      salesforce: {
        reservePercent: config.salesforce.apiReservePercent,
        usage: () => ledger.salesforceUsage(),
      },
    },
  };
}

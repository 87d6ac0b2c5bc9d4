/**
 * The API clients, built once per warm Lambda from the credentials in Secrets Manager (or the
 * local runtime's environment). Built lazily: the first invocation pays for the secret reads.
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SlotLease } from '#shared/aws/cap-lease.ts';
import { DynamoKvTable } from '#shared/aws/kv-table.ts';
import { secretReader } from '#shared/config/secrets.ts';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { ConcurrencyLimiter, IntacctClient, parseIntacctCredentials } from '#shared/intacct/index.ts';
import { parseSalesforceConfig, SalesforceClient } from '#shared/salesforce/index.ts';

/** How long a request slot may be held: longer than the Intacct client's request timeout (30 s). */
const SLOT_LEASE_MS = 45_000;

/**
 * One limiter per Intacct company in this process (locally the worker and the scheduler run in one
 * process). With the state table at hand, every request also leases one of the company's slots
 * there, so all Lambda instances together stay at `intacct.maxConcurrentRequests`; without it,
 * the cap is split evenly between the expected processes.
 */
const limiters = new Map<string, ConcurrencyLimiter>();
function sharedLimiter(
  companyId: string,
  config: SyncConfig,
  workers: number,
  db: DynamoDBDocumentClient | undefined,
): ConcurrencyLimiter {
  let limiter = limiters.get(companyId);
  if (limiter === undefined) {
    const cap = config.intacct.maxConcurrentRequests;
    const stateTable = process.env.STATE_TABLE;
    limiter =
      db === undefined || stateTable === undefined || stateTable === ''
        ? new ConcurrencyLimiter({ concurrency: Math.max(1, Math.floor(cap / Math.max(1, workers))) })
        : new ConcurrencyLimiter({
            concurrency: cap,
            lease: new SlotLease({
              table: new DynamoKvTable({ db, table: stateTable }),
              key: companyId,
              slots: cap,
              leaseMs: SLOT_LEASE_MS,
            }),
          });
    limiters.set(companyId, limiter);
  }
  return limiter;
}

/** `db`: the Lambda's DynamoDB client, for the shared Intacct cap (without it, the cap is split). */
export function makeClients(config: SyncConfig, workers: number, db?: DynamoDBDocumentClient) {
  const salesforceSecret = secretReader({ name: 'SALESFORCE_SECRET', parse: parseSalesforceConfig });
  const intacctSecret = secretReader({ name: 'INTACCT_SECRET', parse: parseIntacctCredentials });
  let salesforce: Promise<SalesforceClient> | undefined;
  let intacct: Promise<IntacctClient> | undefined;
  return {
    salesforce(): Promise<SalesforceClient> {
      salesforce ??= salesforceSecret().then(
        (c) => new SalesforceClient({ config: { ...c, apiVersion: config.salesforce.apiVersion } }),
      );
      salesforce.catch(() => {
        salesforce = undefined;
      });
      return salesforce;
    },
    intacct(): Promise<IntacctClient> {
      intacct ??= intacctSecret().then(
        (credentials) =>
          new IntacctClient({
            credentials,
            maxFunctionsPerRequest: config.intacct.functionsPerRequest,
            // The company's concurrency is shared by every concurrent worker instance.
            limiter: sharedLimiter(credentials.companyId, config, workers, db),
          }),
      );
      intacct.catch(() => {
        intacct = undefined;
      });
      return intacct;
    },
  };
}

/**
 * The API clients, built once per warm Lambda from the credentials in Secrets Manager (or the
 * local runtime's environment). Built lazily: the first invocation pays for the secret reads.
 */

import { secretReader } from '#shared/config/secrets.ts';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { ConcurrencyLimiter, IntacctClient, parseIntacctCredentials } from '#shared/intacct/index.ts';
import { parseSalesforceConfig, SalesforceClient } from '#shared/salesforce/index.ts';

/**
 * One limiter per Intacct company in this process: locally the worker and the scheduler run in one
 * process and must share the company's concurrency; deployed, each Lambda instance has its own.
 */
const limiters = new Map<string, ConcurrencyLimiter>();
function sharedLimiter(companyId: string, concurrency: number): ConcurrencyLimiter {
  let limiter = limiters.get(companyId);
  if (limiter === undefined) {
    limiter = new ConcurrencyLimiter({ concurrency });
    limiters.set(companyId, limiter);
  }
  return limiter;
}

export function makeClients(config: SyncConfig, workers: number) {
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
            limiter: sharedLimiter(
              credentials.companyId,
              Math.max(1, Math.floor(config.intacct.maxConcurrentRequests / Math.max(1, workers))),
            ),
          }),
      );
      intacct.catch(() => {
        intacct = undefined;
      });
      return intacct;
    },
  };
}

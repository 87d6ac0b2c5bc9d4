/**
 * The clients of a naive recipe: the project's own, against the bench simulators, with batching
 * off (one function per Intacct request) and as many lanes as the Intacct cap allows.
 */
import { salesforceSecretFor } from '#local/salesforce-sim/index.ts';
import { IntacctClient, parseIntacctCredentials } from '#shared/intacct/index.ts';
import { parseSalesforceConfig } from '#shared/salesforce/config.ts';
import { SalesforceClient } from '#shared/salesforce/index.ts';
import type { Simulators } from './stack.ts';

export function naiveClients(sims: Simulators, lanes: number) {
  return {
    salesforce: new SalesforceClient({
      config: parseSalesforceConfig(salesforceSecretFor(sims.salesforce.readyInfo())),
    }),
    intacct: new IntacctClient({
      credentials: parseIntacctCredentials(sims.intacct.readyInfo()),
      maxFunctionsPerRequest: 1,
      concurrency: lanes,
    }),
  };
}

/** A SOQL string literal. */
export const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

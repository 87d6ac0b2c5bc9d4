import type { KeyObject } from 'node:crypto';
import type { TokenRegistry } from './auth/tokens.ts';
import type { FaultState } from './faults.ts';
import type { RecordStore } from './store.ts';

/** Credentials and identity of the simulated org. */
export type OrgConfig = {
  orgId: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** Suffix a password-flow caller may append to the password, as Salesforce security tokens work. */
  securityToken: string;
  userId: string;
  jwtKey: KeyObject;
};

/** API usage of the simulated org: what `Sforce-Limit-Info` and `/limits` report. */
export type ApiUsage = { used: number; max: number; byRoute: Map<string, number>; dml: number };

/** Everything route handlers share. */
export type SimContext = {
  org: OrgConfig;
  store: RecordStore;
  tokens: TokenRegistry;
  faults: FaultState;
  usage: ApiUsage;
  now: () => number;
  loginUrl: () => string;
  instanceUrl: () => string;
};

/** The `Sforce-Limit-Info` header Salesforce puts on every REST response. */
export function limitHeader(ctx: SimContext): Record<string, string> {
  return { 'Sforce-Limit-Info': `api-usage=${ctx.usage.used}/${ctx.usage.max}` };
}

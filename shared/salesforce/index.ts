/** Public entry of the Salesforce client (worker and scheduler only; the webhook never imports it). */
export { SalesforceClient, type SalesforceClientOptions } from './client.ts';
export {
  DEFAULT_API_VERSION,
  parseSalesforceConfig,
  type SalesforceConfig,
  type SalesforceConfigInput,
  SalesforceConfigSchema,
} from './config.ts';
export {
  isTransientCode,
  SalesforceApiError,
  SalesforceAuthError,
  type SalesforceErrorDetail,
  toSalesforceError,
} from './errors.ts';
export { jwtAudience, signJwtAssertion } from './jwt.ts';
export type { DeltaOptions, QueryOptions, SfRecord } from './reads.ts';
export type { SalesforceStats } from './session.ts';
export {
  chunkForInClause,
  escapeSoqlLike,
  escapeSoqlString,
  SoqlLiteral,
  soql,
  soqlDate,
  soqlDateTime,
  soqlName,
  soqlValue,
} from './soql.ts';
export { clearTokenCache, fetchToken, type SalesforceToken } from './token.ts';
export { COLLECTION_LIMIT, type WriteResult } from './writes.ts';

/** Sage Intacct XML API client: public surface. */
export {
  type ExecuteOptions,
  type FunctionOutcome,
  IntacctClient,
  type IntacctClientOptions,
} from './client.ts';
export { type CompanyClock, companyClock, timeZoneProblem } from './clock.ts';
export {
  DEFAULT_INTACCT_ENDPOINT,
  type IntacctCredentials,
  intacctCredentialsSchema,
  parseIntacctCredentials,
} from './config.ts';
export type { IntacctCounters } from './counters.ts';
export * from './errors.ts';
export { type QueryFilter, where } from './functions/filter.ts';
export * from './functions/generic.ts';
export * from './functions/legacy.ts';
export type { IntacctFunction, Page, WriteOptions } from './functions/types.ts';
export { type CapLease, ConcurrencyLimiter, type LimiterOptions } from './limiter.ts';
export { type KeysetCursor, queryAll, queryByKeyset, queryKeysetPage, readByQueryAll } from './paging.ts';
export { buildRequestXml, type RequestSpec } from './request.ts';
export { type ParsedResponse, parseResponse } from './response.ts';
export type { FetchLike } from './transport.ts';
export { formatDate, formatTimestamp } from './xml.ts';

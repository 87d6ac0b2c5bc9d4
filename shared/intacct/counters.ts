/** Usage counters of one client, for budgets and benchmarks. */
export interface IntacctCounters {
  /** HTTP requests sent, retries and session logins included. */
  httpRequests: number;
  /**
   * API transactions as Intacct bills them: each record created/updated/deleted counts 1 (a
   * header with its lines counts 1), each read/readByQuery/readMore/query/lookup/inspect call 1;
   * getAPISession and failed functions 0.
   */
  apiTransactions: number;
  /** Functions sent (each function once per request it went out in). */
  functions: number;
  /** HTTP requests that were retries. */
  retries: number;
  /** 429 / GW-0010 answers. */
  rateLimited: number;
  /** getAPISession logins. */
  sessionsOpened: number;
}

/** Fresh all-zero counters. */
export function newCounters(): IntacctCounters {
  return { httpRequests: 0, apiTransactions: 0, functions: 0, retries: 0, rateLimited: 0, sessionsOpened: 0 };
}

import { Connection } from 'jsforce/lib/core.js';
import type { SalesforceConfig } from './config.ts';
import { SalesforceApiError, toSalesforceError } from './errors.ts';
import { cachedToken, fetchToken, forgetToken, type SalesforceToken } from './token.ts';

/** Cost counters: HTTP calls to the REST API, token requests, refreshes, and the org's usage header. */
export type SalesforceStats = {
  /** REST API requests sent (each counts against the org's daily allocation). */
  apiCalls: number;
  /** Calls per client operation (`query`, `queryMore`, `create`, …). */
  byOperation: Record<string, number>;
  tokenRequests: number;
  refreshes: number;
  /** Last `Sforce-Limit-Info: api-usage=used/limit` seen, if any. */
  apiUsage: { used: number; limit: number } | undefined;
};

/** Options of the session: the token endpoint transport and the refresh cap. */
export type SessionOptions = {
  fetch?: typeof fetch;
  /** Token refreshes allowed within one client operation before it fails (jsforce itself never stops). */
  maxRefreshesPerCall?: number;
};

/**
 * One authenticated jsforce connection. The token comes from the module-level cache when a warm
 * invocation already has one; a 401 triggers our refresh function, which re-authenticates with
 * the configured flow at most `maxRefreshesPerCall` times per operation, then fails with
 * INVALID_SESSION_ID instead of looping.
 */
export class SalesforceSession {
  readonly config: SalesforceConfig;
  readonly stats: SalesforceStats = {
    apiCalls: 0,
    byOperation: {},
    tokenRequests: 0,
    refreshes: 0,
    apiUsage: undefined,
  };
  readonly #fetch: typeof fetch | undefined;
  readonly #maxRefreshes: number;
  #conn: Connection | undefined;
  #refreshesThisCall = 0;
  #refreshFailure: unknown;
  #operation = 'unknown';

  constructor(config: SalesforceConfig, options: SessionOptions = {}) {
    this.config = config;
    this.#fetch = options.fetch;
    this.#maxRefreshes = options.maxRefreshesPerCall ?? 2;
  }

  async #login(): Promise<SalesforceToken> {
    this.stats.tokenRequests++;
    return fetchToken(this.config, this.#fetch ? { fetch: this.#fetch } : {});
  }

  async #connection(): Promise<Connection> {
    if (this.#conn) return this.#conn;
    const token = cachedToken(this.config) ?? (await this.#login());
    const conn = new Connection({
      instanceUrl: token.instanceUrl,
      accessToken: token.accessToken,
      version: this.config.apiVersion,
      refreshFn: (c, callback) => {
        this.#refresh(c, callback);
      },
    });
    this.#instrument(conn);
    this.#conn = conn;
    return conn;
  }

  #refresh(conn: Connection, callback: (err: Error | null | undefined, accessToken?: string) => void): void {
    forgetToken(this.config);
    this.#refreshesThisCall++;
    if (this.#refreshesThisCall > this.#maxRefreshes) {
      const err = new SalesforceApiError(
        'INVALID_SESSION_ID',
        `access token still rejected after ${this.#maxRefreshes} refreshes`,
        {
          meta: { operation: this.#operation },
        },
      );
      this.#refreshFailure = err;
      callback(err);
      return;
    }
    this.stats.refreshes++;
    this.#login().then(
      (token) => {
        // jsforce re-sends the failed request to its original URL; later requests use the new host.
        conn.instanceUrl = token.instanceUrl;
        callback(null, token.accessToken);
      },
      (err: Error) => {
        this.#refreshFailure = err;
        callback(err);
      },
    );
  }

  /** Counts every HTTP request jsforce sends and records the usage header of every response. */
  #instrument(conn: Connection): void {
    const transport = conn._transport;
    const send = transport.httpRequest.bind(transport);
    transport.httpRequest = (req, options) => {
      this.stats.apiCalls++;
      this.stats.byOperation[this.#operation] = (this.stats.byOperation[this.#operation] ?? 0) + 1;
      const pending = send(req, options);
      pending.then(
        (res) => {
          const header = res.headers['sforce-limit-info'];
          const m = /api-usage=(\d+)\/(\d+)/.exec(Array.isArray(header) ? header.join(',') : (header ?? ''));
          if (m) this.stats.apiUsage = { used: Number(m[1]), limit: Number(m[2]) };
        },
        () => undefined,
      );
      return pending;
    };
  }

  /**
   * Runs one operation on the connection; whatever jsforce throws comes back as a typed
   * SalesforceApiError/SalesforceAuthError (with the refresh failure when that was the cause).
   */
  async call<T>(operation: string, fn: (conn: Connection) => Promise<T>): Promise<T> {
    this.#operation = operation;
    this.#refreshesThisCall = 0;
    this.#refreshFailure = undefined;
    const conn = await this.#connection();
    try {
      return await fn(conn);
    } catch (error) {
      throw toSalesforceError(this.#refreshFailure ?? error, { operation });
    }
  }
}

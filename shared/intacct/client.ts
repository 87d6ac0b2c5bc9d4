import { randomUUID } from 'node:crypto';
import { ValidationError } from '#shared/errors.ts';
import { classifyAuthFailure, classifyFunctionFailure, isInvalidSession } from './classify.ts';
import { DEFAULT_INTACCT_ENDPOINT, type IntacctCredentials } from './config.ts';
import { type IntacctCounters, newCounters } from './counters.ts';
import {
  IntacctAlreadyExecutedError,
  type IntacctError,
  IntacctRequestError,
  IntacctUnknownOutcomeError,
} from './errors.ts';
import { getAPISession } from './functions/generic.ts';
import type { IntacctFunction } from './functions/types.ts';
import { type GatewayDeps, sendComposed, sendRequest } from './gateway.ts';
import { ConcurrencyLimiter } from './limiter.ts';
import { buildRequestXml, type FunctionElement, type RequestAuthentication } from './request.ts';
import type { ParsedResponse } from './response.ts';
import { type CachedSession, SessionCache } from './session.ts';
import type { FetchLike } from './transport.ts';

/** Options of {@link IntacctClient}; everything but credentials has a production default. */
export interface IntacctClientOptions {
  credentials: IntacctCredentials;
  /** Injectable transport; default global `fetch`. */
  fetch?: FetchLike;
  /** Per HTTP request; default 30000 (the SDKs' value). */
  timeoutMs?: number;
  /** Retries of transient failures per request; default 3. */
  maxRetries?: number;
  /** Default 1000, doubling per retry with jitter. */
  retryBaseDelayMs?: number;
  /** Default 30000. */
  retryMaxDelayMs?: number;
  /** Functions packed into one HTTP request by {@link IntacctClient.execute}; default 50. */
  maxFunctionsPerRequest?: number;
  /** How long execute() waits for more functions before sending; default 0 (next macrotask). */
  batchWindowMs?: number;
  /** Requests in flight per company; default 2. Ignored when `limiter` is given. */
  concurrency?: number;
  /** Share one limiter between clients of the same company. */
  limiter?: ConcurrencyLimiter;
  /** Use getAPISession sessions (default true); false logs in on every request. */
  useSessions?: boolean;
  /** Open a new session this long before the cached one times out; default 60000. */
  sessionRefreshMarginMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Where functions run: an entity (location ID) or the top level (''), default the credentials' entity. */
export interface ExecuteOptions {
  entityId?: string;
}

/** One function's outcome in {@link IntacctClient.executeBatch}. */
export type FunctionOutcome<T = unknown> = { ok: true; value: T } | { ok: false; error: IntacctError };

interface Pending {
  fn: IntacctFunction<unknown>;
  controlId: string;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * The functions waiting for one entity, and the requests waiting for a slot to carry them. A
 * request takes its functions only when it holds a slot, so whatever queued while the cap was busy
 * rides together (DESIGN §8: a batch's match read goes out in another batch's write request).
 */
interface EntityQueue {
  items: Pending[];
  /** Requests waiting for a slot that have not yet taken their functions. */
  waiting: number;
  timer?: NodeJS.Timeout;
}

/**
 * Client for the Sage Intacct XML gateway. Functions given to {@link execute} are packed many per
 * HTTP request and each caller gets its own result; writes go out with `uniqueid=true` and the
 * caller's deterministic control IDs. Sessions are cached per (company, entity), followed to the
 * endpoint getAPISession returns, and renewed once on an invalid-session answer.
 */
export class IntacctClient {
  readonly counters: IntacctCounters = newCounters();
  readonly limiter: ConcurrencyLimiter;
  private readonly credentials: IntacctCredentials;
  private readonly gateway: GatewayDeps;
  private readonly sessions: SessionCache;
  private readonly useSessions: boolean;
  private readonly maxFunctions: number;
  private readonly batchWindowMs: number;
  private readonly queues = new Map<string, EntityQueue>();

  constructor(options: IntacctClientOptions) {
    this.credentials = options.credentials;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const now = options.now ?? Date.now;
    this.limiter =
      options.limiter ?? new ConcurrencyLimiter({ concurrency: options.concurrency ?? 2, sleep, now });
    this.gateway = {
      fetch: options.fetch ?? (globalThis.fetch as unknown as FetchLike),
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 3,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 1000,
      retryMaxDelayMs: options.retryMaxDelayMs ?? 30_000,
      sleep,
      random: options.random ?? Math.random,
      limiter: this.limiter,
      counters: this.counters,
      userAgent: 'salesforce-intacct-sync/0.1',
    };
    this.useSessions = options.useSessions ?? true;
    this.maxFunctions = Math.max(1, options.maxFunctionsPerRequest ?? 50);
    this.batchWindowMs = options.batchWindowMs ?? 0;
    this.sessions = new SessionCache({
      companyId: this.credentials.companyId,
      now,
      refreshMarginMs: options.sessionRefreshMarginMs ?? 60_000,
      open: (entityId) => this.openSession(entityId),
    });
  }

  /**
   * Runs one function, batched with other calls for the same entity; rejects with a typed error.
   * Functions queued within the batch window, or while every request slot is busy, share requests
   * of up to `maxFunctionsPerRequest`; reads go first, since a read is what later writes wait on.
   */
  execute<T>(fn: IntacctFunction<T>, options: ExecuteOptions = {}): Promise<T> {
    const controlId = this.controlIdFor(fn);
    const entityId = options.entityId ?? this.credentials.entityId ?? '';
    return new Promise<T>((resolve, reject) => {
      let queue = this.queues.get(entityId);
      if (!queue) {
        queue = { items: [], waiting: 0 };
        this.queues.set(entityId, queue);
      }
      const q = queue;
      q.items.push({ fn, controlId, resolve: resolve as (v: unknown) => void, reject });
      if (q.items.length >= q.waiting * this.maxFunctions + this.maxFunctions) this.dispatch(entityId, q);
      else
        q.timer ??= setTimeout(() => {
          q.timer = undefined;
          this.dispatch(entityId, q);
        }, this.batchWindowMs);
    });
  }

  /**
   * Sends the functions together in one request and reports each outcome without throwing for
   * function failures. With `transaction: true` they commit or roll back as one unit.
   */
  async executeBatch(
    fns: IntacctFunction<unknown>[],
    options: ExecuteOptions & { transaction?: boolean } = {},
  ): Promise<FunctionOutcome[]> {
    if (fns.length === 0) return [];
    const entityId = options.entityId ?? this.credentials.entityId ?? '';
    const elements = fns.map((fn) => this.element(fn, this.controlIdFor(fn)));
    const ids = new Set(elements.map((e) => e.controlId));
    if (ids.size !== elements.length)
      throw new ValidationError('function control IDs in one request must differ');
    const hasWrites = fns.some((f) => f.write);
    const response = await this.operate(
      entityId,
      () => ({ functions: elements, hasWrites }),
      options.transaction === true,
    );
    if (response === undefined) throw new Error('unreachable: a fixed batch is always sent');
    return fns.map((fn, i) => this.outcome(fn, elements[i]?.controlId ?? '', response, i));
  }

  /**
   * Runs a write whose outcome may come back unknown (524, timeout): on unknown outcome or an
   * "already executed" answer it asks `reread` whether the record exists and returns that, and only
   * re-sends (with the same control ID, so the gateway can refuse a replay) when it does not.
   */
  async writeOnce<T>(
    fn: IntacctFunction<T>,
    reread: () => Promise<T | undefined>,
    options: ExecuteOptions = {},
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.execute(fn, options);
      } catch (error) {
        const unknown =
          error instanceof IntacctUnknownOutcomeError || error instanceof IntacctAlreadyExecutedError;
        if (!unknown || attempt >= 2) throw error;
        const found = await reread();
        if (found !== undefined) return found;
        if (error instanceof IntacctAlreadyExecutedError) throw error;
      }
    }
  }

  /**
   * Opens the session ahead of the first call, so that a cold process's first read does not wait
   * a login round trip behind its other first steps. Never fails: the first call reports why.
   */
  warmUp(options: ExecuteOptions = {}): void {
    if (!this.useSessions) return;
    this.sessions.get(options.entityId ?? this.credentials.entityId ?? '').catch(() => {});
  }

  /** The cached session for an entity, opening one if needed (mostly for diagnostics). */
  session(entityId?: string): Promise<CachedSession> {
    return this.sessions.get(entityId ?? this.credentials.entityId ?? '');
  }

  /** A copy of the counters. */
  snapshot(): IntacctCounters {
    return { ...this.counters };
  }

  private controlIdFor(fn: IntacctFunction<unknown>): string {
    if (fn.write && !fn.controlId) {
      throw new ValidationError(`${fn.name} is a write and needs a deterministic controlId`, {
        hint: 'derive it from (flow, record, version) so a retried write cannot run twice',
      });
    }
    const id = fn.controlId ?? randomUUID();
    if (id.length < 1 || id.length > 256)
      throw new ValidationError('a function control ID must be 1–256 characters');
    return id;
  }

  private element(fn: IntacctFunction<unknown>, controlId: string): FunctionElement {
    return { controlId, name: fn.name, body: fn.body };
  }

  /** Starts enough requests that, each taking up to a full load, every queued function is carried. */
  private dispatch(entityId: string, queue: EntityQueue): void {
    while (queue.waiting * this.maxFunctions < queue.items.length) {
      queue.waiting += 1;
      void this.sendQueued(entityId, queue);
    }
  }

  /** Up to a request's worth of queued functions, reads first, no control ID twice. */
  private take(queue: EntityQueue): Pending[] {
    const batch: Pending[] = [];
    const ids = new Set<string>();
    for (const reads of [true, false]) {
      for (const p of queue.items) {
        if (batch.length >= this.maxFunctions) break;
        // two functions with the same control ID cannot share a request: their results would be ambiguous
        if (!p.fn.write === reads && !ids.has(p.controlId)) {
          ids.add(p.controlId);
          batch.push(p);
        }
      }
    }
    const taken = new Set(batch);
    queue.items = queue.items.filter((p) => !taken.has(p));
    return batch;
  }

  /** One request: it waits for a slot, then carries what is queued by then. */
  private async sendQueued(entityId: string, queue: EntityQueue): Promise<void> {
    let batch: Pending[] | undefined;
    const takeOnce = (): Pending[] => {
      if (batch === undefined) {
        queue.waiting -= 1;
        batch = this.take(queue);
        this.dispatch(entityId, queue);
      }
      return batch;
    };
    try {
      const response = await this.operate(
        entityId,
        () => {
          const taken = takeOnce();
          return taken.length === 0
            ? undefined
            : {
                functions: taken.map((p) => this.element(p.fn, p.controlId)),
                hasWrites: taken.some((p) => p.fn.write),
              };
        },
        false,
      );
      if (response === undefined) return;
      (batch ?? []).forEach((p, i) => {
        const outcome = this.outcome(p.fn, p.controlId, response, i);
        if (outcome.ok) p.resolve(outcome.value);
        else p.reject(outcome.error);
      });
    } catch (error) {
      // failed before it took its functions (e.g. no session): the ones it would have carried share the error
      for (const p of takeOnce()) p.reject(error);
    }
  }

  private outcome(
    fn: IntacctFunction<unknown>,
    controlId: string,
    response: ParsedResponse,
    i: number,
  ): FunctionOutcome {
    const result = response.results[i];
    if (!result || (result.controlId && result.controlId !== controlId)) {
      return {
        ok: false,
        error: new IntacctRequestError(`Intacct returned no result for function ${controlId}`, {
          code: 'INTACCT_MISSING_RESULT',
          retryable: true,
          level: 'function',
        }),
      };
    }
    if (result.status === 'success') {
      this.counters.apiTransactions += fn.transactions(result);
      try {
        return { ok: true, value: fn.parse(result) };
      } catch (cause) {
        return {
          ok: false,
          error: new IntacctRequestError(`could not read the ${fn.name} result`, {
            code: 'INTACCT_BAD_RESULT',
            retryable: false,
            level: 'function',
            cause,
          }),
        };
      }
    }
    const written = fn.written?.(result) ?? [];
    this.counters.apiTransactions += written.length;
    return { ok: false, error: classifyFunctionFailure(result, written) };
  }

  /**
   * Sends one operation with session (renewed once if invalid) or login authentication. Its
   * functions are asked for once a request slot is held, and again for a renewed session's replay
   * (callers answer the same ones each time); undefined when there were none to send.
   */
  private async operate(
    entityId: string,
    functions: () => { functions: FunctionElement[]; hasWrites: boolean } | undefined,
    transaction: boolean,
  ): Promise<ParsedResponse | undefined> {
    for (let attempt = 0; ; attempt++) {
      // The session is in hand before a slot is waited for: opening one needs a slot of its own.
      const session = this.useSessions ? await this.sessions.get(entityId) : undefined;
      const auth: RequestAuthentication = session
        ? { type: 'session', sessionId: session.sessionId }
        : this.loginAuth(entityId);
      const url = session?.endpoint || this.credentials.endpoint || DEFAULT_INTACCT_ENDPOINT;
      const response = await sendComposed(this.gateway, url, () => {
        const c = functions();
        return (
          c && { xml: this.compose(auth, c.functions, c.hasWrites, transaction), hasWrites: c.hasWrites }
        );
      });
      if (response === undefined) return undefined;
      const authBlock = response.authentication;
      if (authBlock && authBlock.status !== 'success') {
        if (session && isInvalidSession(authBlock) && attempt === 0) {
          this.sessions.invalidate(entityId, session.sessionId);
          continue;
        }
        throw classifyAuthFailure(authBlock);
      }
      if (session) this.sessions.touch(entityId, session.sessionId, authBlock?.sessionTimeout);
      return response;
    }
  }

  private async openSession(entityId: string | undefined): Promise<CachedSession> {
    const fn = getAPISession();
    const element = this.element(fn, 'sessionProvider');
    const url = this.credentials.endpoint || DEFAULT_INTACCT_ENDPOINT;
    this.counters.sessionsOpened += 1;
    const response = await sendRequest(
      this.gateway,
      url,
      this.compose(this.loginAuth(entityId ?? ''), [element], false, false),
      { hasWrites: false },
    );
    if (response.authentication && response.authentication.status !== 'success') {
      throw classifyAuthFailure(response.authentication);
    }
    const outcome = this.outcome(fn, element.controlId, response, 0);
    if (!outcome.ok) throw outcome.error;
    const api = outcome.value as ReturnType<typeof fn.parse>;
    const timeout = Date.parse(response.authentication?.sessionTimeout ?? '');
    return {
      ...api,
      endpoint: api.endpoint || url,
      // without a sessiontimeout, assume the shortest lifetime seen in the wild is not exceeded soon
      expiresAt: Number.isFinite(timeout) ? timeout : Date.now() + 30 * 60_000,
    };
  }

  private loginAuth(entityId: string): RequestAuthentication {
    const c = this.credentials;
    return {
      type: 'login',
      userId: c.userId,
      companyId: c.companyId,
      password: c.userPassword,
      locationId: entityId || undefined,
    };
  }

  /** One request body (its functions counted as sent). */
  private compose(
    authentication: RequestAuthentication,
    functions: FunctionElement[],
    hasWrites: boolean,
    transaction: boolean,
  ): string {
    this.counters.functions += functions.length;
    return buildRequestXml({
      sender: { senderId: this.credentials.senderId, senderPassword: this.credentials.senderPassword },
      controlId: randomUUID(),
      uniqueId: hasWrites,
      transaction,
      authentication,
      functions,
    });
  }
}

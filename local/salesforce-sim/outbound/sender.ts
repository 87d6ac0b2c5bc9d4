import { seededRandom } from '../../common/seeded-random.ts';
import type { IdFactory } from '../ids.ts';
import type { ChangeEvent, RecordStore } from '../store.ts';
import { isAck } from './ack.ts';
import { buildNotificationsEnvelope, type EnvelopeHeader } from './envelope.ts';
import { soapFields } from './payload.ts';
import { type OutboundRule, ruleFires } from './rules.ts';

/** Delivery knobs of the outbound-message sender. Durations are in simulated time. */
export type OutboundOptions = {
  /** Simulated ms per real ms: 3600 turns Salesforce's 24 h retention into 24 real seconds. Default 1. */
  timeScale?: number;
  /** First retry delay (default 30 s), doubled per attempt up to `maxRetryDelayMs` (default 2 h). */
  baseRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Notifications older than this are dropped undelivered (default 24 h). */
  retentionMs?: number;
  /** Per-attempt timeout (default 60 s). */
  attemptTimeoutMs?: number;
  /** Notifications per POST (Salesforce: at most 100). */
  maxBatch?: number;
  /** Probability (0..1) that an acknowledged POST is delivered a second time. */
  duplicateRate?: number;
  /** Deliver newest notifications first (out of order), inside and across POSTs. */
  reorder?: boolean;
  /** Seed of the pseudo-random choices (duplicates), for repeatable runs. */
  seed?: number;
};

/** Counters a test or the control API can read. */
export type OutboundStats = {
  enqueued: number;
  deliveries: number;
  acks: number;
  nacks: number;
  delivered: number;
  duplicates: number;
  dropped: number;
  pending: number;
};

type Pending = {
  id: string;
  rule: OutboundRule;
  actionId: string;
  recordId: string;
  createdAt: number;
  attempts: number;
  nextAt: number;
};

/** Where the sender reads records and header values from. */
export type SenderDeps = {
  store: RecordStore;
  ids: IdFactory;
  header: () => Omit<EnvelopeHeader, 'actionId' | 'sessionId'>;
  issueSessionId: () => string;
};

/**
 * Salesforce's outbound-message queue: rules enqueue notifications on committed changes; a
 * single delivery loop posts them (≤ 100 per POST, one action per POST) and retries nacks with
 * exponential backoff until the retention window passes. The notification ID is kept across
 * retries and the record data is re-read at each attempt, as Salesforce does.
 */
export class OutboundSender {
  readonly #deps: SenderDeps;
  readonly #opts: Required<OutboundOptions>;
  readonly #rules: Array<{ rule: OutboundRule; actionId: string }>;
  readonly #queue: Pending[] = [];
  readonly #waiters = new Set<() => void>();
  readonly #random: () => number;
  #endpoint: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: AbortController | undefined;
  #stopped = false;
  readonly stats: OutboundStats = {
    enqueued: 0,
    deliveries: 0,
    acks: 0,
    nacks: 0,
    delivered: 0,
    duplicates: 0,
    dropped: 0,
    pending: 0,
  };

  constructor(deps: SenderDeps, rules: OutboundRule[], options: OutboundOptions = {}, endpoint?: string) {
    this.#deps = deps;
    const timeScale = options.timeScale ?? 1;
    if (!(timeScale > 0)) throw new Error('timeScale must be a positive number');
    this.#opts = {
      timeScale,
      baseRetryDelayMs: options.baseRetryDelayMs ?? 30_000,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 2 * 3_600_000,
      retentionMs: options.retentionMs ?? 24 * 3_600_000,
      attemptTimeoutMs: options.attemptTimeoutMs ?? 60_000,
      maxBatch: Math.min(100, Math.max(1, options.maxBatch ?? 100)),
      duplicateRate: options.duplicateRate ?? 0,
      reorder: options.reorder ?? false,
      seed: options.seed ?? 42,
    };
    this.#random = seededRandom(this.#opts.seed);
    this.#rules = rules.map((rule) => ({ rule, actionId: deps.ids.next('04k') }));
    this.#endpoint = endpoint;
    deps.store.onChange((e) => this.#onChange(e));
  }

  /** Changes the delivery knobs at run time (duplicates, reordering). */
  configure(options: Pick<OutboundOptions, 'duplicateRate' | 'reorder'>): void {
    if (options.duplicateRate !== undefined) this.#opts.duplicateRate = options.duplicateRate;
    if (options.reorder !== undefined) this.#opts.reorder = options.reorder;
  }

  setEndpoint(url: string | undefined): void {
    this.#endpoint = url;
    this.#schedule(0);
  }

  get endpoint(): string | undefined {
    return this.#endpoint;
  }

  /** IDs of notifications still queued (not yet acknowledged or dropped). */
  pendingIds(): string[] {
    return this.#queue.map((p) => p.id);
  }

  #onChange(event: ChangeEvent): void {
    for (const { rule, actionId } of this.#rules) {
      if (!ruleFires(rule, event)) continue;
      const now = Date.now();
      this.#queue.push({
        id: this.#deps.ids.next('04l'),
        rule,
        actionId,
        recordId: event.id,
        createdAt: now,
        attempts: 0,
        nextAt: now,
      });
      this.stats.enqueued++;
    }
    this.stats.pending = this.#queue.length;
    this.#schedule(0);
  }

  #real(simMs: number): number {
    return simMs / this.#opts.timeScale;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped || this.#inFlight) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        void this.#pump();
      },
      Math.max(0, delayMs),
    );
  }

  #dropExpired(now: number): void {
    const retention = this.#real(this.#opts.retentionMs);
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      const p = this.#queue[i];
      if (p && now - p.createdAt >= retention) {
        this.#queue.splice(i, 1);
        this.stats.dropped++;
      }
    }
  }

  async #pump(): Promise<void> {
    const now = Date.now();
    this.#dropExpired(now);
    const due = this.#queue.filter((p) => p.nextAt <= now);
    if (this.#opts.reorder) due.reverse();
    const first = due[0];
    if (first && this.#endpoint) {
      const batch = due.filter((p) => p.actionId === first.actionId).slice(0, this.#opts.maxBatch);
      await this.#deliver(batch, this.#endpoint);
    }
    this.stats.pending = this.#queue.length;
    this.#afterPump();
  }

  #afterPump(): void {
    if (this.#queue.length === 0) {
      for (const w of this.#waiters) w();
      this.#waiters.clear();
      return;
    }
    const now = Date.now();
    const expiries = this.#queue.map((p) => p.createdAt + this.#real(this.#opts.retentionMs));
    const next = this.#endpoint
      ? Math.min(...this.#queue.map((p) => p.nextAt), ...expiries)
      : Math.min(...expiries);
    this.#schedule(next - now);
  }

  async #post(batch: Pending[], endpoint: string): Promise<boolean> {
    const first = batch[0];
    if (!first) return true;
    const notifications = batch.map((p) => ({
      id: p.id,
      object: p.rule.object,
      fields: soapFields(
        this.#deps.store.schema,
        p.rule.object,
        this.#deps.store.get(p.rule.object, p.recordId, true),
        p.recordId,
        p.rule.fields,
      ),
    }));
    const header = {
      ...this.#deps.header(),
      actionId: first.actionId,
      sessionId: first.rule.sendSessionId ? this.#deps.issueSessionId() : undefined,
    };
    const body = buildNotificationsEnvelope(header, notifications);
    const abort = new AbortController();
    this.#inFlight = abort;
    const timer = setTimeout(() => abort.abort(), this.#real(this.#opts.attemptTimeoutMs));
    this.stats.deliveries++;
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'text/xml; charset=utf-8',
          SOAPAction: '""',
          'User-Agent': 'Salesforce - OM',
        },
        body,
        signal: abort.signal,
      });
      const text = await res.text();
      return isAck(res.status, text);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      this.#inFlight = undefined;
    }
  }

  async #deliver(batch: Pending[], endpoint: string): Promise<void> {
    const acked = await this.#post(batch, endpoint);
    if (this.#stopped) return;
    if (!acked) {
      this.stats.nacks++;
      for (const p of batch) {
        p.attempts++;
        const delay = Math.min(
          this.#opts.baseRetryDelayMs * 2 ** (p.attempts - 1),
          this.#opts.maxRetryDelayMs,
        );
        p.nextAt = Date.now() + this.#real(delay);
      }
      return;
    }
    this.stats.acks++;
    this.stats.delivered += batch.length;
    for (const p of batch) this.#queue.splice(this.#queue.indexOf(p), 1);
    if (this.#opts.duplicateRate > 0 && this.#random() < this.#opts.duplicateRate) {
      this.stats.duplicates++;
      await this.#post(batch, endpoint);
    }
  }

  /**
   * Resolves true once every queued notification was acknowledged or dropped, false when
   * `timeoutMs` (real time) passes first.
   */
  waitForDrain(timeoutMs = 10_000): Promise<boolean> {
    if (this.#queue.length === 0 && !this.#inFlight) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(done);
        resolve(false);
      }, timeoutMs);
      this.#waiters.add(done);
    });
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#inFlight?.abort();
    for (const w of this.#waiters) w();
    this.#waiters.clear();
  }
}

/** Tuning of {@link ConcurrencyLimiter}. */
export interface LimiterOptions {
  /** Most requests in flight at once for one company (Tier 1 is said to allow 2). Default 2. */
  concurrency?: number;
  /** First pause after a 429; doubles on each further 429 up to maxBackoffMs. Default 1000. */
  baseBackoffMs?: number;
  /** Default 30000. */
  maxBackoffMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * The company's cap across processes: a slot is leased for every request (deployed, every Lambda
   * instance has its own limiter, so only a shared lease keeps their sum at the cap).
   */
  lease?: CapLease;
  /**
   * A leased slot whose request ended is handed straight to a request of this process waiting for
   * one, while it is younger than this (ms): no give-back and no new lease in between. Older, it
   * goes back to the table, so other processes get their turn. Default 5000; keep it well under
   * the lease's length less the request timeout.
   */
  handoffMs?: number;
}

/** One of the company's request slots, shared by every process; `acquire` answers its release. */
export interface CapLease {
  acquire(): Promise<() => Promise<void>>;
}

interface HeldSlot {
  release: () => Promise<void>;
  /** When the lease was taken (ms): how long it has been held across handoffs. */
  since: number;
}

/**
 * Per-company concurrency limiter with adaptive backoff. A 429 halves the allowed concurrency
 * (never below 1) and pauses new requests; each success lets one more in again, up to the cap.
 */
export class ConcurrencyLimiter {
  readonly max: number;
  private limit: number;
  private active = 0;
  private waiting: Array<() => void> = [];
  private resumeAt = 0;
  private penaltyMs = 0;
  private readonly base: number;
  private readonly maxBackoff: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly lease: CapLease | undefined;
  private readonly handoffMs: number;
  /** Leased slots handed over by requests that ended, for the woken waiters to take. */
  private spare: HeldSlot[] = [];
  /** Highest number of requests seen in flight at once (for tests and benchmarks). */
  peak = 0;

  constructor(options: LimiterOptions = {}) {
    this.max = Math.max(1, options.concurrency ?? 2);
    this.limit = this.max;
    this.base = options.baseBackoffMs ?? 1000;
    this.maxBackoff = options.maxBackoffMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.lease = options.lease;
    this.handoffMs = options.handoffMs ?? 5000;
  }

  /** Runs `task` once a slot is free and any rate-limit pause is over. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      const held = this.lease === undefined ? undefined : await this.leaseSlot(this.lease);
      try {
        return await task();
      } finally {
        if (held !== undefined) await this.giveBack(held);
      }
    } finally {
      this.release();
    }
  }

  private async leaseSlot(lease: CapLease): Promise<HeldSlot> {
    const spare = this.spare.pop();
    if (spare !== undefined) return spare;
    const since = this.now();
    return { release: await lease.acquire(), since };
  }

  /** Hands a young slot to a waiting request of this process, or gives it back to the table. */
  private async giveBack(held: HeldSlot): Promise<void> {
    if (this.waiting.length > 0 && this.now() - held.since < this.handoffMs) {
      this.spare.push(held);
      // a handed-over slot no waiter took (the limit dropped meanwhile) goes back at once
      setImmediate(() => {
        const untaken = this.spare;
        this.spare = [];
        for (const slot of untaken) void slot.release().catch(() => {});
      });
      return;
    }
    // A slot that is not given back expires by itself.
    await held.release().catch(() => {});
  }

  /** Call when the gateway answered 429/GW-0010; returns how long new work will be held back. */
  onRateLimited(retryAfterMs?: number): number {
    this.penaltyMs = Math.min(this.maxBackoff, this.penaltyMs ? this.penaltyMs * 2 : this.base);
    const pause = Math.max(this.penaltyMs, retryAfterMs ?? 0);
    this.resumeAt = Math.max(this.resumeAt, this.now() + pause);
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    return pause;
  }

  /** Call after a request the gateway accepted. */
  onSuccess(): void {
    this.penaltyMs = 0;
    if (this.limit < this.max) {
      this.limit += 1;
      this.wake();
    }
  }

  /** Current allowed concurrency (drops after 429s, climbs back on success). */
  get currentLimit(): number {
    return this.limit;
  }

  private async acquire(): Promise<void> {
    while (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.active += 1;
    this.peak = Math.max(this.peak, this.active);
    const wait = this.resumeAt - this.now();
    if (wait > 0) await this.sleep(wait);
  }

  private release(): void {
    this.active -= 1;
    this.wake();
  }

  private wake(): void {
    // waiters re-check the limit themselves, so waking all of them is safe
    const waiting = this.waiting;
    this.waiting = [];
    for (const resume of waiting) resume();
  }
}

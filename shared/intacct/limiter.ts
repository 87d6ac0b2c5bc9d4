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
}

/** One of the company's request slots, shared by every process; `acquire` answers its release. */
export interface CapLease {
  acquire(): Promise<() => Promise<void>>;
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
  }

  /** Runs `task` once a slot is free and any rate-limit pause is over. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      const releaseSlot = this.lease === undefined ? undefined : await this.lease.acquire();
      try {
        return await task();
      } finally {
        // A slot that is not given back expires by itself.
        await releaseSlot?.().catch(() => {});
      }
    } finally {
      this.release();
    }
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

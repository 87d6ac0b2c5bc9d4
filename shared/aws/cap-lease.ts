/**
 * The Intacct company's concurrency cap shared by every process (DESIGN §5, §8): `slots` items in
 * the state table, one per allowed request in flight. A request leases a free slot with a
 * conditional put (free = absent or its lease ran out), and gives it back with a conditional
 * delete. A process that dies mid-request loses nothing: its slot frees itself when the lease
 * ends. Waiting for a slot backs off with jitter and gives up, retryably, after `maxWaitMs`.
 */
import { randomUUID } from 'node:crypto';
import { SyncError } from '#shared/errors.ts';
import type { CapLease } from '#shared/intacct/index.ts';
import type { KvTable } from './kv-table.ts';

export interface SlotLeaseOptions {
  table: KvTable;
  /** Whose cap: the Intacct company ID. */
  key: string;
  /** Requests allowed in flight at once (`intacct.maxConcurrentRequests`). */
  slots: number;
  /** How long a slot may be held: longer than a request can take (its timeout). */
  leaseMs: number;
  /** Longest wait for a free slot before giving up (retryable). Default 120 s. */
  maxWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export class SlotLease implements CapLease {
  readonly #o: Required<SlotLeaseOptions>;

  constructor(options: SlotLeaseOptions) {
    this.#o = {
      maxWaitMs: 120_000,
      now: Date.now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      random: Math.random,
      ...options,
    };
  }

  async acquire(): Promise<() => Promise<void>> {
    const { table, key, slots, leaseMs, now, sleep, random } = this.#o;
    const owner = randomUUID();
    const deadline = now() + this.#o.maxWaitMs;
    for (let attempt = 0; ; attempt++) {
      // Start at a random slot so that waiting processes do not all contend for slot 0.
      const first = Math.floor(random() * slots);
      for (let i = 0; i < slots; i++) {
        const slot = { pk: `intacct-cap#${key}`, sk: `slot#${(first + i) % slots}` };
        const t = now();
        const taken = await table.put(
          // expiresAt (TTL, seconds) only tidies the table; `until` decides.
          { ...slot, owner, until: t + leaseMs, expiresAt: Math.ceil((t + leaseMs) / 1000) + 3600 },
          { or: [{ absent: true }, { lt: ['until', t] }] },
        );
        if (taken)
          return async () => {
            await table.delete(slot, { eq: ['owner', owner] });
          };
      }
      if (now() > deadline)
        throw new SyncError(`all ${slots} Intacct request slots of ${key} stayed busy`, {
          code: 'INTACCT_CAP_BUSY',
          retryable: true,
          hint: 'other workers hold the company’s Intacct concurrency; the job retries. If this persists, lower worker concurrency',
        });
      await sleep(Math.min(100, 10 * 2 ** Math.min(attempt, 4)) * (0.5 + random()));
    }
  }
}

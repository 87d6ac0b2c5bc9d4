/**
 * The limiter's leased slots (the company's cap shared across processes): a slot whose request
 * ended goes straight to a waiting request of the same process while it is young, and back to the
 * table otherwise, or when nobody here takes it.
 */
import { describe, expect, it } from 'vitest';
import { type CapLease, ConcurrencyLimiter } from '#shared/intacct/limiter.ts';

/** A lease that counts what it was asked for; `held` is how many slots are out now. */
function countingLease() {
  const counts = { acquired: 0, released: 0, held: 0, peakHeld: 0 };
  const lease: CapLease = {
    async acquire() {
      counts.acquired += 1;
      counts.held += 1;
      counts.peakHeld = Math.max(counts.peakHeld, counts.held);
      return async () => {
        counts.released += 1;
        counts.held -= 1;
      };
    },
  };
  return { lease, counts };
}

const settle = () => new Promise((r) => setTimeout(r, 5));

describe('ConcurrencyLimiter with a shared lease', () => {
  it('hands a young slot to the next waiting request instead of giving it back and leasing again', async () => {
    const { lease, counts } = countingLease();
    const limiter = new ConcurrencyLimiter({ concurrency: 1, lease });
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        limiter.run(async () => {
          order.push(i);
          await settle();
        }),
      ),
    );
    await settle();
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(counts).toEqual({ acquired: 1, released: 1, held: 0, peakHeld: 1 });
  });

  it('gives an old slot back and leases again, so other processes get their turn', async () => {
    const { lease, counts } = countingLease();
    let clock = 0;
    const limiter = new ConcurrencyLimiter({ concurrency: 1, lease, handoffMs: 1000, now: () => clock });
    await Promise.all(
      [1, 2, 3].map(() =>
        limiter.run(async () => {
          clock += 600;
          await settle();
        }),
      ),
    );
    await settle();
    // the first slot is 600 ms old when handed on, 1200 ms when the second request ends
    expect(counts).toEqual({ acquired: 2, released: 2, held: 0, peakHeld: 1 });
  });

  it('gives back a handed-over slot that no waiter could take', async () => {
    const { lease, counts } = countingLease();
    const limiter = new ConcurrencyLimiter({ concurrency: 2, lease, sleep: async () => {} });
    let endFirst: () => void = () => {};
    const first = limiter.run(() => new Promise<void>((r) => (endFirst = r)));
    const second = limiter.run(() => new Promise<void>((r) => setTimeout(r, 40)));
    await settle();
    const third = limiter.run(async () => {});
    // a 429 halves the limit: when the first ends, the third still may not start
    limiter.onRateLimited(0);
    endFirst();
    await first;
    await settle();
    expect(counts.held).toBe(1);
    await Promise.all([second, third]);
    await settle();
    expect(counts.held).toBe(0);
    expect(counts.released).toBe(counts.acquired);
  });
});

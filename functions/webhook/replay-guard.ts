/**
 * Remembers the request IDs the Intacct push route accepted, for the replay window. In memory,
 * per function instance, bounded: a replay that reaches another instance passes this check but
 * is still harmless, because jobs are idempotent (DESIGN §3, promise 2).
 */
export interface ReplayGuard {
  /** True when `key` was accepted less than the window ago. */
  seen(key: string): boolean;
  /** Records `key` as accepted now. */
  remember(key: string): void;
}

/** A guard over `windowMs`, keeping at most `maxEntries` keys (the oldest go first). */
export function makeReplayGuard(windowMs: number, now: () => number, maxEntries = 10_000): ReplayGuard {
  const until = new Map<string, number>();
  const evict = () => {
    const t = now();
    // Insertion order is expiry order: stop at the first key still inside the window.
    for (const [key, expires] of until) {
      if (expires > t && until.size <= maxEntries) break;
      until.delete(key);
    }
  };
  return {
    seen: (key) => (until.get(key) ?? 0) > now(),
    remember(key) {
      until.delete(key);
      until.set(key, now() + windowMs);
      evict();
    },
  };
}

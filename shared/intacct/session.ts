import type { ApiSession } from './functions/generic.ts';

/** A cached API session and when it stops being safe to use. */
export interface CachedSession extends ApiSession {
  /** Epoch ms of the gateway's sessiontimeout (slides forward on every successful call). */
  expiresAt: number;
}

/** How {@link SessionCache} opens sessions and tells time. */
export interface SessionCacheDeps {
  open: (entityId: string | undefined) => Promise<CachedSession>;
  now: () => number;
  refreshMarginMs: number;
  companyId: string;
}

/**
 * Caches one session per (company, entity). Concurrent callers share one login; a session is
 * replaced shortly before its timeout and whenever the gateway calls it invalid.
 */
export class SessionCache {
  private readonly sessions = new Map<string, CachedSession>();
  private readonly pending = new Map<string, Promise<CachedSession>>();

  private readonly deps: SessionCacheDeps;

  constructor(deps: SessionCacheDeps) {
    this.deps = deps;
  }

  /** A live session for the entity (undefined = top level), logging in when needed. */
  async get(entityId: string | undefined): Promise<CachedSession> {
    const key = this.key(entityId);
    const cached = this.sessions.get(key);
    if (cached && cached.expiresAt - this.deps.now() > this.deps.refreshMarginMs) return cached;
    let opening = this.pending.get(key);
    if (!opening) {
      opening = this.deps.open(entityId).finally(() => this.pending.delete(key));
      this.pending.set(key, opening);
      const session = await opening;
      this.sessions.set(key, session);
      return session;
    }
    return opening;
  }

  /** Drops a session the gateway rejected (only if it is still the cached one). */
  invalidate(entityId: string | undefined, sessionId: string): void {
    const key = this.key(entityId);
    if (this.sessions.get(key)?.sessionId === sessionId) this.sessions.delete(key);
  }

  /** Slides the expiry forward from a response's `sessiontimeout`. */
  touch(entityId: string | undefined, sessionId: string, sessionTimeout: string | undefined): void {
    const cached = this.sessions.get(this.key(entityId));
    const at = sessionTimeout ? Date.parse(sessionTimeout) : Number.NaN;
    if (cached && cached.sessionId === sessionId && Number.isFinite(at)) cached.expiresAt = at;
  }

  private key(entityId: string | undefined): string {
    return `${this.deps.companyId}|${entityId ?? ''}`;
  }
}

import { randomBytes } from 'node:crypto';

/** An API session: bound to a user, an entity and the endpoint path it was issued for. */
export interface SimSession {
  id: string;
  companyId: string;
  userId: string;
  entityId: string;
  endpointPath: string;
  expiresAt: number;
}

/** Sessions with a sliding timeout: every successful call pushes the expiry out again. */
export class SessionTable {
  private readonly sessions = new Map<string, SimSession>();
  timeoutMs: number;

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs;
  }

  open(companyId: string, userId: string, entityId: string, endpointPath: string, now: number): SimSession {
    // real session IDs are long opaque strings ending in '..'
    const id = `${randomBytes(24).toString('base64url')}..`;
    const session = { id, companyId, userId, entityId, endpointPath, expiresAt: now + this.timeoutMs };
    this.sessions.set(id, session);
    return session;
  }

  /** The live session, or undefined when unknown, expired, or used on another endpoint. */
  use(id: string, endpointPath: string, now: number): SimSession | undefined {
    const s = this.sessions.get(id);
    if (!s || s.expiresAt <= now || s.endpointPath !== endpointPath) return undefined;
    s.expiresAt = now + this.timeoutMs;
    return s;
  }

  /** Ends every session (the "session expiry" fault). */
  expireAll(): number {
    const n = this.sessions.size;
    this.sessions.clear();
    return n;
  }

  get size(): number {
    return this.sessions.size;
  }
}

/** ISO-8601 with offset, as `<sessiontimestamp>`/`<sessiontimeout>` carry it. */
export function isoWithOffset(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

import { randomBytes } from 'node:crypto';

/** An issued access token and who it acts as. */
export type Session = { userId: string; clientId: string; issuedAt: number };

/**
 * Access and refresh tokens of the simulated org. Tokens can be expired by a TTL, all at once
 * (`expireAll`), or rejected permanently (`rejectAll`) to exercise clients' refresh loop guards.
 */
export class TokenRegistry {
  readonly #orgId15: string;
  readonly #now: () => number;
  readonly #sessions = new Map<string, Session>();
  readonly #refreshTokens = new Map<string, Omit<Session, 'issuedAt'>>();
  ttlMs: number | undefined;
  rejectAll = false;
  issued = 0;

  constructor(orgId: string, now: () => number) {
    this.#orgId15 = orgId.slice(0, 15);
    this.#now = now;
  }

  issue(userId: string, clientId: string): { token: string; session: Session } {
    const token = `${this.#orgId15}!AQ${randomBytes(24).toString('base64url')}`;
    const session = { userId, clientId, issuedAt: this.#now() };
    this.#sessions.set(token, session);
    this.issued++;
    return { token, session };
  }

  issueRefreshToken(userId: string, clientId: string): string {
    const token = `5Aep${randomBytes(32).toString('base64url')}`;
    this.#refreshTokens.set(token, { userId, clientId });
    return token;
  }

  refreshSession(token: string): Omit<Session, 'issuedAt'> | undefined {
    return this.#refreshTokens.get(token);
  }

  /** The session behind a bearer token, or undefined when unknown, expired or rejected. */
  check(token: string | undefined): Session | undefined {
    if (!token || this.rejectAll) return undefined;
    const s = this.#sessions.get(token);
    if (!s) return undefined;
    if (this.ttlMs !== undefined && this.#now() - s.issuedAt >= this.ttlMs) {
      this.#sessions.delete(token);
      return undefined;
    }
    return s;
  }

  revoke(token: string): void {
    this.#sessions.delete(token);
    this.#refreshTokens.delete(token);
  }

  /** Invalidates every access token issued so far (refresh tokens stay valid). */
  expireAll(): void {
    this.#sessions.clear();
  }
}

/**
 * Console sign-ins, kept in memory: a random session id (the cookie's value) maps to the access
 * key that signed in, the session's CSRF token and its expiry. Sessions end at sign-out, at
 * expiry, or when the process restarts (everyone signs in again); each process of a cluster
 * keeps its own. At most `max` live sessions: the oldest make way.
 */
import { randomBytes } from 'node:crypto';

export interface Session {
  readonly id: string;
  readonly accessKeyId: string;
  /** Every state-changing request of this session carries it (form field or header). */
  readonly csrf: string;
  readonly expiresAt: number;
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly max = 10_000,
  ) {}

  create(accessKeyId: string): Session {
    this.sweep();
    while (this.sessions.size >= this.max) {
      const oldest = this.sessions.keys().next();
      if (oldest.done) break;
      this.sessions.delete(oldest.value);
    }
    const session: Session = { id: randomToken(), accessKeyId, csrf: randomToken(), expiresAt: this.now() + this.ttlMs };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session of this id; an expired one is forgotten. */
  get(id: string | undefined): Session | undefined {
    if (id === undefined) return undefined;
    const s = this.sessions.get(id);
    if (s && s.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return s;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Forget expired sessions (insertion order is expiry order: the TTL is fixed). */
  private sweep(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) {
      if (s.expiresAt > now) break;
      this.sessions.delete(id);
    }
  }
}

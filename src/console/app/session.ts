/**
 * Console sign-ins: a random session id (the cookie's value) maps to the access key that signed
 * in, the session's CSRF token and its expiry. Sessions end at sign-out or at expiry. Kept in
 * memory, or, when a persistence is given (the server's store), there — read on every request,
 * so every process of a cluster and a restarted one know them and a sign-out anywhere counts
 * everywhere. At most `max` sessions in memory: the oldest make way.
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

/** Where sessions outlive the process (the store: see serve-command.ts). */
export interface SessionPersistence {
  get(id: string): Promise<Session | undefined>;
  put(session: Session): Promise<void>;
  delete(id: string): Promise<void>;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly max = 10_000,
    private readonly persistence?: SessionPersistence,
  ) {}

  async create(accessKeyId: string): Promise<Session> {
    const session = this.remember(accessKeyId);
    if (this.persistence) {
      this.sessions.delete(session.id);
      await this.persistence.put(session);
    }
    return session;
  }

  private remember(accessKeyId: string): Session {
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
  async get(id: string | undefined): Promise<Session | undefined> {
    if (id === undefined || id.length > 100) return undefined;
    // With a persistence, it decides: a sign-out on another process ends the session here too.
    const s = this.persistence ? await this.persistence.get(id) : this.sessions.get(id);
    if (s && s.expiresAt <= this.now()) {
      await this.delete(id);
      return undefined;
    }
    return s;
  }

  async delete(id: string): Promise<void> {
    this.sessions.delete(id);
    await this.persistence?.delete(id);
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

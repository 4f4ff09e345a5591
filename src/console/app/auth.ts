/**
 * Who may use the console, and proof that a state-changing request comes from its own pages.
 *
 * - With `requireAuth`, every path but the sign-in page and the static assets needs a session:
 *   pages redirect to the sign-in page, `/api/*` answers 401. Signing in checks an access key
 *   id and secret against the configured credentials in constant time.
 * - Every POST carries a CSRF token (form field `_csrf` or header `X-CSRF-Token`): the
 *   session's, or before sign-in and when the console is open, the value of a random
 *   double-submit cookie. Cookies are HttpOnly and SameSite=Strict; a cross-site Origin or
 *   `Sec-Fetch-Site: cross-site` is refused too.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ConsoleCredential } from './deps.js';
import { randomToken, type Session, type SessionStore } from './session.js';

export const SESSION_COOKIE = 'stepwise_session';
export const CSRF_COOKIE = 'stepwise_csrf';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** An answer other than a page: a status and a message (shown escaped). */
export class ConsoleHttpError extends Error {
  constructor(
    readonly status: 401 | 403 | 404 | 400 | 409 | 413 | 415 | 500,
    message: string,
  ) {
    super(message);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time equality of two strings (their SHA-256 digests are compared, so lengths leak nothing). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** The configured credential these keys name, compared in constant time against every one. */
export function matchCredential(credentials: readonly ConsoleCredential[], accessKeyId: string, secretAccessKey: string): ConsoleCredential | undefined {
  let found: ConsoleCredential | undefined;
  for (const c of credentials) {
    const idOk = sameSecret(c.accessKeyId, accessKeyId);
    const secretOk = sameSecret(c.secretAccessKey, secretAccessKey);
    if (idOk && secretOk && !found) found = c;
  }
  return found;
}

export interface CookieScope {
  readonly path: string;
  readonly ttlMs: number;
}

function secure(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

export function sessionOf(c: Context, sessions: SessionStore): Promise<Session | undefined> {
  return sessions.get(getCookie(c, SESSION_COOKIE));
}

export function setSessionCookie(c: Context, session: Session, scope: CookieScope): void {
  setCookie(c, SESSION_COOKIE, session.id, { path: scope.path, httpOnly: true, sameSite: 'Strict', secure: secure(c), maxAge: Math.floor(scope.ttlMs / 1000) });
}

export function clearSessionCookie(c: Context, scope: CookieScope): void {
  deleteCookie(c, SESSION_COOKIE, { path: scope.path, httpOnly: true, sameSite: 'Strict', secure: secure(c) });
}

/** The double-submit token of this browser (set now if it has none). */
export function anonymousCsrf(c: Context, scope: CookieScope): string {
  const existing = getCookie(c, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomToken();
  setCookie(c, CSRF_COOKIE, token, { path: scope.path, httpOnly: true, sameSite: 'Strict', secure: secure(c) });
  return token;
}

/** Refuse a request another site made the browser send. */
export function checkSameOrigin(c: Context): void {
  if (c.req.header('sec-fetch-site') === 'cross-site') throw new ConsoleHttpError(403, 'Refused: a cross-site request.');
  const origin = c.req.header('origin');
  if (origin === undefined || origin === 'null') {
    if (origin === 'null') throw new ConsoleHttpError(403, 'Refused: a request from an opaque origin.');
    return;
  }
  const host = c.req.header('host') ?? new URL(c.req.url).host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new ConsoleHttpError(403, 'Refused: a malformed Origin header.');
  }
  if (originHost !== host) throw new ConsoleHttpError(403, 'Refused: a request from another origin.');
}

/** The expected token must be present and equal (constant time) to the one sent. */
export function checkCsrf(expected: string | undefined, given: string | undefined): void {
  if (!expected || !given || !sameSecret(expected, given)) {
    throw new ConsoleHttpError(403, 'Refused: this request has no valid CSRF token. Reload the page and try again.');
  }
}

/** Where to go after signing in: only a path inside the console. */
export function safeNext(next: string | undefined, base: string): string {
  const home = `${base}/`;
  if (!next || !next.startsWith(home) || next.includes('//') || next.includes('\\') || /[\u0000-\u001f]/.test(next)) return home;
  return next;
}

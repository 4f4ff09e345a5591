/**
 * OAuth client-credentials tokens for connections, as EventBridge manages them: fetched from the
 * authorization endpoint with the client ID and secret (HTTP Basic, RFC 6749 §2.3.1) and the
 * connection's OAuth parameters, then reused until 60 seconds before they expire; a 401 or 407
 * from the API drops the token so that the next call fetches a new one. Concurrent calls share
 * one fetch. A failed fetch fails the task as a connection EventBridge could not authorize.
 */
import { isObject } from '../../lib/json.js';
import { StatesError } from '../../asl/errors.js';
import type { ConnectionAuthorization } from './connections.js';
import { exchange, type ExchangeLimits } from './exchange.js';
import { setHeader } from './headers.js';

type OAuth = Extract<ConnectionAuthorization, { type: 'OAUTH_CLIENT_CREDENTIALS' }>;

/** EventBridge refreshes a token that expires within the next 60 seconds. */
const REFRESH_BEFORE_MS = 60_000;

interface Held {
  token: string;
  /** Epoch ms; undefined when the endpoint gave no expires_in (kept until refused). */
  expiresAt: number | undefined;
}

export class OAuthTokens {
  private readonly held = new Map<string, Held>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(private readonly opts: { now: () => number; limits: ExchangeLimits }) {}

  token(connection: string, auth: OAuth): Promise<string> {
    const h = this.held.get(connection);
    if (h && (h.expiresAt === undefined || this.opts.now() < h.expiresAt - REFRESH_BEFORE_MS)) return Promise.resolve(h.token);
    let p = this.pending.get(connection);
    if (!p) {
      p = this.fetch(connection, auth).finally(() => this.pending.delete(connection));
      this.pending.set(connection, p);
    }
    return p;
  }

  forget(connection: string): void {
    this.held.delete(connection);
  }

  private async fetch(connection: string, auth: OAuth): Promise<string> {
    const params = auth.httpParameters ?? {};
    const url = new URL(auth.authorizationEndpoint);
    for (const [k, v] of Object.entries(params.queryString ?? {})) url.searchParams.append(k, v);
    const form = new URLSearchParams(params.body ?? {});
    if (!form.has('grant_type')) form.set('grant_type', 'client_credentials');
    const headers: [string, string][] = [
      ['Authorization', `Basic ${Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString('base64')}`],
      ['Accept', 'application/json'],
    ];
    let body: Buffer | undefined;
    if (auth.httpMethod === 'GET') for (const [k, v] of form) url.searchParams.append(k, v);
    else {
      headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
      body = Buffer.from(form.toString());
    }
    for (const [k, v] of Object.entries(params.headers ?? {})) setHeader(headers, k, v);
    const refuse = (why: string) => new StatesError('Events.ConnectionResource.InvalidConnectionState', `The connection '${connection}' could not be authorized: ${why}.`);
    const startedAt = this.opts.now();
    let res;
    try {
      res = await exchange({ method: auth.httpMethod, url, headers, body }, this.opts.limits);
    } catch (err) {
      throw refuse(`the authorization endpoint could not be reached (${err instanceof Error ? err.message : String(err)})`);
    }
    if (res.statusCode < 200 || res.statusCode > 299) throw refuse(`the authorization endpoint answered ${res.statusCode}`);
    let answer: unknown;
    try {
      answer = JSON.parse(res.body.toString('utf8'));
    } catch {
      answer = undefined;
    }
    const token = isObject(answer) ? answer['access_token'] : undefined;
    if (typeof token !== 'string' || token === '') throw refuse('the authorization endpoint answered no access_token');
    const expiresIn = isObject(answer) ? Number(answer['expires_in']) : NaN;
    this.held.set(connection, { token, expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? startedAt + expiresIn * 1000 : undefined });
    return token;
  }
}

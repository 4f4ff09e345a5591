/**
 * EventBridge connections as an HTTP Task uses them: found by the name in the task's ConnectionArn
 * (`arn:aws:events:<region>:<account>:connection/<name>/<uuid>`, or the bare name), so that a
 * definition written for AWS finds the local connection of the same name whatever its account and
 * uuid. A connection authorizes each call (API key header, Basic, or an OAuth client-credentials
 * token, fetched and kept until shortly before it expires) and adds its invocation parameters.
 * Its secrets go into requests only: never into errors, causes or logs.
 */
import { StatesError } from '../../asl/errors.js';
import { OAuthTokens } from './oauth.js';
import type { ExchangeLimits } from './exchange.js';

/** Parameters a connection adds to a request, by name (EventBridge's Header/QueryString/BodyParameters). */
export interface HttpParameters {
  headers?: Readonly<Record<string, string>>;
  queryString?: Readonly<Record<string, string>>;
  body?: Readonly<Record<string, string>>;
}

export type ConnectionAuthorization =
  | { type: 'API_KEY'; name: string; value: string }
  | { type: 'BASIC'; username: string; password: string }
  | {
      type: 'OAUTH_CLIENT_CREDENTIALS';
      authorizationEndpoint: string;
      clientId: string;
      clientSecret: string;
      httpMethod: 'GET' | 'POST' | 'PUT';
      /** Sent to the authorization endpoint with the token request. */
      httpParameters?: HttpParameters;
    };

export interface HttpConnection {
  name: string;
  authorization: ConnectionAuthorization;
  /** Added to every call made through the connection, over the task's own values of the same name. */
  invocationHttpParameters?: HttpParameters;
}

const CONNECTION_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]*:\d*:connection\/([^/]+)(?:\/[^/]*)?$/;

/** The connection name a ConnectionArn names (the ARN's name segment, or the text itself when it is no ARN). */
export function connectionName(ref: string): string {
  return CONNECTION_ARN.exec(ref)?.[1] ?? ref;
}

/** What a connection adds to one call: headers with its authorization first, query and body parameters. */
export interface Authorized {
  headers: [string, string][];
  queryString: [string, string][];
  body: [string, string][];
}

export class ConnectionRegistry {
  private readonly byName = new Map<string, HttpConnection>();
  private readonly tokens: OAuthTokens;

  constructor(connections: readonly HttpConnection[], opts: { now: () => number; limits: ExchangeLimits }) {
    for (const c of connections) this.byName.set(c.name, c);
    this.tokens = new OAuthTokens(opts);
  }

  /** The connection a task's ConnectionArn names; an unknown one fails the task as EventBridge's DescribeConnection does. */
  resolve(ref: string): HttpConnection {
    const name = connectionName(ref);
    const c = this.byName.get(name);
    if (!c) throw new StatesError('Events.ConnectionResource.ResourceNotFound', `Failed to describe the connection(s). Connection '${name}' does not exist.`);
    return c;
  }

  async authorize(c: HttpConnection): Promise<Authorized> {
    const auth = c.authorization;
    const headers: [string, string][] = [];
    if (auth.type === 'API_KEY') headers.push([auth.name, auth.value]);
    else if (auth.type === 'BASIC') headers.push(['Authorization', `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`]);
    else headers.push(['Authorization', `Bearer ${await this.tokens.token(c.name, auth)}`]);
    const p = c.invocationHttpParameters ?? {};
    headers.push(...Object.entries(p.headers ?? {}));
    return { headers, queryString: Object.entries(p.queryString ?? {}), body: Object.entries(p.body ?? {}) };
  }

  /** The API refused the connection's credentials (401, 407): its OAuth token is fetched anew next time, as EventBridge does. */
  refused(c: HttpConnection): void {
    if (c.authorization.type === 'OAUTH_CLIENT_CREDENTIALS') this.tokens.forget(c.name);
  }
}

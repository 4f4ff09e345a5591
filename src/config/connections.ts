/**
 * The `connections` section: EventBridge connections, by name, that HTTP Tasks call through
 * (`Authentication.ConnectionArn`). Each has an authorization (API_KEY, BASIC or
 * OAUTH_CLIENT_CREDENTIALS, with EventBridge's fields and length limits) and optional invocation
 * parameters added to every call. What EventBridge's CreateConnection would refuse is refused here
 * with its line; messages never repeat a value, as they are secrets.
 */
import { isScalar } from 'yaml';
import { CONNECTION_NAME, HEADER_NAME, isForbiddenHeader } from '../lib/http-rules.js';
import { CONNECTION_AUTHORIZATION_TYPES, OAUTH_HTTP_METHODS, type ConnectionAuthorizationConfig, type ConnectionConfig, type ConnectionParametersConfig } from './types.js';
import { entries, fail, str, type Source, type YamlNode } from './yaml-nodes.js';

const CONNECTION_KEYS = ['authorization', 'invocationHttpParameters'] as const;
const AUTH_KEYS = {
  API_KEY: ['type', 'name', 'value'],
  BASIC: ['type', 'username', 'password'],
  OAUTH_CLIENT_CREDENTIALS: ['type', 'authorizationEndpoint', 'clientId', 'clientSecret', 'httpMethod', 'httpParameters'],
} as const;
const PARAMETER_KEYS = ['headers', 'queryString', 'body'] as const;
/** EventBridge's limit on a credential, a parameter's key and a parameter's value. */
const MAX_FIELD = 512;
const MAX_ENDPOINT = 2048;

export function readConnections(src: Source, node: YamlNode): ConnectionConfig[] {
  const out: ConnectionConfig[] = [];
  for (const [name, { key, value }] of entries(src, node, 'connections')) {
    const path = `connections.${name}`;
    if (!CONNECTION_NAME.test(name)) fail(src, key, `connection name '${name}' must be 1 to 64 letters, digits, '.', '-' or '_' (as EventBridge's)`);
    const fields = entries(src, value, path, CONNECTION_KEYS);
    const auth = fields.get('authorization');
    if (!auth) fail(src, value ?? key, `${path} needs an authorization (type ${CONNECTION_AUTHORIZATION_TYPES.join(', ')} and its credentials)`);
    const connection: ConnectionConfig = { name, authorization: readAuthorization(src, auth.value ?? auth.key, `${path}.authorization`) };
    const invocation = fields.get('invocationHttpParameters');
    if (invocation) connection.invocationHttpParameters = readParameters(src, invocation.value, `${path}.invocationHttpParameters`);
    out.push(connection);
  }
  return out;
}

function readAuthorization(src: Source, node: YamlNode, path: string): ConnectionAuthorizationConfig {
  const typeField = entries(src, node, path).get('type');
  if (!typeField) fail(src, node, `${path} needs a type: ${CONNECTION_AUTHORIZATION_TYPES.join(', ')}`);
  const type = str(src, typeField.value, `${path}.type`);
  if (!(CONNECTION_AUTHORIZATION_TYPES as readonly string[]).includes(type)) fail(src, typeField.value, `${path}.type must be one of ${CONNECTION_AUTHORIZATION_TYPES.join(', ')}`);
  const t = type as (typeof CONNECTION_AUTHORIZATION_TYPES)[number];
  const fields = entries(src, node, path, AUTH_KEYS[t]);
  const need = (key: string, max = MAX_FIELD): string => {
    const f = fields.get(key);
    if (!f) fail(src, node, `${path} of type ${t} needs ${AUTH_KEYS[t].filter((k) => k !== 'type' && k !== 'httpMethod' && k !== 'httpParameters').join(', ')}`);
    return limited(src, f.value, `${path}.${key}`, str(src, f.value, `${path}.${key}`), max);
  };
  switch (t) {
    case 'API_KEY': {
      const name = need('name');
      if (!HEADER_NAME.test(name)) fail(src, fields.get('name')?.value, `${path}.name must be an HTTP header name (the header the key is sent in)`);
      return { type: t, name, value: need('value') };
    }
    case 'BASIC':
      return { type: t, username: need('username'), password: need('password') };
    case 'OAUTH_CLIENT_CREDENTIALS': {
      const endpoint = need('authorizationEndpoint', MAX_ENDPOINT);
      if (!isHttpUrl(endpoint)) fail(src, fields.get('authorizationEndpoint')?.value, `${path}.authorizationEndpoint must be an https:// (or http://) URL`);
      const auth: ConnectionAuthorizationConfig = { type: t, authorizationEndpoint: endpoint, clientId: need('clientId'), clientSecret: need('clientSecret'), httpMethod: 'POST' };
      const method = fields.get('httpMethod');
      if (method) {
        const m = str(src, method.value, `${path}.httpMethod`);
        if (!(OAUTH_HTTP_METHODS as readonly string[]).includes(m)) fail(src, method.value, `${path}.httpMethod must be one of ${OAUTH_HTTP_METHODS.join(', ')}`);
        auth.httpMethod = m as (typeof OAUTH_HTTP_METHODS)[number];
      }
      const params = fields.get('httpParameters');
      if (params) auth.httpParameters = readParameters(src, params.value, `${path}.httpParameters`);
      return auth;
    }
  }
}

function readParameters(src: Source, node: YamlNode, path: string): ConnectionParametersConfig {
  const out: ConnectionParametersConfig = {};
  for (const [kind, { value }] of entries(src, node, path, PARAMETER_KEYS)) {
    const params: Record<string, string> = {};
    for (const [name, p] of entries(src, value, `${path}.${kind}`)) {
      limited(src, p.key, `${path}.${kind}`, name, MAX_FIELD);
      if (kind === 'headers') {
        if (!HEADER_NAME.test(name)) fail(src, p.key, `${path}.headers: '${name}' is not an HTTP header name`);
        if (isForbiddenHeader(name)) fail(src, p.key, `${path}.headers: the header '${name}' cannot be set (it is one AWS refuses in an HTTP Task)`);
      }
      params[name] = limited(src, p.value, `${path}.${kind}.${name}`, scalar(src, p.value, `${path}.${kind}.${name}`), MAX_FIELD);
    }
    out[kind as (typeof PARAMETER_KEYS)[number]] = params;
  }
  return out;
}

/** A parameter's value: a string, or a number or boolean written as text. */
function scalar(src: Source, node: YamlNode, path: string): string {
  const v = isScalar(node) ? node.value : undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string' && /[\r\n\0]/.test(v)) fail(src, node, `${path} must be on one line`);
  return str(src, node, path);
}

function limited(src: Source, node: YamlNode, path: string, value: string, max: number): string {
  if (value.length > max) fail(src, node, `${path} must be at most ${max} characters (as EventBridge's)`);
  return value;
}

function isHttpUrl(text: string): boolean {
  try {
    const p = new URL(text).protocol;
    return p === 'https:' || p === 'http:';
  } catch {
    return false;
  }
}

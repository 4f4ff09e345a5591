/**
 * An HTTP Task's parameters, read as AWS documents them ("Call HTTPS APIs in Step Functions
 * workflows": HTTP Task fields), and the request they make once merged with what the connection
 * adds ("Merging EventBridge connection and HTTP Task definition data"): the connection's headers,
 * query parameters and body parameters win over the task's of the same name, and a string body
 * cannot take body parameters. A parameter AWS would refuse fails the task with States.Runtime.
 */
import { isObject, type Json } from '../../lib/json.js';
import { StatesError } from '../../asl/errors.js';
import type { Authorized } from './connections.js';
import type { OutgoingRequest } from './exchange.js';
import { ARRAY_FORMATS, scalarText, urlEncode, type ArrayFormat } from './form.js';
import { HEADER_NAME, isForbiddenHeader } from '../../lib/http-rules.js';
import { hasHeader, setHeader } from './headers.js';

export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] as const;
type Method = (typeof METHODS)[number];

const FIELDS = ['ApiEndpoint', 'Method', 'Authentication', 'InvocationConfig', 'Headers', 'QueryParameters', 'RequestBody', 'Transform'];
const ENCODINGS = ['NONE', 'URL_ENCODED'] as const;

/** What the task itself asks for, before its connection adds anything. */
export interface TaskCall {
  connectionArn: string;
  method: Method;
  endpoint: URL;
  headers: [string, string][];
  query: [string, string][];
  body: Json | undefined;
  encoding: (typeof ENCODINGS)[number];
  arrayFormat: ArrayFormat;
}

export function runtimeError(cause: string): StatesError {
  return new StatesError('States.Runtime', cause);
}

export function readCall(input: Json): TaskCall {
  if (!isObject(input)) throw runtimeError('The HTTP Task needs its parameters as a JSON object (ApiEndpoint, Method, Authentication).');
  const unknown = Object.keys(input).find((k) => !FIELDS.includes(k));
  if (unknown !== undefined) throw runtimeError(`The HTTP Task does not support the field '${unknown}' (its fields are ${FIELDS.join(', ')}).`);
  const method = input['Method'];
  if (typeof method !== 'string' || !(METHODS as readonly string[]).includes(method)) {
    throw runtimeError(`The HTTP Task's Method must be one of ${METHODS.join(', ')}.`);
  }
  return {
    connectionArn: connectionArnOf(input['InvocationConfig'] ?? input['Authentication']),
    method: method as Method,
    endpoint: endpointOf(input['ApiEndpoint']),
    headers: headersOf(input['Headers']),
    query: queryOf(input['QueryParameters']),
    body: input['RequestBody'],
    ...transformOf(input['Transform']),
  };
}

function connectionArnOf(auth: Json | undefined): string {
  const arn = isObject(auth) ? auth['ConnectionArn'] : undefined;
  if (typeof arn !== 'string' || arn === '') throw runtimeError('The HTTP Task needs an EventBridge connection: Authentication.ConnectionArn (or InvocationConfig.ConnectionArn).');
  return arn;
}

function endpointOf(value: Json | undefined): URL {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw runtimeError("The HTTP Task's ApiEndpoint must be an https:// (or, in Stepwise, http://) URL.");
  url.hash = '';
  return url;
}

function values(value: Json, field: string, name: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.some((v) => isObject(v) || Array.isArray(v))) throw runtimeError(`The HTTP Task's ${field} '${name}' must be a string, a number, a boolean or a list of them.`);
  return list.map(scalarText);
}

function headersOf(value: Json | undefined): [string, string][] {
  if (value === undefined || value === null) return [];
  if (!isObject(value)) throw runtimeError("The HTTP Task's Headers must be a JSON object of header names and values.");
  const out: [string, string][] = [];
  for (const [name, v] of Object.entries(value)) {
    if (!HEADER_NAME.test(name)) throw runtimeError(`The HTTP Task's header name '${name}' is not a valid HTTP header name.`);
    if (isForbiddenHeader(name)) throw runtimeError(`The header '${name}' cannot be used in an HTTP Task's Headers.`);
    const text = values(v, 'header', name).join(',');
    if (/[\r\n\0]/.test(text)) throw runtimeError(`The HTTP Task's header '${name}' has a line break in its value.`);
    setHeader(out, name, text);
  }
  return out;
}

function queryOf(value: Json | undefined): [string, string][] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [...new URLSearchParams(value)];
  if (!isObject(value)) throw runtimeError("The HTTP Task's QueryParameters must be a JSON object (or a query string).");
  return Object.entries(value).flatMap(([name, v]) => values(v, 'query parameter', name).map((text): [string, string] => [name, text]));
}

function transformOf(value: Json | undefined): Pick<TaskCall, 'encoding' | 'arrayFormat'> {
  const out: Pick<TaskCall, 'encoding' | 'arrayFormat'> = { encoding: 'NONE', arrayFormat: 'INDICES' };
  if (value === undefined) return out;
  if (!isObject(value)) throw runtimeError("The HTTP Task's Transform must be a JSON object (RequestBodyEncoding, RequestEncodingOptions).");
  const encoding = value['RequestBodyEncoding'] ?? 'NONE';
  if (typeof encoding !== 'string' || !(ENCODINGS as readonly string[]).includes(encoding)) throw runtimeError(`The HTTP Task's RequestBodyEncoding must be ${ENCODINGS.join(' or ')}.`);
  out.encoding = encoding as TaskCall['encoding'];
  const options = value['RequestEncodingOptions'];
  if (options !== undefined) {
    const format = isObject(options) ? (options['ArrayFormat'] ?? 'INDICES') : undefined;
    if (typeof format !== 'string' || !(ARRAY_FORMATS as readonly string[]).includes(format)) throw runtimeError(`The HTTP Task's RequestEncodingOptions.ArrayFormat must be one of ${ARRAY_FORMATS.join(', ')}.`);
    out.arrayFormat = format as ArrayFormat;
  }
  return out;
}

/** The request sent (`sent`), and the same without what the connection added (`redacted`: TestState without revealSecrets). */
export interface BuiltRequest {
  sent: OutgoingRequest;
  redacted: OutgoingRequest;
}

export function buildRequest(call: TaskCall, added: Authorized, region: string): BuiltRequest {
  const own = requestOf(call, [], [], [], region);
  const sent = requestOf(call, added.headers, added.queryString, added.body, region);
  return { sent, redacted: own };
}

function requestOf(call: TaskCall, headers: [string, string][], query: [string, string][], bodyParams: [string, string][], region: string): OutgoingRequest {
  const h: [string, string][] = call.headers.map(([k, v]) => [k, v]);
  for (const [k, v] of headers) setHeader(h, k, v);
  // Step Functions sets these itself, whatever the task or the connection says.
  setHeader(h, 'User-Agent', `Amazon|StepFunctions|HttpInvoke|${region}`);
  setHeader(h, 'Range', 'bytes=0-262144');
  const overridden = new Set(query.map(([k]) => k));
  const q = [...call.query.filter(([k]) => !overridden.has(k)), ...query];
  const url = new URL(call.endpoint.href);
  if (q.length > 0) url.search = `${url.search ? `${url.search}&` : '?'}${q.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
  const merged = mergeBody(call.body, bodyParams);
  let body: Buffer | undefined;
  if (merged !== undefined) {
    body = Buffer.from(call.encoding === 'URL_ENCODED' ? urlEncode(merged, call.arrayFormat) : typeof merged === 'string' ? merged : JSON.stringify(merged));
    if (!hasHeader(h, 'Content-Type')) h.push(['Content-Type', call.encoding === 'URL_ENCODED' ? 'application/x-www-form-urlencoded' : 'application/json; charset=UTF-8']);
  }
  return { method: call.method, url, headers: h, body };
}

function mergeBody(body: Json | undefined, params: [string, string][]): Json | undefined {
  if (params.length === 0) return body;
  if (body === undefined || body === null) return Object.fromEntries(params);
  if (!isObject(body)) throw runtimeError("The HTTP Task's RequestBody is not a JSON object, so the body parameters of its connection cannot be merged into it.");
  return { ...body, ...Object.fromEntries(params) };
}

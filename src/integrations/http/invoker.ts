/**
 * `arn:aws:states:::http:invoke`: an HTTP Task calls an API through an EventBridge connection
 * (AWS: "Call HTTPS APIs in Step Functions workflows"). The result is `{Headers, ResponseBody,
 * StatusCode, StatusText}`, header names in lower case with their values as lists, a JSON body
 * parsed. A status outside 2xx fails the task with `States.Http.StatusCode.<code>` and the status
 * text as the cause; no complete answer within 60 seconds, or a network failure, with
 * `States.Http.Socket`; a body past the payload quota with `States.DataLimitExceeded`; a binary
 * body (application/octet-stream, image/*, video/*, audio/*, or text that is not UTF-8) with
 * `States.Runtime`, as AWS's "Unsupported HTTP Task responses" lists.
 */
import type { Json, JsonObject } from '../../lib/json.js';
import { StatesError } from '../../asl/errors.js';
import type { HttpTrace, TaskInvoker, TaskProgress } from '../../engine/local-run.js';
import { PAYLOAD_LIMIT_BYTES } from '../../engine/limits.js';
import type { TaskRequest } from '../../engine/types.js';
import { ConnectionRegistry, type HttpConnection } from './connections.js';
import { exchange, ExchangeFailure, type IncomingResponse, type OutgoingRequest } from './exchange.js';
import { traceHeaders } from './headers.js';
import { buildRequest, readCall, runtimeError } from './request.js';

const RESOURCE = 'arn:aws:states:::http:invoke';

export interface HttpInvokerOptions {
  /** The region in `User-Agent: Amazon|StepFunctions|HttpInvoke|<region>` when the execution's ARN names none. */
  region: string;
  /** Step Functions' HTTP timeout: 60 seconds. */
  timeoutMs?: number;
  /** The clock OAuth token lifetimes are measured on. */
  now?: () => number;
}

export function httpInvoker(connections: readonly HttpConnection[], opts: HttpInvokerOptions, next: TaskInvoker): TaskInvoker {
  const limits = { timeoutMs: opts.timeoutMs ?? 60_000, maxBodyBytes: PAYLOAD_LIMIT_BYTES };
  const registry = new ConnectionRegistry(connections, { now: opts.now ?? Date.now, limits });
  return {
    async invoke(req: TaskRequest, progress?: TaskProgress): Promise<Json> {
      if (req.resource !== RESOURCE) return next.invoke(req, progress);
      const call = readCall(req.input);
      const connection = registry.resolve(call.connectionArn);
      const built = buildRequest(call, await registry.authorize(connection), regionOf(req) ?? opts.region);
      let res: IncomingResponse;
      try {
        res = await exchange(built.sent, limits, (_status, headers) => unsupportedType(headers));
      } catch (err) {
        progress?.httpExchange?.({ revealed: { request: traceRequest(built.sent) }, redacted: { request: traceRequest(built.redacted) } });
        throw failureOf(err);
      }
      const text = decode(res.body);
      const response = traceResponse(built.sent, res, text);
      progress?.httpExchange?.({ revealed: { request: traceRequest(built.sent), response }, redacted: { request: traceRequest(built.redacted), response } });
      if (res.statusCode < 200 || res.statusCode > 299) {
        if (res.statusCode === 401 || res.statusCode === 407) registry.refused(connection);
        throw new StatesError(`States.Http.StatusCode.${res.statusCode}`, res.statusMessage);
      }
      return resultOf(res, text);
    },
  };
}

/** The region of the execution the task runs for (`arn:aws:states:<region>:…`). */
function regionOf(req: TaskRequest): string | undefined {
  return req.executionArn?.split(':')[3] || undefined;
}

function mediaType(headers: readonly [string, string][]): string {
  const value = headers.find(([k]) => k === 'content-type')?.[1] ?? '';
  return (value.split(';')[0] as string).trim().toLowerCase();
}

function unsupportedType(headers: readonly [string, string][]): StatesError | undefined {
  const media = mediaType(headers);
  if (media === 'application/octet-stream' || /^(image|video|audio)\//.test(media)) {
    return runtimeError(`The HTTP Task cannot read a response of content type '${media}': it reads text responses only.`);
  }
  return undefined;
}

function decode(body: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw runtimeError('The HTTP Task cannot read the response: its body is not valid UTF-8 text.');
  }
}

function failureOf(err: unknown): StatesError {
  if (err instanceof StatesError) return err;
  if (err instanceof ExchangeFailure && err.kind === 'tooLarge') {
    return new StatesError('States.DataLimitExceeded', "The state/task 'http' returned a result with a size exceeding the maximum number of bytes service limit.");
  }
  return new StatesError('States.Http.Socket', err instanceof Error ? err.message : String(err));
}

function resultOf(res: IncomingResponse, text: string): JsonObject {
  const headers: Record<string, string[]> = {};
  for (const [k, v] of res.headers) (headers[k] ??= []).push(v);
  return { Headers: headers, ResponseBody: bodyOf(mediaType(res.headers), text), StatusCode: res.statusCode, StatusText: res.statusMessage };
}

/** A JSON response (application/json, or a `+json` type) is parsed; anything else is text. */
function bodyOf(media: string, text: string): Json {
  if (media !== 'application/json' && !media.endsWith('+json')) return text;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

function traceRequest(r: OutgoingRequest): HttpTrace['request'] {
  return { protocol: r.url.protocol.replace(':', ''), method: r.method, url: r.url.href, headers: traceHeaders(r.headers), body: r.body?.toString('utf8') ?? '' };
}

function traceResponse(sent: OutgoingRequest, res: IncomingResponse, text: string): NonNullable<HttpTrace['response']> {
  return { protocol: sent.url.protocol.replace(':', ''), statusCode: String(res.statusCode), statusMessage: res.statusMessage, headers: traceHeaders(res.headers), body: text };
}

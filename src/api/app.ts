/**
 * The HTTP edge as a factory: the Step Functions API (AWS JSON 1.0 on `POST /`, dispatched by
 * `X-Amz-Target: AWSStepFunctions.<Operation>`, every request SigV4-verified) and `/health`;
 * with an `s3` handler, every other path is S3's REST API (s3-route.ts).
 * With an `sns` handler, a form-encoded `POST /` without X-Amz-Target is SNS's Query API (sns-route.ts).
 * With an `events` handler, `X-Amz-Target: AWSEvents.*` is EventBridge's API (AWS JSON 1.1).
 * Returns a Hono app: `app.fetch` serves it, `app.request()` tests it without a socket.
 * Any Host header is accepted: SDKs send `sync-<host>` for StartSyncExecution and TestState.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { systemClock, type Clock } from '../engine/clock.js';
import { activityOps } from './activity-ops.js';
import { executionOps } from './execution-ops.js';
import type { OperationTable, SfnServices } from './handler.js';
import { SFN_OPERATIONS, TARGET_PREFIX, type SfnOperation } from './operations.js';
import { s3Handler, type S3Api } from './s3-route.js';
import { snsRoute, type SnsApi } from './sns-route.js';
import { SigV4Verifier, type Credential } from './sigv4.js';
import { verifiedRequest } from './verified-request.js';
import { dynamoDbAction, statesAction, type IamRequest } from './iam-actions.js';
import type { Authorize } from './sns-route.js';
import type { JsonObject } from '../lib/json.js';
import { stateMachineOps } from './state-machine-ops.js';
import { tagOps } from './tag-ops.js';
import { testStateOps } from './test-state-ops.js';
import { mapRunOps } from './map-run-ops.js';
import { versionOps } from './version-ops.js';
import { ApiError, errorBody, JSON_CONTENT_TYPE, parseBody, toApiError } from './wire.js';

/** The key pair every local AWS tool defaults to; accepted unless `requireAuth`. */
export const DEFAULT_CREDENTIAL: Credential = { accessKeyId: 'test', secretAccessKey: 'test' };

/** AWS's limit on an API request. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

export interface ApiOptions extends SfnServices {
  /** Access keys whose signatures are accepted. */
  credentials?: readonly Credential[];
  /** When false (loopback without --require-auth), the default pair test/test is accepted too. */
  requireAuth?: boolean;
  clock?: Clock;
  maxBodyBytes?: number;
  /** Where unexpected errors are reported (they answer InternalFailure). */
  onError?: (err: unknown) => void;
  /** Served at GET /metrics in the Prometheus text format when given. */
  metrics?: { render(): string };
  /** Answers `DynamoDB_20120810.*` targets (the DynamoDB API) when given; requests are SigV4-verified first. */
  dynamodb?: DynamoDbApi;
  /** Answers S3's REST API (path-style) on every path but `POST /`, /health and /metrics when given; requests are SigV4-verified first. */
  s3?: S3Api;
  /** Answers SNS's Query API (a form body on `POST /` without X-Amz-Target) and `Stepwise.ListDeliveries` when given; requests are SigV4-verified first. */
  sns?: SnsApi;
  /**
   * Requests signed with a local function's own key are held to its role (FunctionIdentities):
   * answers the denial's message, or undefined when allowed. Absent: no per-request checks.
   */
  authorize?: Authorize;
  /** Further apps mounted under a path (the web console at /console), ahead of S3's catch-all. */
  mounts?: readonly { path: string; app: Hono }[];
  /** Answers `Logs_20140328.*` targets (a read-only subset of CloudWatch Logs over the execution logs) when given. */
  logs?: { handle(target: string, body: string): Promise<{ status: number; body: string }> };
  /** Answers `AWSEvents.*` targets (EventBridge's rule operations and PutEvents, AWS JSON 1.1) when given; requests are SigV4-verified first. */
  events?: EventsApi;
}

export type { S3Api, S3ApiRequest, S3ApiResponse } from './s3-route.js';
export type { SnsApi, SnsApiResponse, SnsDeliveryQuery } from './sns-route.js';

/** A handler of the DynamoDB API (AWS JSON 1.0): target and body text in, status and body text out. */
export interface DynamoDbApi {
  handle(target: string, body: string): Promise<{ status: number; body: string }>;
}

const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';

/** A handler of EventBridge's API (AWS JSON 1.1): target and body text in, status and body text out. */
export interface EventsApi {
  handle(target: string, body: string): Promise<{ status: number; body: string }>;
}

const EVENTS_TARGET_PREFIX = 'AWSEvents.';
/** Stepwise's own schedule operations, answered by the events handler beside EventBridge's. */
const SCHEDULE_TARGETS = new Set(['Stepwise.PutSchedule', 'Stepwise.DeleteSchedule', 'Stepwise.DescribeSchedule', 'Stepwise.PauseSchedule', 'Stepwise.ResumeSchedule']);
const JSON_1_1_CONTENT_TYPE = 'application/x-amz-json-1.1';

export function createApi(opts: ApiOptions): Hono {
  const clock = opts.clock ?? systemClock;
  const maxBody = opts.maxBodyBytes ?? MAX_REQUEST_BYTES;
  const credentials = [...(opts.credentials ?? []), ...(opts.requireAuth ? [] : [DEFAULT_CREDENTIAL])];
  const verifier = new SigV4Verifier(credentials, () => clock.now());
  const onError = opts.onError ?? ((err: unknown) => console.error('stepwise api: unexpected error:', err));
  const table: OperationTable = { ...stateMachineOps(opts), ...executionOps(opts), ...tagOps(opts), ...activityOps(opts), ...versionOps(opts), ...testStateOps(opts), ...mapRunOps(opts) };
  const known = new Set<string>(SFN_OPERATIONS);

  const reply = (status: number, body: string, contentType = JSON_CONTENT_TYPE) =>
    new Response(body, { status, headers: { 'content-type': contentType, 'x-amzn-requestid': randomUUID() } });

  const app = new Hono();

  app.get('/health', (c) => c.json({ status: 'ok' }));

  const metrics = opts.metrics;
  if (metrics) {
    // Scrapers cannot sign SigV4: when the API requires configured keys, /metrics takes one of
    // them as HTTP Basic credentials (Prometheus' basic_auth: access key id, secret access key).
    const scrapers = opts.requireAuth ? (opts.credentials ?? []) : undefined;
    app.get('/metrics', (c) => {
      if (scrapers && !basicAuthorized(c.req.header('authorization'), scrapers)) {
        return new Response('Unauthorized: /metrics needs HTTP Basic credentials (a configured access key id and secret access key).\n', {
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="stepwise", charset="UTF-8"', 'content-type': 'text/plain; charset=utf-8' },
        });
      }
      return new Response(metrics.render(), { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } });
    });
  }

  // SNS's requests are told apart by their headers; every other POST / goes on to the JSON APIs below.
  if (opts.sns) app.post('/', snsRoute(opts.sns, verifier, maxBody, onError, opts.authorize));

  app.post('/', async (c) => {
    try {
      const answer = await handle(c);
      return answer instanceof RoutedAnswer ? reply(answer.status, answer.body, answer.contentType) : reply(200, JSON.stringify(answer));
    } catch (err) {
      const e = toApiError(err);
      if (e.code === 'InternalFailure') onError(err);
      return reply(e.status, errorBody(e));
    }
  });

  for (const m of opts.mounts ?? []) app.route(m.path, m.app);
  if (opts.s3) app.all('*', s3Handler(opts.s3, verifier, onError));

  app.notFound(() => reply(404, errorBody(new ApiError('UnknownOperationException', 'Not found: the Step Functions API answers POST / only.', 404))));

  async function handle(c: Context): Promise<unknown> {
    const { body, headers, accessKeyId } = await verifiedRequest(c, verifier, maxBody);
    const amzTarget = headers.get('x-amz-target');
    // What a request signed with a function's own key may do is its role's business.
    const denied = (req: IamRequest): string | undefined => opts.authorize?.(accessKeyId, req);
    const members = (): JsonObject => {
      try {
        const v: unknown = JSON.parse(new TextDecoder('utf-8').decode(body));
        return v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {};
      } catch {
        return {};
      }
    };
    if (opts.dynamodb && amzTarget?.startsWith(DYNAMODB_TARGET_PREFIX)) {
      const denial = opts.authorize && denied(dynamoDbAction(amzTarget.slice(DYNAMODB_TARGET_PREFIX.length), members()));
      if (denial) return new RoutedAnswer(400, JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException', message: denial }));
      const answer = await opts.dynamodb.handle(amzTarget, new TextDecoder('utf-8').decode(body));
      return new RoutedAnswer(answer.status, answer.body);
    }
    const family = amzTarget?.startsWith(EVENTS_TARGET_PREFIX) ? 'events' : amzTarget?.startsWith('Logs_20140328.') ? 'logs' : undefined;
    if (family && opts.authorize) {
      const denial = denied({ action: `${family}:${(amzTarget ?? '').slice((amzTarget ?? '').indexOf('.') + 1)}`, resources: [] });
      if (denial) return new RoutedAnswer(400, JSON.stringify({ __type: 'AccessDeniedException', message: denial }), JSON_1_1_CONTENT_TYPE);
    }
    if (opts.events && (amzTarget?.startsWith(EVENTS_TARGET_PREFIX) || SCHEDULE_TARGETS.has(amzTarget ?? ''))) {
      const answer = await opts.events.handle(amzTarget ?? '', new TextDecoder('utf-8').decode(body));
      return new RoutedAnswer(answer.status, answer.body, JSON_1_1_CONTENT_TYPE);
    }
    if (opts.logs && amzTarget?.startsWith('Logs_20140328.')) {
      const answer = await opts.logs.handle(amzTarget, new TextDecoder('utf-8').decode(body));
      return new RoutedAnswer(answer.status, answer.body, JSON_1_1_CONTENT_TYPE);
    }
    const op = operationOf(amzTarget);
    const handler = table[op];
    if (!handler) throw new ApiError('UnsupportedOperation', `${op} is not implemented yet in Stepwise.`);
    const parsed = parseBody(new TextDecoder('utf-8').decode(body));
    const denial = opts.authorize && denied(statesAction(op, members()));
    if (denial) throw new ApiError('AccessDeniedException', denial);
    return handler(parsed);
  }

  function operationOf(target: string | undefined): SfnOperation {
    const op = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
    if (op === undefined || !known.has(op)) {
      throw new ApiError('UnknownOperationException', target ? `Unknown operation: ${target}` : 'Missing X-Amz-Target header');
    }
    return op as SfnOperation;
  }

  return app;
}

/** Whether an `Authorization: Basic …` header names one of `credentials` (compared in constant time). */
function basicAuthorized(header: string | undefined, credentials: readonly Credential[]): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(Buffer.from(m[1] as string, 'base64').toString('utf8'));
  let ok = false;
  for (const c of credentials) {
    const expected = Buffer.from(`${c.accessKeyId}:${c.secretAccessKey}`);
    if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}

/** An answer another API's handler wrote (status and body text), passed through as is. */
class RoutedAnswer {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType: string = JSON_CONTENT_TYPE,
  ) {}
}

/**
 * Local Lambda functions, run as AWS Lambda runs them, answering Task states by function ARN (bare
 * payload) or through `arn:aws:states:::lambda:invoke` (result wrapped with Payload and
 * StatusCode). Two kinds of function, one contract:
 *
 * - module functions (a file and an export: `functions:` in stepwise.yaml, `--handler`) run
 *   isolated in worker threads (lambda-pool.ts) with their `timeout`, `memorySize` and
 *   `concurrency`, Lambda's environment variables, and their console forwarded to the log;
 * - closures (LambdaHandler functions passed in by tests and embedders) cannot move to another
 *   thread: they run in-process. Their `timeout`, memory and concurrency are not enforced, their
 *   process.exit ends the process, and their console is the process's own.
 *
 * Either way a failure becomes the task's error, named by the payload's errorType, with Lambda's
 * JSON error payload as the cause (lambda-errors.ts).
 */
import { randomUUID } from 'node:crypto';
import { basename, dirname, extname } from 'node:path';
import { isObject, type Json, type JsonObject } from '../lib/json.js';
import { StatesError } from '../asl/errors.js';
import type { TaskInvoker, TaskProgress } from '../engine/local-run.js';
import type { TaskRequest } from '../engine/types.js';
import { buildContext, callHandler, logGroupName, newLogStreamName, resultJson, type LambdaHandler } from './lambda-context.js';
import { errorPayloadOf, functionError, functionNotFound, LambdaErrorTypes, runtimeError } from './lambda-errors.js';
import { FunctionPool } from './lambda-pool.js';

/** A function loaded from a module, run isolated. */
export interface ModuleFunction {
  name: string;
  /** The module file, absolute (.js, .mjs, .cjs; .ts only when Stepwise runs under tsx). */
  module: string;
  /** The function's code folder (LAMBDA_TASK_ROOT); default the module's folder. */
  codeDir?: string;
  /** Default `handler`. */
  exportName?: string;
  /** `<file>.<export>` as configured, for error messages; default from the module's file name. */
  handler?: string;
  /** Seconds; Lambda's default is 3. */
  timeout?: number;
  /** Megabytes; Lambda's default is 128. Bounds the worker's V8 heap. */
  memorySize?: number;
  /** Simultaneous invocations at most (each its own worker); more wait in line. Default 10. */
  concurrency?: number;
  /** Further environment variables for the handler. */
  environment?: Record<string, string>;
  /** The function's execution role (ARN): its SDK calls back to Stepwise are held to it. */
  role?: string;
}

export interface AccessKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface LambdaRuntimeOptions {
  functions?: ModuleFunction[];
  /** In-process functions by name (or by resource ARN). A module function of the same name wins. */
  handlers?: Map<string, LambdaHandler> | Record<string, LambdaHandler>;
  region?: string;
  account?: string;
  /** Service endpoints the handlers' AWS SDK uses, by SDK service id: `{ SFN: 'http://127.0.0.1:8083' }` → AWS_ENDPOINT_URL_SFN. */
  endpoints?: Record<string, string>;
  /** The handlers' AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (default test/test). */
  credentials?: AccessKeyPair;
  /** Where the functions' console output and the runtime's own reports go (default console.log). */
  log?: (line: string) => void;
  /** How long loading a module may take, in milliseconds (default 10 000: Lambda's Init limit). */
  initTimeoutMs?: number;
  /** A warm worker idle this long is stopped, in milliseconds (default 5 minutes). */
  idleMs?: number;
}

export const LAMBDA_DEFAULTS = Object.freeze({ timeout: 3, memorySize: 128, concurrency: 10, initTimeoutMs: 10_000, idleMs: 300_000 });

/** Environment variables of the server passed on to handlers; everything else (its secrets) stays out. */
const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'NODE_PATH', 'NODE_EXTRA_CA_CERTS'];

export class LambdaRuntime {
  readonly region: string;
  readonly account: string;
  private readonly pools = new Map<string, FunctionPool>();
  private readonly closures: Map<string, LambdaHandler>;
  private readonly closureStream = newLogStreamName();
  private endpoints: Record<string, string>;
  private credentials: AccessKeyPair;
  /** Functions with a role of their own sign with their own keys. */
  private readonly functionCredentials = new Map<string, AccessKeyPair>();

  constructor(opts: LambdaRuntimeOptions = {}) {
    this.region = opts.region ?? 'us-east-1';
    this.account = opts.account ?? '123456789012';
    this.endpoints = { ...opts.endpoints };
    this.credentials = opts.credentials ?? { accessKeyId: 'test', secretAccessKey: 'test' };
    this.closures = opts.handlers instanceof Map ? new Map(opts.handlers) : new Map(Object.entries(opts.handlers ?? {}));
    const log = opts.log ?? ((line: string) => console.log(line));
    // A later declaration of a name replaces an earlier one (a --handler flag overrides the file).
    const byName = new Map((opts.functions ?? []).map((fn) => [fn.name, fn]));
    for (const fn of byName.values()) {
      const exportName = fn.exportName ?? 'handler';
      const memorySize = fn.memorySize ?? LAMBDA_DEFAULTS.memorySize;
      const resolved = {
        name: fn.name,
        module: fn.module,
        exportName,
        handler: fn.handler ?? `${basename(fn.module, extname(fn.module))}.${exportName}`,
        timeout: fn.timeout ?? LAMBDA_DEFAULTS.timeout,
        memorySize,
        concurrency: fn.concurrency ?? LAMBDA_DEFAULTS.concurrency,
        codeDir: fn.codeDir ?? dirname(fn.module),
      };
      this.pools.set(
        fn.name,
        new FunctionPool(resolved, {
          env: (logStreamName) => this.environment(resolved, logStreamName, fn.environment),
          log,
          initTimeoutMs: opts.initTimeoutMs ?? LAMBDA_DEFAULTS.initTimeoutMs,
          idleMs: opts.idleMs ?? LAMBDA_DEFAULTS.idleMs,
        }),
      );
    }
  }

  has(name: string): boolean {
    return this.pools.has(name) || this.closures.has(name);
  }

  /** Whether `name` runs isolated (a module function) rather than in-process. */
  isolated(name: string): boolean {
    return this.pools.has(name);
  }

  functionArn(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.account}:function:${name}`;
  }

  /** The keys a function's SDK signs with (its role's identity), instead of the server's. */
  setFunctionCredentials(functionName: string, credentials: AccessKeyPair): void {
    this.functionCredentials.set(functionName, credentials);
    this.pools.get(functionName)?.renew();
  }

  /** Point the handlers' SDK at other endpoints or credentials: new workers get them, warm ones are replaced once idle. */
  setEndpoints(endpoints: Record<string, string>, credentials?: AccessKeyPair): void {
    this.endpoints = { ...this.endpoints, ...endpoints };
    if (credentials) this.credentials = credentials;
    for (const pool of this.pools.values()) pool.renew();
  }

  /** Invoke a function (`arn` is what the caller named, for the context); rejects with a StatesError. */
  invoke(name: string, arn: string, event: Json): Promise<Json> {
    const pool = this.pools.get(name);
    if (pool) return pool.invoke(arn, event);
    const closure = this.closures.get(name) ?? this.closures.get(arn);
    if (closure) return this.callInProcess(name, closure, arn, event);
    return Promise.reject(functionNotFound(arn));
  }

  /** Live workers, busy ones and waiting invocations of a module function. */
  stats(name: string): { workers: number; busy: number; queued: number } | undefined {
    return this.pools.get(name)?.stats();
  }

  /** Stop every worker; invocations still waiting fail. */
  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
  }

  private async callInProcess(name: string, handler: LambdaHandler, arn: string, event: Json): Promise<Json> {
    const requestId = randomUUID();
    const fn = { name, memorySize: LAMBDA_DEFAULTS.memorySize, logStreamName: this.closureStream };
    const context = buildContext(fn, requestId, arn, Date.now() + LAMBDA_DEFAULTS.timeout * 1000);
    let out: unknown;
    try {
      out = await callHandler(handler, event, context);
    } catch (err) {
      throw functionError(errorPayloadOf(err));
    }
    let json: string;
    try {
      json = resultJson(out);
    } catch {
      throw functionError(runtimeError(LambdaErrorTypes.JSONStringify, 'Unable to stringify response body'));
    }
    return JSON.parse(json) as Json;
  }

  private environment(fn: { name: string; memorySize: number; handler: string; codeDir: string }, logStreamName: string, extra?: Record<string, string>): Record<string, string> {
    const env: Record<string, string> = {};
    for (const k of INHERITED_ENV) {
      const v = process.env[k];
      if (v !== undefined) env[k] = v;
    }
    Object.assign(env, {
      AWS_REGION: this.region,
      AWS_DEFAULT_REGION: this.region,
      AWS_ACCESS_KEY_ID: (this.functionCredentials.get(fn.name) ?? this.credentials).accessKeyId,
      AWS_SECRET_ACCESS_KEY: (this.functionCredentials.get(fn.name) ?? this.credentials).secretAccessKey,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(fn.name),
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
      AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`,
      LAMBDA_TASK_ROOT: fn.codeDir,
      _HANDLER: fn.handler,
    });
    for (const [service, url] of Object.entries(this.endpoints)) env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] = url;
    return { ...env, ...extra };
  }
}

function functionNameOf(ref: string): string {
  // A name, a partial ARN (123456789012:function:name) or a full ARN, with an optional qualifier.
  const m = /function:([^:]+)/.exec(ref);
  return m ? (m[1] as string) : (ref.split(':')[0] as string);
}

/** Task states answered by a runtime's functions; other resources go to `fallback`. */
export function lambdaInvoker(runtime: LambdaRuntime, fallback?: TaskInvoker): TaskInvoker {
  return {
    async invoke(req: TaskRequest, progress?: TaskProgress): Promise<Json> {
      const parts = req.resource.split(':');
      if (parts[2] === 'lambda' && parts[5] === 'function') {
        return runtime.invoke(parts[6] as string, req.resource, req.input);
      }
      if (req.resource.startsWith('arn:aws:states:::lambda:invoke')) {
        const params = isObject(req.input) ? req.input : {};
        const ref = String(params['FunctionName'] ?? '');
        const name = functionNameOf(ref);
        const arn = ref.startsWith('arn:') ? ref : runtime.functionArn(name);
        const t0 = performance.now();
        const payload = await runtime.invoke(name, arn, invokePayload(params['Payload']));
        const requestId = randomUUID();
        const result: JsonObject = {
          ExecutedVersion: '$LATEST',
          Payload: payload,
          SdkHttpMetadata: { AllHttpHeaders: {}, HttpHeaders: {}, HttpStatusCode: 200 },
          SdkResponseMetadata: { RequestId: requestId },
          StatusCode: 200,
        };
        // LogType Tail: the last 4 KB of the invocation's log, base64 (here Lambda's own START/END/REPORT lines).
        if (params['LogType'] === 'Tail') result['LogResult'] = logTail(requestId, performance.now() - t0);
        return result;
      }
      if (runtime.has(req.resource)) return runtime.invoke(req.resource, req.resource, req.input);
      if (fallback) return fallback.invoke(req, progress);
      throw new StatesError('States.TaskFailed', `No local handler answers resource '${req.resource}'. Pass --handler ${req.resource}=./file.js`);
    },
  };
}

/**
 * The event of a `lambda:invoke` task: its Payload, or `{}` without one. A string Payload is the
 * request body itself (JSON text), as Lambda's Invoke takes it.
 */
function invokePayload(payload: Json | undefined): Json {
  if (payload === undefined || payload === null) return {};
  if (typeof payload !== 'string') return payload;
  try {
    return JSON.parse(payload) as Json;
  } catch (err) {
    throw new StatesError(
      'Lambda.InvalidRequestContentException',
      `Could not parse request body into json: ${err instanceof Error ? err.message : String(err)} (Service: AWSLambda; Status Code: 400; Error Code: InvalidRequestContentException; Request ID: ${randomUUID()}; Proxy: null)`,
    );
  }
}

function logTail(requestId: string, durationMs: number): string {
  const ms = durationMs.toFixed(2);
  const text = `START RequestId: ${requestId} Version: $LATEST\nEND RequestId: ${requestId}\nREPORT RequestId: ${requestId}\tDuration: ${ms} ms\tBilled Duration: ${Math.max(1, Math.ceil(durationMs))} ms\n`;
  return Buffer.from(text.slice(-4096), 'utf8').toString('base64');
}

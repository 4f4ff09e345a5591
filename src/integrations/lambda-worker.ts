/**
 * Worker-thread entry of one isolated Lambda execution environment (see lambda-pool.ts). It loads
 * the function's module once (Lambda's Init), answers `{ready}` or `{initError}`, then runs one
 * invocation at a time. Console output is written in Lambda's text format
 * (`<time>\t<request id>\t<LEVEL>\t<message>`) and, like anything else written to stdout or
 * stderr, sent to the pool as messages, which forwards it to the server's log.
 *
 * A handler that throws or rejects answers with Lambda's error payload. An error that escapes the
 * handler (a throwing timer, an unhandled rejection) fails the invocation as Lambda's runtime does
 * and marks this environment `fatal`: the pool then replaces it. process.exit, a timeout and
 * running out of memory end this thread; the pool reports them.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { callHandler, buildContext, resultJson, type LambdaHandler } from './lambda-context.js';
import { errorPayloadOf, LambdaErrorTypes, runtimeError, type LambdaErrorPayload } from './lambda-errors.js';

export interface WorkerSetup {
  name: string;
  /** The module file, absolute. */
  module: string;
  exportName: string;
  /** `index.handler`: how the function's handler is named in errors. */
  handler: string;
  memorySize: number;
  logStreamName: string;
  /** Whether this thread already loads TypeScript (the pool runs from sources, under tsx). */
  typescript: boolean;
}

export interface InvokeMessage {
  id: number;
  requestId: string;
  arn: string;
  event: unknown;
  /** Epoch milliseconds when the invocation times out. */
  deadline: number;
}

export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'initError'; payload: LambdaErrorPayload }
  | { kind: 'result'; id: number; ok: true; json: string }
  | { kind: 'result'; id: number; ok: false; payload: LambdaErrorPayload; fatal?: boolean }
  | { kind: 'crash'; payload: LambdaErrorPayload }
  | { kind: 'log'; text: string }
  | { kind: 'outOfMemory' };

const port = parentPort;
const setup = workerData as WorkerSetup;
let current: InvokeMessage | undefined;

function writeLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

/**
 * This thread's stdout and stderr go to the pool as messages: in order with the results, and
 * (unlike the `stdout: true` worker streams) without keeping an idle pool's process alive.
 */
function forwardOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = ((chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
      post({ kind: 'log', text: Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk) });
      const done = typeof encoding === 'function' ? encoding : cb;
      if (typeof done === 'function') (done as () => void)();
      return true;
    }) as typeof stream.write;
  }
}

function patchConsole(): void {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' } as const;
  for (const [method, level] of Object.entries(levels)) {
    (console as unknown as Record<string, (...args: unknown[]) => void>)[method] = (...args: unknown[]) => {
      writeLine(`${new Date().toISOString()}\t${current?.requestId ?? 'undefined'}\t${level}\t${format(...args)}`);
    };
  }
}

function loadError(err: unknown): LambdaErrorPayload {
  const code = (err as { code?: unknown } | null)?.code;
  const stack = err instanceof Error ? err.stack : undefined;
  if (err instanceof SyntaxError) return runtimeError(LambdaErrorTypes.UserCodeSyntax, String(err), stack);
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return runtimeError(LambdaErrorTypes.ImportModule, String(err), stack);
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION') {
    return runtimeError(
      LambdaErrorTypes.ImportModule,
      `${String(err)} (Stepwise loads a .ts handler through tsx, found neither beside the function nor beside Stepwise: install tsx, or compile the function to .js)`,
      stack,
    );
  }
  return errorPayloadOf(err);
}

/**
 * Worker threads do not inherit the main thread's module hooks (`node --import tsx` included), so a
 * .ts handler gets tsx registered here: the function's own tsx if it has one, else Stepwise's.
 */
async function registerTypeScript(): Promise<void> {
  if (setup.typescript || !/\.[cm]?ts$/.test(setup.module)) return;
  for (const base of [setup.module, import.meta.url]) {
    try {
      const dir = dirname(createRequire(base).resolve('tsx/package.json'));
      const api = (await import(pathToFileURL(join(dir, 'dist', 'esm', 'api', 'index.mjs')).href)) as { register: () => unknown };
      api.register();
      return;
    } catch {
      // not installed there: try the next place, else the import below fails with ERR_UNKNOWN_FILE_EXTENSION
    }
  }
}

async function loadHandler(): Promise<LambdaHandler> {
  let mod: Record<string, unknown>;
  try {
    await registerTypeScript();
    mod = (await import(pathToFileURL(setup.module).href)) as Record<string, unknown>;
  } catch (err) {
    throw loadError(err);
  }
  const fromDefault = mod['default'] !== null && typeof mod['default'] === 'object' ? (mod['default'] as Record<string, unknown>)[setup.exportName] : undefined;
  let fn = mod[setup.exportName] ?? fromDefault;
  // `handler` may also be the module's default export (as --handler has always accepted).
  if (fn === undefined && setup.exportName === 'handler' && typeof mod['default'] === 'function') fn = mod['default'];
  if (fn === undefined) throw runtimeError(LambdaErrorTypes.HandlerNotFound, `${setup.handler} is undefined or not exported`);
  if (typeof fn !== 'function') throw runtimeError(LambdaErrorTypes.HandlerNotFound, `${setup.handler} is not a function`);
  return fn as LambdaHandler;
}

function post(msg: WorkerMessage): void {
  port?.postMessage(msg);
}

/** An error outside the handler's own promise: fail the invocation in flight, and have this environment replaced. */
function escaped(payload: LambdaErrorPayload): void {
  writeLine(`${new Date().toISOString()}\t${current?.requestId ?? 'undefined'}\tERROR\t${payload.errorType}: ${payload.errorMessage}`);
  if (current) post({ kind: 'result', id: current.id, ok: false, payload, fatal: true });
  else post({ kind: 'crash', payload });
  current = undefined;
}

async function invoke(handler: LambdaHandler, msg: InvokeMessage): Promise<void> {
  current = msg;
  const started = performance.now();
  writeLine(`START RequestId: ${msg.requestId} Version: $LATEST`);
  let answer: WorkerMessage;
  try {
    const result = await callHandler(handler, msg.event, buildContext(setup, msg.requestId, msg.arn, msg.deadline));
    try {
      answer = { kind: 'result', id: msg.id, ok: true, json: resultJson(result) };
    } catch {
      answer = { kind: 'result', id: msg.id, ok: false, payload: runtimeError(LambdaErrorTypes.JSONStringify, 'Unable to stringify response body') };
    }
  } catch (err) {
    const payload = errorPayloadOf(err);
    writeLine(`${new Date().toISOString()}\t${msg.requestId}\tERROR\tInvoke Error \t${JSON.stringify(payload)}`);
    answer = { kind: 'result', id: msg.id, ok: false, payload };
  }
  if (current !== msg) return; // an escaped error already answered for it
  current = undefined;
  post(answer);
  const ms = performance.now() - started;
  const usedMb = Math.ceil(getHeapStatistics().used_heap_size / (1024 * 1024));
  writeLine(`END RequestId: ${msg.requestId}`);
  writeLine(
    `REPORT RequestId: ${msg.requestId}\tDuration: ${ms.toFixed(2)} ms\tBilled Duration: ${Math.ceil(ms)} ms\tMemory Size: ${setup.memorySize} MB\tMax Memory Used: ${usedMb} MB`,
  );
}

/**
 * V8's resourceLimits bound the heap only. Buffers and ArrayBuffers live outside it, so this
 * thread also watches its own total (heap + external) against memorySize, between turns of its
 * event loop: a handler that hoards them across awaits is stopped as out of memory (one that does
 * so in a single synchronous loop is not seen until it yields).
 */
function watchMemory(): void {
  const limit = setup.memorySize * 1024 * 1024;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    if (m.heapUsed + m.external > limit) {
      clearInterval(timer);
      post({ kind: 'outOfMemory' });
    }
  }, 50);
  timer.unref();
}

if (port) {
  const p = port;
  watchMemory();
  forwardOutput();
  patchConsole();
  process.on('uncaughtException', (err) => escaped(errorPayloadOf(err)));
  process.on('unhandledRejection', (reason) => {
    const stack = reason instanceof Error ? reason.stack : undefined;
    escaped(runtimeError(LambdaErrorTypes.UnhandledPromiseRejection, String(reason), stack));
  });
  loadHandler().then(
    (handler) => {
      p.on('message', (msg: InvokeMessage) => void invoke(handler, msg));
      post({ kind: 'ready' });
    },
    (payload: LambdaErrorPayload) => post({ kind: 'initError', payload }),
  );
}

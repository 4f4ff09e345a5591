/**
 * The execution environments of one isolated local function: worker threads, at most
 * `concurrency` of them, each running one invocation at a time (invocations beyond that wait in
 * line). A worker is started on demand, loads the module once, and stays warm until it has been
 * idle for a while.
 *
 * What a handler cannot do to the engine from a worker: hang it (after `timeout` seconds the
 * worker is terminated, the invocation fails with Sandbox.Timedout), exhaust its heap (V8's limits
 * from `memorySize`; the worker dies alone with ERR_WORKER_OUT_OF_MEMORY → Runtime.OutOfMemory;
 * Buffers outside the heap are watched by the worker itself), or exit it (process.exit ends only
 * the worker → Runtime.ExitError). A replaced worker starts cold on the next invocation, as a new
 * Lambda execution environment would. What a thread cannot be kept from: signals to the process
 * (process.kill), native addons, and memory hoarded off the heap in one synchronous loop.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { StatesError } from '../asl/errors.js';
import type { Json } from '../lib/json.js';
import { newLogStreamName } from './lambda-context.js';
import { errorPayloadOf, exitPayload, functionError, outOfMemoryPayload, timeoutPayload, type LambdaErrorPayload } from './lambda-errors.js';
import type { InvokeMessage, WorkerMessage, WorkerSetup } from './lambda-worker.js';

export interface PoolFunction {
  name: string;
  module: string;
  exportName: string;
  /** `index.handler`, for messages. */
  handler: string;
  /** Seconds. */
  timeout: number;
  /** Megabytes. */
  memorySize: number;
  concurrency: number;
}

export interface PoolOptions {
  /** The environment of a new worker (called once per worker: it names the worker's log stream). */
  env: (logStreamName: string) => Record<string, string>;
  log: (line: string) => void;
  /** How long loading the module may take (Lambda's Init phase is limited to 10 s). */
  initTimeoutMs: number;
  /** A warm worker idle this long is stopped. */
  idleMs: number;
}

interface Job {
  id: number;
  requestId: string;
  arn: string;
  event: Json;
  resolve: (value: Json) => void;
  reject: (err: StatesError) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  dead: boolean;
  generation: number;
  job: Job | undefined;
  timer: NodeJS.Timeout | undefined;
  logTail: string;
}

/** V8's heap limits for a function's memory: a young generation of 1/16 (4 to 64 MB), the rest old. */
export function heapLimits(memorySize: number): ResourceLimits {
  const young = Math.min(64, Math.max(4, Math.round(memorySize / 16)));
  return { maxYoungGenerationSizeMb: young, maxOldGenerationSizeMb: Math.max(16, memorySize - young) };
}

/**
 * From compiled JavaScript the entry is `lambda-worker.js` beside this file. From TypeScript
 * sources (tests, tsx) a small bootstrap registers tsx in the worker first, which also lets a
 * function's own .ts module load (as in src/engine/jsonata-pool.ts).
 */
function createWorker(options: ConstructorParameters<typeof Worker>[1]): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./lambda-worker.js', here), options);
  const tsxDir = dirname(createRequire(here).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL('./lambda-worker.ts', here).href;
  const bootstrap = `(async () => { const api = await import(${JSON.stringify(tsxApi)}); api.register(); await import(${JSON.stringify(entry)}); })().catch((err) => { throw err; });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

let nextJobId = 1;

export class FunctionPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private generation = 0;
  private closed = false;

  constructor(
    readonly fn: PoolFunction,
    private readonly opts: PoolOptions,
  ) {}

  invoke(arn: string, event: Json): Promise<Json> {
    if (this.closed) return Promise.reject(shutDown());
    return new Promise<Json>((resolve, reject) => {
      this.queue.push({ id: nextJobId++, requestId: randomUUID(), arn, event, resolve, reject });
      this.dispatch();
    });
  }

  /** New workers get a fresh environment; warm ones are replaced once idle. */
  renew(): void {
    this.generation++;
    for (const slot of [...this.slots]) if (!slot.job && slot.ready) this.kill(slot);
  }

  /** Live workers, busy ones and waiting invocations (for tests and metrics). */
  stats(): { workers: number; busy: number; queued: number } {
    return { workers: this.slots.length, busy: this.slots.filter((s) => s.job).length, queued: this.queue.length };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(shutDown());
    const all = this.slots.splice(0);
    await Promise.all(
      all.map(async (slot) => {
        slot.dead = true;
        clearTimeout(slot.timer);
        const job = slot.job;
        slot.job = undefined;
        job?.reject(shutDown());
        await slot.worker.terminate().catch(() => undefined);
      }),
    );
  }

  private spawn(): void {
    const logStreamName = newLogStreamName();
    const setup: WorkerSetup = {
      name: this.fn.name,
      module: this.fn.module,
      exportName: this.fn.exportName,
      handler: this.fn.handler,
      memorySize: this.fn.memorySize,
      logStreamName,
      typescript: import.meta.url.endsWith('.ts'),
    };
    const worker = createWorker({
      workerData: setup,
      env: this.opts.env(logStreamName),
      resourceLimits: heapLimits(this.fn.memorySize),
    });
    const slot: Slot = { worker, ready: false, dead: false, generation: this.generation, job: undefined, timer: undefined, logTail: '' };
    slot.timer = setTimeout(() => this.onInitTimeout(slot), this.opts.initTimeoutMs);
    worker.on('message', (msg: WorkerMessage) => this.onMessage(slot, msg));
    worker.on('error', (err: unknown) => {
      const oom = (err as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.onDeath(slot, (requestId) => (oom ? outOfMemoryPayload(requestId) : errorPayloadOf(err)));
    });
    worker.on('exit', (code: number) => {
      this.flushLog(slot);
      this.onDeath(slot, (requestId) => exitPayload(requestId, code));
    });
    this.slots.push(slot);
    this.syncRef(slot);
  }

  private onMessage(slot: Slot, msg: WorkerMessage): void {
    if (msg.kind === 'log') {
      this.forwardLog(slot, msg.text);
      return;
    }
    if (slot.dead) return;
    switch (msg.kind) {
      case 'ready':
        clearTimeout(slot.timer);
        slot.ready = true;
        this.idle(slot);
        break;
      case 'initError': {
        // The invocation that waited for this environment gets the Init error; the next one starts a new environment.
        this.kill(slot);
        const job = this.queue.shift();
        if (job) this.fail(job, msg.payload);
        break;
      }
      case 'result': {
        const job = slot.job;
        if (!job || job.id !== msg.id) return;
        this.settle(slot);
        if (msg.ok) job.resolve(JSON.parse(msg.json) as Json);
        else this.fail(job, msg.payload);
        if (!msg.ok && msg.fatal) this.kill(slot);
        else this.idle(slot);
        break;
      }
      case 'crash':
        this.kill(slot);
        break;
      case 'outOfMemory':
        this.onDeath(slot, outOfMemoryPayload);
        return;
    }
    this.dispatch();
  }

  /** The worker ended (exit or error) or was found dead: whatever it was doing fails with `payload`. */
  private onDeath(slot: Slot, payload: (requestId: string) => LambdaErrorPayload): void {
    if (slot.dead) return;
    const wasReady = slot.ready;
    const job = slot.job;
    this.kill(slot);
    if (job) this.report(job, payload(job.requestId));
    else if (!wasReady) {
      const waiting = this.queue.shift();
      if (waiting) this.report(waiting, payload(waiting.requestId));
    }
    this.dispatch();
  }

  private onInitTimeout(slot: Slot): void {
    if (slot.dead || slot.ready) return;
    this.kill(slot);
    const job = this.queue.shift();
    if (job) this.report(job, timeoutPayload(job.requestId, this.opts.initTimeoutMs / 1000));
    this.dispatch();
  }

  private onTimeout(slot: Slot, job: Job): void {
    if (slot.dead || slot.job !== job) return;
    this.kill(slot);
    this.report(job, timeoutPayload(job.requestId, this.fn.timeout));
    this.dispatch();
  }

  /** A failure the sandbox reports (timeout, exit, memory): logged as Lambda logs it. */
  private report(job: Job, payload: LambdaErrorPayload): void {
    this.opts.log(`[${this.fn.name}] ${new Date().toISOString()} ${payload.errorMessage} ${payload.errorType}`);
    this.fail(job, payload);
  }

  private fail(job: Job, payload: LambdaErrorPayload): void {
    job.reject(functionError(payload));
  }

  private dispatch(): void {
    while (!this.closed && this.queue.length > 0) {
      const slot = this.slots.find((s) => s.ready && !s.dead && !s.job);
      if (!slot) {
        const starting = this.slots.filter((s) => !s.ready).length;
        if (this.slots.length < this.fn.concurrency && starting < this.queue.length) this.spawn();
        else break;
        continue;
      }
      const job = this.queue.shift() as Job;
      this.start(slot, job);
    }
    for (const slot of this.slots) this.syncRef(slot);
  }

  private start(slot: Slot, job: Job): void {
    clearTimeout(slot.timer);
    slot.job = job;
    const timeoutMs = this.fn.timeout * 1000;
    slot.timer = setTimeout(() => this.onTimeout(slot, job), timeoutMs);
    const msg: InvokeMessage = { id: job.id, requestId: job.requestId, arn: job.arn, event: job.event, deadline: Date.now() + timeoutMs };
    try {
      slot.worker.postMessage(msg);
    } catch (err) {
      this.settle(slot);
      this.fail(job, errorPayloadOf(err));
      this.idle(slot);
    }
  }

  private settle(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = undefined;
  }

  /** A worker without work: stopped when stale, else after idleMs. */
  private idle(slot: Slot): void {
    if (slot.dead) return;
    if (slot.generation !== this.generation) {
      this.kill(slot);
      return;
    }
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      if (!slot.job) this.kill(slot);
    }, this.opts.idleMs);
    slot.timer.unref();
  }

  private kill(slot: Slot): void {
    if (slot.dead) return;
    slot.dead = true;
    clearTimeout(slot.timer);
    slot.job = undefined;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    void slot.worker.terminate().catch(() => undefined);
  }

  /** A worker keeps the process alive only while there is work for the pool. */
  private syncRef(slot: Slot): void {
    if (slot.dead) return;
    if (slot.job || (!slot.ready && this.queue.length > 0)) slot.worker.ref();
    else slot.worker.unref();
  }

  private forwardLog(slot: Slot, chunk: string): void {
    const text = slot.logTail + chunk;
    const lines = text.split('\n');
    slot.logTail = lines.pop() ?? '';
    for (const line of lines) this.opts.log(`[${this.fn.name}] ${line}`);
  }

  private flushLog(slot: Slot): void {
    if (slot.logTail) this.opts.log(`[${this.fn.name}] ${slot.logTail}`);
    slot.logTail = '';
  }
}

function shutDown(): StatesError {
  return new StatesError('Lambda.ServiceException', 'The local Lambda runtime stopped before the function answered.');
}

/**
 * A small pool of worker threads for JSONata expressions that may run a regular expression. Each worker runs one
 * job at a time; a job that has not answered within its hard timeout gets its worker terminated (which stops any
 * backtracking regex) and fails with the timeout detail. Workers are unref'd: an idle pool never keeps the process
 * alive, and a worker that runs out of its memory quota dies alone.
 *
 * This is the engine's implementation of the JSONata isolation port: src/asl stays pure, and the engine installs
 * it with `setJsonataIsolation(evaluateInWorker)` (see step.ts).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Json } from '../lib/json.js';
import { TIMEOUT_DETAIL, type JsonataLimits, type Outcome } from '../asl/jsonata/core.js';
import type { WorkerJob } from './jsonata-worker.js';

const MAX_WORKERS = 2;
/** Extra time given to a worker beyond the evaluation budget before it is terminated. */
const HARD_TIMEOUT_GRACE_MS = 100;
const WORKER_HEAP_MB = 256;

interface Job {
  payload: WorkerJob;
  hardTimeoutMs: number;
  resolve: (outcome: Outcome) => void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | undefined;
  dead: boolean;
}

const slots: Slot[] = [];
const queue: Job[] = [];
let nextId = 1;

/**
 * Running from compiled JavaScript, the worker is `worker.js` beside this file. Running from TypeScript sources
 * (tests, tsx), a small bootstrap registers tsx's loader in the worker and then imports `worker.ts`.
 */
function createWorker(): Worker {
  const here = import.meta.url;
  const options = { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB }, stdout: false, stderr: false };
  if (!here.endsWith('.ts')) return new Worker(new URL('./jsonata-worker.js', here), options);
  const tsxDir = dirname(createRequire(here).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL('./jsonata-worker.ts', here).href;
  const bootstrap = `(async () => { const api = await import(${JSON.stringify(tsxApi)}); api.register(); await import(${JSON.stringify(entry)}); })().catch((err) => { throw err; });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

function finish(slot: Slot, outcome: Outcome): void {
  const job = slot.job;
  if (!job) return;
  slot.job = undefined;
  if (job.timer) clearTimeout(job.timer);
  job.resolve(outcome);
}

function kill(slot: Slot): void {
  if (slot.dead) return;
  slot.dead = true;
  const i = slots.indexOf(slot);
  if (i >= 0) slots.splice(i, 1);
  void slot.worker.terminate().catch(() => undefined);
}

function spawn(): Slot {
  const worker = createWorker();
  const slot: Slot = { worker, ready: false, job: undefined, dead: false };
  worker.on('message', (msg: ({ id: number } & Outcome) | { ready: true }) => {
    if ('ready' in msg) {
      slot.ready = true;
    } else if (slot.job && slot.job.payload.id === msg.id) {
      const { id: _id, ...outcome } = msg;
      finish(slot, outcome as Outcome);
    }
    dispatch();
  });
  const onDeath = (err?: unknown): void => {
    const wasReady = slot.ready;
    kill(slot);
    const detail = err instanceof Error ? err.message : 'JSONata worker exited';
    if (slot.job) finish(slot, { kind: 'error', detail });
    if (!wasReady) {
      // the worker could not even start: fail what is waiting rather than respawning forever
      for (const job of queue.splice(0)) job.resolve({ kind: 'error', detail });
    }
    dispatch();
  };
  worker.on('error', onDeath);
  worker.on('exit', () => onDeath());
  // A worker keeps the process alive only while it has work (queued or running): an idle pool
  // never does. (Set after the listeners: adding a 'message' listener refs the port again.)
  syncRef(slot);
  slots.push(slot);
  return slot;
}

function syncRef(slot: Slot): void {
  if (slot.dead) return;
  if (slot.job || queue.length > 0) slot.worker.ref();
  else slot.worker.unref();
}

function dispatch(): void {
  try {
    dispatchJobs();
  } finally {
    for (const slot of slots) syncRef(slot);
  }
}

function dispatchJobs(): void {
  while (queue.length > 0) {
    const slot = slots.find((s) => s.ready && !s.job && !s.dead);
    if (!slot) {
      if (slots.length < MAX_WORKERS) spawn();
      return;
    }
    const job = queue.shift() as Job;
    slot.job = job;
    const s = slot;
    job.timer = setTimeout(() => {
      kill(s);
      finish(s, { kind: 'error', detail: TIMEOUT_DETAIL });
      dispatch();
    }, job.hardTimeoutMs);
    try {
      s.worker.postMessage(job.payload);
    } catch (err) {
      finish(s, { kind: 'error', detail: err instanceof Error ? err.message : String(err) });
    }
  }
}

/** Evaluate in a worker; resolves (never rejects) with the outcome, or the timeout detail when killed. */
export function evaluateInWorker(
  text: string,
  states: Record<string, unknown>,
  variables: Record<string, Json>,
  limits: Required<JsonataLimits>,
): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    queue.push({
      payload: { id: nextId++, text, states, variables, limits },
      hardTimeoutMs: limits.timeoutMs + HARD_TIMEOUT_GRACE_MS,
      resolve,
    });
    dispatch();
  });
}

/** Terminate all JSONata workers (tests, shutdown). Jobs in flight fail. */
export async function shutdownJsonataWorkers(): Promise<void> {
  const all = slots.splice(0);
  await Promise.all(
    all.map(async (slot) => {
      slot.dead = true;
      finish(slot, { kind: 'error', detail: 'JSONata worker shut down' });
      await slot.worker.terminate().catch(() => undefined);
    }),
  );
}

/** Number of live workers (for tests). */
export function jsonataWorkerCount(): number {
  return slots.length;
}

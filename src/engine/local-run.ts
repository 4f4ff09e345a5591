/**
 * Runs one execution in-process, start to end: the step loop with tasks answered by local
 * handlers and timers on a clock. With the default fake clock a 10-second Wait or a retry
 * back-off takes no real time while history timestamps advance as they would for real.
 */
import { randomUUID } from 'node:crypto';
import type { Json, JsonObject } from '../lib/json.js';
import { StatesError, toStatesError } from '../asl/errors.js';
import { buildGraph, type MachineGraph } from '../asl/graph.js';
import { FakeClock, systemClock, type Clock } from './clock.js';
import { createStepper, newSnapshot } from './step.js';
import type { EngineEvent, ExecutionStatus, HistoryEvent, Snapshot, StepEnv, TaskRequest, TimerPurpose } from './types.js';

export type LocalHandler = (input: Json, request: TaskRequest) => Promise<unknown> | unknown;

export interface TaskInvoker {
  /**
   * Resolve with the task's result, or reject with a StatesError naming the error. A `.sync`
   * integration reports through `progress` when it has submitted its job (TaskSubmitted).
   */
  invoke(request: TaskRequest, progress?: TaskProgress): Promise<Json>;
}

export interface TaskProgress {
  submitted(output: Json): void;
  /**
   * An HTTP Task's request and response, for TestState's TRACE inspection level (only TestState
   * listens). `revealed` has what the task's connection added (its authorization and parameters,
   * which are secrets); `redacted` leaves that out.
   */
  httpExchange?(exchange: { revealed: HttpTrace; redacted: HttpTrace }): void;
}

/** One HTTP exchange as TestState's inspection data reports it (InspectionDataRequest and InspectionDataResponse). */
export interface HttpTrace {
  request: { protocol: string; method: string; url: string; headers: string; body: string };
  /** Absent when no response came (a timeout, a network failure). */
  response?: { protocol: string; statusCode: string; statusMessage: string; headers: string; body: string };
}

export interface LocalRunOptions {
  /** Task handlers by resource ARN. */
  handlers?: Record<string, LocalHandler>;
  invoker?: TaskInvoker;
  /** 'fake' (default): timers fire at once, time jumps; 'real': timers wait on the system clock. */
  clock?: 'fake' | 'real' | Clock;
  name?: string;
  stateMachineName?: string;
  roleArn?: string;
  region?: string;
  account?: string;
  type?: 'STANDARD' | 'EXPRESS';
  /** Record history events (default true). */
  history?: boolean;
  /**
   * Fake clock only: how long (real milliseconds) to wait for in-flight tasks before letting
   * simulated time run on to the next task or state timer (a TimeoutSeconds, a heartbeat). A
   * task that never answers then times out as it would on AWS. Default 1000.
   */
  taskGraceMs?: number;
  env?: StepEnv;
  /** The mock test case its tasks answer from (`stateMachineArn#TestCase` on StartExecution). */
  mockTestCase?: string;
}

export interface LocalRunResult {
  status: ExecutionStatus;
  /** The output as the JSON text AWS returns. */
  output?: string;
  error?: string;
  cause?: string;
  transitions: number;
  history: HistoryEvent[];
  snapshot: Snapshot;
}

const defaultEnv: StepEnv = { random: Math.random, newId: randomUUID };

const graphCache = new WeakMap<object, MachineGraph>();

export function graphOf(definition: object | string): MachineGraph {
  const def = (typeof definition === 'string' ? JSON.parse(definition) : definition) as JsonObject;
  let g = graphCache.get(def);
  if (!g) {
    g = buildGraph(def);
    graphCache.set(def, g);
  }
  return g;
}

const arnCache = new Map<string, string>();
function machineArn(region: string, account: string, name: string): string {
  const key = `${region}|${account}|${name}`;
  let arn = arnCache.get(key);
  if (arn === undefined) {
    arn = `arn:aws:states:${region}:${account}:stateMachine:${name}`;
    if (arnCache.size > 10_000) arnCache.clear();
    arnCache.set(key, arn);
  }
  return arn;
}

const roles = new Map<string, string>();
function defaultRole(account: string): string {
  let r = roles.get(account);
  if (r === undefined) {
    r = `arn:aws:iam::${account}:role/stepwise-local`;
    roles.set(account, r);
  }
  return r;
}

interface Timer {
  dueAt: number;
  frameId: number;
  token: number;
  purpose: TimerPurpose;
}

export async function runLocal(definition: object | string, input: unknown = {}, opts: LocalRunOptions = {}): Promise<LocalRunResult> {
  const machine = graphOf(definition);
  const clock: Clock = opts.clock === 'real' ? systemClock : opts.clock === 'fake' || opts.clock === undefined ? new FakeClock(Date.now()) : opts.clock;
  const fake = clock instanceof FakeClock;
  const env = opts.env ?? defaultEnv;
  const region = opts.region ?? 'us-east-1';
  const account = opts.account ?? '123456789012';
  const smName = opts.stateMachineName ?? 'local';
  const name = opts.name ?? randomUUID();
  const type = opts.type ?? 'STANDARD';
  const snap = newSnapshot({
    executionArn:
      type === 'EXPRESS'
        ? `arn:aws:states:${region}:${account}:express:${smName}:${name}:${randomUUID()}`
        : `arn:aws:states:${region}:${account}:execution:${smName}:${name}`,
    stateMachineArn: machineArn(region, account, smName),
    stateMachineName: smName,
    name,
    roleArn: opts.roleArn ?? defaultRole(account),
    type,
    startTime: clock.now(),
    input: (input ?? {}) as Json,
    redriveCount: 0,
    region,
    account,
    ...(opts.mockTestCase !== undefined ? { mockTestCase: opts.mockTestCase } : {}),
  });
  const invoker = opts.invoker ?? cachedHandlerInvoker(opts.handlers ?? NO_HANDLERS);
  const history: HistoryEvent[] = [];
  const stepper = createStepper(machine, snap, env, { history: opts.history ?? true });
  const events: EngineEvent[] = [{ kind: 'start' }];
  const timers: Timer[] = [];
  // frame id → token of the task attempt in flight for it (at most one per frame)
  const inFlight = new Map<number, number>();
  const settle = (frameId: number, token: number): boolean => {
    if (inFlight.get(frameId) !== token) return false;
    inFlight.delete(frameId);
    return true;
  };
  const graceMs = opts.taskGraceMs ?? 1000;
  let wake: (() => void) | undefined;
  const push = (ev: EngineEvent) => {
    events.push(ev);
    const w = wake;
    wake = undefined;
    w?.();
  };
  const recordHistory = opts.history ?? true;

  while (snap.status === 'RUNNING') {
    const ev = events.shift();
    if (ev) {
      stepper.reset(clock.now());
      await stepper.apply(ev);
      const res = stepper;
      if (recordHistory) for (const e of res.events) history.push(e);
      for (const c of res.commands) {
        if (c.kind === 'invokeTask') {
          const req = c.request;
          inFlight.set(req.frameId, req.token);
          const progress: TaskProgress = {
            submitted: (output) => {
              if (inFlight.get(req.frameId) === req.token) push({ kind: 'taskSubmitted', frameId: req.frameId, token: req.token, output });
            },
          };
          invoker.invoke(req, progress).then(
            (output) => {
              if (settle(req.frameId, req.token)) push({ kind: 'taskSucceeded', frameId: req.frameId, token: req.token, output });
            },
            (err: unknown) => {
              if (!settle(req.frameId, req.token)) return;
              const e = toStatesError(err);
              push({ kind: 'taskFailed', frameId: req.frameId, token: req.token, error: e.name, cause: e.cause });
            },
          );
        } else if (c.kind === 'startTimer') {
          insertTimer(timers, { dueAt: c.dueAt, frameId: c.frameId, token: c.token, purpose: c.purpose });
        } else if (c.kind === 'cancelTask') {
          // The engine gave up on this attempt (timeout, abort): its late result is dropped.
          settle(c.frameId, c.token);
        }
      }
      continue;
    }
    const next = timers[0];
    // A timer already due fires before anything else.
    if (next && next.dueAt <= clock.now()) {
      timers.shift();
      push({ kind: 'timerFired', frameId: next.frameId, token: next.token, purpose: next.purpose });
      continue;
    }
    if (inFlight.size > 0) {
      // Real clock: wake for the next timer. Fake clock: give tasks a grace period, then let
      // simulated time reach the next timer other than the execution's own deadline.
      const nextTaskTimer = fake ? timers.find((t) => t.purpose !== 'executionTimeout') : next;
      const waitMs = nextTaskTimer === undefined ? undefined : fake ? graceMs : Math.max(0, nextTaskTimer.dueAt - clock.now());
      const woken = await new Promise<boolean>((resolve) => {
        wake = () => resolve(true);
        if (waitMs !== undefined) {
          const t = setTimeout(() => resolve(false), waitMs);
          wake = () => {
            clearTimeout(t);
            resolve(true);
          };
        }
      });
      if (!woken && fake && nextTaskTimer) (clock as FakeClock).set(nextTaskTimer.dueAt);
      continue;
    }
    if (next) {
      if (fake) (clock as FakeClock).set(next.dueAt);
      else await new Promise((r) => setTimeout(r, Math.max(0, next.dueAt - clock.now())));
      continue;
    }
    throw new Error('execution stalled: nothing running and nothing scheduled');
  }
  const result: LocalRunResult = { status: snap.status, transitions: snap.transitions, history, snapshot: snap };
  if (snap.output !== undefined) result.output = JSON.stringify(snap.output);
  if (snap.error !== undefined) result.error = snap.error;
  if (snap.cause !== undefined) result.cause = snap.cause;
  return result;
}

function insertTimer(timers: Timer[], t: Timer): void {
  let i = timers.length;
  while (i > 0 && (timers[i - 1] as Timer).dueAt > t.dueAt) i--;
  timers.splice(i, 0, t);
}

const NO_HANDLERS: Record<string, LocalHandler> = Object.freeze({});
const invokers = new WeakMap<Record<string, LocalHandler>, TaskInvoker>();

function cachedHandlerInvoker(handlers: Record<string, LocalHandler>): TaskInvoker {
  let inv = invokers.get(handlers);
  if (!inv) {
    inv = handlerInvoker(handlers);
    invokers.set(handlers, inv);
  }
  return inv;
}

/** Answers tasks from a map of local handlers keyed by resource ARN. */
export function handlerInvoker(handlers: Record<string, LocalHandler>): TaskInvoker {
  return {
    async invoke(req) {
      const h = handlers[req.resource] ?? handlers[stripSuffix(req.resource)];
      if (!h) throw new StatesError('States.TaskFailed', `No handler for resource '${req.resource}'.`);
      const out = await h(req.input, req);
      return (out === undefined ? null : out) as Json;
    },
  };
}

function stripSuffix(arn: string): string {
  return arn.replace(/\.(sync(:2)?|waitForTaskToken)$/, '');
}

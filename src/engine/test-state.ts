/**
 * TestState: one state of a definition run through the engine's own handlers, stopping where it
 * leaves the state. The tested state's handler is wrapped so that nothing waits: a Task is
 * answered at once by its mock (or by the invoker), a Map or Parallel by its mocked result (its
 * iterations and branches never run), a Wait by its own timer firing now. Errors go through the
 * engine's Retry and Catch, but a retry is reported (RETRIABLE) instead of scheduled, and
 * entering the next state ends the run there (its name is `nextState`). The data flow's
 * intermediate values come from the engine's StateInspector hook (dataflow.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Json, JsonObject } from '../lib/json.js';
import { StatesError, toStatesError } from '../asl/errors.js';
import { STATE_TYPES, type MachineGraph, type StateNode, type StateType } from '../asl/graph.js';
import type { ErrorInfo } from '../asl/retry.js';
import type { TaskInvoker, TaskProgress } from './local-run.js';
import { HANDLERS, newSnapshot } from './step.js';
import { Stepper, type StateHandler } from './stepper.js';
import { completeFanout } from './states/complete.js';
import { catcherIndex, inspectionOf, itemSelections, retrierIndex, type FanoutSeen, type Inspection, type Seen } from './test-state-inspection.js';
import type { Frame, InspectionStage, Snapshot, StepEnv, TaskRequest } from './types.js';

export type { Inspection, ErrorDetails } from './test-state-inspection.js';

/** What stands in for the state's work: its result, or the error it raises. */
export type TestStateMock = { kind: 'result'; result: Json } | { kind: 'error'; error: string; cause: string | undefined };

export interface TestStateRun {
  /** The definition's graph; `stateName` names one of its states (nested ones included). */
  machine: MachineGraph;
  stateName: string;
  input: Json;
  /** Workflow variables the state sees. */
  variables?: JsonObject;
  /** A Context object to use instead of the one the engine builds. */
  context?: JsonObject;
  mock?: TestStateMock;
  /** Retries already made by the retrier that matches the state's error. */
  retrierRetryCount?: number;
  /** Map iterations that failed, held against the Map's tolerated failure threshold. */
  mapIterationFailureCount?: number;
  /** Answers a Task that has no mock. */
  invoker?: TaskInvoker;
  roleArn?: string;
  region: string;
  account: string;
  /** Epoch ms. */
  now: number;
  random?: () => number;
  /** The longest a task called for real may take (TestState runs five minutes at most). */
  maxTaskMs?: number;
  /** Report what an HTTP Task's connection added to its request (TestState's revealSecrets). */
  revealSecrets?: boolean;
}

export type TestStatus = 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';

export interface TestStateOutcome {
  status: TestStatus;
  /** Present when the state left with an output (SUCCEEDED, CAUGHT_ERROR). */
  output?: Json;
  error?: string;
  cause?: string;
  nextState?: string;
  inspection: Inspection;
}

/** TestState's limit on one test. */
export const TEST_STATE_MAX_MS = 5 * 60 * 1000;

type Answer = TestStateMock | { kind: 'timeout' };

/** Run one state; `run.stateName` must exist in `run.machine`. */
export async function testState(run: TestStateRun): Promise<TestStateOutcome> {
  const node = run.machine.states.get(run.stateName);
  if (!node) throw new Error(`testState: no state '${run.stateName}' in the definition`);
  const test = new StateTest(run, node);
  // The tested state is where the run starts; no execution timeout applies.
  const machine: MachineGraph = { ...run.machine, root: { ...run.machine.root, startAt: run.stateName }, timeoutSeconds: undefined };
  const smName = randomUUID();
  const name = randomUUID();
  const snap = newSnapshot({
    // AWS runs a test as an Express execution of a throwaway machine.
    executionArn: `arn:aws:states:${run.region}:${run.account}:express:${smName}:${name}`,
    stateMachineArn: `arn:aws:states:${run.region}:${run.account}:stateMachine:${smName}`,
    stateMachineName: smName,
    name,
    // AWS's context shows `"RoleArn": null` when the test names no role.
    roleArn: run.roleArn ?? (null as unknown as string),
    type: 'EXPRESS',
    startTime: run.now,
    input: run.input,
    redriveCount: 0,
    region: run.region,
    account: run.account,
  });
  const env: StepEnv = {
    random: run.random ?? Math.random,
    newId: randomUUID,
    inspector: { record: (stage, value) => test.record(stage, value), ...(run.context ? { context: run.context } : {}) },
  };
  const stepper = new TestStepper(machine, snap, run.now, env, test.handlers(), test);
  await stepper.apply({ kind: 'start' });
  return test.outcome(stepper);
}

/** A Stepper that shows the tested state's errors to the test before Retry and Catch see them. */
class TestStepper extends Stepper {
  constructor(machine: MachineGraph, snap: Snapshot, now: number, env: StepEnv, handlers: Record<StateType, StateHandler>, private readonly test: StateTest) {
    super(machine, snap, now, env, handlers, false);
  }

  override handleStateError(frame: Frame, node: StateNode, err: ErrorInfo, opts: { heartbeat?: boolean; onGiveUp?: () => void } = {}): void {
    this.test.sawError(frame, node, err, opts.heartbeat ?? false);
    super.handleStateError(frame, node, err, opts);
  }
}

class StateTest {
  private readonly seen: Seen = { recorded: {} };
  private frame: Frame | undefined;
  private error: { err: ErrorInfo; heartbeat: boolean } | undefined;
  private nextState: string | undefined;

  constructor(
    private readonly run: TestStateRun,
    private readonly node: StateNode,
  ) {}

  record(stage: InspectionStage, value: Json): void {
    this.seen.recorded[stage] = value;
  }

  handlers(): Record<StateType, StateHandler> {
    const out = {} as Record<StateType, StateHandler>;
    for (const type of STATE_TYPES) {
      const real = HANDLERS[type];
      out[type] = { ...real, run: (s, frame, node) => this.enter(s, frame, node, real) };
    }
    return out;
  }

  private async enter(s: Stepper, frame: Frame, node: StateNode, real: StateHandler): Promise<void> {
    if (this.frame) {
      // Entering the next state ends the test there.
      if (frame === this.frame) {
        this.nextState = node.name;
        s.finish('SUCCEEDED', frame.input, undefined, undefined);
      }
      return;
    }
    this.frame = frame;
    if (this.run.variables) frame.vars = { ...this.run.variables };
    if (this.run.retrierRetryCount !== undefined) frame.retryCount = this.run.retrierRetryCount;
    switch (node.type) {
      case 'Task':
        return this.task(s, frame, node, real);
      case 'Map':
      case 'Parallel':
        return this.fanout(s, frame, node, real);
      case 'Wait':
        await real.run(s, frame, node);
        // A Wait does not wait in a test: its timer fires at once.
        if (frame.waiting === 'timer') await real.onTimer?.(s, frame, node, 'wait');
        return;
      default:
        return real.run(s, frame, node);
    }
  }

  private async task(s: Stepper, frame: Frame, node: StateNode, real: StateHandler): Promise<void> {
    await real.run(s, frame, node);
    if (frame.waiting !== 'task') return;
    const req = lastTaskRequest(s, frame);
    this.seen.taskInput = req.input;
    const answer = this.run.mock ?? (await this.invoke(req));
    if (answer.kind === 'timeout') {
      await real.onTimer?.(s, frame, node, 'taskTimeout');
      return;
    }
    frame.waiting = undefined;
    if (answer.kind === 'result') {
      this.seen.result = { value: answer.result };
      await real.onTaskSucceeded?.(s, frame, node, answer.result);
    } else {
      await real.onTaskFailed?.(s, frame, node, { error: answer.error, cause: answer.cause }, false, false);
    }
  }

  private async invoke(req: TaskRequest): Promise<Answer> {
    const invoker = this.run.invoker;
    if (!invoker) return { kind: 'error', error: 'States.TaskFailed', cause: `This Stepwise server calls no task resources in TestState: give a mock for '${req.resource}'.` };
    const limit = Math.min(this.run.maxTaskMs ?? TEST_STATE_MAX_MS, req.timeoutSeconds !== undefined ? req.timeoutSeconds * 1000 : Infinity);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Answer>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timeout' }), limit);
    });
    // An HTTP Task reports its exchange for the TRACE level, with the connection's secrets only when revealed.
    const progress: TaskProgress = {
      submitted: () => undefined,
      httpExchange: (x) => {
        this.seen.http = this.run.revealSecrets ? x.revealed : x.redacted;
      },
    };
    const call = invoker.invoke(req, progress).then(
      (result): Answer => ({ kind: 'result', result }),
      (err: unknown): Answer => {
        const e = toStatesError(err);
        return { kind: 'error', error: e.name, cause: e.cause };
      },
    );
    try {
      return await Promise.race([call, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A Map or Parallel: the real handler prepares its children, then the mock answers for all of them. */
  private async fanout(s: Stepper, frame: Frame, node: StateNode, real: StateHandler): Promise<void> {
    await real.run(s, frame, node);
    const fan = frame.fanout;
    if (!fan || frame.waiting !== 'children') return;
    const seen: FanoutSeen = { items: fan.items, maxConcurrency: fan.maxConcurrency, toleratedCount: fan.toleratedCount, toleratedPercentage: fan.toleratedPercentage };
    this.seen.fanout = seen;
    // The children were entered but have not run: they never will.
    s.abortChildren(frame);
    if (node.type === 'Map') seen.itemSelections = await itemSelections(s, frame, node, fan.items ?? [], fan.effectiveInput);
    const mock = this.run.mock;
    if (!mock) throw new Error('testState: a Map or Parallel state needs a mock');
    frame.waiting = undefined;
    frame.fanout = undefined;
    if (mock.kind === 'error') throw new StatesError(mock.error, mock.cause);
    if (node.type === 'Map' && this.exceedsTolerance(fan.total, fan.toleratedCount, fan.toleratedPercentage)) {
      throw new StatesError('States.ExceedToleratedFailureThreshold', 'The specified tolerated failure threshold was exceeded');
    }
    this.seen.result = { value: mock.result };
    await completeFanout(s, frame, node, mock.result as Json[]);
  }

  /** Held against ToleratedFailureCount/Percentage, as a Distributed Map does; no threshold, no failure. */
  private exceedsTolerance(total: number, count: number | undefined, percentage: number | undefined): boolean {
    const failures = this.run.mapIterationFailureCount ?? 0;
    if (failures === 0 || (count === undefined && percentage === undefined)) return false;
    if (count !== undefined && failures <= count) return false;
    if (percentage !== undefined && total > 0 && (failures / total) * 100 <= percentage) return false;
    return true;
  }

  sawError(frame: Frame, node: StateNode, err: ErrorInfo, heartbeat: boolean): void {
    if (frame !== this.frame || this.error) return;
    this.error = { err, heartbeat };
    const i = retrierIndex(node, err, heartbeat);
    // The retries the caller says were already made count against the matching retrier.
    if (i !== undefined && this.run.retrierRetryCount !== undefined) (frame.retryCounts ??= [])[i] = this.run.retrierRetryCount;
  }

  outcome(s: Stepper): TestStateOutcome {
    const snap = s.snap;
    const frame = this.frame;
    const inspection = inspectionOf(this.node, this.run.input, this.seen, frame?.vars);
    const error = this.error;
    if (snap.status === 'RUNNING') {
      const retry = frame && frame.waiting === 'retry' ? s.commands.findLast((c) => c.kind === 'startTimer' && c.purpose === 'retry' && c.frameId === frame.id) : undefined;
      if (!error || retry?.kind !== 'startTimer') throw new Error(`testState: state '${this.node.name}' neither finished nor failed`);
      const retryIndex = retrierIndex(this.node, error.err, error.heartbeat);
      inspection.errorDetails = { ...(retryIndex !== undefined ? { retryIndex } : {}), retryBackoffIntervalSeconds: Math.round((retry.dueAt - s.now) / 1000) };
      return withError({ status: 'RETRIABLE', inspection }, error.err);
    }
    const retryIndex = error ? retrierIndex(this.node, error.err, error.heartbeat) : undefined;
    if (error && this.nextState !== undefined) {
      const catchIndex = catcherIndex(this.node, error.err, error.heartbeat);
      inspection.errorDetails = { ...(catchIndex !== undefined ? { catchIndex } : {}), ...(retryIndex !== undefined ? { retryIndex } : {}) };
      return withError({ status: 'CAUGHT_ERROR', output: snap.output as Json, nextState: this.nextState, inspection }, error.err);
    }
    if (snap.status === 'FAILED') {
      if (error && retryIndex !== undefined && error.err.error === snap.error) inspection.errorDetails = { retryIndex };
      return withError({ status: 'FAILED', inspection }, { error: snap.error, cause: snap.cause });
    }
    const done: TestStateOutcome = { status: 'SUCCEEDED', output: snap.output as Json, inspection };
    if (this.nextState !== undefined) done.nextState = this.nextState;
    return done;
  }
}

function withError(o: TestStateOutcome, err: ErrorInfo): TestStateOutcome {
  if (err.error !== undefined) o.error = err.error;
  if (err.cause !== undefined) o.cause = err.cause;
  return o;
}

function lastTaskRequest(s: Stepper, frame: Frame): TaskRequest {
  const c = s.commands.findLast((c) => c.kind === 'invokeTask' && c.request.frameId === frame.id);
  if (c?.kind !== 'invokeTask') throw new Error('testState: the Task dispatched no request');
  return c.request;
}

/**
 * One engine step: applies an event to an execution snapshot and runs every frame (the
 * execution itself, Parallel branches, Map iterations) forward until each is finished or waits
 * for something outside (a task result, a timer). It performs no I/O: what must happen outside
 * is returned as commands, what happened as history events.
 */
import type { Json, JsonObject } from '../lib/json.js';
import { StatesError } from '../asl/errors.js';
import type { MachineGraph, StateNode, StateType } from '../asl/graph.js';
import { decideRetry, errorMatches, parseRetriers, type ErrorInfo } from '../asl/retry.js';
import { memo } from '../asl/graph.js';
import { isObject } from '../lib/json.js';
import type { Command, EngineEvent, Frame, FrameKind, HistoryEvent, RedrivePoint, Snapshot, StepEnv, TimerPurpose } from './types.js';
import { errorOutput, evaluateCatcher, exceedsPayloadLimit, stateFailure } from './dataflow.js';
import { EXPRESS_MAX_SECONDS, MAX_HISTORY_EVENTS, STANDARD_MAX_SECONDS } from './limits.js';
import { describeResource } from './resource.js';
import { closeMapRun } from './map-runs.js';

export interface StateHandler {
  /** Run the state from its raw input (on entry and again on each retry). */
  run(s: Stepper, frame: Frame, node: StateNode): void | Promise<void>;
  onTaskSucceeded?(s: Stepper, frame: Frame, node: StateNode, output: Json): Promise<void>;
  onTaskFailed?(s: Stepper, frame: Frame, node: StateNode, err: ErrorInfo, timedOut: boolean, heartbeat: boolean): Promise<void>;
  onTimer?(s: Stepper, frame: Frame, node: StateNode, purpose: TimerPurpose): Promise<void>;
  onChildSucceeded?(s: Stepper, frame: Frame, node: StateNode, child: Frame, output: Json): Promise<void>;
  onChildFailed?(s: Stepper, frame: Frame, node: StateNode, child: Frame, err: ErrorInfo): Promise<void>;
  /** Abort what the state has in flight (children, tasks) when it is cancelled from outside. */
  onAbort?(s: Stepper, frame: Frame, node: StateNode): void;
  /** A redriven Parallel/Map whose failed children were resumed: start what remains, or finish. */
  onRedrive?(s: Stepper, frame: Frame, node: StateNode): Promise<void>;
  /** UpdateMapRun on the Distributed Map this frame runs. */
  onUpdateMapRun?(s: Stepper, frame: Frame, node: StateNode, update: Extract<EngineEvent, { kind: 'updateMapRun' }>): Promise<void>;
}

const ENTERED: Record<StateType, string> = {
  Task: 'TaskStateEntered',
  Pass: 'PassStateEntered',
  Choice: 'ChoiceStateEntered',
  Wait: 'WaitStateEntered',
  Succeed: 'SucceedStateEntered',
  Fail: 'FailStateEntered',
  Parallel: 'ParallelStateEntered',
  Map: 'MapStateEntered',
};
const EXITED: Record<StateType, string> = {
  Task: 'TaskStateExited',
  Pass: 'PassStateExited',
  Choice: 'ChoiceStateExited',
  Wait: 'WaitStateExited',
  Succeed: 'SucceedStateExited',
  Fail: 'FailStateExited',
  Parallel: 'ParallelStateExited',
  Map: 'MapStateExited',
};


export class Stepper {
  readonly events: HistoryEvent[] = [];
  readonly commands: Command[] = [];
  private readonly queue: Frame[] = [];

  constructor(
    readonly machine: MachineGraph,
    readonly snap: Snapshot,
    public now: number,
    readonly env: StepEnv,
    private readonly handlers: Record<StateType, StateHandler>,
    /** When false, history events are counted but not materialised (in-process fast path). */
    private readonly recordHistory = true,
  ) {}

  /**
   * Prepare this stepper for the next event of the same execution at `now`, reusing its arrays
   * (the in-process runner steps one execution many times; the previous step's events and
   * commands must have been consumed).
   */
  reset(now: number): void {
    this.now = now;
    this.events.length = 0;
    this.commands.length = 0;
    this.queue.length = 0;
    this.pending.length = 0;
    this.historyFull = false;
  }

  // ---- history -------------------------------------------------------------------------------

  /** Set once a Standard execution's history is full: nothing more is recorded, the execution fails. */
  private historyFull = false;

  emit(frame: Frame | undefined, type: string, details?: Record<string, unknown>): number {
    if (frame?.silent || this.historyFull) return 0;
    if (this.snap.meta.type === 'STANDARD' && this.snap.lastEventId >= MAX_HISTORY_EVENTS - 1) {
      this.historyFull = true;
      return 0;
    }
    const id = ++this.snap.lastEventId;
    const prev = frame ? frame.lastEventId : this.snap.lastEventId - 1;
    if (frame) frame.lastEventId = id;
    if (this.recordHistory) this.events.push({ id, previousEventId: prev, timestamp: this.now, type, details });
    return id;
  }

  // ---- frames --------------------------------------------------------------------------------

  node(frame: Frame): StateNode {
    const n = this.machine.states.get(frame.state);
    if (!n) throw new StatesError('States.Runtime', `State '${frame.state}' does not exist`);
    return n;
  }

  newFrame(parent: Frame | undefined, kind: FrameKind, index: number, silent: boolean, isolated: boolean): Frame {
    const id = this.snap.nextFrameId++;
    const frame: Frame = {
      id,
      parent: parent?.id,
      kind,
      index,
      silent: silent || (parent?.silent ?? false),
      isolated,
      state: '',
      input: null,
      enteredEventId: 0,
      enteredAt: this.now,
      lastEventId: parent ? parent.lastEventId : 0,
      vars: undefined,
      retryCounts: undefined,
      retryCount: 0,
      token: 0,
      waiting: undefined,
      effectiveInput: undefined,
      taskToken: undefined,
      heartbeatDueAt: undefined,
      heartbeatSeconds: undefined,
      fanout: undefined,
      done: false,
    };
    this.snap.frames[id] = frame;
    return frame;
  }

  enterState(frame: Frame, name: string, input: Json): void {
    const node = this.machine.states.get(name);
    if (!node) throw new StatesError('States.Runtime', `State '${name}' does not exist`);
    frame.state = name;
    frame.input = input;
    frame.enteredAt = this.now;
    frame.retryCounts = undefined;
    frame.retryCount = 0;
    frame.taskToken = undefined;
    frame.effectiveInput = undefined;
    frame.failedFanout = undefined;
    frame.failedChildren = undefined;
    this.snap.transitions++;
    frame.enteredEventId = this.emit(frame, ENTERED[node.type], this.recordHistory ? { name, input } : undefined);
    this.queue.push(frame);
  }

  /** Leave the current state with `output`, applying `assigned` variables, then go to `next`. */
  exitState(frame: Frame, node: StateNode, output: Json, assigned: JsonObject | undefined, next?: string): void {
    if (exceedsPayloadLimit(output)) {
      this.failFrame(frame, stateFailure('States.DataLimitExceeded', `The state/task '${node.name}' returned a result with a size exceeding the maximum number of bytes service limit.`));
      return;
    }
    if (assigned) this.assignVariables(frame, assigned);
    if (node.type !== 'Fail') {
      let details: Record<string, unknown> | undefined;
      if (this.recordHistory) {
        details = { name: node.name, output };
        if (assigned) details['assignedVariables'] = assigned;
      }
      this.emit(frame, EXITED[node.type], details);
    }
    const target = next ?? node.next;
    if (node.type === 'Succeed' || (node.end && next === undefined) || target === undefined) {
      this.completeFrame(frame, output);
    } else {
      this.enterState(frame, target, output);
    }
  }

  assignVariables(frame: Frame, values: JsonObject): void {
    const vars = (frame.vars ??= {});
    for (const k of Object.keys(values)) vars[k] = values[k] as Json;
  }

  lookupVariable(frame: Frame, name: string): Json | undefined {
    let f: Frame | undefined = frame;
    while (f) {
      const v = f.vars?.[name];
      if (v !== undefined) return v;
      if (f.isolated) return undefined;
      f = f.parent === undefined ? undefined : this.snap.frames[f.parent];
    }
    return undefined;
  }

  /** All variables visible from a frame, inner scopes shadowing outer ones. */
  visibleVariables(frame: Frame): JsonObject {
    const chain: JsonObject[] = [];
    let f: Frame | undefined = frame;
    while (f) {
      if (f.vars) chain.push(f.vars);
      if (f.isolated) break;
      f = f.parent === undefined ? undefined : this.snap.frames[f.parent];
    }
    if (chain.length === 1) return chain[0] as JsonObject;
    const out: JsonObject = {};
    for (let i = chain.length - 1; i >= 0; i--) Object.assign(out, chain[i]);
    return out;
  }

  completeFrame(frame: Frame, output: Json): void {
    frame.done = true;
    delete this.snap.frames[frame.id];
    if (frame.kind === 'root') {
      if (exceedsPayloadLimit(output)) {
        this.keepRedrivePoint(frame);
        this.finish('FAILED', undefined, 'States.DataLimitExceeded', 'The execution output exceeds the maximum number of bytes service limit.');
        return;
      }
      this.finish('SUCCEEDED', output, undefined, undefined);
      return;
    }
    const parent = this.snap.frames[frame.parent as number];
    if (!parent || parent.done) return;
    const pnode = this.node(parent);
    this.pending.push(() => this.handlers[pnode.type].onChildSucceeded?.(this, parent, pnode, frame, output));
  }

  failFrame(frame: Frame, err: ErrorInfo): void {
    frame.done = true;
    this.abortChildren(frame);
    this.keepRedrivePoint(frame);
    delete this.snap.frames[frame.id];
    if (frame.kind === 'root') {
      this.finish('FAILED', undefined, err.error, err.cause);
      return;
    }
    const parent = this.snap.frames[frame.parent as number];
    if (!parent || parent.done) return;
    const pnode = this.node(parent);
    this.pending.push(() => this.handlers[pnode.type].onChildFailed?.(this, parent, pnode, frame, err));
  }

  /** Stop everything a frame has in flight: tasks, timers, child branches and iterations. */
  abortChildren(frame: Frame): void {
    const fan = frame.fanout;
    if (fan) {
      for (const childId of fan.children) {
        const child = this.snap.frames[childId];
        if (!child || child.done) continue;
        this.abortFrame(child);
      }
      fan.children = [];
    }
  }

  abortFrame(frame: Frame): void {
    this.abortChildren(frame);
    if (frame.waiting === 'task') {
      this.commands.push({ kind: 'cancelTask', frameId: frame.id, token: frame.token });
      const node = this.machine.states.get(frame.state);
      // AWS's TaskStateAborted and WaitStateAborted events carry no details.
      if (node) this.emit(frame, 'TaskStateAborted', undefined);
    } else if (frame.waiting === 'timer') {
      const node = this.machine.states.get(frame.state);
      if (node?.type === 'Wait') this.emit(frame, 'WaitStateAborted', undefined);
    } else if (frame.waiting === 'children') {
      const node = this.machine.states.get(frame.state);
      if (node?.type === 'Map') {
        if (frame.fanout?.distributed) {
          this.emit(frame, 'MapRunAborted', undefined);
          closeMapRun(this, frame.fanout, 'ABORTED');
        }
        this.emit(frame, 'MapStateAborted', undefined);
      }
      if (node?.type === 'Parallel') this.emit(frame, 'ParallelStateAborted', undefined);
    }
    frame.token++;
    frame.waiting = undefined;
    frame.done = true;
    this.keepRedrivePoint(frame);
    delete this.snap.frames[frame.id];
  }

  // ---- redrive -------------------------------------------------------------------------------

  /**
   * Record where a failing or aborted frame stood: with its parent (whose own point will carry
   * it), or, for the execution's root frame, on the snapshot (Standard executions only).
   */
  private keepRedrivePoint(frame: Frame): void {
    if (frame.kind === 'root') {
      if (this.snap.meta.type === 'STANDARD') this.snap.redrive = pointOf(frame);
      return;
    }
    const parent = frame.parent === undefined ? undefined : this.snap.frames[frame.parent];
    if (parent && !parent.done) (parent.failedChildren ??= []).push(pointOf(frame));
  }

  /** A redrive point of a frame that is still live (the execution failed around it). */
  private livePoint(frame: Frame): RedrivePoint {
    const children = [...(frame.failedChildren ?? [])];
    for (const id of frame.fanout?.children ?? []) {
      const child = this.snap.frames[id];
      if (child && !child.done) children.push(this.livePoint(child));
    }
    return { ...pointOf(frame), fanout: frame.fanout ?? frame.failedFanout, children };
  }

  /** RedriveExecution: reopen the execution and resume every frame from its redrive point. */
  private async redrive(point: RedrivePoint): Promise<void> {
    const m = this.snap.meta;
    m.redriveCount++;
    m.redriveTime = this.now;
    this.snap.status = 'RUNNING';
    this.snap.output = undefined;
    this.snap.error = undefined;
    this.snap.cause = undefined;
    this.snap.stopTime = undefined;
    this.snap.redrive = undefined;
    this.emitClose('ExecutionRedriven', { redriveCount: m.redriveCount }, this.snap.lastEventId);
    // The definition's TimeoutSeconds counts again from the redrive, within the one-year cap.
    if (this.machine.timeoutSeconds !== undefined) {
      const dueAt = Math.min(this.now + this.machine.timeoutSeconds * 1000, m.startTime + STANDARD_MAX_SECONDS * 1000);
      this.commands.push({ kind: 'startTimer', frameId: -1, token: m.redriveCount, purpose: 'executionTimeout', dueAt });
    }
    await this.resume(point, undefined);
  }

  private async resume(point: RedrivePoint, parent: Frame | undefined): Promise<void> {
    const distributed = parent?.fanout?.distributed ?? false;
    const frame = this.newFrame(parent, point.kind, point.index, distributed, distributed);
    if (!parent) frame.lastEventId = this.snap.lastEventId;
    frame.vars = point.vars;
    const fan = point.fanout;
    if (!fan) {
      this.enterState(frame, point.state, point.input);
      return;
    }
    // A Parallel or Map resumes only its failed and aborted children; succeeded ones keep their results.
    const node = this.machine.states.get(point.state);
    if (!node) throw new StatesError('States.Runtime', `State '${point.state}' does not exist`);
    frame.state = point.state;
    frame.input = point.input;
    frame.enteredAt = this.now;
    this.snap.transitions++;
    frame.enteredEventId = this.emit(frame, ENTERED[node.type], this.recordHistory ? { name: node.name, input: point.input } : undefined);
    fan.children = [];
    fan.running = 0;
    fan.failures = 0;
    frame.fanout = fan;
    frame.waiting = 'children';
    frame.token++;
    if (fan.mapRunArn !== undefined) this.emit(frame, 'MapRunRedriven', { mapRunArn: fan.mapRunArn, redriveCount: this.snap.meta.redriveCount });
    for (const c of [...point.children].sort((a, b) => a.index - b.index)) {
      fan.running++;
      if (node.type === 'Map' && !fan.distributed) this.emit(frame, 'MapIterationStarted', { name: node.name, index: c.index });
      const before = this.snap.nextFrameId;
      await this.resume(c, frame);
      fan.children.push(before);
    }
    try {
      await this.handlers[node.type].onRedrive?.(this, frame, node);
    } catch (err) {
      if (!(err instanceof StatesError)) throw err;
      this.stateError(frame, node, err);
    }
  }

  finish(status: Snapshot['status'], output: Json | undefined, error: string | undefined, cause: string | undefined): void {
    if (this.snap.status !== 'RUNNING') return;
    const live = this.snap.frames[0];
    if (status !== 'SUCCEEDED' && live && !live.done && this.snap.meta.type === 'STANDARD') this.snap.redrive = this.livePoint(live);
    this.snap.status = status;
    this.snap.output = output;
    this.snap.error = error;
    this.snap.cause = cause;
    this.snap.stopTime = this.now;
    const root = this.snap.frames[0];
    const last = this.snap.lastEventId;
    const errDetails = (): Record<string, unknown> => {
      const d: Record<string, unknown> = {};
      if (error !== undefined) d['error'] = error;
      if (cause !== undefined) d['cause'] = cause;
      return d;
    };
    const prev = root && !root.done ? root : undefined;
    switch (status) {
      case 'SUCCEEDED':
        this.emitClose('ExecutionSucceeded', { output }, last);
        break;
      case 'FAILED':
        this.emitClose('ExecutionFailed', errDetails(), last);
        break;
      case 'TIMED_OUT':
        this.emitClose('ExecutionTimedOut', errDetails(), last);
        break;
      case 'ABORTED':
        this.emitClose('ExecutionAborted', errDetails(), last);
        break;
      default:
        break;
    }
    void prev;
    for (const id of Object.keys(this.snap.frames)) {
      const f = this.snap.frames[Number(id)];
      if (f) f.done = true;
    }
    this.snap.frames = {};
  }

  private emitClose(type: string, details: Record<string, unknown>, prev: number): void {
    const id = ++this.snap.lastEventId;
    if (this.recordHistory) this.events.push({ id, previousEventId: prev, timestamp: this.now, type, details });
  }

  // ---- errors --------------------------------------------------------------------------------

  /**
   * An error raised by a state: retry it, catch it, or fail the frame. `onGiveUp` emits the
   * state's own failure event (e.g. ParallelStateFailed) once no retry will happen.
   */
  handleStateError(frame: Frame, node: StateNode, err: ErrorInfo, opts: { heartbeat?: boolean; onGiveUp?: () => void } = {}): void {
    const retriable = node.type === 'Task' || node.type === 'Parallel' || node.type === 'Map';
    if (!retriable || err.error === 'States.Runtime') {
      opts.onGiveUp?.();
      this.failFrame(frame, err);
      return;
    }
    const retriers = memo(node, 'retriers', () => parseRetriers(node.def['Retry']));
    if (retriers.length > 0) {
      const counts = (frame.retryCounts ??= []);
      const decision = decideRetry(retriers, counts, err, opts.heartbeat ?? false, this.env.random());
      if (decision.kind === 'retry') {
        // Each retry is a billable state transition.
        this.snap.transitions++;
        frame.retryCount++;
        frame.token++;
        frame.failedFanout = undefined;
        frame.failedChildren = undefined;
        frame.waiting = 'retry';
        this.commands.push({ kind: 'startTimer', frameId: frame.id, token: frame.token, purpose: 'retry', dueAt: this.now + decision.delayMs });
        return;
      }
    }
    opts.onGiveUp?.();
    const catchers = node.def['Catch'];
    if (Array.isArray(catchers)) {
      for (const c of catchers) {
        if (!isObject(c) || !Array.isArray(c['ErrorEquals'])) continue;
        if (!errorMatches(c['ErrorEquals'], err, opts.heartbeat ?? false)) continue;
        this.pending.push(async () => {
          const outcome = await evaluateCatcher(this, frame, node, c, errorOutput(err));
          if (outcome.kind === 'error') {
            this.failFrame(frame, outcome.err);
            return;
          }
          this.exitState(frame, node, outcome.output, outcome.assigned, c['Next'] as string);
        });
        return;
      }
    }
    this.failFrame(frame, err);
  }

  // ---- driving -------------------------------------------------------------------------------

  /** Deferred continuations (catcher evaluation, parent notifications), run in order. */
  private readonly pending: (() => Promise<void> | void)[] = [];

  async apply(ev: EngineEvent): Promise<void> {
    // A Standard execution runs one year at most (an Express one five minutes, by its timer).
    const m = this.snap.meta;
    if (ev.kind !== 'start' && m.type === 'STANDARD' && this.now >= m.startTime + STANDARD_MAX_SECONDS * 1000 && this.snap.status === 'RUNNING') {
      this.abortAll();
      this.finish('TIMED_OUT', undefined, 'States.Timeout', undefined);
      return;
    }
    switch (ev.kind) {
      case 'start': {
        const m = this.snap.meta;
        const started: Record<string, unknown> = { input: m.input, roleArn: m.roleArn };
        if (m.stateMachineAliasArn !== undefined) started['stateMachineAliasArn'] = m.stateMachineAliasArn;
        if (m.stateMachineVersionArn !== undefined) started['stateMachineVersionArn'] = m.stateMachineVersionArn;
        this.emitClose('ExecutionStarted', started, 0);
        const root = this.newFrame(undefined, 'root', 0, false, false);
        this.enterState(root, this.machine.root.startAt, m.input);
        // Express workflows run five minutes at most. (A Standard execution's one-year cap is
        // only set as a timer when the definition asks for less.)
        const cap = m.type === 'EXPRESS' ? EXPRESS_MAX_SECONDS : STANDARD_MAX_SECONDS;
        if (this.machine.timeoutSeconds !== undefined || m.type === 'EXPRESS') {
          const timeout = Math.min(this.machine.timeoutSeconds ?? cap, cap);
          this.commands.push({ kind: 'startTimer', frameId: -1, token: 0, purpose: 'executionTimeout', dueAt: m.startTime + timeout * 1000 });
        }
        break;
      }
      case 'taskSucceeded': {
        const frame = this.live(ev.frameId, ev.token, 'task', ev.taskToken);
        if (!frame) return;
        frame.waiting = undefined;
        const node = this.node(frame);
        await this.handlers[node.type].onTaskSucceeded?.(this, frame, node, ev.output);
        break;
      }
      case 'taskFailed': {
        const frame = this.live(ev.frameId, ev.token, 'task', ev.taskToken);
        if (!frame) return;
        frame.waiting = undefined;
        const node = this.node(frame);
        await this.handlers[node.type].onTaskFailed?.(this, frame, node, { error: ev.error ?? 'States.TaskFailed', cause: ev.cause }, false, false);
        break;
      }
      case 'timerFired': {
        if (ev.purpose === 'executionTimeout') {
          // A redrive starts a new timeout; the timers of earlier runs are stale.
          if (this.snap.status !== 'RUNNING' || ev.token !== this.snap.meta.redriveCount) return;
          this.abortAll();
          this.finish('TIMED_OUT', undefined, 'States.Timeout', undefined);
          return;
        }
        const frame = this.snap.frames[ev.frameId];
        if (!frame || frame.done || frame.token !== ev.token) return;
        const node = this.node(frame);
        if (ev.purpose === 'retry') {
          if (frame.waiting !== 'retry') return;
          frame.waiting = undefined;
          this.queue.push(frame);
        } else {
          await this.handlers[node.type].onTimer?.(this, frame, node, ev.purpose);
        }
        break;
      }
      case 'taskStarted': {
        const frame = this.live(ev.frameId, ev.token, 'task', ev.taskToken);
        if (!frame) return;
        const node = this.node(frame);
        if (describeResource(String(node.def['Resource'])).family === 'activity') {
          this.emit(frame, 'ActivityStarted', ev.workerName !== undefined ? { workerName: ev.workerName } : {});
        }
        return;
      }
      case 'taskSubmitted': {
        const frame = this.live(ev.frameId, ev.token, 'task');
        if (!frame) return;
        const kind = describeResource(String(this.node(frame).def['Resource']));
        this.emit(frame, 'TaskSubmitted', { resourceType: kind.resourceType, resource: kind.resource, output: ev.output });
        return;
      }
      case 'heartbeat': {
        const frame = this.live(ev.frameId, ev.token, 'task', ev.taskToken);
        if (!frame || frame.heartbeatSeconds === undefined) return;
        frame.heartbeatDueAt = this.now + frame.heartbeatSeconds * 1000;
        this.commands.push({ kind: 'startTimer', frameId: frame.id, token: frame.token, purpose: 'heartbeatTimeout', dueAt: frame.heartbeatDueAt });
        return;
      }
      case 'stop': {
        if (this.snap.status !== 'RUNNING') return;
        this.abortAll();
        this.finish('ABORTED', undefined, ev.error, ev.cause);
        return;
      }
      case 'updateMapRun': {
        if (this.snap.status !== 'RUNNING') return;
        const frame = Object.values(this.snap.frames).find((f) => f.fanout?.mapRunArn === ev.mapRunArn && f.waiting === 'children');
        if (!frame) return;
        const node = this.node(frame);
        await this.handlers[node.type].onUpdateMapRun?.(this, frame, node, ev);
        break;
      }
      case 'redrive': {
        const point = this.snap.redrive;
        if (this.snap.status === 'RUNNING' || this.snap.status === 'SUCCEEDED' || !point) return;
        await this.redrive(point);
        break;
      }
    }
    await this.drain();
  }

  private abortAll(): void {
    const root = this.snap.frames[0];
    if (root) this.abortFrame(root);
  }

  /** The frame an answer is for, if it still waits for exactly that attempt (and that task token). */
  private live(frameId: number, token: number, waiting: Frame['waiting'], taskToken?: string): Frame | undefined {
    const frame = this.snap.frames[frameId];
    if (!frame || frame.done || frame.token !== token || frame.waiting !== waiting) return undefined;
    if (taskToken !== undefined && frame.taskToken !== taskToken) return undefined;
    return frame;
  }

  /** Re-queue a frame whose state must run (again). */
  schedule(frame: Frame): void {
    this.queue.push(frame);
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.snap.status !== 'RUNNING') return;
      if (this.historyFull) {
        // A Standard execution's history holds 25,000 events; the last one is the failure.
        this.abortAll();
        this.finish('FAILED', undefined, 'States.Runtime', `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`);
        return;
      }
      const frame = this.queue.shift();
      if (frame) {
        if (frame.done || frame.waiting !== undefined) continue;
        const node = this.node(frame);
        try {
          const pending = this.handlers[node.type].run(this, frame, node);
          if (pending !== undefined) await pending;
        } catch (err) {
          if (!(err instanceof StatesError)) throw err;
          this.stateError(frame, node, err);
        }
        continue;
      }
      const next = this.pending.shift();
      if (!next) return;
      try {
        await next();
      } catch (err) {
        if (!(err instanceof StatesError)) throw err;
        this.finish('FAILED', undefined, err.name, err.cause);
      }
    }
  }

  /**
   * An error thrown while evaluating a state's own fields: JSONata failures are recorded as
   * EvaluationFailed; then the usual retry/catch rules apply.
   */
  stateError(frame: Frame, node: StateNode, err: StatesError): void {
    const info: ErrorInfo = { error: err.name, cause: err.cause };
    if (err.name === 'States.QueryEvaluationError') {
      this.emit(frame, 'EvaluationFailed', { error: err.name, cause: err.cause, state: node.name });
    }
    this.handleStateError(frame, node, info, {
      onGiveUp: () => {
        if (err.name === 'States.Runtime') return;
        if (node.type === 'Map') this.emit(frame, 'MapStateFailed', undefined);
        else if (node.type === 'Parallel') this.emit(frame, 'ParallelStateFailed', undefined);
      },
    });
  }

  /** Prefix AWS puts before evaluation errors. */
  errorPrefix(frame: Frame): string {
    return `An error occurred while executing the state '${frame.state}' (entered at the event id #${frame.enteredEventId}). `;
  }
}

function pointOf(frame: Frame): RedrivePoint {
  return {
    kind: frame.kind,
    index: frame.index,
    state: frame.state,
    input: frame.input,
    vars: frame.vars,
    fanout: frame.failedFanout ?? frame.fanout,
    children: frame.failedChildren ?? [],
  };
}

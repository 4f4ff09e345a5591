/** The engine's entry point: a step from (snapshot, event, now) to (history events, commands). */
import type { MachineGraph, StateType } from '../asl/graph.js';
import { Stepper, type StateHandler } from './stepper.js';
import type { EngineEvent, ExecutionMeta, Snapshot, StepEnv, StepResult } from './types.js';
import { choiceState } from './states/choice.js';
import { failState } from './states/fail.js';
import { mapState } from './states/map.js';
import { parallelState } from './states/parallel.js';
import { passState } from './states/pass.js';
import { succeedState } from './states/succeed.js';
import { taskState } from './states/task.js';
import { waitState } from './states/wait.js';

/** The handler of each state type (TestState wraps them to run one state). */
export const HANDLERS: Record<StateType, StateHandler> = {
  Task: taskState,
  Pass: passState,
  Choice: choiceState,
  Wait: waitState,
  Succeed: succeedState,
  Fail: failState,
  Parallel: parallelState,
  Map: mapState,
};

export function newSnapshot(meta: ExecutionMeta): Snapshot {
  return {
    meta,
    status: 'RUNNING',
    frames: {},
    nextFrameId: 0,
    lastEventId: 0,
    output: undefined,
    error: undefined,
    cause: undefined,
    stopTime: undefined,
    transitions: 0,
  };
}

export interface StepOptions {
  /** Materialise history events (default true). The in-process fast path may skip them. */
  history?: boolean;
}

/**
 * Apply one event. The snapshot is updated in place (callers that need the old one keep a
 * copy); the result lists the history events written and the commands to carry out.
 */
export async function step(machine: MachineGraph, snap: Snapshot, event: EngineEvent, now: number, env: StepEnv, opts: StepOptions = {}): Promise<StepResult> {
  const s = new Stepper(machine, snap, now, env, HANDLERS, opts.history ?? true);
  await s.apply(event);
  return { events: s.events, commands: s.commands };
}

/** A stepper bound to one execution, reusable for its successive events (see Stepper.reset). */
export function createStepper(machine: MachineGraph, snap: Snapshot, env: StepEnv, opts: StepOptions = {}): Stepper {
  return new Stepper(machine, snap, 0, env, HANDLERS, opts.history ?? true);
}

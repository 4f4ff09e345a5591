/**
 * What happened to each state of an execution, read from its history as GetExecutionHistory
 * returns it (AWS's wire shapes: `type`, `id`, `previousEventId`, `stateEnteredEventDetails`…;
 * the engine's own events, with their details under `details`, are read too).
 *
 * Failure events (TaskFailed, MapStateFailed…) carry no state name: each event is attributed to
 * the visit of a state by following `previousEventId` back to a `…StateEntered` event, which
 * keeps concurrent Parallel branches and Map iterations apart.
 */
import { buildDiagramGraph } from './graph.js';
import type { StateStatus } from './theme.js';

/** The members of a history event this module reads; `@aws-sdk/client-sfn`'s HistoryEvent fits it. */
export interface WireHistoryEvent {
  readonly type?: string | undefined;
  readonly id?: number | undefined;
  readonly previousEventId?: number | undefined;
  readonly stateEnteredEventDetails?: { readonly name?: string | undefined } | undefined;
  readonly stateExitedEventDetails?: { readonly name?: string | undefined } | undefined;
  readonly executionFailedEventDetails?: { readonly error?: string | undefined; readonly cause?: string | undefined } | undefined;
  readonly executionTimedOutEventDetails?: { readonly error?: string | undefined; readonly cause?: string | undefined } | undefined;
  readonly executionAbortedEventDetails?: { readonly error?: string | undefined; readonly cause?: string | undefined } | undefined;
  /** The engine's HistoryEvent keeps its details here, unwrapped. */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

export type ExecutionOutcome = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionStatusSummary {
  /** The execution's status as its history tells it. */
  readonly execution: ExecutionOutcome;
  /** By state name; with a definition, every state of it (nested ones too) is present. */
  readonly states: Record<string, StateStatus>;
  /** The state the execution failed (timed out, was aborted) in, if it closed in one. */
  readonly failedState: string | undefined;
  readonly error: string | undefined;
  readonly cause: string | undefined;
}

/** Event types that end an attempt of a state in failure (history in AWS's wire shape). */
export const FAILURE_EVENTS: ReadonlySet<string> = new Set([
  'TaskFailed', 'TaskTimedOut', 'TaskStartFailed', 'TaskSubmitFailed',
  'LambdaFunctionFailed', 'LambdaFunctionTimedOut', 'LambdaFunctionStartFailed', 'LambdaFunctionScheduleFailed',
  'ActivityFailed', 'ActivityTimedOut', 'ActivityScheduleFailed',
  'ParallelStateFailed', 'MapStateFailed', 'EvaluationFailed',
]);
/** Event types that end an attempt of a state in success. */
export const SUCCESS_EVENTS: ReadonlySet<string> = new Set(['TaskSucceeded', 'LambdaFunctionSucceeded', 'ActivitySucceeded', 'ParallelStateSucceeded', 'MapStateSucceeded']);
const CLOSINGS: Record<string, ExecutionOutcome> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionTimedOut: 'TIMED_OUT',
  ExecutionAborted: 'ABORTED',
};
/** Worst first: a state visited several times (a loop, Map iterations) shows its worst visit. */
const PRECEDENCE: readonly StateStatus[] = ['failed', 'running', 'caught', 'retried', 'aborted', 'succeeded', 'notReached'];

interface Visit {
  readonly name: string;
  /** The state type, from `<Type>StateEntered`. */
  readonly kind: string;
  readonly enteredPrevious: number;
  exited: boolean;
  failures: number;
  lastFailed: boolean;
  aborted: boolean;
  /** The execution closed unsuccessfully in this visit. */
  closedHere: boolean;
  /** Left open by a closed execution that RedriveExecution resumed: the redrive visits it again. */
  superseded: boolean;
}

/** The state type whose visit an event belongs to, when the event names one. */
function eventKind(type: string): string | undefined {
  if (/^(Task|LambdaFunction|Activity)/.test(type)) return 'Task';
  if (type.startsWith('ParallelState')) return 'Parallel';
  if (type.startsWith('MapState')) return 'Map';
  return undefined;
}

function detail(e: WireHistoryEvent, key: 'stateEnteredEventDetails' | 'stateExitedEventDetails', field: string): string | undefined {
  const own = e[key] as Record<string, unknown> | undefined;
  const value = own?.[field] ?? e.details?.[field];
  return typeof value === 'string' ? value : undefined;
}

function closingDetails(e: WireHistoryEvent): { error?: unknown; cause?: unknown } {
  return e.executionFailedEventDetails ?? e.executionTimedOutEventDetails ?? e.executionAbortedEventDetails ?? e.details ?? {};
}

export function summarizeExecution(events: readonly WireHistoryEvent[], definition?: unknown): ExecutionStatusSummary {
  const sorted = [...events].sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  const visits: Visit[] = [];
  const visitOf = new Map<number, Visit | undefined>();
  // The nearest visit up the chain from an event that is still open (and of a type, if given).
  const owner = (from: Visit | undefined, kind?: string): Visit | undefined => {
    let v = from;
    for (let guard = 0; v && (v.exited || (kind !== undefined && v.kind !== kind)) && guard < 10_000; guard++) v = visitOf.get(v.enteredPrevious);
    return v;
  };
  let execution: ExecutionOutcome = 'RUNNING';
  let failedState: string | undefined;
  let error: string | undefined;
  let cause: string | undefined;

  for (const e of sorted) {
    const type = e.type ?? '';
    const id = e.id ?? 0;
    const previous = visitOf.get(e.previousEventId ?? 0);
    const entered = /^(\w+)StateEntered$/.exec(type);
    if (entered) {
      const v: Visit = { name: detail(e, 'stateEnteredEventDetails', 'name') ?? '?', kind: entered[1] ?? '', enteredPrevious: e.previousEventId ?? 0, exited: false, failures: 0, lastFailed: false, aborted: false, closedHere: false, superseded: false };
      visits.push(v);
      visitOf.set(id, v);
      continue;
    }
    visitOf.set(id, previous);
    if (type.endsWith('StateExited')) {
      const name = detail(e, 'stateExitedEventDetails', 'name');
      let v = previous;
      while (v && (v.exited || v.name !== name)) v = visitOf.get(v.enteredPrevious);
      v ??= visits.findLast((o) => !o.exited && o.name === name);
      if (v) v.exited = true;
    } else if (FAILURE_EVENTS.has(type)) {
      const v = owner(previous, eventKind(type));
      if (v) {
        v.failures++;
        v.lastFailed = true;
      }
    } else if (SUCCESS_EVENTS.has(type)) {
      const v = owner(previous, eventKind(type));
      if (v) v.lastFailed = false;
    } else if (type.endsWith('StateAborted')) {
      const v = owner(previous, eventKind(type) ?? type.replace(/StateAborted$/, ''));
      if (v) v.aborted = true;
    } else if (type === 'ExecutionRedriven') {
      execution = 'RUNNING';
      failedState = error = cause = undefined;
      for (const v of visits) if (!v.exited) v.superseded = true;
    } else if (CLOSINGS[type]) {
      execution = CLOSINGS[type];
      if (execution !== 'SUCCEEDED') {
        const v = owner(previous);
        if (v) {
          v.closedHere = true;
          failedState = v.name;
        }
        const d = closingDetails(e);
        error = typeof d.error === 'string' ? d.error : undefined;
        cause = typeof d.cause === 'string' ? d.cause : undefined;
      }
    }
  }

  const states: Record<string, StateStatus> = {};
  if (definition !== undefined) for (const n of buildDiagramGraph(definition).nodes) if (n.kind === 'state') states[n.name] = 'notReached';
  for (const v of visits) {
    if (v.superseded) continue;
    const status = visitStatus(v, execution);
    const before = Object.hasOwn(states, v.name) ? states[v.name] : undefined;
    if (!before || PRECEDENCE.indexOf(status) < PRECEDENCE.indexOf(before)) states[v.name] = status;
  }
  return { execution, states, failedState, error, cause };
}

/** Per-state statuses of an execution (see summarizeExecution). */
export function stateStatuses(events: readonly WireHistoryEvent[], definition?: unknown): Record<string, StateStatus> {
  return summarizeExecution(events, definition).states;
}

function visitStatus(v: Visit, execution: ExecutionOutcome): StateStatus {
  if (v.kind === 'Fail') return 'failed';
  if (v.exited) return v.lastFailed ? 'caught' : v.failures > 0 ? 'retried' : 'succeeded';
  if (v.aborted) return 'aborted';
  if (execution === 'RUNNING') return 'running';
  if (v.closedHere) return execution === 'ABORTED' ? 'aborted' : 'failed';
  if (v.lastFailed) return 'failed';
  // Left open when the execution closed elsewhere: a sibling branch failed, or it was stopped.
  return 'aborted';
}

/**
 * The states an execution went through, one visit per `…StateEntered`, read from its history:
 * when it was entered and left, its input and output, how many attempts its task took, and what
 * became of it. Events are attributed to visits by following `previousEventId` back to the
 * `…StateEntered` they descend from, which keeps Parallel branches and Map iterations apart.
 */
import type { EngineHistoryEvent } from './deps.js';
import { FAILURE_EVENTS, SUCCESS_EVENTS } from '../diagram/execution-status.js';

export type VisitStatus = 'succeeded' | 'failed' | 'caught' | 'retried' | 'running' | 'aborted';

export interface StateVisit {
  /** Position in the timeline (order of entry). */
  readonly index: number;
  readonly name: string;
  /** The state type, from `<Type>StateEntered`. */
  readonly type: string;
  readonly enteredEventId: number;
  readonly enteredAt: number;
  exitedAt: number | undefined;
  /** The enclosing Parallel or Map visit, if any. */
  readonly parent: number | undefined;
  readonly depth: number;
  /** The Map iteration the visit runs in, if directly in one. */
  readonly iteration: number | undefined;
  readonly input: unknown;
  output: unknown;
  /** Task attempts (scheduled invocations); retries are attempts − 1. */
  attempts: number;
  failures: number;
  error: string | undefined;
  cause: string | undefined;
  status: VisitStatus;
}

export interface Timeline {
  readonly visits: StateVisit[];
  /** For each event id, the visit it belongs to (for the history's "state" column). */
  readonly visitOfEvent: Map<number, number>;
}

const ATTEMPTS = new Set(['TaskScheduled', 'LambdaFunctionScheduled', 'ActivityScheduled']);
const CLOSINGS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);

interface Work {
  visit: StateVisit;
  exited: boolean;
  lastFailed: boolean;
  aborted: boolean;
  closedHere: boolean;
  /** The closing event that found the visit still open. */
  closedBy: string | undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function buildTimeline(events: readonly EngineHistoryEvent[]): Timeline {
  const sorted = [...events].sort((a, b) => a.id - b.id);
  const works: Work[] = [];
  /** The visit an event happened in (the nearest open one is found by walking up parents). */
  const contextOf = new Map<number, Work | undefined>();
  const iterationOf = new Map<number, number | undefined>();
  const visitOfEvent = new Map<number, number>();
  const open = (from: Work | undefined): Work | undefined => {
    let w = from;
    for (let guard = 0; w && w.exited && guard < 100_000; guard++) w = w.visit.parent === undefined ? undefined : works[w.visit.parent];
    return w;
  };

  for (const e of sorted) {
    const d = e.details ?? {};
    const prev = contextOf.get(e.previousEventId);
    const entered = /^(\w+)StateEntered$/.exec(e.type);
    if (entered) {
      const parent = open(prev);
      const visit: StateVisit = {
        index: works.length,
        name: str(d['name']) ?? '?',
        type: entered[1] ?? '',
        enteredEventId: e.id,
        enteredAt: e.timestamp,
        exitedAt: undefined,
        parent: parent?.visit.index,
        depth: parent ? parent.visit.depth + 1 : 0,
        iteration: iterationOf.get(e.previousEventId),
        input: d['input'],
        output: undefined,
        attempts: 0,
        failures: 0,
        error: undefined,
        cause: undefined,
        status: 'running',
      };
      const w: Work = { visit, exited: false, lastFailed: false, aborted: false, closedHere: false, closedBy: undefined };
      works.push(w);
      contextOf.set(e.id, w);
      visitOfEvent.set(e.id, visit.index);
      continue;
    }
    if (e.type.endsWith('StateExited')) {
      const name = str(d['name']);
      let w = prev;
      while (w && (w.exited || w.visit.name !== name)) w = w.visit.parent === undefined ? undefined : works[w.visit.parent];
      w ??= works.findLast((o) => !o.exited && o.visit.name === name);
      if (w) {
        w.exited = true;
        w.visit.exitedAt = e.timestamp;
        w.visit.output = d['output'];
        visitOfEvent.set(e.id, w.visit.index);
      }
      contextOf.set(e.id, w ?? prev);
      iterationOf.set(e.id, w ? w.visit.iteration : iterationOf.get(e.previousEventId));
      continue;
    }
    contextOf.set(e.id, prev);
    iterationOf.set(e.id, e.type === 'MapIterationStarted' && typeof d['index'] === 'number' ? d['index'] : iterationOf.get(e.previousEventId));
    const owner = open(prev);
    if (owner) visitOfEvent.set(e.id, owner.visit.index);
    if (ATTEMPTS.has(e.type) && owner) owner.visit.attempts++;
    else if (FAILURE_EVENTS.has(e.type) && owner) {
      owner.visit.failures++;
      owner.lastFailed = true;
      owner.visit.error = str(d['error']);
      owner.visit.cause = str(d['cause']);
    } else if (SUCCESS_EVENTS.has(e.type) && owner) owner.lastFailed = false;
    else if (e.type.endsWith('StateAborted') && owner) owner.aborted = true;
    else if (CLOSINGS.has(e.type)) {
      // A redrive (ExecutionRedriven) enters the unfinished states again: these visits stay closed.
      if (owner && e.type !== 'ExecutionSucceeded') owner.closedHere = true;
      for (const w of works) if (!w.exited) w.closedBy ??= e.type;
    }
  }

  for (const w of works) w.visit.status = statusOf(w);
  return { visits: works.map((w) => w.visit), visitOfEvent };
}

function statusOf(w: Work): VisitStatus {
  if (w.visit.type === 'Fail') return 'failed';
  if (w.exited) return w.lastFailed ? 'caught' : w.visit.failures > 0 ? 'retried' : 'succeeded';
  if (w.aborted) return 'aborted';
  if (w.closedBy === undefined) return 'running';
  if (w.closedHere) return w.closedBy === 'ExecutionAborted' ? 'aborted' : 'failed';
  if (w.lastFailed) return 'failed';
  // Left open when the execution closed elsewhere: a sibling branch failed, or it was stopped.
  return 'aborted';
}

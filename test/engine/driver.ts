/** Drives one execution through the pure step, answering tasks and firing Wait/Retry timers in time order. */
import { buildGraph, type MachineGraph } from '../../src/asl/graph.js';
import type { Json, JsonObject } from '../../src/lib/json.js';
import { newSnapshot, step } from '../../src/engine/step.js';
import type { Command, EngineEvent, HistoryEvent, Snapshot, StepEnv, TaskRequest } from '../../src/engine/types.js';
import type { Def } from './helpers.js';

export const T0 = Date.UTC(2026, 10, 26, 0, 0, 0);
const env: StepEnv = { random: () => 0.5, newId: () => 'fixed-id' };

export type Answer = { ok: Json } | { error: string; cause?: string };

/** Drives one execution: answers tasks with `answer`, fires Wait and Retry timers in time order. */
export class Driver {
  readonly history: HistoryEvent[] = [];
  readonly calls: TaskRequest[] = [];
  now = T0;
  private timers: Extract<Command, { kind: 'startTimer' }>[] = [];
  readonly graph: MachineGraph;
  readonly snap: Snapshot;

  constructor(def: Def, input: Json, public answer: (req: TaskRequest) => Answer | 'hang') {
    this.graph = buildGraph(def as JsonObject);
    this.snap = newSnapshot({
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:M:e',
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M',
      stateMachineName: 'M',
      name: 'e',
      roleArn: 'arn:aws:iam::123456789012:role/r',
      type: 'STANDARD',
      startTime: T0,
      input,
      redriveCount: 0,
      region: 'us-east-1',
      account: '123456789012',
    });
  }

  /** Apply `first`, then everything it causes, until the execution closes or only hanging work remains. */
  async run(first: EngineEvent, fireTimers = true): Promise<void> {
    const queue: EngineEvent[] = [first];
    for (;;) {
      const ev = queue.shift();
      if (!ev) {
        if (this.snap.status !== 'RUNNING' || !fireTimers) return;
        const next = this.timers.filter((t) => t.purpose === 'wait' || t.purpose === 'retry').sort((a, b) => a.dueAt - b.dueAt)[0];
        if (!next) return;
        this.timers = this.timers.filter((t) => t !== next);
        this.now = Math.max(this.now, next.dueAt);
        queue.push({ kind: 'timerFired', frameId: next.frameId, token: next.token, purpose: next.purpose });
        continue;
      }
      const r = await step(this.graph, this.snap, ev, this.now, env);
      this.history.push(...r.events);
      for (const c of r.commands) {
        if (c.kind === 'startTimer') this.timers.push(c);
        if (c.kind !== 'invokeTask') continue;
        this.calls.push(c.request);
        const a = this.answer(c.request);
        if (a === 'hang') continue;
        const { frameId, token } = c.request;
        queue.push('ok' in a ? { kind: 'taskSucceeded', frameId, token, output: a.ok } : { kind: 'taskFailed', frameId, token, error: a.error, cause: a.cause });
      }
    }
  }

  /** Apply one event (and the task answers it causes), firing no timers. */
  step(ev: EngineEvent): Promise<void> {
    return this.run(ev, false);
  }

  timersOf(purpose: string): Extract<Command, { kind: 'startTimer' }>[] {
    return this.timers.filter((t) => t.purpose === purpose);
  }

  sketch(from = 0): string[] {
    return this.history.slice(from).map((e) => {
      const name = e.details?.['name'];
      return /State(Entered|Exited)$/.test(e.type) && typeof name === 'string' ? `${e.type}:${name}` : e.type;
    });
  }
}


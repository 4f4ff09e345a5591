/**
 * The pure step: (snapshot, event, now) → (history events, commands). It performs no I/O and
 * reads no clock: tasks and timers come out as commands, and the same inputs give the same outputs.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/asl/graph.js';
import type { JsonObject } from '../../src/lib/json.js';
import { newSnapshot, step } from '../../src/engine/step.js';
import type { Command, EngineEvent, Snapshot, StepEnv } from '../../src/engine/types.js';
import { INVOKE, machine, type Def } from './helpers.js';

const NOW = 1_000_000;
const env: StepEnv = { random: () => 0.5, newId: () => 'fixed-id' };

function start(def: Def, input: unknown = { a: 1 }): { graph: ReturnType<typeof buildGraph>; snap: Snapshot } {
  const graph = buildGraph(def as JsonObject);
  const snap = newSnapshot({
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:M:e',
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M',
    stateMachineName: 'M',
    name: 'e',
    roleArn: 'arn:aws:iam::123456789012:role/r',
    type: 'STANDARD',
    startTime: NOW,
    input: input as JsonObject,
    redriveCount: 0,
    region: 'us-east-1',
    account: '123456789012',
  });
  return { graph, snap };
}

function only<K extends Command['kind']>(commands: Command[], kind: K): Extract<Command, { kind: K }>[] {
  return commands.filter((c): c is Extract<Command, { kind: K }> => c.kind === kind);
}

const taskDef = machine({ Work: { Type: 'Task', Resource: INVOKE, Parameters: { 'v.$': '$.a' }, Retry: [{ ErrorEquals: ['Boom'] }], End: true } });
const waitDef = machine({ Pause: { Type: 'Wait', Seconds: 10, End: true } });

describe('step() purity', () => {
  it('the same snapshot copy, event and now give the same events, commands and resulting snapshot', async () => {
    const { graph, snap } = start(taskDef);
    const a = structuredClone(snap);
    const b = structuredClone(snap);
    const ra = await step(graph, a, { kind: 'start' }, NOW, env);
    const rb = await step(graph, b, { kind: 'start' }, NOW, env);
    expect(rb).toEqual(ra);
    expect(b).toEqual(a);
  });

  it('stamps history with the `now` it is given, not the wall clock', async () => {
    const { graph, snap } = start(waitDef);
    const r = await step(graph, snap, { kind: 'start' }, 42, env);
    expect(r.events.length).toBeGreaterThan(0);
    for (const e of r.events) expect(e.timestamp).toBe(42);
  });

  it('a Task yields an invokeTask command carrying the effective input instead of calling anything', async () => {
    const { graph, snap } = start(taskDef);
    const r = await step(graph, snap, { kind: 'start' }, NOW, env);
    expect(r.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted']);
    const invokes = only(r.commands, 'invokeTask');
    expect(invokes).toHaveLength(1);
    expect(invokes[0]?.request).toMatchObject({ resource: INVOKE, stateName: 'Work', input: { v: 1 } });
    expect(snap.status).toBe('RUNNING');
  });

  it('a Wait yields a startTimer command due Seconds later and does not exit until the timer fires', async () => {
    const { graph, snap } = start(waitDef);
    const r1 = await step(graph, snap, { kind: 'start' }, NOW, env);
    const timer = only(r1.commands, 'startTimer').find((c) => c.purpose === 'wait');
    expect(timer?.dueAt).toBe(NOW + 10_000);
    expect(r1.events.map((e) => e.type)).not.toContain('WaitStateExited');

    const fired: EngineEvent = { kind: 'timerFired', frameId: timer?.frameId ?? -1, token: timer?.token ?? -1, purpose: 'wait' };
    const r2 = await step(graph, snap, fired, NOW + 10_000, env);
    expect(r2.events.map((e) => e.type)).toEqual(['WaitStateExited', 'ExecutionSucceeded']);
    expect(r2.events[0]?.timestamp).toBe(NOW + 10_000);
    expect(snap.status).toBe('SUCCEEDED');
    expect(snap.output).toEqual({ a: 1 });
  });

  it('the snapshot is plain JSON: a copy round-tripped through JSON resumes exactly like the original', async () => {
    const { graph, snap } = start(taskDef);
    const r1 = await step(graph, snap, { kind: 'start' }, NOW, env);
    const restored = JSON.parse(JSON.stringify(snap)) as Snapshot;
    expect(restored).toEqual(snap);
    const req = only(r1.commands, 'invokeTask')[0]?.request;
    const done: EngineEvent = { kind: 'taskSucceeded', frameId: req?.frameId ?? -1, token: req?.token ?? -1, output: { r: 1 } };
    const fromOriginal = await step(graph, snap, done, NOW + 5, env);
    const fromRestored = await step(graph, restored, done, NOW + 5, env);
    expect(fromRestored).toEqual(fromOriginal);
    expect(restored.status).toBe('SUCCEEDED');
  });
});

describe('step() task lifecycle', () => {
  it('a failed attempt yields a retry timer (1 s by default), then a fresh invokeTask with a new token', async () => {
    const { graph, snap } = start(taskDef);
    const r1 = await step(graph, snap, { kind: 'start' }, NOW, env);
    const req1 = only(r1.commands, 'invokeTask')[0]?.request;
    const r2 = await step(graph, snap, { kind: 'taskFailed', frameId: req1?.frameId ?? -1, token: req1?.token ?? -1, error: 'Boom', cause: 'x' }, NOW + 10, env);
    expect(r2.events.map((e) => e.type)).toEqual(['TaskFailed']);
    const retry = only(r2.commands, 'startTimer').find((c) => c.purpose === 'retry');
    expect(retry?.dueAt).toBe(NOW + 10 + 1_000);
    expect(only(r2.commands, 'invokeTask')).toHaveLength(0);

    const r3 = await step(graph, snap, { kind: 'timerFired', frameId: retry?.frameId ?? -1, token: retry?.token ?? -1, purpose: 'retry' }, NOW + 1_010, env);
    const req2 = only(r3.commands, 'invokeTask')[0]?.request;
    expect(req2).toBeDefined();
    expect(req2?.token).not.toBe(req1?.token);
    expect(r3.events.map((e) => e.type)).toEqual(['TaskScheduled', 'TaskStarted']);
  });

  it('a result carrying a stale token is ignored: no events, no commands, snapshot unchanged', async () => {
    const { graph, snap } = start(taskDef);
    const r1 = await step(graph, snap, { kind: 'start' }, NOW, env);
    const req1 = only(r1.commands, 'invokeTask')[0]?.request;
    const r2 = await step(graph, snap, { kind: 'taskFailed', frameId: req1?.frameId ?? -1, token: req1?.token ?? -1, error: 'Boom', cause: undefined }, NOW, env);
    const retry = only(r2.commands, 'startTimer').find((c) => c.purpose === 'retry');
    await step(graph, snap, { kind: 'timerFired', frameId: retry?.frameId ?? -1, token: retry?.token ?? -1, purpose: 'retry' }, NOW + 1_000, env);

    const before = structuredClone(snap);
    const late = await step(graph, snap, { kind: 'taskSucceeded', frameId: req1?.frameId ?? -1, token: req1?.token ?? -1, output: 'stale' }, NOW + 1_500, env);
    expect(late.events).toEqual([]);
    expect(late.commands).toEqual([]);
    expect(snap).toEqual(before);
  });

  it('TimeoutSeconds yields a taskTimeout timer; when it fires the task is cancelled and TaskTimedOut recorded', async () => {
    const def = machine({ Work: { Type: 'Task', Resource: INVOKE, TimeoutSeconds: 5, End: true } });
    const { graph, snap } = start(def);
    const r1 = await step(graph, snap, { kind: 'start' }, NOW, env);
    const t = only(r1.commands, 'startTimer').find((c) => c.purpose === 'taskTimeout');
    expect(t?.dueAt).toBe(NOW + 5_000);
    const r2 = await step(graph, snap, { kind: 'timerFired', frameId: t?.frameId ?? -1, token: t?.token ?? -1, purpose: 'taskTimeout' }, NOW + 5_000, env);
    expect(only(r2.commands, 'cancelTask')).toHaveLength(1);
    expect(r2.events.map((e) => e.type)).toEqual(['TaskTimedOut', 'ExecutionFailed']);
    expect(snap.error).toBe('States.Timeout');
  });

  it('a timed-out attempt with a States.Timeout retrier is cancelled and a retry timer started', async () => {
    const def = machine({ Work: { Type: 'Task', Resource: INVOKE, TimeoutSeconds: 5, Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 2 }], End: true } });
    const { graph, snap } = start(def);
    const r1 = await step(graph, snap, { kind: 'start' }, NOW, env);
    const t = only(r1.commands, 'startTimer').find((c) => c.purpose === 'taskTimeout');
    const r2 = await step(graph, snap, { kind: 'timerFired', frameId: t?.frameId ?? -1, token: t?.token ?? -1, purpose: 'taskTimeout' }, NOW + 5_000, env);
    expect(only(r2.commands, 'cancelTask')).toHaveLength(1);
    expect(only(r2.commands, 'startTimer').find((c) => c.purpose === 'retry')?.dueAt).toBe(NOW + 7_000);
    expect(r2.events.map((e) => e.type)).toEqual(['TaskTimedOut']);
  });

  it('a heartbeat pushes the heartbeat deadline forward; the superseded timer does nothing', async () => {
    const def = machine({ Work: { Type: 'Task', Resource: INVOKE, TimeoutSeconds: 60, HeartbeatSeconds: 2, End: true } });
    const { graph, snap } = start(def);
    const r1 = await step(graph, snap, { kind: 'start' }, NOW, env);
    const req = only(r1.commands, 'invokeTask')[0]?.request;
    const hb1 = only(r1.commands, 'startTimer').find((c) => c.purpose === 'heartbeatTimeout');
    expect(hb1?.dueAt).toBe(NOW + 2_000);

    const beat = await step(graph, snap, { kind: 'heartbeat', frameId: req?.frameId ?? -1, token: req?.token ?? -1 }, NOW + 1_500, env);
    const hb2 = only(beat.commands, 'startTimer').find((c) => c.purpose === 'heartbeatTimeout');
    expect(hb2?.dueAt).toBe(NOW + 3_500);

    const old = await step(graph, snap, { kind: 'timerFired', frameId: hb1?.frameId ?? -1, token: hb1?.token ?? -1, purpose: 'heartbeatTimeout' }, NOW + 2_000, env);
    expect(old.events).toEqual([]);
    expect(snap.status).toBe('RUNNING');

    const due = await step(graph, snap, { kind: 'timerFired', frameId: hb2?.frameId ?? -1, token: hb2?.token ?? -1, purpose: 'heartbeatTimeout' }, NOW + 3_500, env);
    expect(due.events.map((e) => e.type)).toEqual(['TaskTimedOut', 'ExecutionFailed']);
  });

  it('an execution TimeoutSeconds yields an executionTimeout timer from the start time', async () => {
    const { graph, snap } = start(machine({ Pause: { Type: 'Wait', Seconds: 100, End: true } }, { TimeoutSeconds: 30 }));
    const r = await step(graph, snap, { kind: 'start' }, NOW, env);
    const t = only(r.commands, 'startTimer').find((c) => c.purpose === 'executionTimeout');
    expect(t?.dueAt).toBe(NOW + 30_000);
  });
});

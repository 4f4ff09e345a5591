/**
 * Redrive in the pure step: an execution that failed, timed out or was aborted resumes from the
 * state that did not succeed, with the same input; the states that succeeded are not run again,
 * and in a Parallel or an inline Map only the failed or aborted branches and iterations run.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/lib/json.js';
import type { HistoryEvent } from '../../src/engine/types.js';
import { Driver, T0 } from './driver.js';
import { INVOKE, machine, type Def } from './helpers.js';

const task = (extra: Def = {}): Def => ({ Type: 'Task', Resource: INVOKE, ...extra });

describe('redrive: the pure step', () => {
  it('resumes a failed Task with its original input and variables; succeeded states do not run again', async () => {
    const def = machine({
        Prepare: { Type: 'Pass', Parameters: { 'n.$': '$.n' }, Assign: { seen: 'yes' }, Next: 'Work' },
        Work: task({ Parameters: { 'n.$': '$.n', 'seen.$': '$seen' }, Next: 'Done' }),
        Done: { Type: 'Pass', End: true },
      });
    let healthy = false;
    const d = new Driver(def, { n: 7 }, (req) => (healthy ? { ok: { got: req.input } } : { error: 'Boom', cause: 'down' }));
    await d.run({ kind: 'start' });
    expect(d.snap.status).toBe('FAILED');
    expect(d.snap.error).toBe('Boom');
    const closedAt = d.history.length;

    healthy = true;
    d.now = T0 + 60_000;
    await d.run({ kind: 'redrive' });
    expect(d.snap.status).toBe('SUCCEEDED');
    expect(d.snap.output).toEqual({ got: { n: 7, seen: 'yes' } });
    expect(d.snap.meta.redriveCount).toBe(1);
    expect(d.sketch(closedAt)).toEqual([
      'ExecutionRedriven',
      'TaskStateEntered:Work',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited:Work',
      'PassStateEntered:Done',
      'PassStateExited:Done',
      'ExecutionSucceeded',
    ]);
    const redriven = d.history[closedAt] as HistoryEvent;
    expect(redriven.details).toEqual({ redriveCount: 1 });
    expect(redriven.previousEventId).toBe(closedAt);
    expect(redriven.id).toBe(closedAt + 1);
    expect(d.history[closedAt + 1]?.previousEventId).toBe(redriven.id);
    expect(d.history.filter((e) => e.type === 'PassStateEntered' && e.details?.['name'] === 'Prepare')).toHaveLength(1);
    expect(d.history.map((e) => e.id)).toEqual(d.history.map((_, i) => i + 1));
  });

  it('a Parallel reruns only the branch that failed; the other branch keeps its result', async () => {
    const def = machine({
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'A', States: { A: task({ Parameters: { branch: 'a' }, End: true }) } },
          { StartAt: 'B', States: { B: task({ Parameters: { branch: 'b' }, End: true }) } },
        ],
        End: true,
      },
    });
    let bHealthy = false;
    const d = new Driver(def, {}, (req) => {
      const branch = (req.input as JsonObject)['branch'];
      if (branch === 'b' && !bHealthy) return { error: 'BFailed' };
      return { ok: `${String(branch)}-done` };
    });
    await d.run({ kind: 'start' });
    expect(d.snap.status).toBe('FAILED');
    expect(d.calls.map((c) => (c.input as JsonObject)['branch'])).toEqual(['a', 'b']);

    bHealthy = true;
    await d.run({ kind: 'redrive' });
    expect(d.snap.status).toBe('SUCCEEDED');
    expect(d.snap.output).toEqual(['a-done', 'b-done']);
    expect(d.calls.map((c) => (c.input as JsonObject)['branch'])).toEqual(['a', 'b', 'b']);
  });

  it('an inline Map reruns the failed iteration and starts the ones never started; succeeded items keep their results', async () => {
    const def = machine({
      Each: {
        Type: 'Map',
        MaxConcurrency: 1,
        ItemProcessor: { StartAt: 'Item', States: { Item: task({ End: true }) } },
        End: true,
      },
    });
    let failOn: number | undefined = 2;
    const d = new Driver(def, [0, 1, 2, 3], (req) => (req.input === failOn ? { error: 'ItemFailed' } : { ok: (req.input as number) * 10 }));
    await d.run({ kind: 'start' });
    expect(d.snap.status).toBe('FAILED');
    expect(d.calls.map((c) => c.input)).toEqual([0, 1, 2]);
    const closedAt = d.history.length;

    failOn = undefined;
    await d.run({ kind: 'redrive' });
    expect(d.snap.status).toBe('SUCCEEDED');
    expect(d.snap.output).toEqual([0, 10, 20, 30]);
    expect(d.calls.map((c) => c.input)).toEqual([0, 1, 2, 2, 3]);
    const iterations = d.history.slice(closedAt).filter((e) => e.type === 'MapIterationStarted').map((e) => e.details?.['index']);
    expect(iterations).toEqual([2, 3]);
  });

  it('an aborted execution resumes the state it was stopped in', async () => {
    const def = machine({ Hold: { Type: 'Wait', Seconds: 30, Next: 'After' }, After: { Type: 'Pass', Result: 'after', End: true } });
    const d = new Driver(def, {}, () => ({ ok: null }));
    await d.step({ kind: 'start' });
    await d.step({ kind: 'stop', error: 'Operator', cause: 'stopped by hand' });
    expect(d.snap.status).toBe('ABORTED');
    const closedAt = d.history.length;
    await d.run({ kind: 'redrive' });
    expect(d.snap.status).toBe('SUCCEEDED');
    expect(d.snap.output).toBe('after');
    expect(d.sketch(closedAt).slice(0, 2)).toEqual(['ExecutionRedriven', 'WaitStateEntered:Hold']);
  });

  it('a Fail state fails again; the redrive is counted', async () => {
    const def = machine({ Stop: { Type: 'Fail', Error: 'Nope', Cause: 'by design' } });
    const d = new Driver(def, {}, () => ({ ok: null }));
    await d.run({ kind: 'start' });
    await d.run({ kind: 'redrive' });
    expect(d.snap.status).toBe('FAILED');
    expect(d.snap.error).toBe('Nope');
    expect(d.snap.meta.redriveCount).toBe(1);
    expect(d.sketch()).toEqual(['ExecutionStarted', 'FailStateEntered:Stop', 'ExecutionFailed', 'ExecutionRedriven', 'FailStateEntered:Stop', 'ExecutionFailed']);
  });

  it('a succeeded execution ignores a redrive event', async () => {
    const d = new Driver(machine({ P: { Type: 'Pass', End: true } }), { x: 1 }, () => ({ ok: null }));
    await d.run({ kind: 'start' });
    const before = d.history.length;
    await d.run({ kind: 'redrive' });
    expect(d.snap.status).toBe('SUCCEEDED');
    expect(d.history).toHaveLength(before);
    expect(d.snap.meta.redriveCount).toBe(0);
  });

  it('the context object reports RedriveCount and RedriveTime after a redrive', async () => {
    const def = machine(
      {
        Work: task({ Parameters: { 'count.$': '$$.Execution.RedriveCount' }, Next: 'Ctx' }),
        Ctx: { Type: 'Pass', Parameters: { 'count.$': '$$.Execution.RedriveCount', 'time.$': '$$.Execution.RedriveTime' }, End: true },
      });
    let healthy = false;
    const d = new Driver(def, {}, (req) => (healthy ? { ok: req.input } : { error: 'Boom' }));
    await d.run({ kind: 'start' });
    healthy = true;
    d.now = T0 + 12 * 3600_000;
    await d.run({ kind: 'redrive' });
    expect(d.calls.map((c) => c.input)).toEqual([{ count: 0 }, { count: 1 }]);
    expect(d.snap.output).toEqual({ count: 1, time: '2026-11-26T12:00:00.000Z' });
  });

  it("TimeoutSeconds counts again from the redrive; the first run's timeout timer is stale", async () => {
    const def = { ...machine({ Slow: task({ End: true }) }), TimeoutSeconds: 5 };
    let hang = true;
    const d = new Driver(def, {}, () => (hang ? 'hang' : { ok: 'finally' }));
    await d.run({ kind: 'start' });
    const first = d.timersOf('executionTimeout');
    expect(first.map((t) => [t.token, t.dueAt])).toEqual([[0, T0 + 5000]]);
    d.now = T0 + 5000;
    await d.step({ kind: 'timerFired', frameId: -1, token: 0, purpose: 'executionTimeout' });
    expect(d.snap.status).toBe('TIMED_OUT');

    d.now = T0 + 60_000;
    await d.run({ kind: 'redrive' });
    expect(d.snap.status).toBe('RUNNING');
    expect(d.timersOf('executionTimeout').map((t) => [t.token, t.dueAt])).toEqual([[0, T0 + 5000], [1, T0 + 65_000]]);
    // The first run's timer, delivered late, does not time out the redriven run.
    await d.step({ kind: 'timerFired', frameId: -1, token: 0, purpose: 'executionTimeout' });
    expect(d.snap.status).toBe('RUNNING');
    d.now = T0 + 65_000;
    await d.step({ kind: 'timerFired', frameId: -1, token: 1, purpose: 'executionTimeout' });
    expect(d.snap.status).toBe('TIMED_OUT');
    hang = false;
  });

  it('a nested Parallel inside a Map iteration resumes inside the branch that failed', async () => {
    const def = machine({
      Each: {
        Type: 'Map',
        ItemProcessor: {
          StartAt: 'Split',
          States: {
            Split: {
              Type: 'Parallel',
              Branches: [
                { StartAt: 'L', States: { L: task({ Parameters: { 'side': 'l', 'i.$': '$' }, End: true }) } },
                { StartAt: 'R', States: { R: task({ Parameters: { 'side': 'r', 'i.$': '$' }, End: true }) } },
              ],
              End: true,
            },
          },
        },
        End: true,
      },
    });
    let broken = true;
    const d = new Driver(def, [1, 2], (req) => {
      const { side, i } = req.input as { side: string; i: number };
      if (broken && side === 'r' && i === 2) return { error: 'RightFailed' };
      return { ok: `${side}${i}` };
    });
    await d.run({ kind: 'start' });
    expect(d.snap.status).toBe('FAILED');
    const callsBefore = d.calls.length;
    broken = false;
    await d.run({ kind: 'redrive' });
    expect(d.snap.status).toBe('SUCCEEDED');
    expect(d.snap.output).toEqual([['l1', 'r1'], ['l2', 'r2']]);
    expect(d.calls.slice(callsBefore).map((c) => c.input)).toEqual([{ side: 'r', i: 2 }]);
  });
});

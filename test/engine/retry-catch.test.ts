/** Retry and Catch, per the ASL spec's "Error handling" section and AWS's error-handling guide. */
import { describe, expect, it } from 'vitest';
import { FN, INVOKE, events, fail, fakeClock, gaps, machine, outputOf, run, scripted, silentFor, type Def } from './helpers.js';

const task = (fields: Record<string, unknown>, resource = INVOKE): Def => machine({ Work: { Type: 'Task', Resource: resource, End: true, ...fields } });

describe('Retry delays (fake clock: seen in history timestamps, no real waiting)', () => {
  it('defaults (1 s, ×2.0, 3 attempts): a task failing 3 times then succeeding is rescheduled after 1, 2 and 4 s', async () => {
    const h = scripted(['Boom', 'Boom', 'Boom'], { done: true });
    const r = await run(task({ Retry: [{ ErrorEquals: ['States.ALL'] }] }), {}, { handlers: { [INVOKE]: h }, clock: fakeClock() });
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toEqual({ done: true });
    expect(h.calls).toHaveLength(4);
    expect(events(r, 'TaskScheduled')).toHaveLength(4);
    expect(gaps(r, 'TaskScheduled')).toEqual([1000, 2000, 4000]);
  });

  it('default MaxAttempts is 3: a 4th failure is final', async () => {
    const h = scripted(['Boom', 'Boom', 'Boom', 'Boom']);
    const r = await run(task({ Retry: [{ ErrorEquals: ['Boom'] }] }), {}, { handlers: { [INVOKE]: h } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('Boom');
    expect(h.calls).toHaveLength(4);
  });

  it('MaxAttempts 0 never retries', async () => {
    const h = scripted(['Boom', 'Boom']);
    const r = await run(task({ Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 0 }] }), {}, { handlers: { [INVOKE]: h } });
    expect(r.status).toBe('FAILED');
    expect(h.calls).toHaveLength(1);
  });

  it('IntervalSeconds and BackoffRate: 2 s × 3.0 gives 2, 6, 18 s', async () => {
    const h = scripted(['Boom', 'Boom', 'Boom']);
    const r = await run(task({ Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 2, BackoffRate: 3 }] }), {}, { handlers: { [INVOKE]: h } });
    expect(r.status).toBe('SUCCEEDED');
    expect(gaps(r, 'TaskScheduled')).toEqual([2000, 6000, 18000]);
  });

  it("AWS's example: IntervalSeconds 3, BackoffRate 1.5, MaxAttempts 2 waits 3 s then 4.5 s", async () => {
    const h = scripted(['Boom', 'Boom', 'Boom']);
    const r = await run(task({ Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 3, BackoffRate: 1.5, MaxAttempts: 2 }] }), {}, { handlers: { [INVOKE]: h } });
    expect(r.status).toBe('FAILED');
    expect(gaps(r, 'TaskScheduled')).toEqual([3000, 4500]);
  });

  it('MaxDelaySeconds caps the interval: 3 s × 2.0 capped at 4 s gives 3, 4, 4 s', async () => {
    const h = scripted(['Boom', 'Boom', 'Boom']);
    const r = await run(task({ Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 3, MaxDelaySeconds: 4 }] }), {}, { handlers: { [INVOKE]: h } });
    expect(r.status).toBe('SUCCEEDED');
    expect(gaps(r, 'TaskScheduled')).toEqual([3000, 4000, 4000]);
  });

  it('a retry is not a new state entry: one TaskStateEntered, one TaskFailed per failed attempt', async () => {
    const h = scripted(['Boom', 'Boom']);
    const r = await run(task({ Retry: [{ ErrorEquals: ['Boom'] }] }), {}, { handlers: { [INVOKE]: h } });
    expect(events(r, 'TaskStateEntered')).toHaveLength(1);
    expect(events(r, 'TaskFailed')).toHaveLength(2);
    expect(events(r, 'TaskSucceeded')).toHaveLength(1);
  });
});

describe('Which retrier applies', () => {
  it('each retrier keeps its own attempt count: A, B retried once each, then a second A is final', async () => {
    const h = scripted(['A', 'B', 'A']);
    const def = task({
      Retry: [
        { ErrorEquals: ['A'], MaxAttempts: 1 },
        { ErrorEquals: ['B'], MaxAttempts: 1 },
      ],
    });
    const r = await run(def, {}, { handlers: { [INVOKE]: h } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('A');
    expect(h.calls).toHaveLength(3);
  });

  it('separate counters let an A then a B failure both be retried once', async () => {
    const h = scripted(['A', 'B'], 'recovered');
    const def = task({
      Retry: [
        { ErrorEquals: ['A'], MaxAttempts: 1 },
        { ErrorEquals: ['B'], MaxAttempts: 1 },
      ],
    });
    const r = await run(def, {}, { handlers: { [INVOKE]: h } });
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toBe('recovered');
  });

  it('an exhausted retrier does not fall through to a later matching one', async () => {
    const h = scripted(['Custom', 'Custom', 'Custom', 'Custom', 'Custom']);
    const def = task({
      Retry: [
        { ErrorEquals: ['Custom'], MaxAttempts: 1 },
        { ErrorEquals: ['States.ALL'], MaxAttempts: 5 },
      ],
    });
    const r = await run(def, {}, { handlers: { [INVOKE]: h } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('Custom');
    expect(h.calls).toHaveLength(2);
  });

  it('the first retrier whose ErrorEquals matches is used, in order', async () => {
    const h = scripted(['Boom'], 'ok');
    const def = task({
      Retry: [
        { ErrorEquals: ['Other'], IntervalSeconds: 50 },
        { ErrorEquals: ['Boom'], IntervalSeconds: 7 },
        { ErrorEquals: ['States.ALL'], IntervalSeconds: 90 },
      ],
    });
    const r = await run(def, {}, { handlers: { [INVOKE]: h } });
    expect(gaps(r, 'TaskScheduled')).toEqual([7000]);
  });

  it('States.ALL retries and catches task errors but never States.Runtime', async () => {
    const h = scripted([]);
    const def = machine({
      Work: {
        Type: 'Task',
        Resource: INVOKE,
        InputPath: '$.missing',
        Retry: [{ ErrorEquals: ['States.ALL'] }],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
        End: true,
      },
      Handled: { Type: 'Pass', End: true },
    });
    const r = await run(def, { present: 1 }, { handlers: { [INVOKE]: h } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
    expect(h.calls).toHaveLength(0);
  });

  it('States.TaskFailed matches a task error of any other name', async () => {
    const def = machine({
      Work: { Type: 'Task', Resource: INVOKE, Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Handled' }], End: true },
      Handled: { Type: 'Pass', End: true },
    });
    const r = await run(def, {}, { handlers: { [INVOKE]: fail('Whatever.Custom', 'c') } });
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toEqual({ Error: 'Whatever.Custom', Cause: 'c' });
  });

  it('States.TaskFailed does not match States.Timeout: a timed-out task is neither retried nor caught by it', async () => {
    const clock = fakeClock();
    const h = silentFor(clock, 10_000);
    const def = machine({
      Work: {
        Type: 'Task',
        Resource: INVOKE,
        TimeoutSeconds: 5,
        Retry: [{ ErrorEquals: ['States.TaskFailed'] }],
        Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Handled' }],
        End: true,
      },
      Handled: { Type: 'Pass', End: true },
    });
    const r = await run(def, {}, { handlers: { [INVOKE]: h }, clock });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Timeout');
    expect(h.calls).toBe(1);
  });

  it('States.Timeout retries a timed-out task', async () => {
    const clock = fakeClock();
    let n = 0;
    const def = task({ TimeoutSeconds: 5, Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 2 }] });
    const r = await run(def, {}, {
      clock,
      handlers: {
        [INVOKE]: () => {
          if (++n === 1) {
            clock.advance(6_000);
            return new Promise<never>(() => undefined);
          }
          return 'second try';
        },
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toBe('second try');
    expect(events(r, 'TaskTimedOut')).toHaveLength(1);
  }, 3_000);
});

describe('Catch', () => {
  it('without ResultPath the output is the error output {Error, Cause}', async () => {
    const def = machine({
      Work: { Type: 'Task', Resource: INVOKE, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }], End: true },
      Handled: { Type: 'Pass', End: true },
    });
    const r = await run(def, { a: 1 }, { handlers: { [INVOKE]: fail('MyError', 'it broke') } });
    expect(outputOf(r)).toEqual({ Error: 'MyError', Cause: 'it broke' });
  });

  it('ResultPath "$.error" keeps the state input and adds {Error, Cause} under "error"', async () => {
    const def = machine({
      Work: { Type: 'Task', Resource: INVOKE, Catch: [{ ErrorEquals: ['MyError'], ResultPath: '$.error', Next: 'Handled' }], End: true },
      Handled: { Type: 'Pass', End: true },
    });
    const r = await run(def, { a: 1, keep: ['x'] }, { handlers: { [INVOKE]: fail('MyError', 'it broke') } });
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toEqual({ a: 1, keep: ['x'], error: { Error: 'MyError', Cause: 'it broke' } });
  });

  it('catchers are tried in order: the first match wins even if a later one is more specific', async () => {
    const def = machine({
      Work: {
        Type: 'Task',
        Resource: INVOKE,
        Catch: [
          { ErrorEquals: ['Other'], Next: 'Wrong' },
          { ErrorEquals: ['States.TaskFailed'], Next: 'First' },
          { ErrorEquals: ['MyError'], Next: 'Wrong' },
        ],
        End: true,
      },
      First: { Type: 'Pass', Result: 'first', End: true },
      Wrong: { Type: 'Pass', Result: 'wrong', End: true },
    });
    const r = await run(def, {}, { handlers: { [INVOKE]: fail('MyError') } });
    expect(outputOf(r)).toBe('first');
  });

  it('an error no catcher matches fails the execution with that error and cause', async () => {
    const def = machine({
      Work: { Type: 'Task', Resource: INVOKE, Catch: [{ ErrorEquals: ['Other'], Next: 'Handled' }], End: true },
      Handled: { Type: 'Pass', End: true },
    });
    const r = await run(def, {}, { handlers: { [INVOKE]: fail('MyError', 'why') } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('MyError');
    expect(r.cause).toBe('why');
  });

  it('Catch applies only after the retries are used up', async () => {
    const h = scripted(['Boom', 'Boom', 'Boom']);
    const def = machine({
      Work: {
        Type: 'Task',
        Resource: INVOKE,
        Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 2 }],
        Catch: [{ ErrorEquals: ['Boom'], Next: 'Handled' }],
        End: true,
      },
      Handled: { Type: 'Pass', End: true },
    });
    const r = await run(def, {}, { handlers: { [INVOKE]: h } });
    expect(r.status).toBe('SUCCEEDED');
    expect(h.calls).toHaveLength(3);
    expect((outputOf(r) as { Error: string }).Error).toBe('Boom');
  });

  it('Catch on a Parallel: a failing branch is caught with the branch error', async () => {
    const def = machine({
      Fan: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Ok', States: { Ok: { Type: 'Pass', End: true } } },
          { StartAt: 'Bad', States: { Bad: { Type: 'Fail', Error: 'BranchBoom', Cause: 'branch 2' } } },
        ],
        Catch: [{ ErrorEquals: ['BranchBoom'], ResultPath: '$.err', Next: 'Handled' }],
        End: true,
      },
      Handled: { Type: 'Pass', End: true },
    });
    const r = await run(def, { in: 1 });
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toEqual({ in: 1, err: { Error: 'BranchBoom', Cause: 'branch 2' } });
  });

  it('Catch on a Map: a failing iteration is caught', async () => {
    const def = machine({
      Each: {
        Type: 'Map',
        ItemProcessor: {
          StartAt: 'Check',
          States: {
            Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'Bad' }], Default: 'Ok' },
            Ok: { Type: 'Pass', End: true },
            Bad: { Type: 'Fail', Error: 'ItemBoom', Cause: 'item 2' },
          },
        },
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
        End: true,
      },
      Handled: { Type: 'Pass', End: true },
    });
    const r = await run(def, [1, 2, 3]);
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toEqual({ Error: 'ItemBoom', Cause: 'item 2' });
  });

  it("a catcher's Assign replaces the state's Assign", async () => {
    const def = machine({
      Work: {
        Type: 'Task',
        Resource: INVOKE,
        Assign: { fromState: 'state' },
        Catch: [{ ErrorEquals: ['States.ALL'], Assign: { fromCatcher: 'catcher', 'err.$': '$.Error' }, Next: 'Read' }],
        Next: 'Read',
      },
      Read: { Type: 'Pass', Parameters: { 'c.$': '$fromCatcher', 'e.$': '$err' }, End: true },
    });
    const r = await run(def, {}, { handlers: { [INVOKE]: fail('MyError') } });
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toEqual({ c: 'catcher', e: 'MyError' });
    const exited = events(r, 'TaskStateExited')[0];
    expect(exited?.details?.['assignedVariables']).toEqual({ fromCatcher: 'catcher', err: 'MyError' });
  });

  it('a caught error on a legacy Lambda ARN is recorded as LambdaFunctionFailed', async () => {
    const def = machine({
      Work: { Type: 'Task', Resource: FN, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }], End: true },
      Handled: { Type: 'Pass', End: true },
    });
    const r = await run(def, {}, { handlers: { [FN]: fail('MyError', 'c') } });
    expect(events(r, 'LambdaFunctionFailed')[0]?.details).toMatchObject({ error: 'MyError', cause: 'c' });
  });
});

/** Execution history: numbering, the previousEventId chain, event types and details, execution timeout. */
import { describe, expect, it } from 'vitest';
import { toAwsEvent } from '../../src/engine/history-format.js';
import { runLocal, type LocalRunResult } from '../../src/engine/local-run.js';
import { FN, INVOKE, T0, events, fakeClock, machine, run, scripted, sketch, types } from './helpers.js';

/** Every previousEventId is 0 or the id of an earlier event; ids run 1..n. */
function expectConsistentChain(r: LocalRunResult): void {
  const ids = r.history.map((e) => e.id);
  expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
  for (const e of r.history) {
    expect(e.previousEventId).toBeGreaterThanOrEqual(0);
    expect(e.previousEventId).toBeLessThan(e.id);
  }
  const ts = r.history.map((e) => e.timestamp);
  expect(ts).toEqual([...ts].sort((a, b) => a - b));
}

describe('history numbering', () => {
  it('ids run 1..n; ExecutionStarted and the first state-entered event have previousEventId 0; then each event follows the one before', async () => {
    const def = machine({ A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', End: true } });
    const r = await run(def, {});
    expectConsistentChain(r);
    expect(r.history.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'PassStateEntered'],
      [3, 2, 'PassStateExited'],
      [4, 3, 'PassStateEntered'],
      [5, 4, 'PassStateExited'],
      [6, 5, 'ExecutionSucceeded'],
    ]);
  });

  it('the chain stays consistent through Parallel branches, Map iterations, retries and catches', async () => {
    const h = scripted(['Boom']);
    const def = machine({
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3, End: true } } },
          {
            StartAt: 'Each',
            States: { Each: { Type: 'Map', ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: INVOKE, Retry: [{ ErrorEquals: ['Boom'] }], End: true } } }, End: true } },
          },
        ],
        Next: 'Oops',
      },
      Oops: { Type: 'Task', Resource: FN, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }], End: true },
      Done: { Type: 'Pass', End: true },
    });
    const r = await run(def, [1, 2], {
      clock: fakeClock(),
      handlers: {
        [INVOKE]: h,
        [FN]: () => {
          throw new Error('late failure');
        },
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    expectConsistentChain(r);
    // Branch events chain to the ParallelStateStarted event, not to each other's.
    const started = events(r, 'ParallelStateStarted')[0];
    const firstWait = events(r, 'WaitStateEntered')[0];
    expect(firstWait?.previousEventId).toBe(started?.id);
  });
});

describe('event types and details', () => {
  it('ExecutionStarted carries the input and role; ExecutionSucceeded the output', async () => {
    const r = await run(machine({ P: { Type: 'Pass', Result: { out: 1 }, End: true } }), { in: 1 });
    expect(events(r, 'ExecutionStarted')[0]?.details).toMatchObject({ input: { in: 1 } });
    expect(typeof events(r, 'ExecutionStarted')[0]?.details?.['roleArn']).toBe('string');
    expect(events(r, 'ExecutionSucceeded')[0]?.details).toEqual({ output: { out: 1 } });
  });

  it('Pass: PassStateEntered {name, input} and PassStateExited {name, output}', async () => {
    const r = await run(machine({ P: { Type: 'Pass', Result: 'x', ResultPath: '$.r', End: true } }), { a: 1 });
    expect(events(r, 'PassStateEntered')[0]?.details).toEqual({ name: 'P', input: { a: 1 } });
    expect(events(r, 'PassStateExited')[0]?.details).toEqual({ name: 'P', output: { a: 1, r: 'x' } });
  });

  it('Task (service integration): TaskScheduled with parameters, TaskStarted, TaskSucceeded with output', async () => {
    const def = machine({ T: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'f', 'Payload.$': '$' }, TimeoutSeconds: 30, End: true } });
    const r = await run(def, { a: 1 }, { handlers: { [INVOKE]: () => ({ Payload: 'p' }) } });
    expect(sketch(r)).toEqual(['ExecutionStarted', 'TaskStateEntered:T', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited:T', 'ExecutionSucceeded']);
    expect(events(r, 'TaskScheduled')[0]?.details).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke',
      region: 'us-east-1',
      parameters: { FunctionName: 'f', Payload: { a: 1 } },
      timeoutInSeconds: 30,
    });
    expect(events(r, 'TaskStarted')[0]?.details).toMatchObject({ resourceType: 'lambda', resource: 'invoke' });
    expect(events(r, 'TaskSucceeded')[0]?.details).toMatchObject({ resourceType: 'lambda', resource: 'invoke', output: { Payload: 'p' } });
  });

  it('Task (Lambda function ARN): LambdaFunctionScheduled / Started / Succeeded', async () => {
    const r = await run(machine({ T: { Type: 'Task', Resource: FN, End: true } }), { a: 1 }, { handlers: { [FN]: () => 'r' } });
    expect(types(r)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events(r, 'LambdaFunctionScheduled')[0]?.details).toMatchObject({ resource: FN, input: { a: 1 } });
    expect(events(r, 'LambdaFunctionSucceeded')[0]?.details).toEqual({ output: 'r' });
  });

  it('a failed task attempt is TaskFailed {error, cause}; a final failure ends with ExecutionFailed', async () => {
    const r = await run(machine({ T: { Type: 'Task', Resource: INVOKE, End: true } }), {}, { handlers: { [INVOKE]: scripted(['E1']) } });
    expect(events(r, 'TaskFailed')[0]?.details).toMatchObject({ resourceType: 'lambda', resource: 'invoke', error: 'E1', cause: 'attempt 1 failed' });
    expect(types(r).at(-1)).toBe('ExecutionFailed');
    expect(events(r, 'ExecutionFailed')[0]?.details).toEqual({ error: 'E1', cause: 'attempt 1 failed' });
    expect(types(r)).not.toContain('TaskStateExited');
  });

  it('Wait: WaitStateEntered then WaitStateExited', async () => {
    const r = await run(machine({ W: { Type: 'Wait', Seconds: 2, End: true } }), {});
    expect(sketch(r)).toEqual(['ExecutionStarted', 'WaitStateEntered:W', 'WaitStateExited:W', 'ExecutionSucceeded']);
  });

  it('Choice: ChoiceStateEntered then ChoiceStateExited, then the chosen state', async () => {
    const def = machine({
      C: { Type: 'Choice', Choices: [{ Variable: '$.go', BooleanEquals: true, Next: 'Y' }], Default: 'N' },
      Y: { Type: 'Pass', End: true },
      N: { Type: 'Pass', End: true },
    });
    const r = await run(def, { go: true });
    expect(sketch(r)).toEqual(['ExecutionStarted', 'ChoiceStateEntered:C', 'ChoiceStateExited:C', 'PassStateEntered:Y', 'PassStateExited:Y', 'ExecutionSucceeded']);
  });

  it('a failing Parallel branch: ParallelStateFailed then ExecutionFailed', async () => {
    const def = machine({
      P: { Type: 'Parallel', Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E' } } }], End: true },
    });
    const r = await run(def, {});
    expect(sketch(r)).toEqual(['ExecutionStarted', 'ParallelStateEntered:P', 'ParallelStateStarted', 'FailStateEntered:F', 'ParallelStateFailed', 'ExecutionFailed']);
  });

  it('a failing Map iteration: MapIterationFailed, MapStateFailed, ExecutionFailed', async () => {
    const def = machine({
      M: { Type: 'Map', ItemProcessor: { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E' } } }, End: true },
    });
    const r = await run(def, [1]);
    expect(sketch(r)).toEqual([
      'ExecutionStarted',
      'MapStateEntered:M',
      'MapStateStarted',
      'MapIterationStarted',
      'FailStateEntered:F',
      'MapIterationFailed',
      'MapStateFailed',
      'ExecutionFailed',
    ]);
  });

  it('as the API returns them: details under AWS member names, payloads as JSON text', () => {
    const aws = toAwsEvent({ id: 2, previousEventId: 0, timestamp: T0, type: 'TaskStateEntered', details: { name: 'T', input: { a: 1 } } });
    expect(aws).toEqual({
      id: 2,
      previousEventId: 0,
      timestamp: new Date(T0),
      type: 'TaskStateEntered',
      stateEnteredEventDetails: { name: 'T', input: '{"a":1}', inputDetails: { truncated: false } },
    });
    const sched = toAwsEvent({ id: 3, previousEventId: 2, timestamp: T0, type: 'TaskScheduled', details: { resource: 'invoke', parameters: { x: 1 } } });
    expect(sched['taskScheduledEventDetails']).toMatchObject({ parameters: '{"x":1}' });
  });
});

describe('execution TimeoutSeconds', () => {
  it('an execution still running after TimeoutSeconds ends TIMED_OUT with ExecutionTimedOut (States.Timeout) at that moment', async () => {
    const def = machine({ W: { Type: 'Wait', Seconds: 100, Next: 'After' }, After: { Type: 'Pass', End: true } }, { TimeoutSeconds: 10 });
    const r = await run(def, {}, { clock: fakeClock() });
    expect(r.status).toBe('TIMED_OUT');
    expect(r.error).toBe('States.Timeout');
    const last = r.history.at(-1);
    expect(last?.type).toBe('ExecutionTimedOut');
    expect(last?.timestamp).toBe(T0 + 10_000);
    expect(types(r)).not.toContain('PassStateEntered');
    expect(types(r)).not.toContain('ExecutionFailed');
  });

  it('an execution that finishes within TimeoutSeconds succeeds', async () => {
    const def = machine({ W: { Type: 'Wait', Seconds: 9, End: true } }, { TimeoutSeconds: 10 });
    expect((await run(def, {}, { clock: fakeClock() })).status).toBe('SUCCEEDED');
  });
});

describe('state transitions (billing)', () => {
  it('each state entered is one transition', async () => {
    const def = machine({ A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Succeed' } });
    expect((await run(def, {})).transitions).toBe(3);
  });

  it('each retry counts as a transition too ("including retries", AWS pricing)', async () => {
    const def = machine({ T: { Type: 'Task', Resource: INVOKE, Retry: [{ ErrorEquals: ['States.ALL'] }], End: true } });
    const r = await run(def, {}, { handlers: { [INVOKE]: scripted(['E', 'E']) } });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.transitions).toBe(3);
  });
});

describe('the 25,000-event history limit of Standard executions', () => {
  it('fails an execution whose history would pass 25,000 events, with ExecutionFailed as its last event', async () => {
    const loop = {
      StartAt: 'Spin',
      States: {
        Spin: { Type: 'Pass', Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'Spin' },
        Done: { Type: 'Succeed' },
      },
    };
    const r = await runLocal(loop, {});
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
    expect(r.history.length).toBe(25_000);
    expect(r.history.at(-1)?.type).toBe('ExecutionFailed');
  });
});

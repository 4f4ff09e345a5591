/** Fail and Succeed: terminal states, and what "terminal" means inside a Parallel branch or a Map iteration. */
import { describe, expect, it } from 'vitest';
import { events, machine, outputOf, run, sketch, types } from './helpers.js';

describe('Fail', () => {
  it('fails the execution with its Error and Cause', async () => {
    const r = await run(machine({ Stop: { Type: 'Fail', Error: 'OrderRejected', Cause: 'credit check failed' } }), {});
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('OrderRejected');
    expect(r.cause).toBe('credit check failed');
    expect(r.output).toBeUndefined();
  });

  it('history is FailStateEntered then ExecutionFailed: there is no FailStateExited', async () => {
    const r = await run(machine({ Stop: { Type: 'Fail', Error: 'E', Cause: 'C' } }), {});
    expect(sketch(r)).toEqual(['ExecutionStarted', 'FailStateEntered:Stop', 'ExecutionFailed']);
    expect(events(r, 'ExecutionFailed')[0]?.details).toEqual({ error: 'E', cause: 'C' });
  });

  it('without Cause the execution has no cause', async () => {
    const r = await run(machine({ Stop: { Type: 'Fail', Error: 'OnlyError' } }), {});
    expect(r.error).toBe('OnlyError');
    expect(r.cause).toBeUndefined();
  });

  it('ErrorPath and CausePath read the error and cause from the input', async () => {
    const r = await run(machine({ Stop: { Type: 'Fail', ErrorPath: '$.err.code', CausePath: '$.err.msg' } }), { err: { code: 'E42', msg: 'the reason' } });
    expect(r.error).toBe('E42');
    expect(r.cause).toBe('the reason');
  });

  it('CausePath may be an intrinsic function', async () => {
    const def = machine({ Stop: { Type: 'Fail', Error: 'Rejected', CausePath: "States.Format('order {} rejected: {}', $.id, $.why)" } });
    const r = await run(def, { id: 17, why: 'no stock' });
    expect(r.cause).toBe('order 17 rejected: no stock');
  });

  it('JSONata Error and Cause may be expressions', async () => {
    const def = machine(
      { Stop: { Type: 'Fail', Error: '{% "E_" & $states.input.code %}', Cause: '{% "count=" & $string($count($states.input.items)) %}' } },
      { QueryLanguage: 'JSONata' },
    );
    const r = await run(def, { code: 'X', items: [1, 2, 3] });
    expect(r.error).toBe('E_X');
    expect(r.cause).toBe('count=3');
  });

  it('a Fail in a Parallel branch fails the execution with the branch error', async () => {
    const def = machine({
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Ok', States: { Ok: { Type: 'Pass', End: true } } },
          { StartAt: 'Stop', States: { Stop: { Type: 'Fail', Error: 'InBranch', Cause: 'c' } } },
        ],
        End: true,
      },
    });
    const r = await run(def, {});
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('InBranch');
    expect(r.cause).toBe('c');
  });
});

describe('Succeed', () => {
  it('ends the execution successfully with its input as output, even with states after it', async () => {
    const def = machine({
      Done: { Type: 'Succeed' },
      Never: { Type: 'Pass', End: true },
    });
    const r = await run(def, { a: 1 });
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toEqual({ a: 1 });
    expect(types(r)).not.toContain('PassStateEntered');
  });

  it('applies InputPath and OutputPath', async () => {
    const r = await run(machine({ Done: { Type: 'Succeed', InputPath: '$.a', OutputPath: '$.b' } }), { a: { b: 'inner' } });
    expect(outputOf(r)).toBe('inner');
  });

  it('records SucceedStateEntered and SucceedStateExited', async () => {
    const r = await run(machine({ Done: { Type: 'Succeed' } }), {});
    expect(sketch(r)).toEqual(['ExecutionStarted', 'SucceedStateEntered:Done', 'SucceedStateExited:Done', 'ExecutionSucceeded']);
  });

  it('inside a Map iteration ends only that iteration; the Map and the execution go on', async () => {
    const def = machine({
      Each: {
        Type: 'Map',
        ItemProcessor: {
          StartAt: 'Check',
          States: {
            Check: { Type: 'Choice', Choices: [{ Variable: '$.skip', BooleanEquals: true, Next: 'Skip' }], Default: 'Work' },
            Skip: { Type: 'Succeed' },
            Work: { Type: 'Pass', Result: 'worked', End: true },
          },
        },
        Next: 'After',
      },
      After: { Type: 'Pass', Parameters: { 'results.$': '$' }, End: true },
    });
    const r = await run(def, [{ skip: true }, { skip: false }, { skip: true }]);
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toEqual({ results: [{ skip: true }, 'worked', { skip: true }] });
  });

  it('inside a Parallel branch ends only that branch', async () => {
    const def = machine({
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Early', States: { Early: { Type: 'Succeed' } } },
          {
            StartAt: 'One',
            States: { One: { Type: 'Pass', Result: 1, Next: 'Two' }, Two: { Type: 'Pass', Result: 2, End: true } },
          },
        ],
        Next: 'After',
      },
      After: { Type: 'Pass', End: true },
    });
    const r = await run(def, { in: true });
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toEqual([{ in: true }, 2]);
  });
});

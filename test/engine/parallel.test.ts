/** Parallel: every branch gets the same input; the result is an array in Branches order. */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/lib/json.js';
import { FN, events, fakeClock, machine, outputOf, run, sketch, type Def } from './helpers.js';

const branch = (states: Record<string, Def>): Def => ({ StartAt: Object.keys(states)[0], States: states });

describe('Parallel', () => {
  it('the result lists branch outputs in Branches order, not in finishing order', async () => {
    const def = machine({
      Both: {
        Type: 'Parallel',
        Branches: [
          branch({ SlowWait: { Type: 'Wait', Seconds: 30, Next: 'SlowDone' }, SlowDone: { Type: 'Pass', Result: 'slow', End: true } }),
          branch({ Fast: { Type: 'Pass', Result: 'fast', End: true } }),
        ],
        End: true,
      },
    });
    const r = await run(def, {}, { clock: fakeClock() });
    expect(outputOf(r)).toEqual(['slow', 'fast']);
  });

  it('each branch receives the same effective input (InputPath then Parameters)', async () => {
    const seen: Json[] = [];
    const def = machine({
      Both: {
        Type: 'Parallel',
        InputPath: '$.job',
        Parameters: { 'id.$': '$.id', fixed: 1 },
        Branches: [branch({ A: { Type: 'Task', Resource: FN, End: true } }), branch({ B: { Type: 'Task', Resource: FN, End: true } })],
        End: true,
      },
    });
    await run(def, { job: { id: 'j1', extra: true } }, { handlers: { [FN]: (input) => (seen.push(input), null) } });
    expect(seen).toEqual([
      { id: 'j1', fixed: 1 },
      { id: 'j1', fixed: 1 },
    ]);
  });

  it('ResultSelector and ResultPath apply to the array of branch results', async () => {
    const def = machine({
      Both: {
        Type: 'Parallel',
        Branches: [branch({ A: { Type: 'Pass', Result: { v: 1 }, End: true } }), branch({ B: { Type: 'Pass', Result: { v: 2 }, End: true } })],
        ResultSelector: { 'first.$': '$[0].v', 'second.$': '$[1].v' },
        ResultPath: '$.sum',
        End: true,
      },
    });
    expect(outputOf(await run(def, { keep: true }))).toEqual({ keep: true, sum: { first: 1, second: 2 } });
  });

  it('a failing branch stops the others: a branch still waiting never reaches its next state', async () => {
    const def = machine({
      Both: {
        Type: 'Parallel',
        Branches: [
          branch({ Hold: { Type: 'Wait', Seconds: 100, Next: 'NeverReached' }, NeverReached: { Type: 'Pass', End: true } }),
          branch({ Boom: { Type: 'Fail', Error: 'BranchError', Cause: 'why' } }),
        ],
        End: true,
      },
    });
    const r = await run(def, {}, { clock: fakeClock() });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('BranchError');
    expect(sketch(r)).not.toContain('PassStateEntered:NeverReached');
    expect(sketch(r)).toContain('ParallelStateFailed');
  });

  it('a failing branch is retried as a whole when the Parallel has a Retry', async () => {
    let n = 0;
    const def = machine({
      Both: {
        Type: 'Parallel',
        Branches: [branch({ A: { Type: 'Task', Resource: FN, End: true } })],
        Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 1 }],
        End: true,
      },
    });
    const r = await run(def, {}, {
      handlers: {
        [FN]: () => {
          if (++n === 1) throw Object.assign(new Error('first'), { name: 'Flaky' });
          return 'ok';
        },
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toEqual(['ok']);
    expect(n).toBe(2);
  });

  it('history: ParallelStateEntered, ParallelStateStarted, branch events, ParallelStateExited', async () => {
    const def = machine({
      Both: { Type: 'Parallel', Branches: [branch({ A: { Type: 'Pass', End: true } })], End: true },
    });
    const r = await run(def, {});
    expect(sketch(r)).toEqual([
      'ExecutionStarted',
      'ParallelStateEntered:Both',
      'ParallelStateStarted',
      'PassStateEntered:A',
      'PassStateExited:A',
      'ParallelStateExited:Both',
      'ExecutionSucceeded',
    ]);
    expect(events(r, 'ParallelStateExited')[0]?.details?.['output']).toEqual([{}]);
  });

  it('branches can read variables assigned before the Parallel', async () => {
    const def = machine({
      Set: { Type: 'Pass', Assign: { greeting: 'hi' }, Next: 'Both' },
      Both: { Type: 'Parallel', Branches: [branch({ A: { Type: 'Pass', Parameters: { 'g.$': '$greeting' }, End: true } })], End: true },
    });
    expect(outputOf(await run(def, {}))).toEqual([{ g: 'hi' }]);
  });
});

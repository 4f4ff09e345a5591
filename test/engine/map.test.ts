/** Map (inline and distributed): item order, concurrency, failure, tolerated failures, batching. */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/lib/json.js';
import { FN, events, fakeClock, machine, outputOf, run, sketch, types, type Def } from './helpers.js';

const processor = (states: Record<string, Def>, mode?: 'DISTRIBUTED'): Def => ({
  ...(mode ? { ProcessorConfig: { Mode: mode, ExecutionType: 'STANDARD' } } : {}),
  StartAt: Object.keys(states)[0],
  States: states,
});

/** An iteration that waits `$.wait` seconds, then returns `$.id`. */
const sleepy = processor({
  Hold: { Type: 'Wait', SecondsPath: '$.wait', Next: 'Out' },
  Out: { Type: 'Pass', InputPath: '$.id', End: true },
});

describe('Map (inline)', () => {
  it('the result array is in item order whatever order iterations finish in', async () => {
    const def = machine({ Each: { Type: 'Map', ItemProcessor: sleepy, End: true } });
    const r = await run(def, [{ id: 'a', wait: 30 }, { id: 'b', wait: 10 }, { id: 'c', wait: 20 }], { clock: fakeClock() });
    expect(outputOf(r)).toEqual(['a', 'b', 'c']);
  });

  it('ItemsPath selects the array; ResultPath puts the results beside the input', async () => {
    const def = machine({
      Each: {
        Type: 'Map',
        ItemsPath: '$.orders',
        ItemProcessor: processor({ Double: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, $.n)' }, End: true } }),
        ResultPath: '$.doubled',
        End: true,
      },
    });
    const r = await run(def, { orders: [{ n: 1 }, { n: 5 }] });
    expect(outputOf(r)).toEqual({ orders: [{ n: 1 }, { n: 5 }], doubled: [{ n: 2 }, { n: 10 }] });
  });

  it('over an empty array the result is [] and no iteration runs', async () => {
    const def = machine({ Each: { Type: 'Map', ItemsPath: '$.xs', ItemProcessor: processor({ W: { Type: 'Task', Resource: FN, End: true } }), End: true } });
    let called = false;
    const r = await run(def, { xs: [] }, { handlers: { [FN]: () => (called = true) } });
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toEqual([]);
    expect(called).toBe(false);
    expect(events(r, 'MapStateStarted')[0]?.details).toEqual({ length: 0 });
    expect(types(r)).not.toContain('MapIterationStarted');
  });

  it('MaxConcurrency 1 runs iterations one after another, in array order', async () => {
    const def = machine({ Each: { Type: 'Map', MaxConcurrency: 1, ItemProcessor: sleepy, End: true } });
    const r = await run(def, [{ id: 'a', wait: 30 }, { id: 'b', wait: 10 }, { id: 'c', wait: 20 }], { clock: fakeClock() });
    expect(outputOf(r)).toEqual(['a', 'b', 'c']);
    const its = r.history.filter((e) => e.type === 'MapIterationStarted' || e.type === 'MapIterationSucceeded').map((e) => `${e.type}:${String(e.details?.['index'])}`);
    expect(its).toEqual([
      'MapIterationStarted:0',
      'MapIterationSucceeded:0',
      'MapIterationStarted:1',
      'MapIterationSucceeded:1',
      'MapIterationStarted:2',
      'MapIterationSucceeded:2',
    ]);
    // Sequential waits add up: 30 + 10 + 20 s.
    const span = (events(r, 'MapStateExited')[0]?.timestamp ?? 0) - (events(r, 'MapStateEntered')[0]?.timestamp ?? 0);
    expect(span).toBe(60_000);
  });

  it('MaxConcurrency 1 calls the task for each item in array order', async () => {
    const order: Json[] = [];
    const def = machine({ Each: { Type: 'Map', MaxConcurrency: 1, ItemProcessor: processor({ W: { Type: 'Task', Resource: FN, End: true } }), End: true } });
    await run(def, [3, 1, 2], { handlers: { [FN]: (x) => (order.push(x), x) } });
    expect(order).toEqual([3, 1, 2]);
  });

  it('with unbounded concurrency the Map lasts as long as its longest iteration', async () => {
    const def = machine({ Each: { Type: 'Map', ItemProcessor: sleepy, End: true } });
    const r = await run(def, [{ id: 'a', wait: 30 }, { id: 'b', wait: 10 }], { clock: fakeClock() });
    const span = (events(r, 'MapStateExited')[0]?.timestamp ?? 0) - (events(r, 'MapStateEntered')[0]?.timestamp ?? 0);
    expect(span).toBe(30_000);
  });

  it('a failing iteration fails the Map with its error and stops the other iterations', async () => {
    const def = machine({
      Each: {
        Type: 'Map',
        ItemProcessor: processor({
          Check: { Type: 'Choice', Choices: [{ Variable: '$.bad', BooleanEquals: true, Next: 'Boom' }], Default: 'Hold' },
          Boom: { Type: 'Fail', Error: 'ItemFailed', Cause: 'bad item' },
          Hold: { Type: 'Wait', Seconds: 100, Next: 'Late' },
          Late: { Type: 'Task', Resource: FN, End: true },
        }),
        End: true,
      },
    });
    let lateCalls = 0;
    const r = await run(def, [{ bad: false }, { bad: true }, { bad: false }], { clock: fakeClock(), handlers: { [FN]: () => ++lateCalls } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('ItemFailed');
    expect(r.cause).toBe('bad item');
    expect(lateCalls).toBe(0);
    expect(types(r)).toContain('MapIterationFailed');
    expect(types(r)).toContain('MapStateFailed');
  });

  it('iterations can read variables of the enclosing scope', async () => {
    const def = machine({
      Set: { Type: 'Pass', Assign: { factor: 10 }, Next: 'Each' },
      Each: { Type: 'Map', ItemProcessor: processor({ Use: { Type: 'Pass', Parameters: { 'f.$': '$factor', 'v.$': '$' }, End: true } }), End: true },
    });
    expect(outputOf(await run(def, [1, 2]))).toEqual([
      { f: 10, v: 1 },
      { f: 10, v: 2 },
    ]);
  });

  it('history: MapStateEntered, MapStateStarted (length), MapIteration* per item, MapStateSucceeded, MapStateExited', async () => {
    const def = machine({ Each: { Type: 'Map', ItemProcessor: processor({ In: { Type: 'Pass', End: true } }), End: true } });
    const r = await run(def, ['x']);
    expect(sketch(r)).toEqual([
      'ExecutionStarted',
      'MapStateEntered:Each',
      'MapStateStarted',
      'MapIterationStarted',
      'PassStateEntered:In',
      'PassStateExited:In',
      'MapIterationSucceeded',
      'MapStateSucceeded',
      'MapStateExited:Each',
      'ExecutionSucceeded',
    ]);
    expect(events(r, 'MapStateStarted')[0]?.details).toEqual({ length: 1 });
    expect(events(r, 'MapIterationStarted')[0]?.details).toEqual({ name: 'Each', index: 0 });
  });
});

describe('Map (distributed)', () => {
  /** Items with `fail: true` end in a Fail state. */
  const failing = (tolerance: Def): Def =>
    machine({
      Each: {
        Type: 'Map',
        ...tolerance,
        ItemProcessor: processor(
          {
            Check: { Type: 'Choice', Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'Boom' }], Default: 'Ok' },
            Boom: { Type: 'Fail', Error: 'ItemFailed' },
            Ok: { Type: 'Pass', Result: 'ok', End: true },
          },
          'DISTRIBUTED',
        ),
        End: true,
      },
    });
  const items = (failures: number, total: number) => Array.from({ length: total }, (_, i) => ({ fail: i < failures }));

  it('processes every item and returns the results in item order', async () => {
    const def = machine({
      Each: { Type: 'Map', ItemProcessor: processor({ Id: { Type: 'Pass', Parameters: { 'v.$': '$' }, End: true } }, 'DISTRIBUTED'), End: true },
    });
    const r = await run(def, [1, 2, 3]);
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }]);
  });

  it('child executions write no state events into the parent history; a map run is recorded instead', async () => {
    const def = machine({
      Each: { Type: 'Map', ItemProcessor: processor({ Inner: { Type: 'Pass', End: true } }, 'DISTRIBUTED'), End: true },
    });
    const r = await run(def, [1, 2]);
    expect(sketch(r)).toEqual([
      'ExecutionStarted',
      'MapStateEntered:Each',
      'MapStateStarted',
      'MapRunStarted',
      'MapRunSucceeded',
      'MapStateSucceeded',
      'MapStateExited:Each',
      'ExecutionSucceeded',
    ]);
  });

  it('ToleratedFailureCount 1: one failed item is tolerated', async () => {
    const r = await run(failing({ ToleratedFailureCount: 1 }), items(1, 3));
    expect(r.status).toBe('SUCCEEDED');
  });

  it('ToleratedFailureCount 1: two failed items fail the Map with States.ExceedToleratedFailureThreshold', async () => {
    const r = await run(failing({ ToleratedFailureCount: 1 }), items(2, 3));
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.ExceedToleratedFailureThreshold');
  });

  it('ToleratedFailurePercentage 50: 1 of 3 failing (33%) is tolerated', async () => {
    expect((await run(failing({ ToleratedFailurePercentage: 50 }), items(1, 3))).status).toBe('SUCCEEDED');
  });

  it('ToleratedFailurePercentage 50: 2 of 3 failing (67%) exceeds the threshold', async () => {
    const r = await run(failing({ ToleratedFailurePercentage: 50 }), items(2, 3));
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.ExceedToleratedFailureThreshold');
  });

  it('ToleratedFailureCountPath reads the count from the input', async () => {
    const def = failing({ ToleratedFailureCountPath: '$.allowed', ItemsPath: '$.items' });
    expect((await run(def, { allowed: 2, items: items(2, 4) })).status).toBe('SUCCEEDED');
    expect((await run(def, { allowed: 1, items: items(2, 4) })).status).toBe('FAILED');
  });

  it('children cannot read variables of the parent scope', async () => {
    const def = machine({
      Set: { Type: 'Pass', Assign: { secret: 'outer-value' }, Next: 'Each' },
      Each: {
        Type: 'Map',
        ItemProcessor: processor({ Use: { Type: 'Pass', Parameters: { 's.$': '$secret' }, End: true } }, 'DISTRIBUTED'),
        End: true,
      },
    });
    const r = await run(def, [1]);
    expect(r.status).toBe('FAILED');
    expect(r.output ?? '').not.toContain('outer-value');
  });
});

describe('ItemBatcher', () => {
  it('MaxItemsPerBatch 2 over 5 items gives children {Items:[…]} batches of 2, 2, 1', async () => {
    const seen: Json[] = [];
    const def = machine({
      Each: {
        Type: 'Map',
        ItemBatcher: { MaxItemsPerBatch: 2 },
        ItemProcessor: processor({ W: { Type: 'Task', Resource: FN, End: true } }, 'DISTRIBUTED'),
        End: true,
      },
    });
    const r = await run(def, [1, 2, 3, 4, 5], { handlers: { [FN]: (x) => (seen.push(x), x) } });
    expect(r.status).toBe('SUCCEEDED');
    expect(seen).toEqual([{ Items: [1, 2] }, { Items: [3, 4] }, { Items: [5] }]);
    expect(outputOf(r)).toHaveLength(3);
  });

  it('BatchInput is added to every batch', async () => {
    const seen: Json[] = [];
    const def = machine({
      Each: {
        Type: 'Map',
        ItemsPath: '$.xs',
        ItemBatcher: { MaxItemsPerBatch: 3, BatchInput: { 'run.$': '$.run', fixed: true } },
        ItemProcessor: processor({ W: { Type: 'Task', Resource: FN, End: true } }, 'DISTRIBUTED'),
        End: true,
      },
    });
    await run(def, { xs: ['a', 'b', 'c', 'd'], run: 'r1' }, { handlers: { [FN]: (x) => (seen.push(x), null) } });
    expect(seen).toEqual([
      { BatchInput: { run: 'r1', fixed: true }, Items: ['a', 'b', 'c'] },
      { BatchInput: { run: 'r1', fixed: true }, Items: ['d'] },
    ]);
  });
});

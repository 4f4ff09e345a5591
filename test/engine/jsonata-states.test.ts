/** JSONata states: Arguments / Output / Assign and the $states binding (ASL spec, Nov 2024). */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/lib/json.js';
import { FN, events, machine, outputOf, run, fail, type Def } from './helpers.js';

const jsonata = (states: Record<string, Def>): Def => machine(states, { QueryLanguage: 'JSONata' });

describe('JSONata Pass / Task', () => {
  it('Pass without Output passes its input; Output builds the output from $states.input', async () => {
    expect(outputOf(await run(jsonata({ P: { Type: 'Pass', End: true } }), { a: 1 }))).toEqual({ a: 1 });
    const def = jsonata({ P: { Type: 'Pass', Output: { total: '{% $sum($states.input.xs) %}', label: 'fixed', nested: ['{% $states.input.name %}'] }, End: true } });
    expect(outputOf(await run(def, { xs: [1, 2, 3], name: 'n' }))).toEqual({ total: 6, label: 'fixed', nested: ['n'] });
  });

  it('Task Arguments are the resource input; without Output the output is the result', async () => {
    let got: Json | undefined;
    const def = jsonata({ T: { Type: 'Task', Resource: FN, Arguments: { id: '{% $states.input.order.id %}', mode: 'fast' }, End: true } });
    const r = await run(def, { order: { id: 9 } }, { handlers: { [FN]: (x) => ((got = x), { status: 'ok' }) } });
    expect(got).toEqual({ id: 9, mode: 'fast' });
    expect(outputOf(r)).toEqual({ status: 'ok' });
  });

  it('Task Output sees $states.result and $states.input', async () => {
    const def = jsonata({
      T: { Type: 'Task', Resource: FN, Output: '{% $merge([$states.input, {"res": $states.result.v}]) %}', End: true },
    });
    const r = await run(def, { a: 1 }, { handlers: { [FN]: () => ({ v: 'R' }) } });
    expect(outputOf(r)).toEqual({ a: 1, res: 'R' });
  });

  it('Task Assign sees $states.result; the next state reads the variable', async () => {
    const def = jsonata({
      T: { Type: 'Task', Resource: FN, Assign: { saved: '{% $states.result.v %}' }, Output: {}, Next: 'Read' },
      Read: { Type: 'Pass', Output: '{% $saved %}', End: true },
    });
    const r = await run(def, {}, { handlers: { [FN]: () => ({ v: 42 }) } });
    expect(outputOf(r)).toBe(42);
  });

  it('$states.context gives the execution and state', async () => {
    const def = jsonata({
      Here: { Type: 'Pass', Output: { exec: '{% $states.context.Execution.Name %}', state: '{% $states.context.State.Name %}', input: '{% $states.context.Execution.Input %}' }, End: true },
    });
    const r = await run(def, { x: 1 }, { name: 'run-7' });
    expect(outputOf(r)).toEqual({ exec: 'run-7', state: 'Here', input: { x: 1 } });
  });

  it('a per-state QueryLanguage switches one state of a JSONPath machine to JSONata', async () => {
    const def = machine({
      Path: { Type: 'Pass', Parameters: { 'v.$': '$.v' }, Next: 'Ata' },
      Ata: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input.v * 2 %}', End: true },
    });
    expect(outputOf(await run(def, { v: 21 }))).toBe(42);
  });
});

describe('JSONata errors', () => {
  it('an expression with an undefined result fails with States.QueryEvaluationError', async () => {
    const r = await run(jsonata({ P: { Type: 'Pass', Output: '{% $states.input.missing %}', End: true } }), { a: 1 });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.QueryEvaluationError');
  });

  it('an undefined Arguments value on a Task is catchable, before the resource is called', async () => {
    let called = false;
    const def = jsonata({
      T: {
        Type: 'Task',
        Resource: FN,
        Arguments: { id: '{% $states.input.nope %}' },
        Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Next: 'Handled' }],
        End: true,
      },
      Handled: { Type: 'Pass', Output: '{% $states.input.Error %}', End: true },
    });
    const r = await run(def, {}, { handlers: { [FN]: () => (called = true) } });
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toBe('States.QueryEvaluationError');
    expect(called).toBe(false);
  });

  it('an evaluation failure is recorded as an EvaluationFailed event', async () => {
    const r = await run(jsonata({ P: { Type: 'Pass', Output: '{% $states.input.missing %}', End: true } }), {});
    expect(events(r, 'EvaluationFailed')[0]?.details).toMatchObject({ error: 'States.QueryEvaluationError', state: 'P' });
  });

  it('a Catcher without Output passes on the error output; with Output it sees $states.errorOutput and $states.input', async () => {
    const base = (catcher: Def) =>
      jsonata({
        T: { Type: 'Task', Resource: FN, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done', ...catcher }], End: true },
        Done: { Type: 'Pass', End: true },
      });
    const handlers = { [FN]: fail('Oops', 'bad thing') };
    expect(outputOf(await run(base({}), { a: 1 }, { handlers }))).toEqual({ Error: 'Oops', Cause: 'bad thing' });
    const r = await run(base({ Output: '{% {"in": $states.input.a, "err": $states.errorOutput.Error, "why": $states.errorOutput.Cause} %}' }), { a: 1 }, { handlers });
    expect(outputOf(r)).toEqual({ in: 1, err: 'Oops', why: 'bad thing' });
  });
});

describe('JSONata Assign', () => {
  it('all Assign expressions see variable values as of state entry: {"x": $y, "y": $x} swaps', async () => {
    const def = jsonata({
      Init: { Type: 'Pass', Assign: { x: 1, y: 2 }, Next: 'Swap' },
      Swap: { Type: 'Pass', Assign: { x: '{% $y %}', y: '{% $x %}' }, Next: 'Read' },
      Read: { Type: 'Pass', Output: '{% {"x": $x, "y": $y} %}', End: true },
    });
    expect(outputOf(await run(def, {}))).toEqual({ x: 2, y: 1 });
  });

  it("a state's Output sees the variables as they were on entry, not its own Assign", async () => {
    const def = jsonata({
      Init: { Type: 'Pass', Assign: { n: 1 }, Next: 'Bump' },
      Bump: { Type: 'Pass', Assign: { n: '{% $n + 1 %}' }, Output: '{% $n %}', Next: 'Read' },
      Read: { Type: 'Pass', Output: '{% [$states.input, $n] %}', End: true },
    });
    expect(outputOf(await run(def, {}))).toEqual([1, 2]);
  });

  it('the assigned values are recorded in the state-exited event', async () => {
    const def = jsonata({ A: { Type: 'Pass', Assign: { a: '{% 1 + 1 %}', b: 'text' }, End: true } });
    const r = await run(def, {});
    expect(events(r, 'PassStateExited')[0]?.details?.['assignedVariables']).toEqual({ a: 2, b: 'text' });
  });
});

describe('JSONata Map', () => {
  it('Items selects the array and ItemSelector sees $states.context.Map.Item', async () => {
    const def = jsonata({
      Each: {
        Type: 'Map',
        Items: '{% $states.input.list %}',
        ItemSelector: { i: '{% $states.context.Map.Item.Index %}', v: '{% $states.context.Map.Item.Value %}' },
        ItemProcessor: { StartAt: 'In', States: { In: { Type: 'Pass', End: true } } },
        End: true,
      },
    });
    expect(outputOf(await run(def, { list: ['p', 'q'] }))).toEqual([
      { i: 0, v: 'p' },
      { i: 1, v: 'q' },
    ]);
  });

  it('Items that is not an array fails with States.QueryEvaluationError', async () => {
    const def = jsonata({
      Each: { Type: 'Map', Items: '{% $states.input.n %}', ItemProcessor: { StartAt: 'In', States: { In: { Type: 'Pass', End: true } } }, End: true },
    });
    const r = await run(def, { n: 5 });
    expect(r.error).toBe('States.QueryEvaluationError');
  });
});

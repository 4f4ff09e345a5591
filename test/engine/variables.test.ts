/** Workflow variables (Assign) in JSONPath and JSONata: when values apply and which scopes see them. */
import { describe, expect, it } from 'vitest';
import { FN, machine, outputOf, run, type Def } from './helpers.js';

const processor = (states: Record<string, Def>, distributed = false): Def => ({
  ...(distributed ? { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } } : {}),
  StartAt: Object.keys(states)[0],
  States: states,
});

describe('JSONPath Assign', () => {
  it('assigns constants and ".$" paths; later states read them as $name', async () => {
    const def = machine({
      Set: { Type: 'Pass', Assign: { constant: 'c', 'fromInput.$': '$.user.id' }, Next: 'Read' },
      Read: { Type: 'Pass', Parameters: { 'c.$': '$constant', 'id.$': '$fromInput' }, End: true },
    });
    expect(outputOf(await run(def, { user: { id: 'u1' } }))).toEqual({ c: 'c', id: 'u1' });
  });

  it('a path into a variable ($name.field) reads inside it', async () => {
    const def = machine({
      Set: { Type: 'Pass', Assign: { 'customer.$': '$' }, Next: 'Read' },
      Read: { Type: 'Pass', Parameters: { 'first.$': '$customer.name.first' }, End: true },
    });
    expect(outputOf(await run(def, { name: { first: 'Ada' } }))).toEqual({ first: 'Ada' });
  });

  it('in a Pass, Assign "$" is the result (Result), not the input', async () => {
    const def = machine({
      Set: { Type: 'Pass', Result: { v: 'from-result' }, ResultPath: '$.r', Assign: { 'got.$': '$.v' }, Next: 'Read' },
      Read: { Type: 'Pass', Parameters: { 'got.$': '$got' }, End: true },
    });
    expect(outputOf(await run(def, { v: 'from-input' }))).toEqual({ got: 'from-result' });
  });

  it('in a Task, Assign "$" is the result after ResultSelector', async () => {
    const def = machine({
      Work: { Type: 'Task', Resource: FN, ResultSelector: { 'picked.$': '$.deep.value' }, Assign: { 'saved.$': '$.picked' }, ResultPath: null, Next: 'Read' },
      Read: { Type: 'Pass', Parameters: { 'saved.$': '$saved' }, End: true },
    });
    const r = await run(def, {}, { handlers: { [FN]: () => ({ deep: { value: 5 } }) } });
    expect(outputOf(r)).toEqual({ saved: 5 });
  });

  it('Assign values are evaluated with the variables as of state entry (swap)', async () => {
    const def = machine({
      Init: { Type: 'Pass', Assign: { x: 'X', y: 'Y' }, Next: 'Swap' },
      Swap: { Type: 'Pass', Assign: { 'x.$': '$y', 'y.$': '$x' }, Next: 'Read' },
      Read: { Type: 'Pass', Parameters: { 'x.$': '$x', 'y.$': '$y' }, End: true },
    });
    expect(outputOf(await run(def, {}))).toEqual({ x: 'Y', y: 'X' });
  });

  it('a variable can be reassigned; later states see the latest value', async () => {
    const def = machine({
      A: { Type: 'Pass', Assign: { v: 1 }, Next: 'B' },
      B: { Type: 'Pass', Assign: { v: 2 }, Next: 'Read' },
      Read: { Type: 'Pass', Parameters: { 'v.$': '$v' }, End: true },
    });
    expect(outputOf(await run(def, {}))).toEqual({ v: 2 });
  });
});

describe('variable scopes', () => {
  it('an inline Map iteration reads the outer variables (JSONata)', async () => {
    const def = machine(
      {
        Set: { Type: 'Pass', Assign: { prefix: 'item-' }, Next: 'Each' },
        Each: { Type: 'Map', ItemProcessor: processor({ Name: { Type: 'Pass', Output: '{% $prefix & $string($states.input) %}', End: true } }), End: true },
      },
      { QueryLanguage: 'JSONata' },
    );
    expect(outputOf(await run(def, [1, 2]))).toEqual(['item-1', 'item-2']);
  });

  it('a Distributed Map child cannot read the outer variables (JSONata)', async () => {
    const def = machine(
      {
        Set: { Type: 'Pass', Assign: { prefix: 'item-' }, Next: 'Each' },
        Each: {
          Type: 'Map',
          // The whole field reads only the outer variable: unseen, it is undefined, which is an error.
          ItemProcessor: processor({ Name: { Type: 'Pass', Output: '{% $prefix %}', End: true } }, true),
          End: true,
        },
      },
      { QueryLanguage: 'JSONata' },
    );
    const r = await run(def, [1, 2]);
    expect(r.status).toBe('FAILED');
    expect(r.output ?? '').not.toContain('item-');
  });

  it('variables assigned inside an iteration are gone after the Map', async () => {
    const def = machine(
      {
        Each: { Type: 'Map', ItemProcessor: processor({ In: { Type: 'Pass', Assign: { inner: 'x' }, End: true } }), Next: 'After' },
        After: { Type: 'Pass', Output: '{% $inner %}', End: true },
      },
      { QueryLanguage: 'JSONata' },
    );
    const r = await run(def, [1]);
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.QueryEvaluationError');
  });

  it('sibling Parallel branches do not see each other\'s variables', async () => {
    const def = machine(
      {
        Both: {
          Type: 'Parallel',
          Branches: [
            processor({ SetA: { Type: 'Pass', Assign: { mine: 'a' }, Output: '{% $mine %}', End: true } }),
            processor({ Hold: { Type: 'Wait', Seconds: 1, Next: 'ReadB' }, ReadB: { Type: 'Pass', Output: '{% $mine %}', End: true } }),
          ],
          End: true,
        },
      },
      { QueryLanguage: 'JSONata' },
    );
    const r = await run(def, {});
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.QueryEvaluationError');
  });

  it('a Parallel writes its Assign from the branch results, visible after it', async () => {
    const def = machine(
      {
        Both: {
          Type: 'Parallel',
          Branches: [processor({ A: { Type: 'Pass', Output: 1, End: true } }), processor({ B: { Type: 'Pass', Output: 2, End: true } })],
          Assign: { total: '{% $sum($states.result) %}' },
          Next: 'Read',
        },
        Read: { Type: 'Pass', Output: '{% $total %}', End: true },
      },
      { QueryLanguage: 'JSONata' },
    );
    expect(outputOf(await run(def, {}))).toBe(3);
  });
});

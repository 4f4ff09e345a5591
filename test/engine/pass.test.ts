/** Pass state and the JSONPath data-flow fields, as the ASL spec describes them. */
import { describe, expect, it } from 'vitest';
import { machine, outputOf, run } from './helpers.js';

const pass = (fields: Record<string, unknown>) => machine({ P: { Type: 'Pass', ...fields, End: true } });

describe('Pass state', () => {
  it('without Result passes its input through unchanged', async () => {
    const r = await run(pass({}), { a: 1, b: [true, null] });
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toEqual({ a: 1, b: [true, null] });
  });

  it('Result replaces the input when ResultPath is the default $', async () => {
    expect(outputOf(await run(pass({ Result: { fixed: 'value' } }), { a: 1 }))).toEqual({ fixed: 'value' });
  });

  it('passes a bare (non-object) input through: state I/O may be any JSON value', async () => {
    expect(outputOf(await run(pass({}), 'just text'))).toBe('just text');
    expect(outputOf(await run(pass({}), 42))).toBe(42);
  });

  it('Parameters (a payload template) builds the result from the effective input, renaming ".$" keys', async () => {
    const r = await run(pass({ Parameters: { 'who.$': '$.user.name', static: 'yes', nested: { 'n.$': '$.n' } } }), { user: { name: 'ann' }, n: 3 });
    expect(outputOf(r)).toEqual({ who: 'ann', static: 'yes', nested: { n: 3 } });
  });

  it('Parameters may call an intrinsic function', async () => {
    const r = await run(pass({ Parameters: { 'sum.$': 'States.MathAdd($.a, $.b)', 'msg.$': "States.Format('{} and {}', $.a, $.b)" } }), { a: 2, b: 5 });
    expect(outputOf(r)).toEqual({ sum: 7, msg: '2 and 5' });
  });
});

describe('JSONPath data flow: InputPath → Parameters → ResultPath → OutputPath', () => {
  it('ResultPath merges the result into the RAW input, not the InputPath-filtered one', async () => {
    const r = await run(pass({ InputPath: '$.order', Parameters: { 'total.$': '$.amount' }, ResultPath: '$.summary' }), {
      order: { amount: 12 },
      customer: 'c1',
    });
    expect(outputOf(r)).toEqual({ order: { amount: 12 }, customer: 'c1', summary: { total: 12 } });
  });

  it('ResultPath creates the missing intermediate objects', async () => {
    const r = await run(pass({ Result: 'deep', ResultPath: '$.a.b.c' }), { x: 1 });
    expect(outputOf(r)).toEqual({ x: 1, a: { b: { c: 'deep' } } });
  });

  it('ResultPath replaces an existing field and keeps its siblings', async () => {
    const r = await run(pass({ Result: 2, ResultPath: '$.a.b' }), { a: { b: 1, keep: true } });
    expect(outputOf(r)).toEqual({ a: { b: 2, keep: true } });
  });

  it('ResultPath null discards the result: the output is the raw input', async () => {
    const r = await run(pass({ Result: { ignored: true }, ResultPath: null }), { a: 1 });
    expect(outputOf(r)).toEqual({ a: 1 });
  });

  it('InputPath null makes the effective input {}', async () => {
    const r = await run(pass({ InputPath: null, Parameters: { 'seen.$': '$' } }), { a: 1 });
    expect(outputOf(r)).toEqual({ seen: {} });
  });

  it('OutputPath null makes the output {}', async () => {
    const r = await run(pass({ OutputPath: null }), { a: 1 });
    expect(outputOf(r)).toEqual({});
  });

  it('OutputPath selects part of the state output after ResultPath', async () => {
    const r = await run(pass({ Result: { v: 9 }, ResultPath: '$.res', OutputPath: '$.res' }), { a: 1 });
    expect(outputOf(r)).toEqual({ v: 9 });
  });

  it('an InputPath matching several values gathers them into an array', async () => {
    const r = await run(pass({ InputPath: '$.items[*].id' }), { items: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] });
    expect(outputOf(r)).toEqual(['a', 'b', 'c']);
  });

  it('InputPath naming a field that is not in the input fails the execution with States.Runtime', async () => {
    const r = await run(pass({ InputPath: '$.missing' }), { a: 1 });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
  });

  it('OutputPath naming a field that is not in the output fails the execution with States.Runtime', async () => {
    const r = await run(pass({ OutputPath: '$.missing' }), { a: 1 });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
  });

  it('ResultPath through a non-object value fails with States.ResultPathMatchFailure', async () => {
    const r = await run(pass({ Result: 1, ResultPath: '$.a.b' }), { a: 'a string, not an object' });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.ResultPathMatchFailure');
  });

  it('the output of one state is the raw input of the next', async () => {
    const def = machine({
      First: { Type: 'Pass', Result: { step: 1 }, ResultPath: '$.first', Next: 'Second' },
      Second: { Type: 'Pass', Parameters: { 'was.$': '$.first.step', 'orig.$': '$.orig' }, End: true },
    });
    expect(outputOf(await run(def, { orig: 'o' }))).toEqual({ was: 1, orig: 'o' });
  });
});

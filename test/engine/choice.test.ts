/** Choice state run through the engine: rules, Default, NoChoiceMatched, JSONata conditions, rule Assign/Output. */
import { describe, expect, it } from 'vitest';
import { events, machine, outputOf, run, sketch, type Def } from './helpers.js';

/** A Choice that routes to states returning their own name. */
function router(choice: Def, extra: Def = {}): Def {
  // JSONata Pass states have Output instead of Result.
  const field = extra['QueryLanguage'] === 'JSONata' ? 'Output' : 'Result';
  return machine(
    {
      Route: { Type: 'Choice', ...choice },
      Big: { Type: 'Pass', [field]: 'Big', End: true },
      Small: { Type: 'Pass', [field]: 'Small', End: true },
      Other: { Type: 'Pass', [field]: 'Other', End: true },
    },
    extra,
  );
}

describe('Choice (JSONPath rules)', () => {
  const numeric = router({
    Choices: [
      { Variable: '$.n', NumericGreaterThan: 100, Next: 'Big' },
      { Variable: '$.n', NumericLessThanEquals: 10, Next: 'Small' },
    ],
    Default: 'Other',
  });

  it('follows the first rule that matches', async () => {
    expect(outputOf(await run(numeric, { n: 500 }))).toBe('Big');
    expect(outputOf(await run(numeric, { n: 10 }))).toBe('Small');
  });

  it('follows Default when no rule matches', async () => {
    expect(outputOf(await run(numeric, { n: 50 }))).toBe('Other');
  });

  it('rules are evaluated in order: an earlier match wins over a later one', async () => {
    const def = router({
      Choices: [
        { Variable: '$.s', StringEquals: 'x', Next: 'Small' },
        { Variable: '$.s', StringMatches: '*', Next: 'Big' },
      ],
    });
    expect(outputOf(await run(def, { s: 'x' }))).toBe('Small');
    expect(outputOf(await run(def, { s: 'y' }))).toBe('Big');
  });

  it('with no match and no Default the execution fails with States.NoChoiceMatched', async () => {
    const def = router({ Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'Big' }] });
    const r = await run(def, { n: 2 });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.NoChoiceMatched');
  });

  it('And / Or / Not combine data tests', async () => {
    const def = router({
      Choices: [
        {
          And: [
            { Variable: '$.kind', StringEquals: 'order' },
            { Or: [{ Variable: '$.total', NumericGreaterThanEquals: 1000 }, { Variable: '$.vip', BooleanEquals: true }] },
            { Not: { Variable: '$.cancelled', BooleanEquals: true } },
          ],
          Next: 'Big',
        },
      ],
      Default: 'Other',
    });
    expect(outputOf(await run(def, { kind: 'order', total: 5, vip: true, cancelled: false }))).toBe('Big');
    expect(outputOf(await run(def, { kind: 'order', total: 5000, vip: false, cancelled: true }))).toBe('Other');
    expect(outputOf(await run(def, { kind: 'refund', total: 5000, vip: true, cancelled: false }))).toBe('Other');
  });

  it('a type mismatch makes a comparison false rather than an error', async () => {
    const def = router({ Choices: [{ Variable: '$.n', NumericEquals: 5, Next: 'Big' }], Default: 'Other' });
    const r = await run(def, { n: '5' });
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toBe('Other');
  });

  it('IsPresent false matches a missing field without error', async () => {
    const def = router({ Choices: [{ Variable: '$.maybe', IsPresent: false, Next: 'Small' }], Default: 'Other' });
    expect(outputOf(await run(def, {}))).toBe('Small');
    expect(outputOf(await run(def, { maybe: null }))).toBe('Other');
  });

  it('…Path operators compare against another input value; timestamps compare as instants', async () => {
    const def = router({
      Choices: [{ Variable: '$.due', TimestampLessThanPath: '$.now', Next: 'Big' }],
      Default: 'Other',
    });
    expect(outputOf(await run(def, { due: '2026-01-01T00:00:00Z', now: '2026-01-01T01:00:00+00:30' }))).toBe('Big');
    expect(outputOf(await run(def, { due: '2026-01-02T00:00:00Z', now: '2026-01-01T00:00:00Z' }))).toBe('Other');
  });

  it('Variable may read the context object', async () => {
    const def = router({ Choices: [{ Variable: '$$.Execution.Name', StringEquals: 'special', Next: 'Big' }], Default: 'Other' });
    expect(outputOf(await run(def, {}, { name: 'special' }))).toBe('Big');
    expect(outputOf(await run(def, {}, { name: 'plain' }))).toBe('Other');
  });

  it('Variable may read a workflow variable', async () => {
    const def = machine({
      Set: { Type: 'Pass', Assign: { limit: 3 }, Next: 'Route' },
      Route: { Type: 'Choice', Choices: [{ Variable: '$limit', NumericGreaterThan: 2, Next: 'Big' }], Default: 'Other' },
      Big: { Type: 'Pass', Result: 'Big', End: true },
      Other: { Type: 'Pass', Result: 'Other', End: true },
    });
    expect(outputOf(await run(def, {}))).toBe('Big');
  });

  it('passes its input to the next state unchanged, filtered by InputPath / OutputPath', async () => {
    const def = machine({
      Route: { Type: 'Choice', InputPath: '$.inner', Choices: [{ Variable: '$.v', IsPresent: true, Next: 'Done' }] },
      Done: { Type: 'Pass', End: true },
    });
    const r = await run(def, { inner: { v: 1 }, outer: 2 });
    expect(outputOf(r)).toEqual({ v: 1 });
    expect(events(r, 'ChoiceStateExited')[0]?.details?.['output']).toEqual({ v: 1 });
  });

  it('a matched rule Assign is used instead of the state Assign; with no match the state Assign applies', async () => {
    const def = machine({
      Route: {
        Type: 'Choice',
        Choices: [{ Variable: '$.n', NumericEquals: 1, Assign: { picked: 'rule' }, Next: 'Read' }],
        Default: 'Read',
        Assign: { picked: 'state' },
      },
      Read: { Type: 'Pass', Parameters: { 'picked.$': '$picked' }, End: true },
    });
    expect(outputOf(await run(def, { n: 1 }))).toEqual({ picked: 'rule' });
    expect(outputOf(await run(def, { n: 2 }))).toEqual({ picked: 'state' });
  });

  it('records ChoiceStateEntered and ChoiceStateExited and nothing in between', async () => {
    const r = await run(router({ Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'Big' }] }), { n: 1 });
    expect(sketch(r)).toEqual([
      'ExecutionStarted',
      'ChoiceStateEntered:Route',
      'ChoiceStateExited:Route',
      'PassStateEntered:Big',
      'PassStateExited:Big',
      'ExecutionSucceeded',
    ]);
  });
});

describe('Choice (JSONata)', () => {
  const jsonata = (choice: Def) => router(choice, { QueryLanguage: 'JSONata' });

  it('Condition is a JSONata boolean expression over $states.input', async () => {
    const def = jsonata({ Choices: [{ Condition: '{% $states.input.n > 100 %}', Next: 'Big' }], Default: 'Other' });
    expect(outputOf(await run(def, { n: 101 }))).toBe('Big');
    expect(outputOf(await run(def, { n: 100 }))).toBe('Other');
  });

  it('a Condition that does not evaluate to a boolean fails with States.QueryEvaluationError', async () => {
    const def = jsonata({ Choices: [{ Condition: '{% $states.input.n %}', Next: 'Big' }], Default: 'Other' });
    const r = await run(def, { n: 5 });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.QueryEvaluationError');
  });

  it('with no match and no Default it fails with States.NoChoiceMatched', async () => {
    const r = await run(jsonata({ Choices: [{ Condition: '{% false %}', Next: 'Big' }] }), {});
    expect(r.error).toBe('States.NoChoiceMatched');
  });

  it("a matched rule's Output and Assign apply; the state's top-level Assign/Output do not", async () => {
    const def = machine(
      {
        Route: {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.n = 1 %}', Output: { via: 'rule' }, Assign: { who: 'rule' }, Next: 'Read' }],
          Default: 'Read',
          Output: { via: 'default' },
          Assign: { who: 'state' },
        },
        Read: { Type: 'Pass', Output: '{% {"out": $states.input.via, "who": $who} %}', End: true },
      },
      { QueryLanguage: 'JSONata' },
    );
    expect(outputOf(await run(def, { n: 1 }))).toEqual({ out: 'rule', who: 'rule' });
    expect(outputOf(await run(def, { n: 2 }))).toEqual({ out: 'default', who: 'state' });
  });
});

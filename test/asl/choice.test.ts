import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/lib/json.js';
import { CHOICE_OPERATORS, ChoiceRuleError, compileChoiceRule } from '../../src/asl/choice.js';
import { StatesError } from '../../src/asl/errors.js';
import type { PathContext } from '../../src/asl/path-context.js';

function ctx(input: Json, options: { context?: Json; variables?: Record<string, Json> } = {}): PathContext {
  const variables = options.variables ?? {};
  return {
    input,
    context: options.context ?? {},
    lookupVariable: (name) => (Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined),
  };
}

/** Evaluate a rule `{Variable: '$.v', [operator]: operand}` against `{v: value, ...extra}`. */
function test(operator: string, operand: unknown, value: Json, extra: Record<string, Json> = {}): boolean {
  return compileChoiceRule({ Variable: '$.v', [operator]: operand, Next: 'X' })(ctx({ v: value, ...extra }));
}

function runtimeError(fn: () => unknown): StatesError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatesError);
    expect((err as StatesError).name).toBe('States.Runtime');
    return err as StatesError;
  }
  throw new Error('expected a States.Runtime error, nothing was thrown');
}

describe('CHOICE_OPERATORS', () => {
  it('lists the 39 distinct comparison operators of the spec', () => {
    expect(CHOICE_OPERATORS).toHaveLength(39);
    expect(new Set(CHOICE_OPERATORS).size).toBe(39);
    for (const op of ['StringMatches', 'BooleanEqualsPath', 'TimestampGreaterThanEqualsPath', 'NumericLessThan', 'IsTimestamp', 'IsPresent']) {
      expect(CHOICE_OPERATORS).toContain(op);
    }
    expect(CHOICE_OPERATORS).not.toContain('BooleanLessThan');
    expect(CHOICE_OPERATORS).not.toContain('StringMatchesPath');
  });

  it('compiles every listed operator', () => {
    const operand = (op: string): unknown => {
      if (op.endsWith('Path')) return '$.w';
      if (op.startsWith('Is')) return true;
      if (op.startsWith('Numeric')) return 1;
      if (op.startsWith('Boolean')) return true;
      if (op.startsWith('Timestamp')) return '2020-01-01T00:00:00Z';
      return 'x';
    };
    for (const op of CHOICE_OPERATORS) {
      expect(() => compileChoiceRule({ Variable: '$.v', [op]: operand(op), Next: 'X' }), op).not.toThrow();
    }
  });
});

describe('String comparisons', () => {
  it('StringEquals matches the identical string only', () => {
    expect(test('StringEquals', 'Hello', 'Hello')).toBe(true);
    expect(test('StringEquals', 'Hello', 'hello')).toBe(false);
    expect(test('StringEquals', '     ', ' ')).toBe(false);
  });

  it('StringEquals does not normalise whitespace or line endings', () => {
    expect(test('StringEquals', '\t\r\n', '\t\n')).toBe(false);
  });

  it('StringEquals is false, not an error, for a value that is not a string', () => {
    for (const value of [null, 1, 1.1, true, [], [''], {}, { A: 0 }] as Json[]) {
      expect(test('StringEquals', 'HelloWorld', value), JSON.stringify(value)).toBe(false);
    }
    expect(test('StringEquals', '1', 1)).toBe(false);
  });

  it('orders strings code unit by code unit', () => {
    expect(test('StringLessThan', 'AB', 'A')).toBe(true);
    expect(test('StringLessThan', 'a', 'B')).toBe(true);
    expect(test('StringGreaterThan', '', '')).toBe(false);
    expect(test('StringGreaterThan', 'A ', 'A')).toBe(false);
    expect(test('StringGreaterThanEquals', 'A', 'AB')).toBe(true);
    expect(test('StringLessThanEquals', '', '')).toBe(true);
    expect(test('StringLessThanEquals', 'A', 'AB')).toBe(false);
    // UTF-16 order, as Java's compareTo: U+1F600 (surrogates 0xD83D…) sorts before U+FFFF.
    expect(test('StringLessThan', '\uFFFF', '\uD83D\uDE00')).toBe(true);
  });

  it('…Path forms compare with the value the operand path selects', () => {
    expect(test('StringEqualsPath', '$.w', 'Hello', { w: 'Hello' })).toBe(true);
    expect(test('StringLessThanEqualsPath', '$.w', 'A', { w: 'AB' })).toBe(true);
    expect(test('StringGreaterThanEqualsPath', '$.w', 'A', { w: 'AB' })).toBe(false);
  });

  it('…Path forms are false when the operand path selects a non-string', () => {
    expect(test('StringEqualsPath', '$.w', '1', { w: 1 })).toBe(false);
    expect(test('StringLessThanPath', '$.w', 'A', { w: null })).toBe(false);
  });
});

describe('StringMatches', () => {
  it('treats * as any run of characters, including none', () => {
    expect(test('StringMatches', 'foo*.log', 'foo23.log')).toBe(true);
    expect(test('StringMatches', 'foo*.log', 'foo.log')).toBe(true);
    expect(test('StringMatches', '*.log', 'zebra.log')).toBe(true);
    expect(test('StringMatches', 'foo*.*', 'foobar.zebra')).toBe(true);
    expect(test('StringMatches', '*', '')).toBe(true);
    expect(test('StringMatches', 'a*b*c', 'a-c-b')).toBe(false);
    expect(test('StringMatches', 'ab*ba', 'aba')).toBe(false);
  });

  it('matches the whole string, not a substring', () => {
    expect(test('StringMatches', 'log', 'foo.log')).toBe(false);
    expect(test('StringMatches', 'foo*', 'xfoo')).toBe(false);
  });

  it('gives no other character a special meaning', () => {
    expect(test('StringMatches', 'a.c?', 'abcd')).toBe(false);
    expect(test('StringMatches', 'a.c?', 'a.c?')).toBe(true);
    expect(test('StringMatches', '[x]+', '[x]+')).toBe(true);
  });

  it('reads \\* as a literal star and \\\\ as a literal backslash', () => {
    expect(test('StringMatches', 'a\\*b', 'a*b')).toBe(true);
    expect(test('StringMatches', 'a\\*b', 'axxb')).toBe(false);
    expect(test('StringMatches', 'C:\\\\*', 'C:\\temp')).toBe(true);
    expect(test('StringMatches', 'C:\\\\*', 'C:temp')).toBe(false);
  });

  it('is false for a value that is not a string', () => {
    expect(test('StringMatches', '*', 1)).toBe(false);
    expect(test('StringMatches', '*', null)).toBe(false);
  });

  it('fails with States.Runtime on a pattern ending in an open escape', () => {
    const rule = compileChoiceRule({ Variable: '$.v', StringMatches: 'abc\\', Next: 'X' });
    runtimeError(() => rule(ctx({ v: 'abc' })));
  });
});

describe('Numeric comparisons', () => {
  it('NumericEquals treats integers and floats by value', () => {
    const input = JSON.parse('{"v": 1.0, "w": 1}') as Json;
    expect(compileChoiceRule({ Variable: '$.v', NumericEquals: 1, Next: 'X' })(ctx(input))).toBe(true);
    expect(compileChoiceRule({ Variable: '$.v', NumericEqualsPath: '$.w', Next: 'X' })(ctx(input))).toBe(true);
    expect(test('NumericEquals', 2.22, 2.22)).toBe(true);
    expect(test('NumericEquals', 0, -0)).toBe(true);
    expect(test('NumericEquals', 0, 1.1)).toBe(false);
  });

  it('is false, not an error, for numeric-looking strings and other non-numbers', () => {
    for (const value of ['1', '', ' ', null, true, false, [], [1], {}, { A: 0 }] as Json[]) {
      expect(test('NumericEquals', 1, value), JSON.stringify(value)).toBe(false);
      expect(test('NumericGreaterThanEquals', 0, value), JSON.stringify(value)).toBe(false);
    }
  });

  it('orders numbers with strict and inclusive bounds', () => {
    expect(test('NumericLessThan', 1, 0)).toBe(true);
    expect(test('NumericLessThan', 1, 1)).toBe(false);
    expect(test('NumericLessThanEquals', 1, 1)).toBe(true);
    expect(test('NumericLessThanEquals', 0, 1)).toBe(false);
    expect(test('NumericGreaterThan', 0, 1)).toBe(true);
    expect(test('NumericGreaterThan', 1, 1)).toBe(false);
    expect(test('NumericGreaterThanEquals', 1, 1)).toBe(true);
    expect(test('NumericGreaterThanEquals', 1, 0.999)).toBe(false);
    expect(test('NumericLessThan', -2.25, -2.5)).toBe(true);
  });

  it('…Path forms compare with the number the operand path selects', () => {
    expect(test('NumericGreaterThanPath', '$.w', 1, { w: 0 })).toBe(true);
    expect(test('NumericLessThanEqualsPath', '$.w', 9, { w: 8 })).toBe(false);
    expect(test('NumericGreaterThanEqualsPath', '$.w', 0, { w: 0 })).toBe(true);
  });

  it('…Path forms are false when the operand path selects a non-number', () => {
    expect(test('NumericEqualsPath', '$.w', 8, { w: '8' })).toBe(false);
    expect(test('NumericLessThanEqualsPath', '$.w', 8, { w: { value: 8 } })).toBe(false);
  });
});

describe('BooleanEquals', () => {
  it('matches the same boolean only', () => {
    expect(test('BooleanEquals', true, true)).toBe(true);
    expect(test('BooleanEquals', false, false)).toBe(true);
    expect(test('BooleanEquals', true, false)).toBe(false);
  });

  it('is false for truthy or falsy values that are not booleans', () => {
    for (const value of [null, 0, 1, '', 'true', 'false', [], {}] as Json[]) {
      expect(test('BooleanEquals', true, value), JSON.stringify(value)).toBe(false);
      expect(test('BooleanEquals', false, value), JSON.stringify(value)).toBe(false);
    }
  });

  it('BooleanEqualsPath compares with the boolean the operand path selects', () => {
    expect(test('BooleanEqualsPath', '$.w', false, { w: false })).toBe(true);
    expect(test('BooleanEqualsPath', '$.w', false, { w: true })).toBe(false);
    expect(test('BooleanEqualsPath', '$.w', true, { w: 'true' })).toBe(false);
  });
});

describe('Timestamp comparisons', () => {
  const T0 = '2012-10-09T19:00:55Z';
  const T1 = '2012-10-09T19:00:56Z';

  it('orders timestamps in time', () => {
    expect(test('TimestampEquals', T0, T0)).toBe(true);
    expect(test('TimestampLessThan', T1, T0)).toBe(true);
    expect(test('TimestampLessThan', T0, T1)).toBe(false);
    expect(test('TimestampGreaterThan', T1, T0)).toBe(false);
    expect(test('TimestampGreaterThanEquals', T0, T1)).toBe(true);
    expect(test('TimestampLessThanEquals', T0, T0)).toBe(true);
    expect(test('TimestampLessThanEquals', T0, T1)).toBe(false);
  });

  it('compares instants, not text: offsets and fractions are taken into account', () => {
    expect(test('TimestampEquals', '2012-10-09T18:00:55Z', '2012-10-09T19:00:55+01:00')).toBe(true);
    expect(test('TimestampEquals', '2012-10-09T19:00:55Z', '2012-10-09T19:00:55.000Z')).toBe(true);
    expect(test('TimestampLessThan', '2012-10-09T19:00:55Z', '2012-10-09T19:30:00+01:00')).toBe(true);
    expect(test('TimestampGreaterThan', '2016-03-05T21:29:29.243167251Z', '2016-03-05T21:29:29.243167252Z')).toBe(true);
    expect(test('TimestampLessThan', '2000-01-01T00:00:00Z', '1999-12-31T23:59:59-00:30')).toBe(false);
  });

  it('is false for strings that are not offset date-times', () => {
    for (const value of ['2012-10-09T19:00:55', '2012-10-09', '2023-02-24 12:15:56.832957', '2012-10-09 19:00:55Z', '', ' ', 'HelloWorld']) {
      expect(test('TimestampEquals', T0, value), value).toBe(false);
    }
  });

  it('is false for impossible calendar or clock values', () => {
    for (const value of ['2016-13-05T21:29:29Z', '2016-12-05T25:29:29Z', '2015-02-29T00:00:00Z', '2016-04-31T00:00:00Z', '2016-12-05T23:60:00Z', '2016-12-05T23:59:60Z', '2016-12-05T23:59:59+19:00']) {
      expect(test('TimestampLessThan', '2100-01-01T00:00:00Z', value), value).toBe(false);
    }
    expect(test('TimestampLessThan', '2100-01-01T00:00:00Z', '2016-02-29T00:00:00Z')).toBe(true);
  });

  it('is false for values that are not strings', () => {
    for (const value of [null, 0, 1.1, true, [], [''], {}, { A: 0 }] as Json[]) {
      expect(test('TimestampEquals', T0, value), JSON.stringify(value)).toBe(false);
    }
  });

  it('…Path forms compare with the timestamp the operand path selects', () => {
    expect(test('TimestampGreaterThanPath', '$.w', T1, { w: T0 })).toBe(true);
    expect(test('TimestampLessThanPath', '$.w', T1, { w: T0 })).toBe(false);
    expect(test('TimestampEqualsPath', '$.w', T0, { w: '2012-10-09T19:00:55' })).toBe(false);
  });

  it('rejects a literal operand that is not a timestamp when compiling', () => {
    expect(() => compileChoiceRule({ Variable: '$.v', TimestampEquals: '2012-10-09', Next: 'X' })).toThrow(ChoiceRuleError);
  });
});

describe('type tests', () => {
  it('IsNull is true only for null', () => {
    expect(test('IsNull', true, null)).toBe(true);
    expect(test('IsNull', true, '')).toBe(false);
    expect(test('IsNull', false, {})).toBe(true);
    expect(test('IsNull', false, null)).toBe(false);
  });

  it('IsNumeric is true for JSON numbers and false for numeric strings', () => {
    expect(test('IsNumeric', true, 0)).toBe(true);
    expect(test('IsNumeric', true, 1.1)).toBe(true);
    expect(test('IsNumeric', true, '1')).toBe(false);
    expect(test('IsNumeric', false, '1')).toBe(true);
    expect(test('IsNumeric', false, true)).toBe(true);
  });

  it('IsString is true for any string, including empty and timestamp-like ones', () => {
    expect(test('IsString', true, '')).toBe(true);
    expect(test('IsString', true, '2012-10-09T19:00:55Z')).toBe(true);
    expect(test('IsString', true, 1)).toBe(false);
    expect(test('IsString', false, [''])).toBe(true);
  });

  it('IsBoolean is true for true and false only', () => {
    expect(test('IsBoolean', true, false)).toBe(true);
    expect(test('IsBoolean', true, 'true')).toBe(false);
    expect(test('IsBoolean', false, 0)).toBe(true);
  });

  it('IsTimestamp is true for offset date-times only', () => {
    expect(test('IsTimestamp', true, '2012-10-09T19:00:55Z')).toBe(true);
    expect(test('IsTimestamp', true, '2012-10-09T19:00:55+01:00')).toBe(true);
    expect(test('IsTimestamp', true, '2016-03-05T21:29:29.243167252Z')).toBe(true);
    expect(test('IsTimestamp', true, '2012-10-09T19:00:55')).toBe(false);
    expect(test('IsTimestamp', true, '2023-02-24')).toBe(false);
    expect(test('IsTimestamp', false, 1349809255)).toBe(true);
  });

  it('IsPresent tells whether the Variable path selects something, null included', () => {
    const rule = (expected: boolean) => compileChoiceRule({ Variable: '$.a.b', IsPresent: expected, Next: 'X' });
    expect(rule(true)(ctx({ a: { b: null } }))).toBe(true);
    expect(rule(false)(ctx({ a: { b: false } }))).toBe(false);
    expect(rule(true)(ctx({ a: {} }))).toBe(false);
    expect(rule(false)(ctx({ a: {} }))).toBe(true);
    expect(rule(false)(ctx({}))).toBe(true);
    expect(rule(false)(ctx('not an object'))).toBe(true);
  });

  it('IsPresent is false for an unassigned variable', () => {
    const rule = compileChoiceRule({ Variable: '$missing', IsPresent: false, Next: 'X' });
    expect(rule(ctx({}))).toBe(true);
  });

  it('other type tests fail on a missing path rather than answering false', () => {
    for (const op of ['IsNull', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp']) {
      const rule = compileChoiceRule({ Variable: '$.nope', [op]: false, Next: 'X' });
      runtimeError(() => rule(ctx({})));
    }
  });
});

describe('missing paths', () => {
  it('a Variable that selects nothing fails with States.Runtime and AWS\'s message', () => {
    const rule = compileChoiceRule({ Variable: '$.Variable', NumericEquals: 1, Next: 'X' });
    const err = runtimeError(() => rule(ctx({ Other: 1 })));
    expect(err.cause).toBe("Invalid path '$.Variable': The choice state's condition path references an invalid value.");
  });

  it('an operand path that selects nothing fails with States.Runtime', () => {
    const rule = compileChoiceRule({ Variable: '$.left', NumericLessThanEqualsPath: '$.right', Next: 'X' });
    const err = runtimeError(() => rule(ctx({ left: 8 })));
    expect(err.cause).toContain("Invalid path '$.right'");
  });

  it('an unassigned $variable in Variable fails with States.Runtime', () => {
    const rule = compileChoiceRule({ Variable: '$guess', StringEquals: 'x', Next: 'X' });
    runtimeError(() => rule(ctx({})));
  });
});

describe('Variable roots', () => {
  it('reads the whole input with $', () => {
    expect(compileChoiceRule({ Variable: '$', NumericEquals: 3, Next: 'X' })(ctx(3))).toBe(true);
  });

  it('reads the context object with $$', () => {
    const context = { Execution: { Input: { 'input-value': -1 } } };
    const rule = compileChoiceRule({ Variable: '$$.Execution.Input.input-value', NumericLessThanEquals: 0, Next: 'X' });
    expect(rule(ctx({}, { context }))).toBe(true);
  });

  it('reads variables with $name, in Variable and in …Path operands', () => {
    const rule = compileChoiceRule({ Variable: '$guess', StringEqualsPath: '$answer', Next: 'X' });
    expect(rule(ctx({}, { variables: { guess: 'blue', answer: 'blue' } }))).toBe(true);
    expect(rule(ctx({}, { variables: { guess: 'red', answer: 'blue' } }))).toBe(false);
    const nested = compileChoiceRule({ Variable: '$cfg.limits[1]', NumericGreaterThan: 5, Next: 'X' });
    expect(nested(ctx({}, { variables: { cfg: { limits: [1, 10] } } }))).toBe(true);
  });
});

describe('And / Or / Not', () => {
  const between20and30 = compileChoiceRule({
    And: [
      { Variable: '$.value', NumericGreaterThanEquals: 20 },
      { Variable: '$.value', NumericLessThan: 30 },
    ],
    Next: 'ValueInTwenties',
  });

  it('And is true only when every rule is', () => {
    expect(between20and30(ctx({ value: 25 }))).toBe(true);
    expect(between20and30(ctx({ value: 30 }))).toBe(false);
    expect(between20and30(ctx({ value: 19 }))).toBe(false);
  });

  it('Or is true when any rule is', () => {
    const rule = compileChoiceRule({ Or: [{ Variable: '$.a', BooleanEquals: true }, { Variable: '$.b', BooleanEquals: true }], Next: 'X' });
    expect(rule(ctx({ a: false, b: true }))).toBe(true);
    expect(rule(ctx({ a: false, b: false }))).toBe(false);
  });

  it('Not inverts its rule', () => {
    const rule = compileChoiceRule({ Not: { Variable: '$.type', StringEquals: 'Private' }, Next: 'Public' });
    expect(rule(ctx({ type: 'Public' }))).toBe(true);
    expect(rule(ctx({ type: 'Private' }))).toBe(false);
  });

  it('And stops at the first false rule, so a later missing path does not fail', () => {
    const rule = compileChoiceRule({ And: [{ Variable: '$', IsNumeric: true }, { Variable: '$.x', NumericEquals: 3 }], Next: 'X' });
    expect(rule(ctx({ y: 1 }))).toBe(false);
    runtimeError(() => rule(ctx(3)));
  });

  it('Or stops at the first true rule, so a later missing path does not fail', () => {
    const rule = compileChoiceRule({ Or: [{ Variable: '$.x', IsPresent: false }, { Variable: '$.x', NumericEquals: 3 }], Next: 'X' });
    expect(rule(ctx({}))).toBe(true);
  });

  it('nests and allows Comment inside nested rules', () => {
    const rule = compileChoiceRule({
      And: [
        { Variable: '$', IsPresent: true, Comment: 'input exists' },
        { Not: { Or: [{ Variable: '$.s', StringEquals: 'a' }, { Variable: '$.s', StringEquals: 'b' }] } },
      ],
      Comment: 'neither a nor b',
      Next: 'X',
    });
    expect(rule(ctx({ s: 'c' }))).toBe(true);
    expect(rule(ctx({ s: 'b' }))).toBe(false);
  });
});

describe('malformed rules are rejected when compiled', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['no operator', { Variable: '$.v', Next: 'X' }],
    ['two operators', { Variable: '$.v', StringEquals: 'a', StringLessThan: 'b', Next: 'X' }],
    ['no Variable', { StringEquals: 'a', Next: 'X' }],
    ['an unknown operator', { Variable: '$.v', StringContains: 'a', Next: 'X' }],
    ['a numeric operator with a string operand', { Variable: '$.v', NumericEquals: '1', Next: 'X' }],
    ['a type test with a non-boolean operand', { Variable: '$.v', IsNull: 'true', Next: 'X' }],
    ['a …Path operand that is not a path', { Variable: '$.v', StringEqualsPath: 'v', Next: 'X' }],
    ['an empty And', { And: [], Next: 'X' }],
    ['And mixed with a data test', { And: [{ Variable: '$.v', IsNull: true }], Variable: '$.v', IsNull: true, Next: 'X' }],
    ['Next inside a nested rule', { Not: { Variable: '$.v', IsNull: true, Next: 'Y' }, Next: 'X' }],
  ];
  for (const [what, rule] of cases) {
    it(`rejects ${what}`, () => {
      expect(() => compileChoiceRule(rule)).toThrow(ChoiceRuleError);
    });
  }
});

import { describe, it, expect } from 'vitest';
import type { Json } from '../../src/lib/json.js';
import { StatesError } from '../../src/asl/errors.js';
import { PathNotFoundError } from '../../src/asl/jsonpath.js';
import type { PathContext } from '../../src/asl/path-context.js';
import { compileIntrinsic, IntrinsicSyntaxError, isIntrinsicCall } from '../../src/asl/intrinsics.js';

const CONTEXT: Json = {
  Execution: { Name: 'nightly-run-42', Input: { region: 'eu-west-1' } },
  StateMachine: { Id: 'arn:aws:states:us-east-1:111111111111:stateMachine:Monitor', Name: 'Monitor' },
};

function ctx(input: Json = {}, variables: Record<string, Json> = {}): PathContext {
  return { input, context: CONTEXT, lookupVariable: (name) => variables[name] };
}

function run(text: string, input: Json = {}, variables: Record<string, Json> = {}): Json {
  return compileIntrinsic(text)(ctx(input, variables));
}

/** AWS reports a rejected intrinsic argument as States.Runtime: "Invalid arguments in States.X". */
function expectInvalidArguments(text: string, input: Json = {}): void {
  let thrown: unknown;
  try {
    run(text, input);
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(StatesError);
  const err = thrown as StatesError;
  expect(err.name).toBe('States.Runtime');
  expect(err.cause).toBe(`Invalid arguments in ${/^States\.\w+/.exec(text)?.[0]}`);
}

describe('isIntrinsicCall', () => {
  it('recognises a States.* call and rejects paths and plain text', () => {
    expect(isIntrinsicCall("States.Format('{}', $.a)")).toBe(true);
    expect(isIntrinsicCall('States.UUID()')).toBe(true);
    expect(isIntrinsicCall('$.States.Format')).toBe(false);
    expect(isIntrinsicCall('States.Format')).toBe(false);
    expect(isIntrinsicCall('hello')).toBe(false);
  });
});

describe('parsing', () => {
  it('accepts string, number, boolean, null, path and nested-call arguments with free spacing', () => {
    expect(run("States.Array( 'a' , -1.5,true,false , null, $.x, States.Array() )", { x: 7 })).toEqual([
      'a',
      -1.5,
      true,
      false,
      null,
      7,
      [],
    ]);
  });

  it('unescapes \\\' and \\\\ inside single-quoted strings', () => {
    expect(run("States.Array('it\\'s', 'back\\\\slash')")).toEqual(["it's", 'back\\slash']);
  });

  it('reads context paths ($$) and variables ($name)', () => {
    expect(run('States.Array($$.Execution.Name, $threshold.max)', {}, { threshold: { max: 90 } })).toEqual([
      'nightly-run-42',
      90,
    ]);
  });

  it('keeps commas and parentheses that belong to a path argument', () => {
    const input = { items: ['a', 'b', 'c'], 'odd,key': 1 };
    expect(run("States.Array($.items[0,2], $['odd,key'], $.items.length())", input)).toEqual([['a', 'c'], 1, 3]);
  });

  it('caches the compiled form by text', () => {
    expect(compileIntrinsic('States.ArrayLength($.a)')).toBe(compileIntrinsic('States.ArrayLength($.a)'));
  });

  it.each([
    ['an unknown function', 'States.Concat($.a)'],
    ['a missing closing parenthesis', "States.Format('x'"],
    ['an unterminated string', "States.Format('x)"],
    ['an empty argument slot', 'States.ArrayGetItem($.a, )'],
    ['text after the call', 'States.UUID() + 1'],
    ['a double-quoted string', 'States.Format("x")'],
    ['an escape outside \' { } \\', "States.Base64Decode('YWJj\\nZA==')"],
    ['an invalid path', 'States.ArrayLength($.a[)'],
    ['a JsonToString argument that is not a path', "States.JsonToString('{}')"],
  ])('rejects %s at compile time', (_what, text) => {
    expect(() => compileIntrinsic(text)).toThrow(IntrinsicSyntaxError);
  });

  it('allows 10 nested calls and rejects 11', () => {
    const nest = (n: number): string => (n === 0 ? '1' : `States.MathAdd(${nest(n - 1)}, 1)`);
    expect(run(nest(10))).toBe(11);
    expect(() => compileIntrinsic(nest(11))).toThrow(/nested/);
  });

  it('lets a path that selects nothing raise PathNotFoundError for the engine to word', () => {
    expect(() => run('States.ArrayLength($.missing)', {})).toThrow(PathNotFoundError);
  });

  it('reports an unassigned variable as States.Runtime', () => {
    expect(() => run('States.ArrayLength($nothing)')).toThrow(/Undefined variable 'nothing'/);
  });

  it('accepts a wrong argument count at compile time and fails it at run time, as AWS does', () => {
    expect(() => compileIntrinsic("States.Hash('a')")).not.toThrow();
    expectInvalidArguments("States.Hash('a')");
    expectInvalidArguments('States.UUID(1)');
  });
});

describe('States.Format', () => {
  it('replaces each {} with the positional argument, strings without quotes', () => {
    expect(run("States.Format('Hello, my name is {}.', $.name)", { name: 'Arnav' })).toBe('Hello, my name is Arnav.');
  });

  it('renders numbers, booleans and null as text', () => {
    expect(run("States.Format('{}|{}|{}|{}', 1, 2.5, false, null)")).toBe('1|2.5|false|null');
  });

  it('renders objects and arrays the way Java prints maps and lists', () => {
    expect(run("States.Format('sm={} list={}', $$.StateMachine, $.l)", { l: [1, 'a', { k: null }] })).toBe(
      'sm={Id=arn:aws:states:us-east-1:111111111111:stateMachine:Monitor, Name=Monitor} list=[1, a, {k=null}]',
    );
  });

  it('takes the template from a path', () => {
    expect(run('States.Format($.template, $.name)', { template: 'Hi {}!', name: 'Ada' })).toBe('Hi Ada!');
  });

  it('treats escaped braces and quotes in a literal template as text', () => {
    expect(run("States.Format('\\{\\} {} \\'q\\'', 'x')")).toBe("{} x 'q'");
  });

  it('returns a template without placeholders unchanged', () => {
    expect(run("States.Format('plain')")).toBe('plain');
  });

  it.each([
    ['too few arguments', "States.Format('{} {}', 'a')"],
    ['too many arguments', "States.Format('{}', 'a', 'b')"],
    ['an unmatched {', "States.Format('Hello {', 'a')"],
    ['a lone }', "States.Format('}')"],
    ['doubled braces', "States.Format('{{}}', 'a')"],
    ['no template at all', 'States.Format()'],
  ])('fails with %s', (_what, text) => {
    expectInvalidArguments(text);
  });

  it('fails when the template is not a string', () => {
    expectInvalidArguments('States.Format($.t, 1)', { t: 123 });
  });
});

describe('States.StringToJson', () => {
  it('parses an escaped JSON string', () => {
    expect(run('States.StringToJson($.s)', { s: '{"foo": "bar", "n": [1, 2]}' })).toEqual({ foo: 'bar', n: [1, 2] });
  });

  it('parses scalars, -0 as 0 and the empty string as null', () => {
    expect(run('States.StringToJson($.s)', { s: '"HelloWorld"' })).toBe('HelloWorld');
    expect(run('States.StringToJson($.s)', { s: '1.1' })).toBe(1.1);
    expect(JSON.stringify(run('States.StringToJson($.s)', { s: '-0' }))).toBe('0');
    expect(run('States.StringToJson($.s)', { s: '' })).toBeNull();
  });

  it('fails on invalid JSON and on a non-string argument', () => {
    expectInvalidArguments('States.StringToJson($.s)', { s: '{oops' });
    expectInvalidArguments('States.StringToJson($.s)', { s: { a: 1 } });
  });
});

describe('States.JsonToString', () => {
  it('serialises the value at a path as compact JSON', () => {
    expect(run('States.JsonToString($.o)', { o: { name: 'Foo', year: 2020, tags: ['a'] } })).toBe(
      '{"name":"Foo","year":2020,"tags":["a"]}',
    );
    expect(run('States.JsonToString($.o)', { o: true })).toBe('true');
  });
});

describe('States.Array', () => {
  it('returns its arguments in order, and [] with none', () => {
    expect(run('States.Array($.a, $.b)', { a: { x: 1 }, b: null })).toEqual([{ x: 1 }, null]);
    expect(run('States.Array()')).toEqual([]);
  });
});

describe('States.ArrayPartition', () => {
  it('splits into chunks with a shorter last chunk', () => {
    expect(run('States.ArrayPartition($.a, 4)', { a: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9],
    ]);
  });

  it('returns [] for an empty array and one chunk for an oversized chunk size', () => {
    expect(run('States.ArrayPartition($.a, 3)', { a: [] })).toEqual([]);
    expect(run('States.ArrayPartition($.a, 10)', { a: [1, 2] })).toEqual([[1, 2]]);
  });

  it('truncates a fractional chunk size', () => {
    expect(run('States.ArrayPartition($.a, 2.6)', { a: [1, 2, 3, 4, 5] })).toEqual([[1, 2], [3, 4], [5]]);
  });

  it.each([['0'], ['-1'], ['0.6'], ["'2'"], ['null']])('rejects chunk size %s', (size) => {
    expectInvalidArguments(`States.ArrayPartition($.a, ${size})`, { a: [1, 2, 3] });
  });

  it('rejects a first argument that is not an array', () => {
    expectInvalidArguments("States.ArrayPartition('abc', 2)");
  });
});

describe('States.ArrayContains', () => {
  it('finds scalars, arrays and objects by value', () => {
    const a = [[1, 2, 3], 2, { k: [] }, true];
    expect(run('States.ArrayContains($.a, $.v)', { a, v: [1, 2, 3] })).toBe(true);
    expect(run('States.ArrayContains($.a, $.v)', { a, v: { k: [] } })).toBe(true);
    expect(run('States.ArrayContains($.a, $.v)', { a, v: null })).toBe(false);
    expect(run('States.ArrayContains($.a, 2)', { a })).toBe(true);
  });

  it('rejects a first argument that is not an array', () => {
    expectInvalidArguments("States.ArrayContains('abc', 'a')");
  });
});

describe('States.ArrayRange', () => {
  it('includes the end value', () => {
    expect(run('States.ArrayRange(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    expect(run('States.ArrayRange(0, 10, 3)')).toEqual([0, 3, 6, 9]);
  });

  it('counts down with a negative step and is empty when the step points away from the end', () => {
    expect(run('States.ArrayRange(5, 1, -2)')).toEqual([5, 3, 1]);
    expect(run('States.ArrayRange(1, 5, -1)')).toEqual([]);
  });

  it('truncates fractional arguments', () => {
    expect(run('States.ArrayRange(5.4, -0.6, -2.4)')).toEqual([5, 3, 1]);
  });

  it('allows 1000 items and rejects 1001', () => {
    expect(run('States.ArrayRange(1, 1000, 1)')).toHaveLength(1000);
    expectInvalidArguments('States.ArrayRange(1, 1001, 1)');
  });

  it('rejects a zero step and non-numeric arguments', () => {
    expectInvalidArguments('States.ArrayRange(1, 10, 0)');
    expectInvalidArguments('States.ArrayRange(1, 10, 0.49)');
    expectInvalidArguments("States.ArrayRange('a', 5, 1)");
  });
});

describe('States.ArrayGetItem', () => {
  it('returns the item at the index', () => {
    expect(run('States.ArrayGetItem($.a, $.i)', { a: [1, 2, 3, 4, 5, 6, 7, 8, 9], i: 5 })).toBe(6);
  });

  it('truncates a fractional index', () => {
    expect(run('States.ArrayGetItem($.a, 1.2)', { a: [10, 20, 30] })).toBe(20);
  });

  it('returns null for any index into an empty array, as AWS does', () => {
    expect(run('States.ArrayGetItem($.a, 999)', { a: [] })).toBeNull();
  });

  it('rejects an index past the end, a negative index and a string index', () => {
    expectInvalidArguments('States.ArrayGetItem($.a, 3)', { a: [10, 20, 30] });
    expectInvalidArguments('States.ArrayGetItem($.a, -1)', { a: [10, 20, 30] });
    expectInvalidArguments("States.ArrayGetItem($.a, '1')", { a: [10, 20, 30] });
  });
});

describe('States.ArrayLength', () => {
  it('counts the items', () => {
    expect(run('States.ArrayLength($.a)', { a: [null, [], {}] })).toBe(3);
  });

  it('rejects a non-array', () => {
    expectInvalidArguments('States.ArrayLength($.a)', { a: 'abc' });
  });
});

describe('States.ArrayUnique', () => {
  it('removes duplicates by value, keeping first occurrences in order', () => {
    const a = [null, null, 1, 1, 'x', [], [], { a: 1, b: 2 }, { b: 2, a: 1 }, { a: 1, b: 1 }, 'x'];
    expect(run('States.ArrayUnique($.a)', { a })).toEqual([null, 1, 'x', [], { a: 1, b: 2 }, { a: 1, b: 1 }]);
  });

  it('rejects a non-array', () => {
    expectInvalidArguments('States.ArrayUnique($.a)', { a: { k: 1 } });
  });
});

describe('States.Base64Encode and States.Base64Decode', () => {
  it('encode and decode UTF-8 text', () => {
    expect(run("States.Base64Encode('Data to encode')")).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(run("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')")).toBe('Data to encode');
    expect(run("States.Base64Decode(States.Base64Encode('こんにちは'))")).toBe('こんにちは');
    expect(run("States.Base64Encode('')")).toBe('');
  });

  it('accept 10,000 characters and reject 10,001', () => {
    expect(run('States.Base64Encode($.s)', { s: 'a'.repeat(10_000) })).toHaveLength(13_336);
    expectInvalidArguments('States.Base64Encode($.s)', { s: 'a'.repeat(10_001) });
    expectInvalidArguments('States.Base64Decode($.s)', { s: 'A'.repeat(10_001) });
  });

  it('reject non-string input', () => {
    expectInvalidArguments('States.Base64Encode(123)');
    expectInvalidArguments('States.Base64Decode($.o)', { o: {} });
  });
});

describe('States.Hash', () => {
  it.each([
    ['MD5', 'input data', '812f45842bc6d66ee14572ce20db8e86'],
    ['SHA-1', 'input data', 'aaff4a450a104cd177d28d18d74485e8cae074b7'],
    ['SHA-256', 'hello', '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'],
  ])('hashes with %s as lowercase hex', (algorithm, data, digest) => {
    expect(run('States.Hash($.d, $.alg)', { d: data, alg: algorithm })).toBe(digest);
  });

  it('gives SHA-384 and SHA-512 digests of the right length', () => {
    expect(run("States.Hash('input data', 'SHA-384')")).toBe(
      'd28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562',
    );
    expect(run("States.Hash('hello', 'SHA-512')")).toMatch(/^[0-9a-f]{128}$/);
  });

  it('hashes non-string data by its JSON text', () => {
    expect(run("States.Hash(123, 'MD5')")).toBe(run("States.Hash('123', 'MD5')"));
  });

  it('rejects unknown or differently spelled algorithms and data over 10,000 characters', () => {
    expectInvalidArguments("States.Hash('data', 'sha-256')");
    expectInvalidArguments("States.Hash('data', 'SHA256')");
    expectInvalidArguments("States.Hash('data', 123)");
    expectInvalidArguments("States.Hash($.s, 'MD5')", { s: 'a'.repeat(10_001) });
  });
});

describe('States.JsonMerge', () => {
  it('merges shallowly, the second object winning on shared keys', () => {
    const input = { a: { a: { a1: 1, a2: 2 }, b: 2, d: 3 }, b: { a: { a3: 1 }, c: 3, d: 4 } };
    expect(run('States.JsonMerge($.a, $.b, false)', input)).toEqual({ a: { a3: 1 }, b: 2, c: 3, d: 4 });
  });

  it('rejects deep merge (true), which AWS does not support', () => {
    expectInvalidArguments('States.JsonMerge($.a, $.b, true)', { a: {}, b: {} });
  });

  it('rejects non-object operands', () => {
    expectInvalidArguments('States.JsonMerge($.a, $.b, false)', { a: [], b: {} });
  });
});

describe('States.MathRandom', () => {
  it('returns an integer from start inclusive to end exclusive', () => {
    for (let i = 0; i < 50; i++) {
      const n = run('States.MathRandom(1, 3)') as number;
      expect([1, 2]).toContain(n);
    }
  });

  it('is deterministic for a given seed', () => {
    const first = run('States.MathRandom(0, 999, 3)');
    expect(Number.isInteger(first)).toBe(true);
    for (let i = 0; i < 5; i++) expect(run('States.MathRandom(0, 999, 3)')).toBe(first);
    const seeds = new Set(Array.from({ length: 20 }, (_, s) => run(`States.MathRandom(0, 1000000, ${s})`)));
    expect(seeds.size).toBeGreaterThan(1);
  });

  it('truncates fractional bounds', () => {
    for (let i = 0; i < 30; i++) expect(run('States.MathRandom(1.6, 2.9)')).toBe(1);
  });

  it('rejects empty or reversed ranges and non-numeric bounds or seeds', () => {
    expectInvalidArguments('States.MathRandom(1, 1)');
    expectInvalidArguments('States.MathRandom(10, 5)');
    expectInvalidArguments('States.MathRandom(1.4, 1.6)');
    expectInvalidArguments("States.MathRandom('a', 10)");
    expectInvalidArguments('States.MathRandom(1, 10, null)');
  });
});

describe('States.MathAdd', () => {
  it('adds integers', () => {
    expect(run('States.MathAdd($.v, -1)', { v: 111 })).toBe(110);
  });

  it('rounds each operand half up, Java style, before adding', () => {
    expect(run('States.MathAdd(1.49, 1.5)')).toBe(3);
    expect(run('States.MathAdd(-1.5, 0)')).toBe(-1);
    expect(run('States.MathAdd(-2.5, 0)')).toBe(-2);
    expect(run('States.MathAdd(2.5, 0)')).toBe(3);
    expect(Object.is(run('States.MathAdd(-0.5, 0)'), 0)).toBe(true);
  });

  it('stays within 32-bit integers', () => {
    expect(run('States.MathAdd(2147483646, 1)')).toBe(2147483647);
    expectInvalidArguments('States.MathAdd(2147483647, 1)');
    expectInvalidArguments('States.MathAdd(3000000000, 1)');
  });

  it('rejects strings, booleans and null even when they look numeric', () => {
    expectInvalidArguments("States.MathAdd('1', 2)");
    expectInvalidArguments('States.MathAdd(true, 1)');
    expectInvalidArguments('States.MathAdd(null, 1)');
  });
});

describe('States.StringSplit', () => {
  it('splits on every character of the delimiter string and drops empty pieces', () => {
    expect(run("States.StringSplit('This.is+a,test=string', '.+,=')")).toEqual(['This', 'is', 'a', 'test', 'string']);
    expect(run("States.StringSplit(', , ,', ',')")).toEqual([' ', ' ']);
    expect(run("States.StringSplit(',,,,', ',')")).toEqual([]);
  });

  it('feeds nested calls', () => {
    expect(run("States.ArrayGetItem(States.StringSplit($$.Execution.Name, '-'), 1)")).toBe('run');
  });

  it('rejects non-string arguments', () => {
    expectInvalidArguments("States.StringSplit($.s, ',')", { s: ['a,b'] });
    expectInvalidArguments("States.StringSplit('a,b', 1)");
  });
});

describe('States.UUID', () => {
  it('returns a fresh version-4 UUID each time', () => {
    const a = run('States.UUID()');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(run('States.UUID()')).not.toBe(a);
  });
});

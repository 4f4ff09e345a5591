import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../../src/lib/json.js';
import { StatesError } from '../../src/asl/errors.js';
import {
  compileJsonata,
  evaluateJsonata,
  evaluateTemplate,
  isJsonataTemplate,
  JsonataEvaluationError,
  JsonataSyntaxError,
  jsonataUndefinedMessage,
  jsonataUnexpectedTypeError,
  jsonataUnexpectedTypeMessage,
  jsonataVariableReferences,
  setJsonataIsolation,
  withStatePrefix,
  type JsonataBindings,
} from '../../src/asl/jsonata.js';
import { evaluateInWorker, jsonataWorkerCount, shutdownJsonataWorkers } from '../../src/engine/jsonata-pool.js';

const bindings = (input: Json = {}, variables: JsonataBindings['variables'] = {}): JsonataBindings => ({
  states: { input, context: { State: { Name: 'S' } } },
  variables,
});

async function ev(expr: string, b: JsonataBindings = bindings(), limits?: { maxDepth?: number; timeoutMs?: number }): Promise<Json> {
  return evaluateJsonata(compileJsonata(expr), b, 'Output', 'State0', limits);
}

async function evErr(expr: string, b: JsonataBindings = bindings(), limits?: { maxDepth?: number; timeoutMs?: number }): Promise<JsonataEvaluationError> {
  try {
    await ev(expr, b, limits);
  } catch (err) {
    expect(err).toBeInstanceOf(JsonataEvaluationError);
    return err as JsonataEvaluationError;
  }
  throw new Error(`expected ${expr} to fail`);
}

beforeAll(() => {
  setJsonataIsolation(evaluateInWorker);
});

afterAll(async () => {
  setJsonataIsolation(undefined);
  await shutdownJsonataWorkers();
});

describe('templates and compilation', () => {
  it('recognises only whole "{% %}" strings', () => {
    expect(isJsonataTemplate('{% $x %}')).toBe(true);
    expect(isJsonataTemplate('{%$x%}')).toBe(true);
    expect(isJsonataTemplate(' {% $x %}')).toBe(false);
    expect(isJsonataTemplate('{% $x %} ')).toBe(false);
    expect(isJsonataTemplate('$x')).toBe(false);
    expect(isJsonataTemplate('{%')).toBe(false);
    expect(isJsonataTemplate(1)).toBe(false);
  });

  it('caches by text and accepts a whole template', () => {
    const a = compileJsonata('$states.input.a');
    expect(compileJsonata('{% $states.input.a %}')).toBe(a);
    expect(a.text).toBe('$states.input.a');
  });

  it('rejects bad syntax, operators newer than 2.0.6, and $eval', () => {
    expect(() => compileJsonata('$states.input.(')).toThrow(JsonataSyntaxError);
    expect(() => compileJsonata('$states.input.a ?? 1')).toThrow(JsonataSyntaxError);
    expect(() => compileJsonata("$eval('1 + 1')")).toThrow(JsonataSyntaxError);
    expect(() => compileJsonata('$map([1], $eval)')).toThrow(JsonataSyntaxError);
    // the cached failure is thrown again
    expect(() => compileJsonata('$states.input.a ?? 1')).toThrow(JsonataSyntaxError);
  });

  it('reports the variables an expression references', () => {
    const c = compileJsonata('$a + $sum($states.input.b) + ($c := 1; $c)');
    expect(jsonataVariableReferences(c)).toEqual(['a', 'c', 'sum']);
  });
});

describe('bindings', () => {
  it('binds $states and variables (map or lookup function)', async () => {
    expect(await ev('$sum($states.input.v) + $one', bindings({ v: [1, 2, 3] }, { one: 1 }))).toBe(7);
    const asked: string[] = [];
    const lookup = (name: string): Json | undefined => {
      asked.push(name);
      return name === 'greeting' ? 'hi' : undefined;
    };
    expect(await ev("$greeting & ' ' & $states.context.State.Name", bindings({}, lookup))).toBe('hi S');
    expect(asked).toEqual(['greeting']);
  });

  it('treats never-assigned variables as undefined', async () => {
    expect(await ev("$exists($status) ? 'completed' : 'running'")).toBe('running');
    expect(await ev("$exists($status) ? 'completed' : 'running'", bindings({}, { status: 'x' }))).toBe('completed');
  });

  it('keeps $states reserved and built-ins reachable', async () => {
    expect(await ev('$states.input', bindings(5, { states: 'nope' }))).toBe(5);
    expect(await ev('$count([1,2])')).toBe(2);
  });

  it('allows local assignment', async () => {
    expect(await ev('$variable := 1')).toBe(1);
  });

  it('keeps $now and $millis working', async () => {
    expect(typeof (await ev('$millis()'))).toBe('number');
    expect(await ev("$now() ~> $type()")).toBe('string');
  });
});

describe('result normalisation', () => {
  it('turns sequences into arrays and drops jsonata artefacts', async () => {
    const out = await ev('$states.input.items.v', bindings({ items: [{ v: 1 }, { v: 2 }] }));
    expect(out).toEqual([1, 2]);
    expect(Object.keys(out as object)).toEqual(['0', '1']);
    expect(await ev('$states.input.items.v', bindings({ items: [{ v: 1 }] }))).toBe(1);
  });

  it('normalises -0, functions and undefined members like JSON', async () => {
    expect(Object.is(await ev('-0'), 0)).toBe(true);
    expect(await ev("{'a': $nope, 'b': [1, function(){1}], 'c': 0 * -1}")).toEqual({ b: [1, null], c: 0 });
  });

  it('fails with "returned nothing (undefined)" for undefined and bare functions', async () => {
    const e = await evErr('$doesNotExist');
    expect(e.name).toBe('States.QueryEvaluationError');
    expect(e.cause).toBe("The JSONata expression '$doesNotExist' specified for the field 'Output' returned nothing (undefined).");
    expect((await evErr('function($x){$x}')).kind).toBe('undefined');
  });

  it('reports evaluation errors with the jsonata code', async () => {
    const e = await evErr('$randomSeeded($states.input.fst)', bindings({ fst: 'x' }));
    expect(e.cause).toBe(
      "The JSONata expression '$randomSeeded($states.input.fst)' specified for the field 'Output' threw an error during evaluation. T1006: Attempted to invoke a non-function",
    );
    expect(e).toBeInstanceOf(StatesError);
  });
});

describe('messages', () => {
  it('words unexpected result types as AWS does', () => {
    expect(jsonataUnexpectedTypeMessage('1', 'Items', 'array', 1)).toBe(
      "The JSONata expression '1' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'number' for value: 1",
    );
    expect(jsonataUnexpectedTypeMessage("{'foo': 'bar'}", 'Items', 'array', { foo: 'bar' })).toMatch(
      /but was 'object' for value: \{"foo":"bar"\}$/,
    );
    expect(jsonataUnexpectedTypeMessage('$v', 'Items', 'array', 'string')).toMatch(/but was 'string' for value: "string"$/);
    expect(jsonataUnexpectedTypeMessage('null', 'Items', 'array', null)).toMatch(/but was 'null' for value: null$/);
    const err = jsonataUnexpectedTypeError('true', 'Items', 'array', true, 'Map');
    expect(err.name).toBe('States.QueryEvaluationError');
    expect(err.stateName).toBe('Map');
  });

  it('builds the state prefix the engine adds', () => {
    expect(withStatePrefix('State0', 2, jsonataUndefinedMessage('$x', 'Output'))).toBe(
      "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$x' specified for the field 'Output' returned nothing (undefined).",
    );
  });
});

describe('Step Functions functions', () => {
  it('$partition', async () => {
    expect(await ev('$partition([0,1,2,3], 3)')).toEqual([[0, 1, 2], [3]]);
    expect(await ev('$partition([0], 4)')).toEqual([[0]]);
    expect(await ev('$partition([], 2)')).toEqual([]);
    expect((await evErr('$partition([1,2], 0)')).kind).toBe('evaluation');
    expect((await evErr('$partition([1,2], 1.5)')).kind).toBe('evaluation');
  });

  it('$range', async () => {
    expect(await ev('$range(0, 10, 3)')).toEqual([0, 3, 6, 9]);
    expect(await ev('$range(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    expect(await ev('$range(10, 0, -5)')).toEqual([10, 5, 0]);
    expect(await ev('$range(5, 1, 1)')).toEqual([]);
    expect((await evErr('$range(0, 5, 0)')).kind).toBe('evaluation');
    expect((await evErr('$range(0, 100000, 1)')).cause).toMatch(/more than 1000 items/);
  });

  it('$hash', async () => {
    const h = (alg: string, s: string): string => createHash(alg).update(s).digest('hex');
    expect(await ev("$hash('hello', 'MD5')")).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(await ev("$hash('hello', 'SHA-1')")).toBe('aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d');
    expect(await ev("$hash('hello', 'SHA-256')")).toBe(h('sha256', 'hello'));
    expect(await ev("$hash('héllo', 'SHA-384')")).toBe(h('sha384', 'héllo'));
    expect(await ev("$hash('', 'SHA-512')")).toBe(h('sha512', ''));
    expect((await evErr("$hash('hello', 'SHA-3')")).cause).toMatch(/not supported/);
    expect((await evErr("$hash('hello', 'sha256')")).kind).toBe('evaluation');
  });

  it('$random, seeded and not', async () => {
    const [a, b, c] = (await ev('[$random(42), $random(42), $random(7)]')) as number[];
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    for (const v of [a, c, (await ev('$random()')) as number]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
    expect(await ev('$random(42)')).toBe(a);
  });

  it('$uuid', async () => {
    const u = await ev('$uuid()');
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await ev('$uuid()')).not.toBe(u);
  });

  it('$parse', async () => {
    expect(Object.is(await ev('$parse($states.input.s)', bindings({ s: '-0' })), 0)).toBe(true);
    expect(await ev('$parse($states.input.s)', bindings({ s: '[1, 2, "HelloWorld"]' }))).toEqual([1, 2, 'HelloWorld']);
    expect(await ev('$parse($states.input.s)', bindings({ s: '{"Arg1": 1, "Arg2": []}' }))).toEqual({ Arg1: 1, Arg2: [] });
    expect(await ev('$parse($states.input.s)', bindings({ s: '"HelloWorld"' }))).toBe('HelloWorld');
    expect((await evErr("$parse('{bad')")).kind).toBe('evaluation');
  });
});

describe('evaluateTemplate', () => {
  it('evaluates every template at any depth and leaves the rest literal', async () => {
    const out = await evaluateTemplate(
      [null, 0, 0.1, true, 'string', [], '$nosuchvar', '$.no.such.path', '{% $states.input %}', { key: '{% true %}' }],
      bindings({ input_value: 'x' }),
      'Output',
    );
    expect(out).toEqual([null, 0, 0.1, true, 'string', [], '$nosuchvar', '$.no.such.path', { input_value: 'x' }, { key: true }]);
  });

  it('names the field path in errors', async () => {
    await expect(evaluateTemplate({ result: '{% $doesNotExist %}' }, bindings(), 'Output')).rejects.toMatchObject({
      name: 'States.QueryEvaluationError',
      cause: "The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).",
    });
    await expect(evaluateTemplate({ a: [1, { b: '{% $nope %}' }] }, bindings(), 'Arguments')).rejects.toMatchObject({
      field: 'Arguments/a/1/b',
    });
  });

  it('returns fresh containers', async () => {
    const tpl = { a: { b: [1] } };
    const out = (await evaluateTemplate(tpl, bindings(), 'Output')) as { a: { b: number[] } };
    expect(out).toEqual(tpl);
    expect(out.a).not.toBe(tpl.a);
  });
});

describe('hostile expressions (in-thread guards)', () => {
  it('never uses a worker for ordinary expressions', async () => {
    await ev("$sum([1..100]) & $uppercase('x') & $toMillis('2020-01-01T00:00:00Z')");
    expect(jsonataWorkerCount()).toBe(0);
    expect(compileJsonata("$split('a,b', ',')").isolated).toBe(false);
    expect(compileJsonata("$split('a,b', /,/)").isolated).toBe(true);
    expect(compileJsonata("$toMillis('2020', '[Y0001]')").isolated).toBe(true);
    expect(compileJsonata("$parseInteger('12', '#0')").isolated).toBe(true);
  });

  it('stops an endless (tail-recursive) loop within the time budget', async () => {
    const t = performance.now();
    const e = await evErr('($f := function($n){ $f($n + 1) }; $f(0))', bindings(), { timeoutMs: 200 });
    const ms = performance.now() - t;
    expect(e.cause).toMatch(/U1002: Expression evaluation timeout/);
    expect(ms).toBeLessThan(1500);
  });

  it('stops runaway recursion at the depth limit', async () => {
    const e = await evErr('($f := function($n){ 1 + $f($n + 1) }; $f(0))');
    expect(e.cause).toMatch(/U1001: Stack overflow error/);
    // legitimate recursion still works
    expect(await ev('($f := function($n){ $n = 0 ? 0 : $n + $f($n - 1) }; $f(50))')).toBe(1275);
  });

  it('stops a loop over a huge range', async () => {
    const t = performance.now();
    const e = await evErr('$count([1..5000000].($ * 2))', bindings(), { timeoutMs: 200 });
    expect(e.cause).toMatch(/U1002|U1004/);
    expect(performance.now() - t).toBeLessThan(3000);
  });

  it('caps the size of values built step by step', async () => {
    expect((await evErr("$reduce([1..40], function($a, $b){ $a & $a }, 'x')")).cause).toMatch(/U1003/);
    expect((await evErr('[1..10000000]')).cause).toMatch(/U1004/);
    expect((await evErr("$pad('x', 400000000)")).kind).toBe('evaluation');
  });

  it('keeps $distinct linear on large inputs, with jsonata semantics', async () => {
    const t = performance.now();
    expect(await ev('$count($distinct([1..50000].$string()))')).toBe(50000);
    expect(performance.now() - t).toBeLessThan(3000);
    expect(await ev("$distinct([1, '1', 1, {'a': [1, {'b': 2, 'c': 3}]}, {'a': [1, {'c': 3, 'b': 2}]}, [1], [1]])")).toEqual([
      1,
      '1',
      { a: [1, { b: 2, c: 3 }] },
      [1],
    ]);
    expect(await ev("$distinct('x')")).toBe('x');
  });

  it('checks one-argument $toMillis in linear time with unchanged results', async () => {
    const hostile = '2020' + '-01'.repeat(60000) + 'X';
    const t = performance.now();
    const e = await evErr('$toMillis($states.input.t)', bindings({ t: hostile }));
    expect(e.cause).toMatch(/D3110/);
    expect(performance.now() - t).toBeLessThan(1000);
    expect(await ev("$toMillis('2016-12-05T21:29:29Z')")).toBe(Date.UTC(2016, 11, 5, 21, 29, 29));
    expect(await ev("$toMillis('2016-12-05T21:29:29.123+01:00')")).toBe(Date.UTC(2016, 11, 5, 20, 29, 29, 123));
    expect(await ev("$toMillis('2016-12-05')")).toBe(Date.UTC(2016, 11, 5));
    expect((await evErr("$toMillis('yesterday')")).cause).toMatch(/D3110/);
  });

  it('keeps concurrent evaluations of one expression independent', async () => {
    const c = compileJsonata('($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f($states.input.n))');
    const results = await Promise.all([5, 10, 15, 20].map((n) => evaluateJsonata(c, bindings({ n }), 'Output')));
    expect(results).toEqual([5, 10, 15, 20]);
  });
});

describe('hostile expressions (regular expressions in a worker)', () => {
  it('evaluates regex-bearing expressions correctly', async () => {
    expect(await ev("$contains('hello$world', /^hello\\ /)")).toBe(false);
    expect(await ev("$contains('hello world', /^hello\\ /)")).toBe(true);
    expect(await ev("$replace($states.input.s, /b+/, 'x')", bindings({ s: 'abbbc' }))).toBe('axc');
    expect(await ev("$split('a1b22c', /[0-9]+/)")).toEqual(['a', 'b', 'c']);
    expect(await ev('$match($v, /(\\d+)/).groups', bindings({}, { v: 'ab12' }))).toEqual(['12']);
    expect(await ev("$toMillis('2020', '[Y0001]')")).toBe(Date.UTC(2020, 0, 1));
    expect((await evErr('$nope ~> $match(/x/)')).kind).toBe('undefined');
  });

  it('kills a catastrophic backtracking regex at the hard timeout, then recovers', async () => {
    const t = performance.now();
    const e = await evErr(
      "$contains($states.input.s, /^(a+)+$/)",
      bindings({ s: 'a'.repeat(40) + '!' }),
      { timeoutMs: 300 },
    );
    const ms = performance.now() - t;
    expect(e.name).toBe('States.QueryEvaluationError');
    expect(e.cause).toMatch(/U1002/);
    expect(ms).toBeGreaterThanOrEqual(300);
    expect(ms).toBeLessThan(2500);
    // the pool replaces the killed worker
    expect(await ev("$contains('aaa', /^(a+)+$/)")).toBe(true);
  });

  it('does not let one stuck regex time out others queued behind it', async () => {
    const stuck = evErr("$contains($states.input.s, /^(a|aa)+$/)", bindings({ s: 'a'.repeat(60) + '!' }), { timeoutMs: 400 });
    const quick = Promise.all([1, 2, 3].map((i) => ev(`$replace('x${i}', /x/, 'y')`, bindings(), { timeoutMs: 400 })));
    expect(await quick).toEqual(['y1', 'y2', 'y3']);
    expect((await stuck).cause).toMatch(/U1002/);
  });

  it('evaluates in-thread when no isolation is installed (src/asl stays usable on its own)', async () => {
    setJsonataIsolation(undefined);
    try {
      const before = jsonataWorkerCount();
      expect(await ev("$replace('abc', /b/, 'x')")).toBe('axc');
      expect(jsonataWorkerCount()).toBe(before);
    } finally {
      setJsonataIsolation(evaluateInWorker);
    }
  });

  it('stops an endless loop inside a regex-bearing expression too', async () => {
    const e = await evErr("($f := function($n){ $f($n + 1) }; $contains('a', /a/) and $f(0))", bindings(), { timeoutMs: 200 });
    expect(e.cause).toMatch(/U1002/);
  });
});

// Ground truth recorded against AWS, when present beside the repository (never copied into it).
const casesPath = fileURLToPath(new URL('../../../shared/conformance/cases.json', import.meta.url));
const haveCases = existsSync(casesPath);

describe.skipIf(!haveCases)('recorded AWS cases: single JSONata Pass state', () => {
  interface Case {
    id: string;
    definition: { QueryLanguage?: string; StartAt: string; States: Record<string, Record<string, unknown>> };
    input: Json;
    expected: { status: string; output?: Json; error?: string; cause?: string };
  }
  const cases = haveCases ? (JSON.parse(readFileSync(casesPath, 'utf8')) as Case[]) : [];
  const selected = cases.filter((c) => {
    const names = Object.keys(c.definition.States);
    if (names.length !== 1) return false;
    const state = c.definition.States[names[0] as string] as Record<string, unknown>;
    const ql = state.QueryLanguage ?? c.definition.QueryLanguage;
    return ql === 'JSONata' && state.Type === 'Pass' && 'Output' in state && !JSON.stringify(state).includes('$states.context');
  });

  it('found cases to check', () => {
    expect(selected.length).toBeGreaterThan(5);
  });

  for (const c of selected) {
    it(c.id, async () => {
      const name = c.definition.StartAt;
      const state = c.definition.States[name] as { Output: Json };
      const run = evaluateTemplate(state.Output, { states: { input: c.input, context: {} }, variables: {} }, 'Output', name);
      if (c.expected.status === 'SUCCEEDED') {
        expect(await run).toEqual(c.expected.output);
      } else {
        const err = await run.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(StatesError);
        const se = err as StatesError;
        expect(se.name).toBe(c.expected.error);
        expect(withStatePrefix(name, 2, se.cause ?? '')).toBe(c.expected.cause);
      }
    });
  }
});

/**
 * Step Functions Local's mock configuration file (MockConfigFile.json): per state machine, test
 * cases that map state names to mocked responses; per mocked response, what each invocation of
 * the state answers, a `Return` (the task's result) or a `Throw` (its Error and Cause), keyed by
 * invocation numbers ("0") or inclusive ranges ("1-2").
 * https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html
 *
 * Stepwise refuses a file Step Functions Local would only trip over at run time (a response name
 * no entry defines, an invocation no execution can reach), naming the place and the reason. An
 * empty response (`{}`) is accepted, as there: the state fails with States.Runtime when entered.
 */
import { readFileSync } from 'node:fs';
import { isObject, type Json, type JsonObject } from '../lib/json.js';

export class MockConfigError extends Error {
  override readonly name = 'MockConfigError';
}

/** What one invocation of a mocked state answers. */
export type MockedAnswer = { readonly kind: 'return'; readonly value: Json } | { readonly kind: 'throw'; readonly error: string; readonly cause: string };

interface InvocationRange {
  readonly from: number;
  readonly to: number;
  readonly answer: MockedAnswer;
}

/** A mocked response: its name in MockedResponses and its answers by invocation number. */
export interface MockedResponse {
  readonly name: string;
  /** The answer of the state's `invocation`-th call (0 first), or undefined when none is defined. */
  answer(invocation: number): MockedAnswer | undefined;
  /** The invocation keys as written ("0", "1-2"), for messages. */
  readonly keys: readonly string[];
}

const TOP_LEVEL = ['StateMachines', 'MockedResponses'] as const;
const INVOCATION_KEY = /^(\d+)(?:-(\d+))?$/;

export class MockConfig {
  private constructor(
    /** state machine name → test case → state name → mocked response */
    private readonly machines: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, MockedResponse>>>,
  ) {}

  /** Parse and validate the file's text; `source` names it in messages. */
  static parse(text: string, source = 'MockConfigFile.json'): MockConfig {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new MockConfigError(`${source}: not valid JSON: ${(err as Error).message}`);
    }
    const fail = (where: string, reason: string): never => {
      throw new MockConfigError(`${source}: ${where}: ${reason}`);
    };
    if (!isObject(doc)) fail('the top level', 'must be a JSON object with StateMachines and MockedResponses');
    const root = doc as JsonObject;
    for (const key of Object.keys(root)) {
      if (!(TOP_LEVEL as readonly string[]).includes(key)) fail(key, `unknown field${key === 'MockedResponse' ? ' (did you mean MockedResponses?)' : ''}: the top level has only StateMachines and MockedResponses`);
    }
    const responses = new Map<string, MockedResponse>();
    for (const [name, raw] of objectEntries(root, 'MockedResponses', fail)) responses.set(name, parseResponse(name, raw, fail));
    const machines = new Map<string, Map<string, Map<string, MockedResponse>>>();
    for (const [machine, rawMachine] of objectEntries(root, 'StateMachines', fail)) {
      const at = `StateMachines.${machine}`;
      if (!isObject(rawMachine)) fail(at, 'must be an object with TestCases');
      for (const key of Object.keys(rawMachine as JsonObject)) if (key !== 'TestCases') fail(`${at}.${key}`, 'unknown field: a state machine has only TestCases');
      const cases = new Map<string, Map<string, MockedResponse>>();
      for (const [testCase, rawCase] of objectEntries(rawMachine as JsonObject, 'TestCases', fail, at)) {
        const caseAt = `${at}.TestCases.${testCase}`;
        if (!isObject(rawCase)) fail(caseAt, 'must be an object mapping state names to mocked response names');
        const states = new Map<string, MockedResponse>();
        for (const [state, responseName] of Object.entries(rawCase as JsonObject)) {
          if (typeof responseName !== 'string') fail(`${caseAt}.${state}`, 'must be the name of a mocked response (a string)');
          const response = responses.get(responseName as string);
          if (!response) fail(`${caseAt}.${state}`, `names the mocked response '${String(responseName)}', which MockedResponses does not define`);
          states.set(state, response as MockedResponse);
        }
        cases.set(testCase, states);
      }
      machines.set(machine, cases);
    }
    return new MockConfig(machines);
  }

  /** Read and parse a file (named by --mock-config or SFN_MOCK_CONFIG). */
  static readFile(path: string): MockConfig {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      const code = (err as { code?: string }).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
      throw new MockConfigError(`cannot read the mock configuration file ${path}: ${why}`);
    }
    return MockConfig.parse(text, path);
  }

  has(stateMachineName: string, testCase: string): boolean {
    return this.machines.get(stateMachineName)?.has(testCase) ?? false;
  }

  /** The mocked response a test case gives a state, or undefined when the state is not mocked. */
  responseFor(stateMachineName: string, testCase: string, stateName: string): MockedResponse | undefined {
    return this.machines.get(stateMachineName)?.get(testCase)?.get(stateName);
  }
}

type Fail = (where: string, reason: string) => never;

/** The entries of a required object member, in file order. */
function objectEntries(parent: JsonObject, key: string, fail: Fail, at?: string): [string, Json][] {
  const where = at === undefined ? key : `${at}.${key}`;
  if (!Object.hasOwn(parent, key)) fail(where, 'is required');
  const v = parent[key];
  if (!isObject(v)) fail(where, 'must be a JSON object');
  return Object.entries(v as JsonObject);
}

function parseResponse(name: string, raw: Json, fail: Fail): MockedResponse {
  const at = `MockedResponses.${name}`;
  if (!isObject(raw)) fail(at, 'must be an object whose keys are invocation numbers ("0") or inclusive ranges ("1-2")');
  const ranges: InvocationRange[] = [];
  for (const [key, step] of Object.entries(raw as JsonObject)) {
    const m = INVOCATION_KEY.exec(key);
    if (!m) fail(`${at}."${key}"`, 'is not an invocation number ("0") or an inclusive range of them ("1-2")');
    const from = Number((m as RegExpExecArray)[1]);
    const to = (m as RegExpExecArray)[2] === undefined ? from : Number((m as RegExpExecArray)[2]);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) fail(`${at}."${key}"`, 'is too large');
    if (to < from) fail(`${at}."${key}"`, `is an empty range: ${to} is less than ${from}`);
    ranges.push({ from, to, answer: parseAnswer(`${at}."${key}"`, step, fail) });
  }
  ranges.sort((a, b) => a.from - b.from);
  // Invocations are numbered one after another, so a response past a gap could never be given.
  let next = 0;
  for (const r of ranges) {
    const key = r.from === r.to ? `"${r.from}"` : `"${r.from}-${r.to}"`;
    if (r.from < next) fail(`${at}.${key}`, `overlaps an earlier key: invocation ${r.from} is already defined`);
    if (r.from > next) fail(`${at}.${key}`, `leaves invocation${r.from - next > 1 ? `s ${next}-${r.from - 1}` : ` ${next}`} undefined: invocations count from 0, one after another (retries included), so keys must cover them in order`);
    next = r.to + 1;
  }
  return {
    name,
    keys: ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)),
    answer: (invocation) => ranges.find((r) => r.from <= invocation && invocation <= r.to)?.answer,
  };
}

function parseAnswer(at: string, step: Json, fail: Fail): MockedAnswer {
  if (!isObject(step)) fail(at, 'must be an object with Return or Throw');
  const s = step as JsonObject;
  const keys = Object.keys(s);
  for (const k of keys) if (k !== 'Return' && k !== 'Throw') fail(`${at}.${k}`, 'unknown field: a mocked response has Return or Throw');
  if (keys.length !== 1) fail(at, 'must have exactly one of Return or Throw');
  if (keys[0] === 'Return') return { kind: 'return', value: s['Return'] as Json };
  const t = s['Throw'];
  if (!isObject(t)) fail(`${at}.Throw`, 'must be an object with Error and Cause (strings)');
  const th = t as JsonObject;
  for (const k of Object.keys(th)) if (k !== 'Error' && k !== 'Cause') fail(`${at}.Throw.${k}`, 'unknown field: Throw has Error and Cause');
  if (typeof th['Error'] !== 'string') fail(`${at}.Throw.Error`, 'is required and must be a string');
  if (typeof th['Cause'] !== 'string') fail(`${at}.Throw.Cause`, 'is required and must be a string');
  return { kind: 'throw', error: th['Error'] as string, cause: th['Cause'] as string };
}

/**
 * How data flows through a state in each query language: InputPath → Parameters → result →
 * ResultSelector → ResultPath → OutputPath for JSONPath; Arguments → result → Output for JSONata;
 * Assign in both. Errors carry AWS's wording.
 */
import { isObject, type Json, type JsonObject } from '../lib/json.js';
import { StatesError } from '../asl/errors.js';
import { memo, stateIO, type StateNode } from '../asl/graph.js';
import { compilePath, PathNotFoundError, setPath, type CompiledPath } from '../asl/jsonpath.js';
import { resolvePath, type PathContext } from '../asl/path-context.js';
import { compileTemplate, type Template } from '../asl/payload.js';
import type { JsonataBindings } from '../asl/jsonata.js';
import { isJsonataTemplate } from '../asl/jsonata-template.js';
import { loadJsonata } from './jsonata-loader.js';
import type { ErrorInfo } from '../asl/retry.js';
import type { Frame } from './types.js';
import type { Stepper } from './stepper.js';
import { PAYLOAD_LIMIT_BYTES } from './limits.js';

export function stateFailure(error: string, cause: string | undefined): ErrorInfo {
  return { error, cause };
}

export function errorOutput(err: ErrorInfo): JsonObject {
  const out: JsonObject = {};
  if (err.error !== undefined) out['Error'] = err.error;
  if (err.cause !== undefined) out['Cause'] = err.cause;
  return out;
}

/**
 * True when `value` serializes to more than 256 KiB. A bounded walk first (a UTF-16 unit
 * escapes to at most 6 bytes): it stops as soon as the bound passes the limit, and only then
 * is the exact UTF-8 size computed.
 */
export function exceedsPayloadLimit(value: Json): boolean {
  if (typeof value !== 'object' || value === null) return typeof value === 'string' && value.length * 6 > PAYLOAD_LIMIT_BYTES && exact(value);
  if (boundedSize(value, PAYLOAD_LIMIT_BYTES) >= 0) return false;
  return exact(value);
}

function exact(value: Json): boolean {
  return Buffer.byteLength(JSON.stringify(value), 'utf8') > PAYLOAD_LIMIT_BYTES;
}

/** Remaining budget after `v`, negative once exhausted. */
function boundedSize(v: Json, budget: number): number {
  if (typeof v === 'string') return budget - v.length * 6 - 2;
  if (v === null || typeof v !== 'object') return budget - 24;
  budget -= 2;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length && budget >= 0; i++) budget = boundedSize(v[i] as Json, budget - 1);
    return budget;
  }
  for (const k in v) {
    budget = boundedSize(v[k] as Json, budget - k.length * 6 - 4);
    if (budget < 0) return budget;
  }
  return budget;
}

// ---- context object ---------------------------------------------------------------------------

export interface ContextExtras {
  mapItem?: { index: number; value: Json; key?: string };
  taskToken?: string;
}

export function contextObject(s: Stepper, frame: Frame, node: StateNode, extras?: ContextExtras): JsonObject {
  const given = s.env.inspector?.context;
  if (given) return given;
  const m = s.snap.meta;
  const state: JsonObject = { Name: node.name, EnteredTime: new Date(frame.enteredAt).toISOString() };
  if (node.type === 'Task' || node.type === 'Parallel' || node.type === 'Map') state['RetryCount'] = frame.retryCount;
  const ctx: JsonObject = {
    Execution: {
      Id: m.executionArn,
      Input: m.input,
      StartTime: new Date(m.startTime).toISOString(),
      Name: m.name,
      RoleArn: m.roleArn,
      RedriveCount: m.redriveCount,
    },
    StateMachine: { Id: m.stateMachineArn, Name: m.stateMachineName },
    State: state,
  };
  if (m.redriveTime !== undefined) (ctx['Execution'] as JsonObject)['RedriveTime'] = new Date(m.redriveTime).toISOString();
  const token = extras?.taskToken ?? frame.taskToken;
  if (token !== undefined) ctx['Task'] = { Token: token };
  if (extras?.mapItem) {
    const item: JsonObject = { Index: extras.mapItem.index, Value: extras.mapItem.value };
    if (extras.mapItem.key !== undefined) item['Key'] = extras.mapItem.key;
    ctx['Map'] = { Item: item };
  }
  return ctx;
}

/** A PathContext whose `$$` is built only when a path reads it. */
class LazyPathContext implements PathContext {
  private ctx: JsonObject | undefined;
  constructor(
    private readonly s: Stepper,
    private readonly frame: Frame,
    private readonly node: StateNode,
    readonly input: Json,
    private readonly extras: ContextExtras | undefined,
  ) {}
  get context(): Json {
    return (this.ctx ??= contextObject(this.s, this.frame, this.node, this.extras));
  }
  lookupVariable(name: string): Json | undefined {
    return this.s.lookupVariable(this.frame, name);
  }
}

export function pathContext(s: Stepper, frame: Frame, node: StateNode, input: Json, extras?: ContextExtras): PathContext {
  return new LazyPathContext(s, frame, node, input, extras);
}

// ---- JSONPath ---------------------------------------------------------------------------------

function selectOrRuntime(s: Stepper, frame: Frame, node: StateNode, path: CompiledPath, input: Json): Json {
  try {
    return resolvePath(path, pathContext(s, frame, node, input));
  } catch (err) {
    if (err instanceof PathNotFoundError) {
      throw new StatesError('States.Runtime', `${s.errorPrefix(frame)}Invalid path '${path.text}' : No results for path: ${err.normalized}`);
    }
    throw err;
  }
}

export function applyInputPath(s: Stepper, frame: Frame, node: StateNode, raw: Json): Json {
  const p = stateIO(node).inputPath;
  const v = p === undefined ? raw : p === null ? {} : selectOrRuntime(s, frame, node, p, raw);
  s.env.inspector?.record('afterInputPath', v);
  return v;
}

export function applyOutputPath(s: Stepper, frame: Frame, node: StateNode, value: Json): Json {
  const p = stateIO(node).outputPath;
  if (p === undefined) return value;
  if (p === null) return {};
  return selectOrRuntime(s, frame, node, p, value);
}

/** ResultPath of the state (or of a catcher, when `def` is given) merging `result` into the raw input. */
export function applyResultPath(s: Stepper, frame: Frame, node: StateNode, raw: Json, result: Json, def?: JsonObject): Json {
  const v = resultPathValue(s, frame, node, raw, result, def);
  if (def === undefined) s.env.inspector?.record('afterResultPath', v);
  return v;
}

function resultPathValue(s: Stepper, frame: Frame, node: StateNode, raw: Json, result: Json, def: JsonObject | undefined): Json {
  let path: CompiledPath | null | undefined;
  if (def === undefined) path = stateIO(node).resultPath;
  else if (!('ResultPath' in def)) path = undefined;
  else path = def['ResultPath'] === null ? null : compilePath(def['ResultPath'] as string);
  if (path === undefined) return result;
  if (path === null) return raw;
  if (path.keys.length === 0) return result;
  try {
    return setPath(path, raw, result);
  } catch (err) {
    if (err instanceof PathNotFoundError) {
      throw new StatesError(
        'States.ResultPathMatchFailure',
        `${s.errorPrefix(frame)}Unable to apply ReferencePath ${path.text} to input ${JSON.stringify(raw)}`,
      );
    }
    throw err;
  }
}

/** Evaluate a payload template field (Parameters, ResultSelector, ItemSelector) against `input`. */
export function applyTemplate(s: Stepper, frame: Frame, node: StateNode, field: string, input: Json, extras?: ContextExtras): Json {
  let tmpl: Template | undefined;
  if (field === 'Parameters') tmpl = stateIO(node).parameters;
  else if (field === 'ResultSelector') tmpl = stateIO(node).resultSelector;
  tmpl ??= memo(node, `tmpl:${field}`, (): Template => compileTemplate(node.def[field] as Json));
  const fn = tmpl;
  const v = withPrefix(s, frame, () => fn(pathContext(s, frame, node, input, extras)));
  if (field === 'Parameters' || field === 'ResultSelector') s.env.inspector?.record(field === 'Parameters' ? 'afterParameters' : 'afterResultSelector', v);
  return v;
}

/** JSONPath Assign: `.$` values read `$` = `input` (the state's result, or its effective input). */
export function assignJsonPath(s: Stepper, frame: Frame, node: StateNode, assign: Json | undefined, key: string, input: Json): JsonObject | undefined {
  if (!isObject(assign)) return undefined;
  const tmpl = key === 'state' ? (stateIO(node).assign as Template) : memo(node, `assign:${key}`, (): Template => compileTemplate(assign));
  return withPrefix(s, frame, () => tmpl(pathContext(s, frame, node, input))) as JsonObject;
}

function withPrefix<T>(s: Stepper, frame: Frame, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StatesError && err.cause !== undefined && !err.cause.startsWith('An error occurred while executing')) {
      throw new StatesError(err.name, s.errorPrefix(frame) + err.cause);
    }
    throw err;
  }
}

// ---- JSONata ----------------------------------------------------------------------------------

export interface StatesBinding {
  input: Json;
  result?: Json;
  errorOutput?: Json;
  extras?: ContextExtras;
}

export function jsonataBindings(s: Stepper, frame: Frame, node: StateNode, b: StatesBinding): JsonataBindings {
  let ctx: JsonObject | undefined;
  const states: Record<string, unknown> = { input: b.input };
  if ('result' in b) states['result'] = b.result;
  if ('errorOutput' in b) states['errorOutput'] = b.errorOutput;
  Object.defineProperty(states, 'context', {
    enumerable: true,
    get: () => (ctx ??= contextObject(s, frame, node, b.extras)),
  });
  return { states, variables: (name: string) => s.lookupVariable(frame, name) };
}

/** Evaluate a JSONata-mode field value (a `{% %}` string, or JSON containing them). */
export async function jsonataValue(s: Stepper, frame: Frame, node: StateNode, field: string, value: Json, b: StatesBinding): Promise<Json> {
  let v = value;
  if (containsJsonata(value)) {
    try {
      const { evaluateTemplate } = await loadJsonata();
      v = await evaluateTemplate(value, jsonataBindings(s, frame, node, b), field, node.name);
    } catch (err) {
      if (err instanceof StatesError && err.cause !== undefined && !err.cause.startsWith('An error occurred while executing')) {
        throw new StatesError(err.name, s.errorPrefix(frame) + err.cause);
      }
      throw err;
    }
  }
  if (field === 'Arguments') s.env.inspector?.record('afterArguments', v);
  return v;
}

const templateCache = new WeakMap<object, boolean>();

/** Does a JSONata-mode field value hold any `{% %}` expression? Cached per definition object. */
function containsJsonata(value: Json): boolean {
  if (typeof value === 'string') return isJsonataTemplate(value);
  if (value === null || typeof value !== 'object') return false;
  let has = templateCache.get(value);
  if (has === undefined) {
    has = Array.isArray(value) ? value.some(containsJsonata) : Object.values(value).some(containsJsonata);
    templateCache.set(value, has);
  }
  return has;
}

export async function assignJsonata(s: Stepper, frame: Frame, node: StateNode, assign: Json | undefined, b: StatesBinding): Promise<JsonObject | undefined> {
  if (!isObject(assign)) return undefined;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(assign)) out[k] = await jsonataValue(s, frame, node, `Assign/${k}`, v, b);
  return out;
}

// ---- Catch ------------------------------------------------------------------------------------

export type CatchOutcome = { kind: 'ok'; output: Json; assigned: JsonObject | undefined } | { kind: 'error'; err: ErrorInfo };

export async function evaluateCatcher(s: Stepper, frame: Frame, node: StateNode, catcher: JsonObject, errOut: JsonObject): Promise<CatchOutcome> {
  try {
    if (node.ql === 'JSONata') {
      const b: StatesBinding = { input: frame.input, errorOutput: errOut };
      const assigned = await assignJsonata(s, frame, node, catcher['Assign'], b);
      const output = 'Output' in catcher ? await jsonataValue(s, frame, node, 'Output', catcher['Output'] as Json, b) : errOut;
      return { kind: 'ok', output, assigned };
    }
    const assigned = assignJsonPath(s, frame, node, catcher['Assign'], `catch:${JSON.stringify(catcher['ErrorEquals'])}:${String(catcher['Next'])}`, errOut);
    const output = applyResultPath(s, frame, node, frame.input, errOut, catcher);
    return { kind: 'ok', output, assigned };
  } catch (err) {
    if (err instanceof StatesError) return { kind: 'error', err: { error: err.name, cause: err.cause } };
    throw err;
  }
}

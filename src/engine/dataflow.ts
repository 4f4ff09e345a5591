/**
 * How data flows through a state in each query language: InputPath → Parameters → result →
 * ResultSelector → ResultPath → OutputPath for JSONPath; Arguments → result → Output for JSONata;
 * Assign in both. Errors carry AWS's wording.
 */
import { isObject, type Json, type JsonObject } from '../lib/json.js';
import { StatesError } from '../asl/errors.js';
import { memo, type StateNode } from '../asl/graph.js';
import { compilePath, PathNotFoundError, setPath, type CompiledPath } from '../asl/jsonpath.js';
import { resolvePath, type PathContext } from '../asl/path-context.js';
import { compileTemplate, type Template } from '../asl/payload.js';
import { evaluateTemplate, isJsonataTemplate, type JsonataBindings } from '../asl/jsonata.js';
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
 * Cheap upper bound first (each UTF-16 unit is at most 6 bytes once escaped); the exact UTF-8
 * size is computed only for payloads that might be near the limit.
 */
export function exceedsPayloadLimit(value: Json): boolean {
  let budget = PAYLOAD_LIMIT_BYTES / 6;
  const stack: Json[] = [value];
  while (stack.length) {
    const v = stack.pop() as Json;
    if (typeof v === 'string') budget -= v.length + 2;
    else if (Array.isArray(v)) {
      budget -= v.length + 2;
      for (const x of v) stack.push(x);
    } else if (v !== null && typeof v === 'object') {
      for (const k in v) {
        budget -= k.length + 4;
        stack.push(v[k] as Json);
      }
    } else budget -= 24;
    if (budget < 0) return Buffer.byteLength(JSON.stringify(value), 'utf8') > PAYLOAD_LIMIT_BYTES;
  }
  return false;
}

// ---- context object ---------------------------------------------------------------------------

export interface ContextExtras {
  mapItem?: { index: number; value: Json; key?: string };
  taskToken?: string;
}

export function contextObject(s: Stepper, frame: Frame, node: StateNode, extras?: ContextExtras): JsonObject {
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
export function pathContext(s: Stepper, frame: Frame, node: StateNode, input: Json, extras?: ContextExtras): PathContext {
  let ctx: JsonObject | undefined;
  return {
    input,
    get context() {
      return (ctx ??= contextObject(s, frame, node, extras));
    },
    lookupVariable: (name) => s.lookupVariable(frame, name),
  };
}

// ---- JSONPath ---------------------------------------------------------------------------------

function optionalPath(node: StateNode, field: string): CompiledPath | null | undefined {
  return memo(node, `path:${field}`, () => {
    const v = node.def[field];
    if (v === undefined) return undefined as unknown as null;
    if (v === null) return null;
    return compilePath(v as string);
  });
}

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
  const p = optionalPath(node, 'InputPath');
  if (p === undefined) return raw;
  if (p === null) return {};
  if (p.root === 'input' && p.segments.length === 0) return raw;
  return selectOrRuntime(s, frame, node, p, raw);
}

export function applyOutputPath(s: Stepper, frame: Frame, node: StateNode, value: Json): Json {
  const p = optionalPath(node, 'OutputPath');
  if (p === undefined) return value;
  if (p === null) return {};
  if (p.root === 'input' && p.segments.length === 0) return value;
  return selectOrRuntime(s, frame, node, p, value);
}

export function applyResultPath(s: Stepper, frame: Frame, node: StateNode, raw: Json, result: Json, def: JsonObject = node.def): Json {
  if (!('ResultPath' in def)) return result;
  const rp = def['ResultPath'];
  if (rp === null) return raw;
  const path = compilePath(rp as string);
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
  const tmpl = memo(node, `tmpl:${field}`, (): Template => compileTemplate(node.def[field] as Json));
  return withPrefix(s, frame, () => tmpl(pathContext(s, frame, node, input, extras)));
}

/** JSONPath Assign: `.$` values read `$` = `input` (the state's result, or its effective input). */
export function assignJsonPath(s: Stepper, frame: Frame, node: StateNode, assign: Json | undefined, key: string, input: Json): JsonObject | undefined {
  if (!isObject(assign)) return undefined;
  const tmpl = memo(node, `assign:${key}`, (): Template => compileTemplate(assign));
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
  if (!containsJsonata(node, field, value)) return value;
  try {
    return await evaluateTemplate(value, jsonataBindings(s, frame, node, b), field, node.name);
  } catch (err) {
    if (err instanceof StatesError && err.cause !== undefined && !err.cause.startsWith('An error occurred while executing')) {
      throw new StatesError(err.name, s.errorPrefix(frame) + err.cause);
    }
    throw err;
  }
}

function containsJsonata(node: StateNode, field: string, value: Json): boolean {
  return memo(node, `hasJsonata:${field}`, () => hasTemplate(value));
}

function hasTemplate(v: Json): boolean {
  if (typeof v === 'string') return isJsonataTemplate(v);
  if (Array.isArray(v)) return v.some(hasTemplate);
  if (isObject(v)) return Object.values(v).some(hasTemplate);
  return false;
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

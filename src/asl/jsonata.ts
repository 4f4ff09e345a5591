/**
 * The JSONata bridge: Step Functions' JSONata (jsonata 2.0.6 plus $partition, $range, $hash, $random, $uuid,
 * $parse; no $eval) with `$states` and workflow variables bound, results normalised to plain JSON, and failures
 * reported as `States.QueryEvaluationError` with AWS's wording (without the "An error occurred while executing
 * the state ..." prefix, which the engine adds: see `withStatePrefix`).
 *
 * Hostile expressions are bounded: every evaluation step passes jsonata's entry/exit hooks, which enforce a depth
 * limit, a time budget and a size cap on produced strings/arrays; built-ins that could loop inside a single step
 * ($distinct, $pad, one-argument $toMillis) are replaced by bounded versions; and expressions that may run a
 * regular expression (which cannot be interrupted in-thread) go to an isolation port — a worker thread terminated
 * at a hard timeout — that the composition root installs with {@link setJsonataIsolation} (the worker pool is
 * `engine/jsonata-pool.ts`; `src/asl` itself stays free of threads and I/O). Ordinary expressions never leave the thread.
 */
import type { Json } from '../lib/json.js';
import { StatesError, StatesErrors } from './errors.js';
import {
  compileJsonata,
  DEFAULT_LIMITS,
  evaluateInThread,
  isJsonataTemplate,
  JsonataSyntaxError,
  type CompiledJsonata,
  type JsonataLimits,
  type Outcome,
} from './jsonata/core.js';
import { JsonataEvaluationError, jsonataEvaluationErrorMessage, jsonataUndefinedMessage } from './jsonata/messages.js';

export {
  compileJsonata,
  DEFAULT_LIMITS as DEFAULT_JSONATA_LIMITS,
  isJsonataTemplate,
  jsonataText,
  JsonataSyntaxError,
  toJson as normaliseJsonataResult,
  type CompiledJsonata,
  type JsonataLimits,
  type Outcome as JsonataOutcome,
} from './jsonata/core.js';
export {
  JsonataEvaluationError,
  jsonataEvaluationErrorMessage,
  jsonataTypeName,
  jsonataUndefinedMessage,
  jsonataUnexpectedTypeError,
  jsonataUnexpectedTypeMessage,
  withStatePrefix,
  type JsonataFailureKind,
} from './jsonata/messages.js';
export { MAX_RANGE_ITEMS } from './jsonata/functions.js';

/**
 * What an expression can see.
 * - `states`: bound as `$states` — `{ input, context }` everywhere, plus `result` (Task/Map/Parallel `Output` and
 *   `Assign`) or `errorOutput` (Catcher `Output`/`Assign`) where AWS provides them. Omit what is not available.
 * - `variables`: workflow variables visible from the current scope, bound as `$name`. Either a lookup function
 *   (returns undefined for a never-assigned name) or a plain map name → value. Only names the expression
 *   references are looked up. A never-assigned variable is simply undefined in JSONata (so `$exists($x)` works);
 *   a field whose whole result is undefined fails with "returned nothing (undefined)". The name `states` is
 *   reserved and always means `$states`.
 */
export interface JsonataBindings {
  states: Record<string, unknown>;
  variables: ((name: string) => Json | undefined) | Readonly<Record<string, Json>>;
}

/**
 * Evaluates an expression somewhere it can be stopped (see `jsonata/pool.ts`, `evaluateInWorker`). Must resolve
 * (not reject) with the outcome, and with `{ kind: 'error', detail }` when it had to stop the evaluation.
 */
export type JsonataIsolation = (
  text: string,
  states: Record<string, unknown>,
  variables: Record<string, Json>,
  limits: Required<JsonataLimits>,
) => Promise<Outcome>;

let isolation: JsonataIsolation | undefined;

/**
 * Install (or remove, with undefined) the place where expressions that may run a regular expression are
 * evaluated. Without one they run in this thread, where a catastrophic regex cannot be interrupted.
 */
export function setJsonataIsolation(runner: JsonataIsolation | undefined): void {
  isolation = runner;
}

/** Names an expression reads as `$name` that could be workflow variables (for `variableReferences`). */
export function jsonataVariableReferences(c: CompiledJsonata): string[] {
  return c.variables.filter((n) => n !== 'states' && n !== '' && n !== '$');
}

function variableSubset(c: CompiledJsonata, variables: JsonataBindings['variables']): Record<string, Json> {
  const out: Record<string, Json> = {};
  const lookup =
    typeof variables === 'function'
      ? variables
      : (name: string): Json | undefined => (Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined);
  for (const name of c.variables) {
    if (name === 'states' || name === '' || name === '$') continue;
    const value = lookup(name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * Evaluate a compiled expression for `field` (e.g. `Output/result`, used in error causes). Resolves with plain
 * JSON; rejects with {@link JsonataEvaluationError} (`States.QueryEvaluationError`) when the expression throws,
 * exceeds a limit, or returns nothing.
 */
export async function evaluateJsonata(
  c: CompiledJsonata,
  bindings: JsonataBindings,
  field: string,
  stateName?: string,
  limits?: JsonataLimits,
): Promise<Json> {
  const effective: Required<JsonataLimits> = {
    maxDepth: limits?.maxDepth ?? DEFAULT_LIMITS.maxDepth,
    timeoutMs: limits?.timeoutMs ?? DEFAULT_LIMITS.timeoutMs,
  };
  const variables = variableSubset(c, bindings.variables);
  const outcome: Outcome =
    c.isolated && isolation
      ? await isolation(c.text, bindings.states, variables, effective)
      : await evaluateInThread(c, bindings.states, variables, effective);
  switch (outcome.kind) {
    case 'ok':
      return outcome.value;
    case 'undefined':
      throw new JsonataEvaluationError(jsonataUndefinedMessage(c.text, field), 'undefined', c.text, field, stateName);
    case 'error':
      throw new JsonataEvaluationError(
        jsonataEvaluationErrorMessage(c.text, field, outcome.detail),
        'evaluation',
        c.text,
        field,
        stateName,
      );
  }
}

/**
 * Evaluate every `"{% %}"` string inside `value` (objects and arrays at any depth), leaving every other value
 * literal. Field paths grow with `/key` (objects) and `/index` (arrays): `Output/result`, `Arguments/Payload/0`.
 * Evaluation is sequential, in document order. Returns a fresh structure (literals are copied).
 */
export async function evaluateTemplate(
  value: Json,
  bindings: JsonataBindings,
  field: string,
  stateName?: string,
  limits?: JsonataLimits,
): Promise<Json> {
  if (typeof value === 'string') {
    if (!isJsonataTemplate(value)) return value;
    let c: CompiledJsonata;
    try {
      c = compileJsonata(value);
    } catch (err) {
      if (!(err instanceof JsonataSyntaxError)) throw err;
      // definitions are validated first; this only happens when a caller skipped validation
      throw new JsonataEvaluationError(
        jsonataEvaluationErrorMessage(err.expression, field, err.message),
        'evaluation',
        err.expression,
        field,
        stateName,
      );
    }
    return evaluateJsonata(c, bindings, field, stateName, limits);
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (let i = 0; i < value.length; i++) {
      out.push(await evaluateTemplate(value[i] as Json, bindings, `${field}/${i}`, stateName, limits));
    }
    return out;
  }
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(value)) {
    const v = await evaluateTemplate(value[key] as Json, bindings, `${field}/${key}`, stateName, limits);
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out;
}

/** True when `value` contains a `"{% %}"` string anywhere (so a field needs evaluation at all). */
export function containsJsonata(value: unknown): boolean {
  if (typeof value === 'string') return isJsonataTemplate(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(containsJsonata);
  return Object.values(value).some(containsJsonata);
}

/** Convenience for callers that want a plain StatesError (e.g. to re-wrap with the state prefix). */
export function isQueryEvaluationError(err: unknown): err is StatesError {
  return err instanceof StatesError && err.name === StatesErrors.QueryEvaluationError;
}

/**
 * In-thread JSONata evaluation: compilation (with Step Functions' functions and guards), analysis of what an
 * expression references, guarded evaluation and normalisation of results to plain JSON. Used directly by the
 * main thread for ordinary expressions and by the worker for expressions that may run a regular expression.
 */
import { isJsonataTemplate } from '../jsonata-template.js';
import jsonata from 'jsonata';
import type { Json } from '../../lib/json.js';
import { awsFunctions, guardedBuiltins, loadOriginals } from './functions.js';

/** Thrown by {@link compileJsonata} for text jsonata 2.0.6 cannot parse, or that uses `$eval`. */
export class JsonataSyntaxError extends Error {
  override readonly name = 'JsonataSyntaxError';
  constructor(
    message: string,
    readonly expression: string,
    readonly code?: string,
    readonly position?: number,
  ) {
    super(message);
  }
}

export interface CompiledJsonata {
  /** The expression text (inside `{% %}`, trimmed), as AWS quotes it in error causes. */
  readonly text: string;
  /** Names of the `$variables` the expression references (including `states` and function names). */
  readonly variables: readonly string[];
  /**
   * True when evaluation may run a regular expression (regex literal, `$parseInteger`, or `$toMillis` with a
   * picture): such expressions are evaluated in a worker thread that can be terminated.
   */
  readonly isolated: boolean;
  /** @internal */
  readonly expression: jsonata.Expression;
}

export interface JsonataLimits {
  /** Deepest nesting of evaluation steps (jsonata `evaluate` calls); deep or endless recursion fails. */
  maxDepth?: number;
  /** Wall-clock budget of one evaluation, in milliseconds. */
  timeoutMs?: number;
}

export const DEFAULT_LIMITS: Required<JsonataLimits> = { maxDepth: 2000, timeoutMs: 2000 };
/** Longest string any evaluation step may produce. */
export const MAX_STRING_LENGTH = 1 << 24;
/** Longest array/sequence any evaluation step may produce. */
export const MAX_ARRAY_LENGTH = 1_000_000;

export const DEPTH_DETAIL =
  'U1001: Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.';
export const TIMEOUT_DETAIL = 'U1002: Expression evaluation timeout: Check for infinite loop';

/** Binding key for the per-evaluation guard: not a JSONata identifier, so expressions cannot reach it. */
const GUARD_KEY = ' stepwise guard';
const ENTRY = Symbol.for('jsonata.__evaluate_entry');
const EXIT = Symbol.for('jsonata.__evaluate_exit');

interface Guard {
  depth: number;
  steps: number;
  readonly maxDepth: number;
  readonly deadline: number;
  readonly timeoutMs: number;
}

interface GuardError {
  code: string;
  message: string;
  stepwiseGuard: true;
}

function guardError(detail: string): GuardError {
  const i = detail.indexOf(': ');
  return { code: detail.slice(0, i), message: detail.slice(i + 2), stepwiseGuard: true };
}

function onEntry(_expr: unknown, _input: unknown, env: jsonata.Environment): void {
  const g = env.lookup(GUARD_KEY) as Guard | undefined;
  if (g === undefined) return;
  if (++g.depth > g.maxDepth) throw guardError(DEPTH_DETAIL);
  if ((++g.steps & 63) === 0 && performance.now() > g.deadline) throw guardError(TIMEOUT_DETAIL);
}

function onExit(_expr: unknown, _input: unknown, env: jsonata.Environment, result: unknown): void {
  const g = env.lookup(GUARD_KEY) as Guard | undefined;
  if (g === undefined) return;
  g.depth--;
  if (typeof result === 'string') {
    if (result.length > MAX_STRING_LENGTH) {
      throw guardError(`U1003: Expression produced a string longer than ${MAX_STRING_LENGTH} characters`);
    }
  } else if (Array.isArray(result) && result.length > MAX_ARRAY_LENGTH) {
    throw guardError(`U1004: Expression produced an array longer than ${MAX_ARRAY_LENGTH} items`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Compilation

/** `"{% expr %}"` exactly: the whole string, no surrounding whitespace. */
export { isJsonataTemplate };

/** The expression inside a template, trimmed (how AWS quotes it); other text is only trimmed. */
export function jsonataText(expr: string): string {
  return (isJsonataTemplate(expr) ? expr.slice(2, -2) : expr).trim();
}

interface Analysis {
  variables: Set<string>;
  isolated: boolean;
  usesEval: boolean;
}

interface AstNode {
  type?: string;
  value?: unknown;
  procedure?: AstNode;
  arguments?: unknown[];
  [key: string]: unknown;
}

function analyse(ast: unknown): Analysis {
  const out: Analysis = { variables: new Set(), isolated: false, usesEval: false };
  const safeToMillis = new Set<AstNode>();
  const seen = new Set<object>();
  const stack: unknown[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    if (node instanceof RegExp) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const child of node) stack.push(child);
      continue;
    }
    const n = node as AstNode;
    if (n.type === 'regex') out.isolated = true;
    if (n.type === 'function' && n.procedure?.type === 'variable' && n.procedure.value === 'toMillis') {
      // $toMillis(ts) / ts.$toMillis(): fixed ISO 8601 check, guarded in functions.ts. A picture builds a regex.
      if ((n.arguments?.length ?? 0) <= 1) safeToMillis.add(n.procedure);
    }
    if (n.type === 'variable' && typeof n.value === 'string') {
      out.variables.add(n.value);
      if (n.value === 'eval') out.usesEval = true;
      if (n.value === 'parseInteger') out.isolated = true;
      if (n.value === 'toMillis' && !safeToMillis.has(n)) out.isolated = true;
    }
    for (const key of Object.keys(n)) {
      const child = n[key];
      if (child !== null && typeof child === 'object') stack.push(child);
    }
  }
  return out;
}

const CACHE_LIMIT = 2000;
const cache = new Map<string, CompiledJsonata | JsonataSyntaxError>();

/**
 * Compile an expression (its text, or a whole `"{% %}"` template), cached by text. Throws
 * {@link JsonataSyntaxError} for syntax jsonata 2.0.6 rejects (including the newer `??` and `?:` operators)
 * and for any use of `$eval`, which Step Functions does not provide.
 */
export function compileJsonata(expr: string): CompiledJsonata {
  const text = jsonataText(expr);
  const hit = cache.get(text);
  if (hit !== undefined) {
    if (hit instanceof JsonataSyntaxError) throw hit;
    return hit;
  }
  let result: CompiledJsonata | JsonataSyntaxError;
  try {
    result = build(text);
  } catch (err) {
    if (!(err instanceof JsonataSyntaxError)) throw err;
    result = err;
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(text, result);
  if (result instanceof JsonataSyntaxError) throw result;
  return result;
}

function build(text: string): CompiledJsonata {
  let expression: jsonata.Expression;
  try {
    expression = jsonata(text);
  } catch (err) {
    const e = err as { code?: string; message?: string; position?: number };
    const detail = e.code ? `${e.code}: ${e.message ?? ''}` : String(e.message ?? err);
    throw new JsonataSyntaxError(detail, text, e.code, e.position);
  }
  const analysis = analyse(expression.ast());
  if (analysis.usesEval) {
    throw new JsonataSyntaxError('The $eval function is not supported; use $parse instead', text);
  }
  for (const f of awsFunctions) expression.registerFunction(f.name, f.implementation, f.signature);
  for (const f of guardedBuiltins) expression.registerFunction(f.name, f.implementation, f.signature);
  expression.assign('eval', undefined);
  const assign = expression.assign as (name: string | symbol, value: unknown) => void;
  assign(ENTRY, onEntry);
  assign(EXIT, onExit);
  return { text, variables: [...analysis.variables].sort(), isolated: analysis.isolated, expression };
}

// ---------------------------------------------------------------------------------------------------------------
// Normalisation

function isFunctionValue(value: object): boolean {
  const v = value as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return v._jsonata_function === true || v._jsonata_lambda === true;
}

/**
 * Turn a jsonata result into plain JSON the way `JSON.stringify` would: sequences become arrays, -0 becomes 0,
 * non-finite numbers become null, functions and undefined vanish from objects and become null in arrays. Returns
 * undefined when the value itself is undefined or a function.
 */
export function toJson(value: unknown): Json | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const out: Json[] = new Array<Json>(value.length);
        for (let i = 0; i < value.length; i++) out[i] = toJson(value[i]) ?? null;
        return out;
      }
      if (isFunctionValue(value)) return undefined;
      const out: { [key: string]: Json } = {};
      const rec = value as Record<string, unknown>;
      for (const key of Object.keys(rec)) {
        const v = toJson(rec[key]);
        if (v === undefined) continue;
        if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
        else out[key] = v;
      }
      return out;
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

export type Outcome = { kind: 'ok'; value: Json } | { kind: 'undefined' } | { kind: 'error'; detail: string };

/** `<code>: <message>` for jsonata errors, the message for anything else. */
export function errorDetail(err: unknown): string {
  if (err !== null && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown };
    const message = typeof e.message === 'string' ? e.message : '';
    if (typeof e.code === 'string' && e.code !== '' && !(err instanceof Error)) return `${e.code}: ${message}`;
    if (err instanceof RangeError && /call stack/i.test(message)) return DEPTH_DETAIL;
    if (message !== '') return message;
  }
  return String(err);
}

/**
 * Evaluate in this thread with depth, time and size guards. `variables` holds the values to bind as `$name`
 * (only defined ones); `states` is bound as `$states`. There is no input document (`$` is undefined).
 */
export async function evaluateInThread(
  c: CompiledJsonata,
  states: Record<string, unknown>,
  variables: Record<string, Json>,
  limits?: JsonataLimits,
): Promise<Outcome> {
  const pending = loadOriginals();
  if (pending) await pending;
  const maxDepth = limits?.maxDepth ?? DEFAULT_LIMITS.maxDepth;
  const timeoutMs = limits?.timeoutMs ?? DEFAULT_LIMITS.timeoutMs;
  const guard: Guard = { depth: 0, steps: 0, maxDepth, timeoutMs, deadline: performance.now() + timeoutMs };
  const bindings: Record<string, unknown> = { ...variables, states, [GUARD_KEY]: guard };
  try {
    const raw: unknown = await c.expression.evaluate(undefined, bindings);
    const value = toJson(raw);
    return value === undefined ? { kind: 'undefined' } : { kind: 'ok', value };
  } catch (err) {
    return { kind: 'error', detail: errorDetail(err) };
  }
}

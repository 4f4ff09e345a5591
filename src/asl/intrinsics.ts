/**
 * JSONPath-mode intrinsic functions (`"key.$": "States.Format('{}', $.x)"`): compiled once per
 * text, then evaluated against a PathContext.
 *
 * Errors:
 * - compile time: `IntrinsicSyntaxError` for a malformed call, an unknown function, more than 10
 *   nested calls, a bad path, an invalid escape, or a JsonToString argument that is not a Path;
 * - run time: `StatesError('States.Runtime', 'Invalid arguments in States.X')` when a function
 *   rejects its arguments (wrong type, count or range) — AWS accepts wrong argument counts at
 *   creation and reports them, like every other bad argument, as `States.Runtime`. The engine
 *   prefixes the cause with its usual "An error occurred while executing the state …";
 * - a path argument that selects nothing throws `PathNotFoundError` (from jsonpath.ts), and an
 *   unassigned variable the `States.Runtime` error of `resolvePath`, so the engine can word them
 *   as it does for any `.$` field.
 */
import type { Json } from '../lib/json.js';
import { applyIntrinsic, INTRINSICS, type ArgValue } from './intrinsics/functions.js';
import { IntrinsicSyntaxError, parseIntrinsic, type IntrinsicArg, type IntrinsicCallNode } from './intrinsics/parser.js';
import { resolvePath, type PathContext } from './path-context.js';

export { IntrinsicSyntaxError } from './intrinsics/parser.js';
export { INTRINSIC_ERROR_NAME } from './intrinsics/functions.js';

export type CompiledIntrinsic = (ctx: PathContext) => Json;

const INTRINSIC_CALL = /^States\.[A-Za-z0-9]+\(/;
const KNOWN_NAMES: ReadonlySet<string> = new Set(INTRINSICS.keys());
const cache = new Map<string, CompiledIntrinsic>();

/** True when a `.$` value is meant as an intrinsic call (it may still fail to compile). */
export function isIntrinsicCall(text: string): boolean {
  return INTRINSIC_CALL.test(text);
}

export function compileIntrinsic(text: string): CompiledIntrinsic {
  let compiled = cache.get(text);
  if (!compiled) {
    const call = parseIntrinsic(text, KNOWN_NAMES);
    checkStaticRules(call);
    compiled = (ctx) => evaluateCall(call, ctx);
    if (cache.size > 10_000) cache.clear();
    cache.set(text, compiled);
  }
  return compiled;
}

/** Rules the language states about the shape of arguments, independent of any input. */
function checkStaticRules(call: IntrinsicCallNode): void {
  if (call.name === 'States.JsonToString' && call.args.length === 1 && call.args[0]?.kind !== 'path') {
    throw new IntrinsicSyntaxError(`Invalid intrinsic function call '${call.text}': the argument of States.JsonToString must be a Path`);
  }
  for (const arg of call.args) if (arg.kind === 'call') checkStaticRules(arg.call);
}

function evaluateCall(call: IntrinsicCallNode, ctx: PathContext): Json {
  return applyIntrinsic(
    call.name,
    call.args.map((arg) => evaluateArg(arg, ctx)),
  );
}

function evaluateArg(arg: IntrinsicArg, ctx: PathContext): ArgValue {
  switch (arg.kind) {
    case 'literal':
      return { value: arg.value, raw: arg.raw };
    case 'path':
      return { value: resolvePath(arg.path, ctx) };
    case 'call':
      return { value: evaluateCall(arg.call, ctx) };
  }
}

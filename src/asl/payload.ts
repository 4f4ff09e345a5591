/**
 * JSONPath payload templates (Parameters, ResultSelector, ItemSelector, Assign): keys ending in
 * `.$` take the value of a path or an intrinsic call; everything else is literal.
 */
import { isObject, type Json, type JsonObject } from '../lib/json.js';
import { StatesError } from './errors.js';
import { compileIntrinsic, isIntrinsicCall } from './intrinsics.js';
import { compilePath, PathNotFoundError } from './jsonpath.js';
import { resolvePath, type PathContext } from './path-context.js';

export type Template = (ctx: PathContext) => Json;

export function compileTemplate(value: Json): Template {
  if (isObject(value)) {
    const entries: { key: string; dynamic: boolean; fn: Template | undefined; literal: Json }[] = [];
    let allLiteral = true;
    for (const [k, v] of Object.entries(value)) {
      if (k.endsWith('.$') && typeof v === 'string') {
        allLiteral = false;
        entries.push({ key: k.slice(0, -2), dynamic: true, fn: compileExpression(v, k), literal: null });
      } else if (isObject(v) || Array.isArray(v)) {
        const fn = compileTemplate(v);
        allLiteral = false;
        entries.push({ key: k, dynamic: true, fn, literal: null });
      } else {
        entries.push({ key: k, dynamic: false, fn: undefined, literal: v });
      }
    }
    if (allLiteral) return () => value;
    return (ctx) => {
      const out: JsonObject = {};
      for (const e of entries) out[e.key] = e.dynamic ? (e.fn as Template)(ctx) : e.literal;
      return out;
    };
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => (isObject(v) || Array.isArray(v) ? compileTemplate(v) : () => v));
    return (ctx) => items.map((fn) => fn(ctx));
  }
  return () => value;
}

/** A `.$` value: an intrinsic call or a path (`$...`, `$$...`, `$var...`). */
export function compileExpression(text: string, field: string): Template {
  if (isIntrinsicCall(text)) {
    const fn = compileIntrinsic(text);
    return fn;
  }
  const path = compilePath(text);
  return (ctx) => {
    try {
      return resolvePath(path, ctx);
    } catch (err) {
      if (err instanceof PathNotFoundError) {
        const source = path.root === 'context' ? ctx.context : ctx.input;
        throw new StatesError(
          'States.Runtime',
          `The JSONPath '${text}' specified for the field '${field}' could not be found in the input '${JSON.stringify(source)}'`,
        );
      }
      throw err;
    }
  };
}

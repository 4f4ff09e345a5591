/** What a JSONPath expression can read: the state's input (`$`), the context object (`$$`) and variables (`$name`). */
import type { Json } from '../lib/json.js';
import { StatesError } from './errors.js';
import { compilePath, selectPath, type CompiledPath } from './jsonpath.js';

export interface PathContext {
  readonly input: Json;
  readonly context: Json;
  /** Value of a variable visible from the current scope, or undefined when never assigned. */
  lookupVariable(name: string): Json | undefined;
}

/**
 * Evaluate a path against the context. Throws `PathNotFoundError` when a definite path selects
 * nothing and `StatesError(States.Runtime)` for a variable that was never assigned.
 */
export function resolvePath(path: CompiledPath | string, ctx: PathContext): Json {
  const p = typeof path === 'string' ? compilePath(path) : path;
  switch (p.root) {
    case 'input':
      return selectPath(p, ctx.input);
    case 'context':
      return selectPath(p, ctx.context);
    case 'variable': {
      const value = ctx.lookupVariable(p.variable as string);
      if (value === undefined) {
        throw new StatesError('States.Runtime', `Undefined variable '${p.variable as string}' referenced in path '${p.text}'.`);
      }
      return selectPath(p, value);
    }
  }
}

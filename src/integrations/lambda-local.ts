/**
 * Local Lambda handlers given on the command line (`Name=./file.js[#export]`) and the in-process
 * invoker for closures. The routing of Task resources and the error contract live in
 * lambda-runtime.ts; a module function runs isolated there, a closure in this thread.
 */
import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { TaskInvoker } from '../engine/local-run.js';
import type { LambdaHandler } from './lambda-context.js';
import { lambdaInvoker, LambdaRuntime, type ModuleFunction } from './lambda-runtime.js';

export type { LambdaCallback, LambdaContext, LambdaHandler } from './lambda-context.js';

/** `name=./file.js` or `name=./file.js#exportName` (default export `handler`): the module path made absolute, not loaded. */
export function parseHandlerSpec(spec: string, cwd = process.cwd()): ModuleFunction {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new Error(`--handler expects Name=./file.js[#export], got '${spec}'`);
  const name = spec.slice(0, eq);
  const [file, exportName = 'handler'] = spec.slice(eq + 1).split('#') as [string, string?];
  const module = resolve(cwd, file);
  if (!(statSync(module, { throwIfNoEntry: false })?.isFile() ?? false)) throw new Error(`--handler ${name}: no file ${file}`);
  return { name, module, exportName };
}

/** Like parseHandlerSpec, and imports the handler into this thread (`stepwise run`). */
export async function loadHandlerSpec(spec: string, cwd = process.cwd()): Promise<[string, LambdaHandler]> {
  const { name, module, exportName = 'handler' } = parseHandlerSpec(spec, cwd);
  const mod = (await import(pathToFileURL(module).href)) as Record<string, unknown>;
  const fn = mod[exportName] ?? (exportName === 'handler' ? mod['default'] : undefined);
  if (typeof fn !== 'function') throw new Error(`${module} has no exported function '${exportName}'`);
  return [name, fn as LambdaHandler];
}

/** Task states answered by in-process closures (by function name, or by resource ARN). */
export function localLambdaInvoker(handlers: Map<string, LambdaHandler>, fallback?: TaskInvoker): TaskInvoker {
  return lambdaInvoker(new LambdaRuntime({ handlers }), fallback);
}

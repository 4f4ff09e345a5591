/**
 * Runner for Stepwise's in-process engine: `node --import tsx bench/stepwise.ts <case>`.
 *
 * Uses `runLocal` from the compiled package (dist/engine/local-run.js, built by `npm run bench`
 * first), as users run it, with the task handler registered by ARN. The
 * module is loaded through a computed specifier so that this file type-checks (and the bench
 * reports "cannot run: engine not built yet") before that module exists.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CannotRun, caseFromArgv, measure, type RunOne } from './harness.js';
import { TASK_ARN, enrich } from './cases.js';
import type { Json } from '../src/lib/json.js';

type Handler = (input: unknown) => Promise<unknown> | unknown;

interface LocalRunResult {
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  output?: string;
  error?: string;
  cause?: string;
  transitions: number;
}

type RunLocal = (
  definition: object | string,
  input: unknown,
  opts?: { handlers?: Record<string, Handler> },
) => Promise<LocalRunResult>;

const ENGINE = 'stepwise';
const benchCase = caseFromArgv(ENGINE);

async function loadRunLocal(): Promise<RunLocal> {
  // BENCH_STEPWISE_MODULE points the runner at another module exporting `runLocal` (a path or
  // file: URL); it exists to exercise the bench itself, the default is the real engine.
  const override = process.env.BENCH_STEPWISE_MODULE;
  const url = override
    ? new URL(override, pathToFileURL(`${process.cwd()}/`))
    : new URL('../dist/engine/local-run.js', import.meta.url);
  const source = fileURLToPath(url).replace(/\.js$/, '.ts');
  if (!existsSync(source) && !existsSync(fileURLToPath(url))) throw new CannotRun('engine not built yet');
  let mod: { runLocal?: unknown };
  try {
    const specifier: string = url.href;
    mod = (await import(specifier)) as { runLocal?: unknown };
  } catch (err) {
    throw new CannotRun(`engine failed to load: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof mod.runLocal !== 'function') throw new CannotRun('src/engine/local-run.ts does not export runLocal yet');
  return mod.runLocal as RunLocal;
}

await measure(ENGINE, benchCase, async (): Promise<RunOne> => {
  const runLocal = await loadRunLocal();
  const definition = benchCase.definition(TASK_ARN);
  const opts = { handlers: { [TASK_ARN]: enrich } };

  return async (input: Json) => {
    const result = await runLocal(definition, input, opts);
    if (result.status !== 'SUCCEEDED') {
      throw new CannotRun(`execution ${result.status}: ${result.error ?? '?'}: ${result.cause ?? '(no cause)'}`);
    }
    if (result.output === undefined) throw new CannotRun('execution SUCCEEDED without an output');
    return { output: JSON.parse(result.output) as Json, transitions: result.transitions };
  };
});

/**
 * Runner for aws-local-stepfunctions@3: `node --import tsx bench/aws-local-stepfunctions.ts <case>`.
 *
 * Its Task override (`overrides.taskResourceLocalHandlers`) is keyed by state name, not by ARN,
 * so the task handler is registered under every Task state name the cases use. On Node 20 it
 * calls `Promise.withResolvers` (Node 22+), so that is polyfilled before the package is loaded,
 * which is why the package is imported dynamically below rather than with a static import.
 */
import { CannotRun, caseFromArgv, measure, type RunOne } from './harness.js';
import { TASK_ARN, TASK_STATE_NAMES, enrich } from './cases.js';
import type { Json } from '../src/lib/json.js';

interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

function polyfillWithResolvers(): void {
  const ctor = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };
  if (typeof ctor.withResolvers === 'function') return;
  ctor.withResolvers = <T>(): Resolvers<T> => {
    let resolve!: Resolvers<T>['resolve'];
    let reject!: Resolvers<T>['reject'];
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

const ENGINE = 'aws-local-stepfunctions';
const benchCase = caseFromArgv(ENGINE);

await measure(ENGINE, benchCase, async (): Promise<RunOne> => {
  polyfillWithResolvers();
  const { StateMachine } = await import('aws-local-stepfunctions');

  let machine: InstanceType<typeof StateMachine>;
  try {
    machine = new StateMachine(benchCase.definition(TASK_ARN) as never);
  } catch (err) {
    throw new CannotRun(`definition rejected: ${err instanceof Error ? err.message : String(err)}`);
  }
  const taskResourceLocalHandlers = Object.fromEntries(TASK_STATE_NAMES.map((name) => [name, enrich]));
  const options = { overrides: { taskResourceLocalHandlers } } as never;

  return async (input: Json) => {
    try {
      const output = (await machine.run(input as never, options).result) as Json;
      return { output };
    } catch (err) {
      const e = err as { name?: string; message?: string; cause?: unknown };
      throw new CannotRun(`execution failed: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`);
    }
  };
});

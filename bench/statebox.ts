/**
 * Runner for @wmfs/statebox: `node --import tsx bench/statebox.ts <case>`.
 *
 * Adapted only as its README requires: Task resources must be `module:<name>` resources, i.e.
 * classes registered with `createModuleResources` whose `run(event, context)` answers through
 * `context.sendTaskSuccess`, and an execution is awaited to completion by starting it with
 * `{ sendResponse: 'COMPLETE' }`. One Statebox instance (default in-memory DAO) per process, as
 * an application would use it; note that its in-memory DAO keeps every execution it has run.
 */
import { createRequire } from 'node:module';
import { CannotRun, caseFromArgv, measure, type RunOne } from './harness.js';
import { STATEBOX_TASK_RESOURCE, enrich } from './cases.js';
import type { Json } from '../src/lib/json.js';

/** The slice of statebox's (untyped, CommonJS) API the bench uses. */
interface TaskContext {
  sendTaskSuccess(output: unknown): void;
  sendTaskFailure(errorInfo: { error: string; cause: string }): void;
}
interface ExecutionDescription {
  executionName: string;
  status: string;
  ctx: unknown;
  errorCode?: string;
  errorMessage?: string;
}
interface StateboxInstance {
  ready: Promise<void>;
  createModuleResources(resources: Record<string, new () => { run(event: unknown, context: TaskContext): void }>): void;
  createStateMachines(definitions: Record<string, object>, env: object): Promise<unknown>;
  startExecution(input: unknown, stateMachineName: string, options: { sendResponse: string }): Promise<ExecutionDescription>;
}
type StateboxCtor = new (options: object) => StateboxInstance;

/** Why statebox fails where it is known to, so the table says more than its raw error. */
function explain(message: string): string {
  if (message.includes('timeoutFn is not a function')) {
    return ' (its Wait state tests the duration field for truthiness, so `Seconds: 0` counts as no duration)';
  }
  return '';
}

const ENGINE = 'statebox';
const MACHINE = 'bench';
const benchCase = caseFromArgv(ENGINE);

await measure(ENGINE, benchCase, async (): Promise<RunOne> => {
  const Statebox = createRequire(import.meta.url)('@wmfs/statebox') as StateboxCtor;
  const statebox = new Statebox({});
  await statebox.ready;

  class Enrich {
    run(event: unknown, context: TaskContext): void {
      context.sendTaskSuccess(enrich(event));
    }
  }
  statebox.createModuleResources({ [STATEBOX_TASK_RESOURCE.slice('module:'.length)]: Enrich });

  try {
    await statebox.createStateMachines({ [MACHINE]: benchCase.definition(STATEBOX_TASK_RESOURCE) }, {});
  } catch (err) {
    throw new CannotRun(`definition rejected: ${err instanceof Error ? err.message : String(err)}`);
  }

  return async (input: Json) => {
    const execution = await statebox.startExecution(input, MACHINE, { sendResponse: 'COMPLETE' });
    if (execution.status !== 'SUCCEEDED') {
      const message = execution.errorMessage ?? '(no cause)';
      throw new CannotRun(`execution ${execution.status}: ${execution.errorCode ?? '?'}: ${message}${explain(message)}`);
    }
    return { output: execution.ctx as Json };
  };
});

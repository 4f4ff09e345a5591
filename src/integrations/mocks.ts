/**
 * Mocked service integrations, as Step Functions Local has them: an execution started as
 * `stateMachineArn#TestCase` has the Task states its test case names answered from the mock
 * configuration file, before IAM checks and before any integration; every other task goes on to
 * the real integration ("HybridPath"). The answer is the task's result as the integration would
 * return it (for `lambda:invoke`, the whole `{StatusCode, Payload, …}`), or the error it throws.
 * https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-test-sm-exec.html
 */
import type { Json } from '../lib/json.js';
import { StatesError } from '../asl/errors.js';
import type { TaskInvoker, TaskProgress } from '../engine/local-run.js';
import { describeResource } from '../engine/resource.js';
import type { TaskRequest } from '../engine/types.js';
import type { MockConfig } from './mock-config.js';

export interface MockInvokerOptions {
  /**
   * Completes a mocked `.waitForTaskToken` task as SendTaskSuccess would. The durable runner takes
   * what an invoker returns for a callback task as the task's start only; the in-process runner
   * (`runLocal`) takes it as the answer, and needs no such port.
   */
  completeCallback?: (req: TaskRequest, output: Json) => Promise<void>;
}

/** Step Functions Local's own answer to a mocked activity (recorded in aws-samples/aws-stepfunctions-examples#69). */
const ACTIVITY_CAUSE = 'Activity state cannot be mocked. Please remove mocks mapped for all activity state in the mock config file.';

export function mockInvoker(config: MockConfig, next: TaskInvoker, opts: MockInvokerOptions = {}): TaskInvoker {
  return {
    async invoke(req: TaskRequest, progress?: TaskProgress): Promise<Json> {
      if (req.mockTestCase === undefined || req.executionArn === undefined) return next.invoke(req, progress);
      const response = config.responseFor(stateMachineNameOf(req.executionArn), req.mockTestCase, req.stateName);
      if (!response) return next.invoke(req, progress);
      if (describeResource(req.resource).family === 'activity') throw new StatesError('States.Runtime', ACTIVITY_CAUSE);
      // Step Functions Local numbers every invocation of the state in the execution; without the
      // engine's count (an older snapshot), the retry count is the best stand-in.
      const invocation = req.mockInvocation ?? req.attempt ?? 0;
      const answer = response.answer(invocation);
      if (!answer) {
        const defined = response.keys.length === 0 ? 'defines no invocations' : `defines invocations ${response.keys.join(', ')}`;
        throw new StatesError('States.Runtime', `No mocked response for invocation ${invocation} of state '${req.stateName}': the mocked response '${response.name}' ${defined}.`);
      }
      if (answer.kind === 'throw') throw new StatesError(answer.error, answer.cause);
      const output = structuredClone(answer.value);
      if (req.resource.endsWith('.waitForTaskToken') && opts.completeCallback) await opts.completeCallback(req, output);
      return output;
    },
  };
}

/** `arn:…:execution:<stateMachine>:<name>` or `arn:…:express:<stateMachine>:<name>:<id>`. */
function stateMachineNameOf(executionArn: string): string {
  return executionArn.split(':')[6] ?? '';
}

/**
 * Nested executions: `arn:aws:states:::states:startExecution` in its request-response, `.sync`
 * (Input and Output as JSON text), `.sync:2` (as JSON) and `.waitForTaskToken` forms. The port
 * that starts and watches executions is given by the composition root (the execution service of
 * a server, or an in-process runner).
 */
import { randomUUID } from 'node:crypto';
import { isObject, type Json, type JsonObject } from '../lib/json.js';
import { StatesError } from '../asl/errors.js';
import type { TaskInvoker, TaskProgress } from '../engine/local-run.js';
import type { NestedOutcome, TaskRequest } from '../engine/types.js';

export type { NestedOutcome };

export interface NestedExecutionPort {
  /** StartExecution; rejects with a StatesError named as AWS names the failure (e.g. `SFN.StateMachineDoesNotExistException`). */
  start(req: { stateMachineArn: string; input: string; name: string | undefined }): Promise<{ executionArn: string; startDate: number }>;
  /** Resolves once the execution has closed. */
  closed(executionArn: string): Promise<NestedOutcome>;
}

const RESOURCE = 'arn:aws:states:::states:startExecution';

export function isNestedExecutionResource(resource: string): boolean {
  return resource === RESOURCE || resource.startsWith(`${RESOURCE}.`);
}

/** Answers `states:startExecution` tasks through `port`; every other resource goes to `next`. */
export function nestedExecutionInvoker(port: NestedExecutionPort, next: TaskInvoker): TaskInvoker {
  return {
    async invoke(req: TaskRequest, progress?: TaskProgress): Promise<Json> {
      if (!isNestedExecutionResource(req.resource)) return next.invoke(req, progress);
      const mode = req.resource.slice(RESOURCE.length);
      if (mode !== '' && mode !== '.sync' && mode !== '.sync:2' && mode !== '.waitForTaskToken') {
        throw new StatesError('States.Runtime', `The resource '${req.resource}' is not supported: states:startExecution supports request-response, .sync, .sync:2 and .waitForTaskToken.`);
      }
      const params = isObject(req.input) ? req.input : {};
      const stateMachineArn = params['StateMachineArn'];
      if (typeof stateMachineArn !== 'string') {
        throw new StatesError('States.Runtime', "The field 'StateMachineArn' is required by states:startExecution and must be a string.");
      }
      const raw = params['Input'];
      const input = raw === undefined || raw === null ? '{}' : typeof raw === 'string' ? raw : JSON.stringify(raw);
      const name = typeof params['Name'] === 'string' ? params['Name'] : undefined;
      const started = await port.start({ stateMachineArn, input, name });
      const response: JsonObject = {
        ExecutionArn: started.executionArn,
        SdkHttpMetadata: { AllHttpHeaders: {}, HttpHeaders: {}, HttpStatusCode: 200 },
        SdkResponseMetadata: { RequestId: randomUUID() },
        StartDate: started.startDate,
      };
      // Request-response answers at once; .waitForTaskToken waits for the token, not for the child.
      if (mode === '' || mode === '.waitForTaskToken') return response;
      progress?.submitted(response);
      const outcome = await port.closed(started.executionArn);
      const described = describe(outcome, mode === '.sync:2');
      if (outcome.status === 'SUCCEEDED') return described;
      const failure: JsonObject = { ...described };
      if (outcome.error !== undefined && outcome.error !== '') failure['Error'] = outcome.error;
      if (outcome.cause !== undefined && outcome.cause !== '') failure['Cause'] = outcome.cause;
      throw new StatesError('States.TaskFailed', JSON.stringify(sortKeys(failure)));
    },
  };
}

/** The child as DescribeExecution answers it, members in PascalCase; `.sync:2` parses Input and Output. */
function describe(o: NestedOutcome, parsed: boolean): JsonObject {
  const payload = (text: string): Json => (parsed ? (JSON.parse(text) as Json) : text);
  const out: JsonObject = {
    ExecutionArn: o.executionArn,
    Input: payload(o.input),
    InputDetails: { Included: true },
    Name: o.name,
    RedriveCount: o.redriveCount,
    RedriveStatus: o.redriveStatus,
    StartDate: o.startDate,
    StateMachineArn: o.stateMachineArn,
    Status: o.status,
    StopDate: o.stopDate,
  };
  if (o.output !== undefined) {
    out['Output'] = payload(o.output);
    out['OutputDetails'] = { Included: true };
  }
  if (o.redriveStatusReason !== undefined) out['RedriveStatusReason'] = o.redriveStatusReason;
  return sortKeys(out);
}

function sortKeys(o: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k] as Json;
  return out;
}

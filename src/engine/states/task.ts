/** Task: hands its input to a resource (a Lambda function, a service integration, an activity). */
import type { Json, JsonObject } from '../../lib/json.js';
import { StatesError } from '../../asl/errors.js';
import type { StateNode } from '../../asl/graph.js';
import { compilePath, PathNotFoundError } from '../../asl/jsonpath.js';
import { resolvePath } from '../../asl/path-context.js';
import type { ErrorInfo } from '../../asl/retry.js';
import type { StateHandler, Stepper } from '../stepper.js';
import type { Frame, Snapshot } from '../types.js';
import { applyInputPath, applyTemplate, exceedsPayloadLimit, jsonataValue, pathContext } from '../dataflow.js';
import { exprText, jsonType } from './choice.js';
import { completeWithResult as completeTask } from './complete.js';
import { describeResource, type ResourceKind } from '../resource.js';
import { encodeTaskToken } from '../task-token.js';

/** How many timed-out task tokens an execution remembers. */
const TIMED_OUT_TOKENS_KEPT = 100;

export const taskState: StateHandler = {
  run(s, frame, node) {
    const resource = String(node.def['Resource']);
    if (resource.endsWith('.waitForTaskToken') || describeResource(resource).family === 'activity') {
      // The attempt about to be dispatched gets token number frame.token + 1 (see dispatch).
      frame.taskToken = encodeTaskToken({ executionArn: s.snap.meta.executionArn, frameId: frame.id, token: frame.token + 1, nonce: s.env.newId() });
    }
    if (node.ql === 'JSONata') return prepareJsonata(s, frame, node).then((call) => dispatch(s, frame, node, call));
    dispatch(s, frame, node, prepareJsonPath(s, frame, node));
  },

  async onTaskSucceeded(s, frame, node, result) {
    const kind = describeResource(String(node.def['Resource']));
    if (kind.family === 'lambda-function') s.emit(frame, 'LambdaFunctionSucceeded', { output: result });
    else if (kind.family === 'activity') s.emit(frame, 'ActivitySucceeded', { output: result });
    else s.emit(frame, 'TaskSucceeded', { resourceType: kind.resourceType, resource: kind.resource, output: result });
    if (exceedsPayloadLimit(result)) {
      // AWS names the task by its resource: a Lambda function's ARN, or the integration's service.
      const who = kind.family === 'lambda-function' ? kind.arn : kind.family === 'service' ? kind.resourceType : node.name;
      s.handleStateError(frame, node, {
        error: 'States.DataLimitExceeded',
        cause: `The state/task '${who}' returned a result with a size exceeding the maximum number of bytes service limit.`,
      });
      return;
    }
    try {
      const pending = completeTask(s, frame, node, result);
      if (pending !== undefined) await pending;
    } catch (err) {
      if (!(err instanceof StatesError)) throw err;
      s.stateError(frame, node, err);
    }
  },

  async onTaskFailed(s, frame, node, err, timedOut, heartbeat) {
    const kind = describeResource(String(node.def['Resource']));
    const details: Record<string, unknown> = {};
    if (err.error !== undefined) details['error'] = err.error;
    if (err.cause !== undefined) details['cause'] = err.cause;
    if (kind.family === 'lambda-function') s.emit(frame, timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', details);
    else if (kind.family === 'activity') s.emit(frame, timedOut ? 'ActivityTimedOut' : 'ActivityFailed', details);
    else s.emit(frame, timedOut ? 'TaskTimedOut' : 'TaskFailed', { resourceType: kind.resourceType, resource: kind.resource, ...details });
    s.handleStateError(frame, node, err, { heartbeat });
  },

  async onTimer(s, frame, node, purpose) {
    if (frame.waiting !== 'task') return;
    if (purpose !== 'taskTimeout' && purpose !== 'heartbeatTimeout') return;
    // A heartbeat moved the deadline: this older timer is stale.
    if (purpose === 'heartbeatTimeout' && frame.heartbeatDueAt !== undefined && s.now < frame.heartbeatDueAt) return;
    frame.waiting = undefined;
    s.commands.push({ kind: 'cancelTask', frameId: frame.id, token: frame.token });
    if (frame.taskToken !== undefined) {
      const recent = (s.snap.timedOutTasks ??= []);
      recent.push(frame.taskToken);
      if (recent.length > TIMED_OUT_TOKENS_KEPT) recent.shift();
    }
    // A timed-out task's error output has an empty Cause (recorded against AWS).
    const err: ErrorInfo = { error: 'States.Timeout', cause: '' };
    await taskState.onTaskFailed?.(s, frame, node, err, true, purpose === 'heartbeatTimeout');
  },
};

interface TaskCall {
  input: Json;
  timeoutSeconds: number | undefined;
  heartbeatSeconds: number | undefined;
  credentials: Json | undefined;
}

function prepareJsonPath(s: Stepper, frame: Frame, node: StateNode): TaskCall {
  const d = node.def;
  const effective = applyInputPath(s, frame, node, frame.input);
  const extras = frame.taskToken ? { taskToken: frame.taskToken } : undefined;
  return {
    input: 'Parameters' in d ? applyTemplate(s, frame, node, 'Parameters', effective, extras) : effective,
    timeoutSeconds: pathSeconds(s, frame, node, 'TimeoutSeconds', effective),
    heartbeatSeconds: pathSeconds(s, frame, node, 'HeartbeatSeconds', effective),
    credentials: 'Credentials' in d ? applyTemplate(s, frame, node, 'Credentials', effective) : undefined,
  };
}

async function prepareJsonata(s: Stepper, frame: Frame, node: StateNode): Promise<TaskCall> {
  const d = node.def;
  const b = { input: frame.input, extras: frame.taskToken ? { taskToken: frame.taskToken } : undefined };
  return {
    input: 'Arguments' in d ? await jsonataValue(s, frame, node, 'Arguments', d['Arguments'] as Json, b) : frame.input,
    timeoutSeconds: await jsonataSeconds(s, frame, node, 'TimeoutSeconds', b),
    heartbeatSeconds: await jsonataSeconds(s, frame, node, 'HeartbeatSeconds', b),
    credentials: 'Credentials' in d ? await jsonataValue(s, frame, node, 'Credentials', d['Credentials'] as Json, b) : undefined,
  };
}

function dispatch(s: Stepper, frame: Frame, node: StateNode, call: TaskCall): void {
  const resource = String(node.def['Resource']);
  const { input, timeoutSeconds, heartbeatSeconds, credentials } = call;
  frame.effectiveInput = input;
  frame.token++;
  frame.waiting = 'task';
  emitScheduled(s, frame, describeResource(resource), input, timeoutSeconds, heartbeatSeconds, credentials);
  s.commands.push({
    kind: 'invokeTask',
    request: {
      frameId: frame.id,
      token: frame.token,
      stateName: node.name,
      resource,
      input,
      timeoutSeconds,
      heartbeatSeconds,
      taskToken: frame.taskToken,
      credentials,
      executionArn: s.snap.meta.executionArn,
      roleArn: s.snap.meta.roleArn,
      attempt: frame.retryCount,
      ...(s.snap.meta.mockTestCase !== undefined ? { mockTestCase: s.snap.meta.mockTestCase, mockInvocation: nextMockInvocation(s.snap, node.name) } : {}),
    },
  });
  if (timeoutSeconds !== undefined) {
    s.commands.push({ kind: 'startTimer', frameId: frame.id, token: frame.token, purpose: 'taskTimeout', dueAt: s.now + timeoutSeconds * 1000 });
  }
  frame.heartbeatSeconds = heartbeatSeconds;
  frame.heartbeatDueAt = heartbeatSeconds === undefined ? undefined : s.now + heartbeatSeconds * 1000;
  if (frame.heartbeatDueAt !== undefined) {
    s.commands.push({ kind: 'startTimer', frameId: frame.id, token: frame.token, purpose: 'heartbeatTimeout', dueAt: frame.heartbeatDueAt });
  }
}

/** Counted in the snapshot, so a task dispatched again after a crash keeps its number. */
function nextMockInvocation(snap: Snapshot, state: string): number {
  const counts = (snap.mockInvocations ??= {});
  const n = Object.hasOwn(counts, state) ? (counts[state] as number) : 0;
  // defineProperty: a state may be named `__proto__`.
  Object.defineProperty(counts, state, { value: n + 1, enumerable: true, writable: true, configurable: true });
  return n;
}

function emitScheduled(
  s: Stepper,
  frame: Frame,
  kind: ResourceKind,
  input: Json,
  timeoutSeconds: number | undefined,
  heartbeatSeconds: number | undefined,
  credentials: Json | undefined,
): void {
  if (kind.family === 'lambda-function') {
    const d: Record<string, unknown> = { resource: kind.arn, input };
    if (timeoutSeconds !== undefined) d['timeoutInSeconds'] = timeoutSeconds;
    s.emit(frame, 'LambdaFunctionScheduled', d);
    s.emit(frame, 'LambdaFunctionStarted', undefined);
    return;
  }
  if (kind.family === 'activity') {
    const d: Record<string, unknown> = { resource: kind.arn, input };
    if (timeoutSeconds !== undefined) d['timeoutInSeconds'] = timeoutSeconds;
    if (heartbeatSeconds !== undefined) d['heartbeatInSeconds'] = heartbeatSeconds;
    s.emit(frame, 'ActivityScheduled', d);
    return;
  }
  const d: Record<string, unknown> = {
    resourceType: kind.resourceType,
    resource: kind.resource,
    region: s.snap.meta.region,
    parameters: input,
  };
  if (timeoutSeconds !== undefined) d['timeoutInSeconds'] = timeoutSeconds;
  if (heartbeatSeconds !== undefined) d['heartbeatInSeconds'] = heartbeatSeconds;
  if (credentials !== undefined) d['taskCredentials'] = { roleArn: (credentials as JsonObject)['RoleArn'] };
  s.emit(frame, 'TaskScheduled', d);
  s.emit(frame, 'TaskStarted', { resourceType: kind.resourceType, resource: kind.resource });
}

function pathSeconds(s: Stepper, frame: Frame, node: StateNode, field: string, effective: Json): number | undefined {
  const d = node.def;
  const literal = d[field];
  if (typeof literal === 'number') return literal;
  const pathText = d[`${field}Path`];
  if (typeof pathText !== 'string') return undefined;
  let v: Json;
  try {
    v = resolvePath(compilePath(pathText), pathContext(s, frame, node, effective));
  } catch (err) {
    if (err instanceof PathNotFoundError) {
      throw new StatesError('States.Runtime', `${s.errorPrefix(frame)}The ${field}Path parameter does not reference an input value: ${pathText}`);
    }
    throw err;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new StatesError('States.Runtime', `${s.errorPrefix(frame)}The ${field}Path parameter cannot be parsed as a positive long value: ${pathText} == ${JSON.stringify(v)}`);
  }
  return v;
}

async function jsonataSeconds(s: Stepper, frame: Frame, node: StateNode, field: string, b: { input: Json }): Promise<number | undefined> {
  const raw = node.def[field];
  if (raw === undefined) return undefined;
  if (typeof raw === 'number') return raw;
  const v = await jsonataValue(s, frame, node, field, raw as Json, b);
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new StatesError(
      'States.QueryEvaluationError',
      `${s.errorPrefix(frame)}The JSONata expression '${exprText(raw)}' specified for the field '${field}' returned an unexpected result type. Expected 'integer', but was '${jsonType(v)}' for value: ${JSON.stringify(v)}`,
    );
  }
  return v;
}

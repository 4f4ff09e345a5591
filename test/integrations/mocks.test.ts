/**
 * Mocked service integrations as Step Functions Local answers them, driven through the in-process
 * runner: which invocation gets which response (retries, loops and Map iterations all count),
 * Return as the task's whole result, Throw as its error, unmocked states on to the real
 * integration, and the failures Step Functions Local reports with States.Runtime.
 */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/lib/json.js';
import { FakeClock } from '../../src/engine/clock.js';
import { handlerInvoker, runLocal, type LocalHandler, type LocalRunResult, type TaskInvoker, type TaskProgress } from '../../src/engine/local-run.js';
import type { TaskRequest } from '../../src/engine/types.js';
import { MockConfig } from '../../src/integrations/mock-config.js';
import { mockInvoker } from '../../src/integrations/mocks.js';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:work';
const INVOKE = 'arn:aws:states:::lambda:invoke';
const ACTIVITY = 'arn:aws:states:us-east-1:123456789012:activity:approve';

/** A state machine `M` with one test case `T` mapping `states` to responses. */
function config(states: Record<string, string>, responses: Record<string, unknown>): MockConfig {
  return MockConfig.parse(JSON.stringify({ StateMachines: { M: { TestCases: { T: states } } }, MockedResponses: responses }));
}

/** Run `definition` as state machine M with test case T; unmocked tasks answer from `handlers`. */
function run(definition: object, mocks: MockConfig, handlers: Record<string, LocalHandler> = {}, input: Json = {}): Promise<LocalRunResult> {
  return runLocal(definition, input, { stateMachineName: 'M', mockTestCase: 'T', invoker: mockInvoker(mocks, handlerInvoker(handlers)), clock: new FakeClock(Date.UTC(2026, 0, 1)) });
}

const ret = (value: unknown) => ({ Return: value });
const thr = (error: string, cause: string) => ({ Throw: { Error: error, Cause: cause } });

describe('mocked responses by invocation', () => {
  it('answers retries from consecutive invocations: 0-1 throw, 2 returns the whole lambda:invoke result', async () => {
    const def = {
      StartAt: 'LambdaState',
      States: {
        LambdaState: {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { FunctionName: 'work', 'Payload.$': '$' },
          ResultSelector: { 'body.$': '$.Payload.body', 'status.$': '$.StatusCode' },
          Retry: [{ ErrorEquals: ['Lambda.TimeoutException'], IntervalSeconds: 1, MaxAttempts: 3 }],
          End: true,
        },
      },
    };
    const mocks = config({ LambdaState: 'Retry' }, { Retry: { '0-1': thr('Lambda.TimeoutException', 'Lambda timed out.'), '2': ret({ StatusCode: 200, Payload: { body: 'hello' } }) } });
    const r = await run(def, mocks);
    expect([r.status, r.output]).toEqual(['SUCCEEDED', '{"body":"hello","status":200}']);
    expect(r.history.filter((e) => /^Task(Scheduled|Started|Failed|Succeeded)$/.test(e.type)).map((e) => e.type)).toEqual([
      'TaskScheduled', 'TaskStarted', 'TaskFailed',
      'TaskScheduled', 'TaskStarted', 'TaskFailed',
      'TaskScheduled', 'TaskStarted', 'TaskSucceeded',
    ]);
    expect(r.history.find((e) => e.type === 'TaskFailed')?.details).toMatchObject({ error: 'Lambda.TimeoutException', cause: 'Lambda timed out.', resourceType: 'lambda', resource: 'invoke' });
  });

  it('gives a plain function ARN the Return as its bare result (LambdaFunctionSucceeded)', async () => {
    const r = await run({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FN, End: true } } }, config({ Work: 'Ok' }, { Ok: { '0': ret({ n: 1 }) } }));
    expect(r.output).toBe('{"n":1}');
    expect(r.history.map((e) => e.type)).toContain('LambdaFunctionSucceeded');
  });

  it('counts invocations per state across Map iterations, as Step Functions Local does (one counter per state and execution)', async () => {
    const def = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemsPath: '$.items',
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FN, Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 1 }], End: true } } },
          End: true,
        },
      },
    };
    // Iteration 1 takes 0 (throws) and 1; iteration 2 continues with 2, not 0 again.
    const mocks = config({ Work: 'Seq' }, { Seq: { '0': thr('Boom', 'first'), '1': ret('idx1'), '2': ret('idx2') } });
    const r = await run(def, mocks, {}, { items: [1, 2] });
    expect([r.status, r.output]).toEqual(['SUCCEEDED', '["idx1","idx2"]']);
  });

  it('counts a loop back into the same state as its next invocation', async () => {
    const def = {
      StartAt: 'Poll',
      States: {
        Poll: { Type: 'Task', Resource: FN, Next: 'Done?' },
        'Done?': { Type: 'Choice', Choices: [{ Variable: '$.status', StringEquals: 'running', Next: 'Poll' }], Default: 'Finish' },
        Finish: { Type: 'Pass', End: true },
      },
    };
    const mocks = config({ Poll: 'Status' }, { Status: { '0-1': ret({ status: 'running' }), '2': ret({ status: 'done' }) } });
    const r = await run(def, mocks);
    expect([r.status, r.output]).toEqual(['SUCCEEDED', '{"status":"done"}']);
    expect(r.history.filter((e) => e.type === 'TaskStateEntered')).toHaveLength(3);
  });

  it('mocks the states inside Parallel branches', async () => {
    const def = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Left', States: { Left: { Type: 'Task', Resource: FN, End: true } } },
            { StartAt: 'Right', States: { Right: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'right' }, OutputPath: '$.Payload', End: true } } },
          ],
          End: true,
        },
      },
    };
    const r = await run(def, config({ Left: 'L', Right: 'R' }, { L: { '0': ret('left') }, R: { '0': ret({ StatusCode: 200, Payload: 'right' }) } }));
    expect(r.output).toBe('["left","right"]');
  });

  it('routes a mocked Throw through Catch like the real error', async () => {
    const def = {
      StartAt: 'Work',
      States: {
        Work: { Type: 'Task', Resource: FN, Catch: [{ ErrorEquals: ['Lambda.ResourceNotReadyException'], ResultPath: '$.error', Next: 'Handled' }], End: true },
        Handled: { Type: 'Pass', End: true },
      },
    };
    const r = await run(def, config({ Work: 'NotReady' }, { NotReady: { '0': thr('Lambda.ResourceNotReadyException', 'Lambda resource is not ready.') } }));
    expect(r.output).toBe('{"error":{"Error":"Lambda.ResourceNotReadyException","Cause":"Lambda resource is not ready."}}');
  });
});

describe('what a test case leaves to the real integration, and what it cannot answer', () => {
  it('runs a state the test case does not name through the next invoker (HybridPath)', async () => {
    const def = { StartAt: 'Mocked', States: { Mocked: { Type: 'Task', Resource: FN, Next: 'Real' }, Real: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:real', End: true } } };
    const r = await run(def, config({ Mocked: 'Ok' }, { Ok: { '0': ret({ from: 'mock' }) } }), { 'arn:aws:lambda:us-east-1:123456789012:function:real': (input) => ({ ...(input as object), real: true }) });
    expect(r.output).toBe('{"from":"mock","real":true}');
  });

  it('fails the execution with States.Runtime when the invocations run out, past Retry and Catch', async () => {
    const def = {
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: FN,
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 5 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    };
    const r = await run(def, config({ Work: 'Twice' }, { Twice: { '0-1': thr('Boom', 'again') } }));
    expect([r.status, r.error, r.cause]).toEqual(['FAILED', 'States.Runtime', "No mocked response for invocation 2 of state 'Work': the mocked response 'Twice' defines invocations 0-1."]);
  });

  it('fails with States.Runtime when a state reaches an empty mocked response', async () => {
    const r = await run({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FN, End: true } } }, config({ Work: 'Empty' }, { Empty: {} }));
    expect([r.error, r.cause]).toEqual(['States.Runtime', "No mocked response for invocation 0 of state 'Work': the mocked response 'Empty' defines no invocations."]);
  });

  it("refuses to mock an activity with Step Functions Local's own error", async () => {
    const r = await run({ StartAt: 'Approve', States: { Approve: { Type: 'Task', Resource: ACTIVITY, End: true } } }, config({ Approve: 'Ok' }, { Ok: { '0': ret({}) } }));
    expect([r.status, r.error, r.cause]).toEqual(['FAILED', 'States.Runtime', 'Activity state cannot be mocked. Please remove mocks mapped for all activity state in the mock config file.']);
  });
});

describe('.waitForTaskToken tasks', () => {
  const def = {
    StartAt: 'Approval',
    States: { Approval: { Type: 'Task', Resource: `${INVOKE}.waitForTaskToken`, Parameters: { FunctionName: 'ask', Payload: { 'token.$': '$$.Task.Token' } }, End: true } },
  };

  it('completes with the mocked Return as if the callback had arrived, without calling the function', async () => {
    let called = false;
    const r = await run(def, config({ Approval: 'Approved' }, { Approved: { '0': ret({ approved: true }) } }), { [INVOKE]: () => (called = true) });
    expect([r.status, r.output, called]).toEqual(['SUCCEEDED', '{"approved":true}', false]);
  });

  it('fails with the mocked Throw as SendTaskFailure would', async () => {
    const r = await run(def, config({ Approval: 'Rejected' }, { Rejected: { '0': thr('Rejected', 'no') } }));
    expect([r.status, r.error, r.cause]).toEqual(['FAILED', 'Rejected', 'no']);
  });

  it('hands the durable runner the answer through completeCallback, with the task token', async () => {
    const seen: [string | undefined, Json][] = [];
    const inv = mockInvoker(config({ Approval: 'Approved' }, { Approved: { '0': ret({ approved: true }) } }), handlerInvoker({}), {
      completeCallback: async (req, output) => void seen.push([req.taskToken, output]),
    });
    const out = await inv.invoke(request({ resource: `${INVOKE}.waitForTaskToken`, stateName: 'Approval', taskToken: 'tok-1' }));
    expect(out).toEqual({ approved: true });
    expect(seen).toEqual([['tok-1', { approved: true }]]);
  });
});

describe('the invoker chain', () => {
  /** A next invoker that records what reached it and reports a submission through `progress`. */
  function recorder(): TaskInvoker & { seen: { req: TaskRequest; progress: TaskProgress | undefined }[] } {
    const seen: { req: TaskRequest; progress: TaskProgress | undefined }[] = [];
    return {
      seen,
      async invoke(req, progress) {
        seen.push({ req, progress });
        progress?.submitted({ submitted: true });
        return 'real';
      },
    };
  }

  it('passes tasks of executions without a test case, and unmocked states, to the next invoker with their progress', async () => {
    const next = recorder();
    const inv = mockInvoker(config({ Work: 'Ok' }, { Ok: { '0': ret('mock') } }), next);
    const submitted: Json[] = [];
    const progress: TaskProgress = { submitted: (o) => void submitted.push(o) };
    const { mockTestCase: _none, ...plain } = request({ stateName: 'Work' });
    expect(await inv.invoke(plain, progress)).toBe('real');
    expect(await inv.invoke(request({ stateName: 'Other' }), progress)).toBe('real');
    expect(await inv.invoke(request({ stateName: 'Work', executionArn: 'arn:aws:states:us-east-1:123456789012:execution:OtherMachine:e' }), progress)).toBe('real');
    expect(next.seen.map((s) => s.progress)).toEqual([progress, progress, progress]);
    expect(submitted).toHaveLength(3);
    expect(await inv.invoke(request({ stateName: 'Work' }), progress)).toBe('mock');
    expect(next.seen).toHaveLength(3);
  });

  it('finds the state machine by the name in an Express execution ARN too', async () => {
    const inv = mockInvoker(config({ Work: 'Ok' }, { Ok: { '0': ret('mock') } }), recorder());
    expect(await inv.invoke(request({ stateName: 'Work', executionArn: 'arn:aws:states:us-east-1:123456789012:express:M:e:5f0c7d1e' }))).toBe('mock');
  });

  it('gives each caller its own copy of a Return', async () => {
    const inv = mockInvoker(config({ Work: 'Ok' }, { Ok: { '0-1': ret({ list: [1] }) } }), recorder());
    const first = (await inv.invoke(request({ stateName: 'Work', mockInvocation: 0 }))) as { list: number[] };
    first.list.push(2);
    expect(await inv.invoke(request({ stateName: 'Work', mockInvocation: 1 }))).toEqual({ list: [1] });
  });
});

function request(over: Partial<TaskRequest>): TaskRequest {
  return {
    frameId: 0,
    token: 1,
    stateName: 'Work',
    resource: FN,
    input: {},
    timeoutSeconds: undefined,
    heartbeatSeconds: undefined,
    taskToken: undefined,
    credentials: undefined,
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:M:e',
    attempt: 0,
    mockTestCase: 'T',
    ...over,
  };
}

/**
 * What a Step Functions Local user runs (AWS's "Using mocked service integrations" guide): a
 * server with a mock configuration file, state machines created and started through the real
 * SDK as `stateMachineArn#TestCase`, and the history and outcome each test case produces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { LambdaHandler } from '../../src/integrations/lambda-local.js';
import { MockConfig } from '../../src/integrations/mock-config.js';
import { errorOf, eventually, ROLE, SM_PREFIX, startHarness, type Harness } from './harness.js';

/** LambdaState retries as in AWS's example (shorter intervals); NotifyState calls a real local function unless mocked. */
const definition = JSON.stringify({
  StartAt: 'LambdaState',
  States: {
    LambdaState: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'Payload.$': '$', FunctionName: 'HelloWorldFunction' },
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 1 }],
      OutputPath: '$.Payload',
      Next: 'NotifyState',
    },
    NotifyState: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'notify', 'Payload.$': '$' },
      ResultSelector: { 'notified.$': '$.Payload' },
      ResultPath: '$.notify',
      End: true,
    },
  },
});

const approval = JSON.stringify({
  StartAt: 'AwaitApproval',
  States: {
    AwaitApproval: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token' } },
      End: true,
    },
  },
});

const hello = { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } };
const mocks = MockConfig.parse(
  JSON.stringify({
    StateMachines: {
      LambdaSQSIntegration: {
        TestCases: {
          HappyPath: { LambdaState: 'MockedLambdaSuccess', NotifyState: 'MockedNotify' },
          RetryPath: { LambdaState: 'MockedLambdaRetry', NotifyState: 'MockedNotify' },
          HybridPath: { LambdaState: 'MockedLambdaSuccess' },
        },
      },
      Approval: { TestCases: { Approved: { AwaitApproval: 'MockedApproval' }, Rejected: { AwaitApproval: 'MockedRejection' } } },
      ExpressHello: { TestCases: { HappyPath: { LambdaState: 'MockedLambdaSuccess', NotifyState: 'MockedNotify' } } },
    },
    MockedResponses: {
      MockedLambdaSuccess: { '0': { Return: hello } },
      MockedNotify: { '0': { Return: { StatusCode: 200, Payload: 'mocked notification' } } },
      MockedLambdaRetry: {
        '0-1': { Throw: { Error: 'Lambda.ResourceNotReadyException', Cause: 'Lambda resource is not ready.' } },
        '2': { Return: hello },
      },
      MockedApproval: { '0': { Return: { approved: true } } },
      MockedRejection: { '0': { Throw: { Error: 'Rejected', Cause: 'not this time' } } },
    },
  }),
);

const notifyCalls: unknown[] = [];
const notify: LambdaHandler = (event) => {
  notifyCalls.push(event);
  return 'real notification';
};
const helloWorld: LambdaHandler = () => {
  throw new Error('HelloWorldFunction is mocked in every test case: it must not run');
};

let h: Harness;
let sfn: SFNClient;

beforeAll(async () => {
  h = await startHarness({ args: { mockConfig: mocks }, handlers: new Map([['notify', notify], ['HelloWorldFunction', helloWorld]]) });
  sfn = h.client();
  await sfn.send(new CreateStateMachineCommand({ name: 'LambdaSQSIntegration', definition, roleArn: ROLE }));
  await sfn.send(new CreateStateMachineCommand({ name: 'Approval', definition: approval, roleArn: ROLE }));
  await sfn.send(new CreateStateMachineCommand({ name: 'ExpressHello', definition, roleArn: ROLE, type: 'EXPRESS' }));
});
afterAll(async () => h.stop());

async function runToEnd(stateMachineArn: string, name: string): Promise<{ executionArn: string; events: HistoryEvent[] }> {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: '{"who":"Ada"}' }));
  await eventually(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return { executionArn: executionArn as string, events: events ?? [] };
}

describe('mocked service integrations through the SDK', () => {
  it('RetryPath: invocations 0-1 throw, 2 returns, so the history shows two retries and the execution succeeds with the mocked payload', async () => {
    const { executionArn, events } = await runToEnd(`${SM_PREFIX}LambdaSQSIntegration#RetryPath`, 'retry-run');
    // The execution is named as any other: the test case is not part of its ARN.
    expect(executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:LambdaSQSIntegration:retry-run');
    const tasks = events.filter((e) => ['TaskStateEntered', 'TaskScheduled', 'TaskFailed', 'TaskSucceeded'].includes(e.type as string));
    expect(tasks.map((e) => e.stateEnteredEventDetails?.name ?? e.type)).toEqual([
      'LambdaState', 'TaskScheduled', 'TaskFailed', 'TaskScheduled', 'TaskFailed', 'TaskScheduled', 'TaskSucceeded',
      'NotifyState', 'TaskScheduled', 'TaskSucceeded',
    ]);
    expect(events.filter((e) => e.type === 'TaskFailed').map((e) => [e.taskFailedEventDetails?.error, e.taskFailedEventDetails?.cause])).toEqual([
      ['Lambda.ResourceNotReadyException', 'Lambda resource is not ready.'],
      ['Lambda.ResourceNotReadyException', 'Lambda resource is not ready.'],
    ]);
    const succeeded = events.filter((e) => e.type === 'TaskSucceeded').map((e) => JSON.parse(e.taskSucceededEventDetails?.output ?? 'null') as unknown);
    expect(succeeded).toEqual([hello, { StatusCode: 200, Payload: 'mocked notification' }]);
    const done = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? 'null')).toEqual({ ...hello.Payload, notify: { notified: 'mocked notification' } });
    expect(done.stateMachineArn).toBe(`${SM_PREFIX}LambdaSQSIntegration`);
  });

  it('HappyPath: every state answers from its mocked response at once', async () => {
    const { executionArn, events } = await runToEnd(`${SM_PREFIX}LambdaSQSIntegration#HappyPath`, 'happy-run');
    expect(events.filter((e) => e.type === 'TaskFailed')).toEqual([]);
    const done = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(JSON.parse(done.output ?? 'null')).toEqual({ StatusCode: 200, body: 'Hello from Lambda!', notify: { notified: 'mocked notification' } });
  });

  it('HybridPath: a state the test case does not name calls the real integration (the local function)', async () => {
    notifyCalls.length = 0;
    const { executionArn } = await runToEnd(`${SM_PREFIX}LambdaSQSIntegration#HybridPath`, 'hybrid-run');
    const done = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(JSON.parse(done.output ?? 'null')).toEqual({ StatusCode: 200, body: 'Hello from Lambda!', notify: { notified: 'real notification' } });
    expect(notifyCalls).toEqual([{ StatusCode: 200, body: 'Hello from Lambda!' }]);
  });

  it('a mocked .waitForTaskToken task completes with the Return as if the callback had arrived, or fails with the Throw', async () => {
    notifyCalls.length = 0;
    const approved = await runToEnd(`${SM_PREFIX}Approval#Approved`, 'approved-run');
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn: approved.executionArn }))).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' });
    const rejected = await runToEnd(`${SM_PREFIX}Approval#Rejected`, 'rejected-run');
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn: rejected.executionArn }))).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'not this time' });
    expect(notifyCalls).toEqual([]);
  });

  it('StartSyncExecution takes a test case too (an Express machine)', async () => {
    const r = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: `${SM_PREFIX}ExpressHello#HappyPath`, name: 'sync-run', input: '{}' }));
    expect(r.status).toBe('SUCCEEDED');
    expect(JSON.parse(r.output ?? 'null')).toEqual({ StatusCode: 200, body: 'Hello from Lambda!', notify: { notified: 'mocked notification' } });
    expect(r.stateMachineArn).toBe(`${SM_PREFIX}ExpressHello`);
    expect(r.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:ExpressHello:sync-run:/);
  });

  it('refuses a test case the mock configuration does not define, before the execution exists', async () => {
    const e = await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM_PREFIX}LambdaSQSIntegration#SadPath`, name: 'sad-run' })));
    expect(e).toMatchObject({ name: 'InvalidName', status: 400 });
    expect(e.message).toBe("Invalid Name: 'SadPath' (the mock configuration file defines no test case of that name for state machine 'LambdaSQSIntegration')");
    expect(await errorOf(sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:LambdaSQSIntegration:sad-run' })))).toMatchObject({ name: 'ExecutionDoesNotExist' });
    // The test case of another machine is not this machine's.
    expect(await errorOf(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: `${SM_PREFIX}ExpressHello#RetryPath` })))).toMatchObject({ name: 'InvalidName' });
    // The machine is looked up first.
    expect(await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM_PREFIX}Nope#HappyPath` })))).toMatchObject({ name: 'StateMachineDoesNotExist' });
  });
});

describe('a server without a mock configuration', () => {
  it('refuses any test case with InvalidName, saying how to load one', async () => {
    const plain = await startHarness();
    try {
      const c = plain.client();
      await c.send(new CreateStateMachineCommand({ name: 'LambdaSQSIntegration', definition, roleArn: ROLE }));
      const e = await errorOf(c.send(new StartExecutionCommand({ stateMachineArn: `${SM_PREFIX}LambdaSQSIntegration#HappyPath` })));
      expect(e).toMatchObject({ name: 'InvalidName' });
      expect(e.message).toContain('no mock configuration file is loaded: start Stepwise with --mock-config FILE or SFN_MOCK_CONFIG');
    } finally {
      await plain.stop();
    }
  });
});

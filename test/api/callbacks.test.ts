/**
 * Callback tasks (`.waitForTaskToken`) through the API: the task waits until SendTaskSuccess or
 * SendTaskFailure arrives with its token; SendTaskHeartbeat keeps a HeartbeatSeconds task alive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { LambdaHandler } from '../../src/integrations/lambda-local.js';
import { eventually, ROLE, startHarness, type Harness } from './harness.js';

const tokens = new Map<string, string>();
const notify: LambdaHandler = (event) => {
  const e = event as { id: string; token: string };
  tokens.set(e.id, e.token);
  return { sent: true };
};

function machine(heartbeatSeconds?: number): string {
  return JSON.stringify({
    StartAt: 'AwaitApproval',
    States: {
      AwaitApproval: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: 'notify', Payload: { 'id.$': '$.id', 'token.$': '$$.Task.Token' } },
        ...(heartbeatSeconds ? { HeartbeatSeconds: heartbeatSeconds } : {}),
        End: true,
      },
    },
  });
}

let h: Harness;
let sfn: SFNClient;
let plainArn: string;
let heartbeatArn: string;

beforeAll(async () => {
  h = await startHarness({ handlers: new Map([['notify', notify]]) });
  sfn = h.client();
  plainArn = (await sfn.send(new CreateStateMachineCommand({ name: 'Approval', definition: machine(), roleArn: ROLE }))).stateMachineArn as string;
  heartbeatArn = (await sfn.send(new CreateStateMachineCommand({ name: 'ApprovalHb', definition: machine(2), roleArn: ROLE }))).stateMachineArn as string;
});
afterAll(async () => h.stop());

async function startAndGetToken(stateMachineArn: string, id: string): Promise<{ executionArn: string; token: string }> {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: id, input: JSON.stringify({ id }) }));
  const token = await eventually(
    async () => tokens.get(id),
    (t) => t !== undefined,
  );
  return { executionArn: executionArn as string, token: token as string };
}

const status = (executionArn: string) => sfn.send(new DescribeExecutionCommand({ executionArn }));

describe('callback tasks', () => {
  it('waits for SendTaskSuccess and succeeds with its output; the token then no longer answers', async () => {
    const { executionArn, token } = await startAndGetToken(plainArn, 'approve-1');
    expect((await status(executionArn)).status).toBe('RUNNING');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    const done = await eventually(() => status(executionArn), (d) => d.status !== 'RUNNING');
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toBe('{"approved":true}');
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
  });

  it('fails the task with the error and cause given to SendTaskFailure', async () => {
    const { executionArn, token } = await startAndGetToken(plainArn, 'reject-1');
    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'not this time' }));
    const done = await eventually(() => status(executionArn), (d) => d.status !== 'RUNNING');
    expect(done).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'not this time' });
  });

  it('refuses a malformed token with InvalidToken and a non-JSON output with InvalidOutput', async () => {
    const { token } = await startAndGetToken(plainArn, 'bad-input-1');
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: 'not a token', output: '{}' }))).rejects.toMatchObject({ name: 'InvalidToken' });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{nope' }))).rejects.toMatchObject({ name: 'InvalidOutput' });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"fine"' }));
  });

  it('keeps a HeartbeatSeconds task alive while heartbeats arrive, and times it out when they stop', async () => {
    const alive = await startAndGetToken(heartbeatArn, 'heartbeat-1');
    const silent = await startAndGetToken(heartbeatArn, 'silent-1');
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 600));
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken: alive.token }));
    }
    expect((await status(alive.executionArn)).status).toBe('RUNNING');
    const timedOut = await eventually(() => status(silent.executionArn), (d) => d.status !== 'RUNNING');
    expect(timedOut).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    // The timed-out task's token answers TaskTimedOut.
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: silent.token, output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(sfn.send(new SendTaskHeartbeatCommand({ taskToken: silent.token }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: alive.token, output: '{"done":1}' }));
    const done = await eventually(() => status(alive.executionArn), (d) => d.status !== 'RUNNING');
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"done":1}' });
  }, 20_000);
});

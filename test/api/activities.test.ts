/** Activities: a worker takes the task with GetActivityTask and answers with its token. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DeleteActivityCommand,
  DescribeActivityCommand,
  DescribeExecutionCommand,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  ListActivitiesCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { eventually, ROLE, startHarness, type Harness } from './harness.js';

let h: Harness;
let sfn: SFNClient;
beforeAll(async () => {
  h = await startHarness();
  sfn = h.client();
});
afterAll(async () => h.stop());

describe('activities', () => {
  it('create is idempotent by name; describe, list and delete; an unknown activity is ActivityDoesNotExist', async () => {
    const a = await sfn.send(new CreateActivityCommand({ name: 'approvals' }));
    expect(a.activityArn).toBe('arn:aws:states:us-east-1:123456789012:activity:approvals');
    const again = await sfn.send(new CreateActivityCommand({ name: 'approvals' }));
    expect(again.activityArn).toBe(a.activityArn);
    expect(again.creationDate?.getTime()).toBe(a.creationDate?.getTime());
    expect(await sfn.send(new DescribeActivityCommand({ activityArn: a.activityArn }))).toMatchObject({ name: 'approvals', activityArn: a.activityArn });
    const listed = await sfn.send(new ListActivitiesCommand({}));
    expect(listed.activities?.map((x) => x.name)).toContain('approvals');
    await sfn.send(new CreateActivityCommand({ name: 'temporary' }));
    await sfn.send(new DeleteActivityCommand({ activityArn: 'arn:aws:states:us-east-1:123456789012:activity:temporary' }));
    await expect(sfn.send(new DescribeActivityCommand({ activityArn: 'arn:aws:states:us-east-1:123456789012:activity:temporary' }))).rejects.toMatchObject({
      name: 'ActivityDoesNotExist',
    });
  });

  it('queues the task for a worker, which takes it with GetActivityTask and completes it with SendTaskSuccess', async () => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'review' }));
    const definition = JSON.stringify({ StartAt: 'Review', States: { Review: { Type: 'Task', Resource: activityArn, End: true } } });
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'WithActivity', definition, roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'review-1', input: '{"doc":42}' }));
    const task = await sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'worker-7' }));
    expect(task.input).toBe('{"doc":42}');
    expect(task.taskToken).toBeTruthy();
    await sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"reviewed":true}' }));
    const done = await eventually(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"reviewed":true}' });
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const types = history.events?.map((e) => e.type);
    expect(types).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    expect(history.events?.find((e) => e.type === 'ActivityStarted')?.activityStartedEventDetails?.workerName).toBe('worker-7');
  });

  it('fails the execution with the error a worker reports through SendTaskFailure', async () => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'fragile' }));
    const definition = JSON.stringify({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activityArn, End: true } } });
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'FragileActivity', definition, roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'fragile-1' }));
    const task = await sfn.send(new GetActivityTaskCommand({ activityArn }));
    await sfn.send(new SendTaskFailureCommand({ taskToken: task.taskToken, error: 'Worker.Broke', cause: 'disk full' }));
    const done = await eventually(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect(done).toMatchObject({ status: 'FAILED', error: 'Worker.Broke', cause: 'disk full' });
  });
});

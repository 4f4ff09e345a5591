/**
 * Map runs through the real AWS SDK: a Distributed Map's run is listed with its execution,
 * described with its child workflow counts, and UpdateMapRun raises its concurrency while it runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListMapRunsCommand,
  StartExecutionCommand,
  UpdateMapRunCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { LambdaHandler } from '../../src/integrations/lambda-local.js';
import { errorOf, eventually, ROLE, startHarness, type Harness } from './harness.js';

let h: Harness;
let sfn: SFNClient;
/** Items being worked on, each waiting for its release. */
const held: (() => void)[] = [];

const work: LambdaHandler = (event) =>
  new Promise((resolve) => {
    held.push(() => resolve({ doubled: (event as number) * 2 }));
  });

const definition = JSON.stringify({
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Map',
      Label: 'fan',
      MaxConcurrency: 1,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Work',
        States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', End: true } },
      },
      End: true,
    },
  },
});

beforeAll(async () => {
  h = await startHarness({ handlers: new Map([['work', work]]) });
  sfn = h.client();
});

afterAll(async () => {
  for (const release of held.splice(0)) release();
  await h.stop();
});

describe('map runs', () => {
  it('lists, describes and updates the run of a Distributed Map', async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'MapRuns', definition, roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn!, input: '[1,2,3,4]' }));
    const listed = await eventually(
      () => sfn.send(new ListMapRunsCommand({ executionArn: executionArn! })),
      (r) => (r.mapRuns?.length ?? 0) === 1,
    );
    const item = listed.mapRuns![0]!;
    expect(item.executionArn).toBe(executionArn);
    expect(item.stateMachineArn).toBe(`${stateMachineArn}/fan`);
    expect(item.mapRunArn).toMatch(/^arn:aws:states:us-east-1:123456789012:mapRun:MapRuns\/fan:/);
    expect(item.startDate).toBeInstanceOf(Date);
    expect(item.stopDate).toBeUndefined();
    const mapRunArn = item.mapRunArn!;

    const running = await eventually(() => sfn.send(new DescribeMapRunCommand({ mapRunArn })), (d) => d.itemCounts?.running === 1 && held.length === 1);
    expect(running).toMatchObject({ status: 'RUNNING', maxConcurrency: 1, toleratedFailureCount: 0, toleratedFailurePercentage: 0, executionArn });
    expect(running.itemCounts).toMatchObject({ total: 4, running: 1, pending: 3, succeeded: 0, failed: 0 });
    expect(running.executionCounts).toEqual(running.itemCounts);

    await sfn.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 4, toleratedFailurePercentage: 50 }));
    const wider = await eventually(() => sfn.send(new DescribeMapRunCommand({ mapRunArn })), (d) => d.itemCounts?.running === 4);
    expect(wider).toMatchObject({ maxConcurrency: 4, toleratedFailurePercentage: 50 });
    await eventually(async () => held.length, (n) => n === 4);

    for (const release of held.splice(0)) release();
    const done = await eventually(() => sfn.send(new DescribeExecutionCommand({ executionArn: executionArn! })), (d) => d.status !== 'RUNNING');
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual([{ doubled: 2 }, { doubled: 4 }, { doubled: 6 }, { doubled: 8 }]);
    const finished = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(finished).toMatchObject({ status: 'SUCCEEDED', itemCounts: { total: 4, succeeded: 4, running: 0, pending: 0 } });
    expect(finished.stopDate).toBeInstanceOf(Date);

    const late = await errorOf(sfn.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 2 })));
    expect(late).toMatchObject({ name: 'ValidationException', status: 400 });
  });

  it("answers AWS's errors: InvalidArn, ResourceNotFound, ExecutionDoesNotExist, ValidationException", async () => {
    expect(await errorOf(sfn.send(new DescribeMapRunCommand({ mapRunArn: 'arn:aws:states:us-east-1:123456789012:execution:x:y' })))).toMatchObject({ name: 'InvalidArn', status: 400 });
    const unknown = 'arn:aws:states:us-east-1:123456789012:mapRun:MapRuns/fan:00000000-0000-0000-0000-000000000000';
    expect(await errorOf(sfn.send(new DescribeMapRunCommand({ mapRunArn: unknown })))).toMatchObject({ name: 'ResourceNotFound', status: 404 });
    expect(await errorOf(sfn.send(new UpdateMapRunCommand({ mapRunArn: unknown, maxConcurrency: 1 })))).toMatchObject({ name: 'ResourceNotFound', status: 404 });
    expect(await errorOf(sfn.send(new UpdateMapRunCommand({ mapRunArn: unknown })))).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(await errorOf(sfn.send(new UpdateMapRunCommand({ mapRunArn: unknown, toleratedFailurePercentage: 101 })))).toMatchObject({ name: 'ValidationException', status: 400 });
    const noExecution = 'arn:aws:states:us-east-1:123456789012:execution:MapRuns:nope';
    expect(await errorOf(sfn.send(new ListMapRunsCommand({ executionArn: noExecution })))).toMatchObject({ name: 'ExecutionDoesNotExist', status: 400 });
  });
});

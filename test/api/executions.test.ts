/** Execution operations through the real AWS SDK against a real server whose runner runs them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
  type DescribeExecutionOutput,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { eventually, ROLE, startHarness, type Harness } from './harness.js';

let h: Harness;
let sfn: SFNClient;

const passChain = JSON.stringify({
  StartAt: 'First',
  States: {
    First: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('hello {}', $.who)" }, Next: 'Second' },
    Second: { Type: 'Pass', ResultPath: '$.step', Result: 2, End: true },
  },
});
const waitLong = JSON.stringify({ StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } } });

async function createMachine(name: string, definition: string, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): Promise<string> {
  const r = await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE, type }));
  return r.stateMachineArn!;
}

async function settled(executionArn: string): Promise<DescribeExecutionOutput> {
  return eventually(
    () => sfn.send(new DescribeExecutionCommand({ executionArn })),
    (d) => d.status !== 'RUNNING',
  );
}

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  h = await startHarness();
  sfn = h.client();
});
afterAll(async () => h.stop());

describe('StartExecution and DescribeExecution', () => {
  it('runs the machine\'s stored definition to SUCCEEDED with its output', async () => {
    const sm = await createMachine('Greeter', passChain);
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: 'run-1', input: '{"who":"world"}' }));
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:Greeter:run-1');
    expect(started.startDate).toBeInstanceOf(Date);
    const d = await settled(started.executionArn!);
    expect(d).toMatchObject({
      executionArn: started.executionArn,
      stateMachineArn: sm,
      name: 'run-1',
      status: 'SUCCEEDED',
      input: '{"who":"world"}',
      inputDetails: { included: true },
      outputDetails: { included: true },
    });
    expect(JSON.parse(d.output!)).toEqual({ greeting: 'hello world', step: 2 });
    expect(d.startDate?.getTime()).toBe(started.startDate?.getTime());
    expect(d.stopDate!.getTime()).toBeGreaterThanOrEqual(d.startDate!.getTime());

    const meta = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn, includedData: 'METADATA_ONLY' }));
    expect(meta.input).toBeUndefined();
    expect(meta.output).toBeUndefined();
    expect(meta.inputDetails).toEqual({ included: false });
  });

  it('gives an execution without a name a UUID and defaults its input to {}', async () => {
    const sm = await createMachine('Nameless', JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm }));
    expect(executionArn).toMatch(/:execution:Nameless:[0-9a-f-]{36}$/);
    const d = await settled(executionArn!);
    expect(d).toMatchObject({ status: 'SUCCEEDED', input: '{}', output: '{}' });
  });

  it('is idempotent while running with the same name and input; otherwise ExecutionAlreadyExists', async () => {
    const sm = await createMachine('Holder', waitLong);
    const a = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: 'same', input: '{"n":1}' }));
    const b = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: 'same', input: '{"n":1}' }));
    expect(b.executionArn).toBe(a.executionArn);
    expect(b.startDate?.getTime()).toBe(a.startDate?.getTime());
    const differentInput = await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: 'same', input: '{"n":2}' })));
    expect(differentInput).toEqual({ name: 'ExecutionAlreadyExists', message: `Execution Already Exists: '${a.executionArn}'` });

    await sfn.send(new StopExecutionCommand({ executionArn: a.executionArn }));
    await settled(a.executionArn!);
    const closed = await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: 'same', input: '{"n":1}' })));
    expect(closed.name).toBe('ExecutionAlreadyExists');
  });

  it('refuses bad input, bad names and unknown machines with AWS\'s errors', async () => {
    const sm = await createMachine('Picky', passChain);
    expect((await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: sm, input: '{not json' })))).name).toBe('InvalidExecutionInput');
    expect((await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: 'a b' })))).name).toBe('InvalidName');
    expect((await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: `${sm}-missing` })))).name).toBe('StateMachineDoesNotExist');
    const missing = 'arn:aws:states:us-east-1:123456789012:execution:Picky:never';
    expect(await errorOf(sfn.send(new DescribeExecutionCommand({ executionArn: missing })))).toEqual({
      name: 'ExecutionDoesNotExist',
      message: `Execution Does Not Exist: '${missing}'`,
    });
    expect((await errorOf(sfn.send(new DescribeExecutionCommand({ executionArn: sm })))).name).toBe('InvalidArn');
  });

  it('fails a Task no handler answers, with a cause that says what to do', async () => {
    const sm = await createMachine('Tasky', JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } } }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm }));
    const d = await settled(executionArn!);
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('States.TaskFailed');
    expect(d.cause).toContain("no integration for resource 'arn:aws:states:::sqs:sendMessage'");
  });
});

describe('StopExecution', () => {
  it('aborts a running execution with the given error and cause', async () => {
    const sm = await createMachine('Stoppable', waitLong);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm }));
    const stop = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Operator', cause: 'no longer needed' }));
    expect(stop.stopDate).toBeInstanceOf(Date);
    const d = await settled(executionArn!);
    expect(d).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'no longer needed' });
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }));
    expect(history.events?.[0]).toMatchObject({ type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'Operator', cause: 'no longer needed' } });
  });
});

describe('ListExecutions', () => {
  it('lists a machine\'s executions newest first, filtered by status, in pages', async () => {
    const sm = await createMachine('Listed', waitLong);
    const arns: string[] = [];
    for (let i = 0; i < 3; i++) arns.push((await sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: `e${i}` }))).executionArn!);
    await sfn.send(new StopExecutionCommand({ executionArn: arns[0] }));
    await settled(arns[0]!);

    const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn: sm, statusFilter: 'RUNNING' }));
    expect(running.executions?.map((e) => e.name).sort()).toEqual(['e1', 'e2']);
    const aborted = await sfn.send(new ListExecutionsCommand({ stateMachineArn: sm, statusFilter: 'ABORTED' }));
    expect(aborted.executions).toEqual([expect.objectContaining({ name: 'e0', status: 'ABORTED', stateMachineArn: sm, executionArn: arns[0] })]);
    expect(aborted.executions?.[0]?.stopDate).toBeInstanceOf(Date);

    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: sm, maxResults: 2, nextToken }));
      expect(page.executions!.length).toBeLessThanOrEqual(2);
      seen.push(...page.executions!.map((e) => e.executionArn!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen.sort()).toEqual([...arns].sort());

    expect((await errorOf(sfn.send(new ListExecutionsCommand({ stateMachineArn: sm, nextToken: 'bogus' })))).name).toBe('InvalidToken');
    expect((await errorOf(sfn.send(new ListExecutionsCommand({ stateMachineArn: `${sm}-missing` })))).name).toBe('StateMachineDoesNotExist');
    for (const a of arns.slice(1)) await sfn.send(new StopExecutionCommand({ executionArn: a }));
  });
});

describe('GetExecutionHistory', () => {
  it('answers AWS\'s event shapes: ids, previousEventId chain, details with JSON text, epoch-second timestamps', async () => {
    const sm = await createMachine('Historic', passChain);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm, input: '{"who":"you"}' }));
    await settled(executionArn!);
    const { events, nextToken } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(nextToken).toBeUndefined();
    expect(events?.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    expect(events?.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events?.map((e) => e.previousEventId)).toEqual([0, 0, 2, 3, 4, 5]);
    for (const e of events!) expect(e.timestamp).toBeInstanceOf(Date);
    expect(events![0]!.executionStartedEventDetails).toMatchObject({ input: '{"who":"you"}', inputDetails: { truncated: false }, roleArn: ROLE });
    expect(events![1]!.stateEnteredEventDetails).toEqual({ name: 'First', input: '{"who":"you"}', inputDetails: { truncated: false } });
    expect(JSON.parse(events![2]!.stateExitedEventDetails!.output!)).toEqual({ greeting: 'hello you' });

    const noData = await sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));
    expect(noData.events![1]!.stateEnteredEventDetails).toEqual({ name: 'First' });
  });

  it('reverses and pages with nextToken', async () => {
    const sm = await createMachine('Paged', passChain);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm, input: '{"who":"x"}' }));
    await settled(executionArn!);
    const reversed = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }));
    expect(reversed.events?.map((e) => e.id)).toEqual([6, 5, 4, 3, 2, 1]);

    for (const reverseOrder of [false, true]) {
      const ids: number[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 4, reverseOrder, nextToken }));
        ids.push(...page.events!.map((e) => e.id!));
        nextToken = page.nextToken;
      } while (nextToken);
      expect(ids).toEqual(reverseOrder ? [6, 5, 4, 3, 2, 1] : [1, 2, 3, 4, 5, 6]);
    }
    const first = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 2 }));
    // A token is bound to its order: using a forward token in reverse is InvalidToken.
    const e = await errorOf(sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, nextToken: first.nextToken })));
    expect(e.name).toBe('InvalidToken');
  });
});

describe('DescribeStateMachineForExecution', () => {
  it('answers the definition the execution runs, even after the machine was updated', async () => {
    const sm = await createMachine('Evolving', waitLong);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm }));
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: sm, definition: passChain }));
    const d = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(d).toMatchObject({ stateMachineArn: sm, name: 'Evolving', definition: waitLong, roleArn: ROLE });
    expect(d.updateDate).toBeInstanceOf(Date);
    await sfn.send(new StopExecutionCommand({ executionArn }));
    expect((await settled(executionArn!)).status).toBe('ABORTED');
  });
});

describe('StartSyncExecution', () => {
  it('runs an Express machine to completion and answers its outcome (the SDK sends to a sync- host prefix unless disabled)', async () => {
    const sm = await createMachine('Quick', passChain, 'EXPRESS');
    const r = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: sm, name: 'now', input: '{"who":"sync"}' }));
    expect(r).toMatchObject({ status: 'SUCCEEDED', stateMachineArn: sm, name: 'now', input: '{"who":"sync"}' });
    expect(r.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:Quick:now:[0-9a-f-]{36}$/);
    expect(JSON.parse(r.output!)).toEqual({ greeting: 'hello sync', step: 2 });
    expect(r.startDate).toBeInstanceOf(Date);
    expect(r.stopDate).toBeInstanceOf(Date);
    expect(r.billingDetails?.billedDurationInMilliseconds).toBeGreaterThanOrEqual(100);
  });

  it('answers HTTP 200 with status FAILED when the execution fails', async () => {
    const sm = await createMachine('QuickFail', JSON.stringify({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Boom', Cause: 'on purpose' } } }), 'EXPRESS');
    const r = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: sm }));
    expect(r).toMatchObject({ status: 'FAILED', error: 'Boom', cause: 'on purpose' });
  });

  it('refuses a Standard machine with StateMachineTypeNotSupported', async () => {
    const sm = await createMachine('NotQuick', passChain);
    expect((await errorOf(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: sm })))).name).toBe('StateMachineTypeNotSupported');
  });

  it('starts Express executions asynchronously with StartExecution, which are not listed', async () => {
    const sm = await createMachine('QuickAsync', passChain, 'EXPRESS');
    const r = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm, input: '{"who":"bg"}' }));
    expect(r.executionArn).toMatch(/:express:QuickAsync:/);
    expect((await errorOf(sfn.send(new ListExecutionsCommand({ stateMachineArn: sm })))).name).toBe('StateMachineTypeNotSupported');
  });
});

/**
 * RedriveExecution through the real AWS SDK against a real server: a failed Standard execution
 * resumes from the state that failed (the states that succeeded do not run again), with AWS's
 * bookkeeping (redriveCount, redriveDate, redriveStatus, ExecutionRedriven) and AWS's refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  type DescribeExecutionOutput,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { ExecutionRecord } from '../../src/engine/store.js';
import { REDRIVE_WINDOW_MS, redriveStatusOf } from '../../src/service/executions.js';
import type { LambdaHandler } from '../../src/integrations/lambda-local.js';
import { errorOf, eventually, ROLE, startHarness, type Harness } from './harness.js';

let h: Harness;
let sfn: SFNClient;
/** How often each function ran, and whether `flaky` fails. */
const calls = { prepare: 0, flaky: 0 };
let flakyFails = true;

const definition = JSON.stringify({
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:prepare', Next: 'Flaky' },
    Flaky: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:flaky', Next: 'Done' },
    Done: { Type: 'Pass', Parameters: { 'redrives.$': '$$.Execution.RedriveCount', 'result.$': '$' }, End: true },
  },
});

beforeAll(async () => {
  h = await startHarness({
    handlers: new Map<string, LambdaHandler>([
      ['prepare', (e: unknown) => { calls.prepare++; return { prepared: e }; }],
      [
        'flaky',
        (e: unknown) => {
          calls.flaky++;
          if (flakyFails) throw Object.assign(new Error('downstream is down'), { name: 'DownstreamError' });
          return { ok: e };
        },
      ],
    ]),
  });
  sfn = h.client();
});

afterAll(async () => {
  await h.stop();
});

async function settled(executionArn: string): Promise<DescribeExecutionOutput> {
  return eventually(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
}

async function failedExecution(machineName: string): Promise<{ machineArn: string; executionArn: string }> {
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: machineName, definition, roleArn: ROLE }));
  flakyFails = true;
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn!, input: '{"order":7}' }));
  const d = await settled(executionArn!);
  expect(d.status).toBe('FAILED');
  return { machineArn: stateMachineArn!, executionArn: executionArn! };
}

describe('RedriveExecution', () => {
  it('resumes a failed execution from the failed state; succeeded states do not run again', async () => {
    const { machineArn, executionArn } = await failedExecution('Redrive-Basic');
    const failed = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(failed).toMatchObject({ status: 'FAILED', error: 'DownstreamError', redriveCount: 0, redriveStatus: 'REDRIVABLE' });
    expect(failed.redriveStatusReason).toBeUndefined();
    const before = { ...calls };

    flakyFails = false;
    const r = await sfn.send(new RedriveExecutionCommand({ executionArn }));
    expect(r.redriveDate).toBeInstanceOf(Date);
    const done = await settled(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ redrives: 1, result: { ok: { prepared: { order: 7 } } } });
    expect(done).toMatchObject({ redriveCount: 1, redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven' });
    expect(done.redriveDate?.getTime()).toBe(r.redriveDate?.getTime());
    expect(calls.prepare - before.prepare).toBe(0);
    expect(calls.flaky - before.flaky).toBe(1);

    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const types = events!.map((e) => e.type);
    const at = types.indexOf('ExecutionRedriven');
    expect(types.slice(at - 1, at + 3)).toEqual(['ExecutionFailed', 'ExecutionRedriven', 'TaskStateEntered', 'LambdaFunctionScheduled']);
    expect(events![at]?.executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
    expect(events![at + 1]?.stateEnteredEventDetails?.name).toBe('Flaky');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(events!.map((e) => e.id)).toEqual(events!.map((_, i) => i + 1));

    const redriven = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn, redriveFilter: 'REDRIVEN' }));
    expect(redriven.executions?.map((e) => [e.executionArn, e.redriveCount])).toEqual([[executionArn, 1]]);
    expect(redriven.executions?.[0]?.redriveDate).toBeInstanceOf(Date);
    const notRedriven = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn, redriveFilter: 'NOT_REDRIVEN' }));
    expect(notRedriven.executions).toEqual([]);
  });

  it('a repeated client token answers the first redrive instead of redriving again', async () => {
    const { executionArn } = await failedExecution('Redrive-Token');
    flakyFails = true;
    const first = await sfn.send(new RedriveExecutionCommand({ executionArn, clientToken: 'retry-me-1' }));
    await settled(executionArn);
    const again = await sfn.send(new RedriveExecutionCommand({ executionArn, clientToken: 'retry-me-1' }));
    expect(again.redriveDate?.getTime()).toBe(first.redriveDate?.getTime());
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(d).toMatchObject({ status: 'FAILED', redriveCount: 1 });
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    expect(events!.filter((e) => e.type === 'ExecutionRedriven')).toHaveLength(1);
    // A new token redrives again: the count goes on.
    await sfn.send(new RedriveExecutionCommand({ executionArn, clientToken: 'retry-me-2' }));
    expect((await settled(executionArn)).redriveCount).toBe(2);
  });

  it('refuses RUNNING and SUCCEEDED executions with ExecutionNotRedrivable, unknown ones with ExecutionDoesNotExist, bad ARNs with InvalidArn', async () => {
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({ name: 'Redrive-Refusals', roleArn: ROLE, definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }) }),
    );
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn! }));
    const running = await errorOf(sfn.send(new RedriveExecutionCommand({ executionArn: executionArn! })));
    expect(running).toMatchObject({ name: 'ExecutionNotRedrivable', status: 400, message: 'Execution is RUNNING and cannot be redriven' });

    const missing = await errorOf(sfn.send(new RedriveExecutionCommand({ executionArn: executionArn!.replace(/:[^:]+$/, ':nope') })));
    expect(missing).toMatchObject({ name: 'ExecutionDoesNotExist', status: 400 });
    const bad = await errorOf(sfn.send(new RedriveExecutionCommand({ executionArn: 'not-an-arn' })));
    expect(bad).toMatchObject({ name: 'InvalidArn', status: 400 });
    const token = await errorOf(sfn.send(new RedriveExecutionCommand({ executionArn: executionArn!, clientToken: 'x'.repeat(65) })));
    expect(token).toMatchObject({ name: 'ValidationException', status: 400 });
  });
});

describe('redrive eligibility (AWS rules)', () => {
  const T = Date.UTC(2026, 10, 1);
  const rec = (over: Partial<ExecutionRecord>): ExecutionRecord =>
    ({
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e',
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m',
      name: 'e',
      type: 'STANDARD',
      status: 'FAILED',
      startTime: T,
      stopTime: T + 1000,
      input: '{}',
      output: undefined,
      error: 'E',
      cause: undefined,
      definition: '{}',
      snapshot: { lastEventId: 10, redrive: { kind: 'root', index: 0, state: 'S', input: {}, vars: undefined, fanout: undefined, children: [] } } as unknown as ExecutionRecord['snapshot'],
      version: 3,
      redriveCount: 0,
      redriveDate: undefined,
      ...over,
    }) as ExecutionRecord;

  it('is redrivable within 14 days of stopping, and not after', () => {
    expect(redriveStatusOf(rec({}), T + 1000 + REDRIVE_WINDOW_MS).status).toBe('REDRIVABLE');
    expect(redriveStatusOf(rec({}), T + 1001 + REDRIVE_WINDOW_MS)).toEqual({ status: 'NOT_REDRIVABLE', reason: 'Execution redrivable period exceeded.' });
  });

  it('is not redrivable once a year has passed since the start, or with a full history', () => {
    expect(redriveStatusOf(rec({ stopTime: T + 364 * 86_400_000 }), T + 365 * 86_400_000)).toEqual({ status: 'NOT_REDRIVABLE', reason: 'Execution has exceeded the max execution time.' });
    const full = rec({ snapshot: { lastEventId: 24_999, redrive: {} } as unknown as ExecutionRecord['snapshot'] });
    expect(redriveStatusOf(full, T + 2000)).toEqual({ status: 'NOT_REDRIVABLE', reason: 'Execution history event limit exceeded.' });
  });

  it('an execution closed before redrive existed has no redrive point', () => {
    expect(redriveStatusOf(rec({ snapshot: undefined }), T + 2000)).toEqual({ status: 'NOT_REDRIVABLE', reason: 'Execution was started before the launch of RedriveExecution.' });
  });

  it('TIMED_OUT and ABORTED are redrivable, SUCCEEDED is not', () => {
    expect(redriveStatusOf(rec({ status: 'TIMED_OUT' }), T + 2000).status).toBe('REDRIVABLE');
    expect(redriveStatusOf(rec({ status: 'ABORTED' }), T + 2000).status).toBe('REDRIVABLE');
    expect(redriveStatusOf(rec({ status: 'SUCCEEDED' }), T + 2000)).toEqual({ status: 'NOT_REDRIVABLE', reason: 'Execution is SUCCEEDED and cannot be redriven' });
  });
});

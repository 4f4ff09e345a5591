import { describe, expect, it } from 'vitest';
import type { HistoryEvent as SdkHistoryEvent } from '@aws-sdk/client-sfn';
import { StatesError } from '../../../src/asl/errors.js';
import { runLocal } from '../../../src/engine/local-run.js';
import { stateStatuses, summarizeExecution, type WireHistoryEvent } from '../../../src/console/diagram/index.js';
import { COLLECTOR_ERROR, PIPELINE, PIPELINE_STATES, READINGS, runPipeline, wire } from './fixtures.js';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:work';

/** Every state of the pipeline not reached, but for those given. */
const reached = (states: Record<string, string>): Record<string, string> => ({ ...Object.fromEntries(PIPELINE_STATES.map((n) => [n, 'notReached'])), ...states });

describe('state statuses of pipeline executions, from their wire history', () => {
  it('a successful run: the success path succeeded, the rest not reached, the processor’s summary notified', async () => {
    const run = await runPipeline();
    expect(run.status).toBe('SUCCEEDED');
    const s = summarizeExecution(wire(run), PIPELINE);
    expect(s).toMatchObject({ execution: 'SUCCEEDED', failedState: undefined, error: undefined });
    expect(s.states).toEqual(
      reached({ CollectMetrics: 'succeeded', WaitForS3Processing: 'succeeded', CheckProcessingComplete: 'succeeded', IsProcessed: 'succeeded', NotifySuccess: 'succeeded' }),
    );
    const [item] = [...run.world.processed.values()];
    expect(item?.['status']).toEqual({ S: 'PROCESSED' });
    expect(run.world.notifications.map((n) => n['Message'])).toEqual([(item?.['summary'] as { S: string }).S]);
  });

  it('a collector that failed once and then answered: retried', async () => {
    const states = stateStatuses(wire(await runPipeline({ collectorFailures: 1 })), PIPELINE);
    expect(states['CollectMetrics']).toBe('retried');
    expect(states['NotifySuccess']).toBe('succeeded');
  });

  it('a recheck loop: each state of the loop succeeded, however often it ran', async () => {
    const run = await runPipeline({ missingReads: 2 });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.history.filter((e) => e.type === 'WaitStateEntered')).toHaveLength(3);
    expect(stateStatuses(wire(run), PIPELINE)).toEqual(
      reached({ CollectMetrics: 'succeeded', WaitForS3Processing: 'succeeded', CheckProcessingComplete: 'succeeded', IsProcessed: 'succeeded', CountRecheck: 'succeeded', NotifySuccess: 'succeeded' }),
    );
  });

  it('a collector that never answers: retries run out, Catch routes to NotifyFailure, PipelineFailed fails with the collector’s error', async () => {
    const run = await runPipeline({ collectorFailures: Infinity });
    expect(run.status).toBe('FAILED');
    const s = summarizeExecution(wire(run), PIPELINE);
    expect(s).toMatchObject({ execution: 'FAILED', failedState: 'PipelineFailed', error: COLLECTOR_ERROR.error, cause: COLLECTOR_ERROR.cause });
    expect(s.states).toEqual(reached({ CollectMetrics: 'caught', NotifyFailure: 'succeeded', PipelineFailed: 'failed' }));
    expect(run.world.notifications.map((n) => n['Message'])).toEqual([expect.stringContaining('failed in state CollectMetrics.\nError: CollectorFailure')]);
  });

  it('a run the processor rejects: IsProcessed routes to RecordInvalidMetrics, the execution fails with Pipeline.InvalidMetrics', async () => {
    const run = await runPipeline({ readings: { ...READINGS, memoryPercent: 140 } });
    const s = summarizeExecution(wire(run), PIPELINE);
    expect(s).toMatchObject({ execution: 'FAILED', failedState: 'PipelineFailed', error: 'Pipeline.InvalidMetrics' });
    expect(s.cause).toMatch(/^The processor rejected run .*: memoryPercent 140 is not a percentage$/);
    expect(s.states).toEqual(
      reached({
        CollectMetrics: 'succeeded',
        WaitForS3Processing: 'succeeded',
        CheckProcessingComplete: 'succeeded',
        IsProcessed: 'succeeded',
        RecordInvalidMetrics: 'succeeded',
        NotifyFailure: 'succeeded',
        PipelineFailed: 'failed',
      }),
    );
  });

  it('a run never processed: three rechecks, then RecordNotProcessed, the execution fails with Pipeline.NotProcessed', async () => {
    const run = await runPipeline({ missingReads: Infinity });
    const s = summarizeExecution(wire(run), PIPELINE);
    expect(s).toMatchObject({ execution: 'FAILED', failedState: 'PipelineFailed', error: 'Pipeline.NotProcessed' });
    expect(s.cause).toMatch(/was not processed after 4 checks of ProcessedMetrics$/);
    expect(s.states).toEqual(
      reached({
        CollectMetrics: 'succeeded',
        WaitForS3Processing: 'succeeded',
        CheckProcessingComplete: 'succeeded',
        IsProcessed: 'succeeded',
        CountRecheck: 'succeeded',
        RecordNotProcessed: 'succeeded',
        NotifyFailure: 'succeeded',
        PipelineFailed: 'failed',
      }),
    );
  });

  it('reads the engine’s own events (details unwrapped) the same as the wire’s', async () => {
    const run = await runPipeline({ collectorFailures: Infinity });
    expect(stateStatuses(run.history, PIPELINE)).toEqual(stateStatuses(wire(run), PIPELINE));
  });

  it('without a definition, only the states the history names', async () => {
    const states = Object.keys(stateStatuses(wire(await runPipeline())));
    expect(states).toContain('NotifySuccess');
    expect(states).not.toContain('NotifyFailure');
  });
});

describe('state statuses inside Parallel and Map', () => {
  it('a failing branch caught on the Parallel: the Fail state failed, its sibling succeeded, the Parallel caught', async () => {
    const def = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Fine', States: { Fine: { Type: 'Pass', End: true } } },
            { StartAt: 'Broken', States: { Broken: { Type: 'Fail', Error: 'Broken' } } },
          ],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }],
          End: true,
        },
        Recover: { Type: 'Pass', End: true },
      },
    };
    const run = await runLocal(def, {});
    expect(run.status).toBe('SUCCEEDED');
    expect(stateStatuses(wire(run), def)).toEqual({ Fan: 'caught', Fine: 'succeeded', Broken: 'failed', Recover: 'succeeded' });
  });

  it('an iteration whose task fails uncaught: the task and the Map failed, the execution failed in the Map', async () => {
    const def = {
      StartAt: 'Each',
      States: {
        Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FN, End: true } } }, Next: 'After' },
        After: { Type: 'Pass', End: true },
      },
    };
    const handlers = {
      [FN]: (n: unknown) => {
        if (n === 2) throw new StatesError('Work.Broken', 'item 2');
        return n;
      },
    };
    const run = await runLocal(def, { items: [1, 2, 3] }, { handlers });
    expect(run.status).toBe('FAILED');
    const s = summarizeExecution(wire(run), def);
    expect(s.states).toEqual({ Each: 'failed', Work: 'failed', After: 'notReached' });
    expect(s).toMatchObject({ failedState: 'Each', error: 'Work.Broken' });
  });
});

/** Hand-written wire events, for what an in-process run does not stop at. */
const entered = (id: number, previousEventId: number, type: string, name: string): WireHistoryEvent => ({ id, previousEventId, type: `${type}StateEntered`, stateEnteredEventDetails: { name } });
const exited = (id: number, previousEventId: number, type: string, name: string): WireHistoryEvent => ({ id, previousEventId, type: `${type}StateExited`, stateExitedEventDetails: { name } });
const ev = (id: number, previousEventId: number, type: string): WireHistoryEvent => ({ id, previousEventId, type });
const TWO_TASKS = { StartAt: 'A', States: { A: { Type: 'Task', Resource: FN, Next: 'B' }, B: { Type: 'Task', Resource: FN, End: true } } };
const startedA = [ev(1, 0, 'ExecutionStarted'), entered(2, 0, 'Task', 'A'), ev(3, 2, 'LambdaFunctionScheduled'), ev(4, 3, 'LambdaFunctionStarted')];

describe('state statuses of executions still running, stopped or redriven', () => {
  it('a task in flight is running while the execution runs', () => {
    expect(summarizeExecution(startedA, TWO_TASKS)).toMatchObject({ execution: 'RUNNING', states: { A: 'running', B: 'notReached' } });
  });

  it('a task in flight when the execution was stopped is aborted', () => {
    const events = [...startedA, { id: 5, previousEventId: 4, type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'Stop', cause: 'by hand' } }];
    expect(summarizeExecution(events, TWO_TASKS)).toMatchObject({ execution: 'ABORTED', failedState: 'A', error: 'Stop', states: { A: 'aborted', B: 'notReached' } });
  });

  it('a task that failed, then succeeded after a redrive, succeeded', () => {
    const events = [
      ...startedA,
      ev(5, 4, 'LambdaFunctionFailed'),
      { id: 6, previousEventId: 5, type: 'ExecutionFailed', executionFailedEventDetails: { error: 'Boom' } },
      ev(7, 6, 'ExecutionRedriven'),
      entered(8, 7, 'Task', 'A'),
      ev(9, 8, 'LambdaFunctionScheduled'),
      ev(10, 9, 'LambdaFunctionStarted'),
      ev(11, 10, 'LambdaFunctionSucceeded'),
      exited(12, 11, 'Task', 'A'),
      entered(13, 12, 'Task', 'B'),
    ];
    expect(summarizeExecution(events.slice(0, 6), TWO_TASKS)).toMatchObject({ execution: 'FAILED', failedState: 'A', states: { A: 'failed' } });
    expect(summarizeExecution(events, TWO_TASKS)).toMatchObject({ execution: 'RUNNING', failedState: undefined, states: { A: 'succeeded', B: 'running' } });
  });

  it('events in any order, keyed by id', () => {
    expect(stateStatuses([...startedA].reverse(), TWO_TASKS)).toEqual({ A: 'running', B: 'notReached' });
  });

  it('accepts the AWS SDK’s HistoryEvent type as it is', () => {
    const sdk: SdkHistoryEvent[] = [{ id: 1, previousEventId: 0, type: 'PassStateEntered', timestamp: new Date(0), stateEnteredEventDetails: { name: 'P' } }];
    expect(stateStatuses(sdk)).toEqual({ P: 'running' });
  });
});

/**
 * Execution-history monitoring: success rate, durations, the state each failed execution failed
 * in, the most common errors, and the alerts a threshold crossing publishes.
 */
import { describe, expect, it } from 'vitest';
import { alertsFor, causeText, executionStats, failurePoint, formatStats, type ExecutionRecord } from '../../src/service/stats.js';
import { History, pipelineCollectorFailure, pipelineSuccess } from './history-builder.js';

const NOT_PROCESSED = 'Run run-1 (s3://raw-metrics/raw/run-1.json) was not processed after 4 checks of ProcessedMetrics';
const T0 = 1_700_000_000;

/** The item never appears: three re-waits, then the failure route through a Pass state, no error event at all. */
function rechecksExhausted(collectorFailuresFirst = 0): History {
  const h = new History();
  h.start();
  h.task('CollectMetrics', collectorFailuresFirst, { error: 'Lambda.ServiceException', cause: 'throttled' });
  for (let i = 0; i < 4; i++) {
    h.passThrough('Wait', 'WaitForS3Processing');
    h.task('CheckProcessingComplete');
    h.passThrough('Choice', 'IsProcessed');
    if (i < 3) h.passThrough('Pass', 'CountRecheck');
  }
  h.passThrough('Pass', 'RecordNotProcessed');
  h.task('NotifyFailure');
  h.add('FailStateEntered', { name: 'PipelineFailed' });
  h.add('ExecutionFailed', { error: 'Pipeline.NotProcessed', cause: NOT_PROCESSED });
  return h;
}

describe('failurePoint: where and why an execution did not succeed', () => {
  it('the simulated collector failure: CollectMetrics, with the error of its last attempt, not the Fail state it was routed to', () => {
    const f = failurePoint(pipelineCollectorFailure().events);
    expect(f.state).toBe('CollectMetrics');
    expect(f.error).toBe('CollectorFailure');
    expect(JSON.parse(f.cause ?? '{}')).toMatchObject({ errorMessage: 'collector failure (simulated)', requestId: 'req-4' });
  });

  it('no error at all (the Choice gave up waiting): the Fail state, with the execution’s own error', () => {
    expect(failurePoint(rechecksExhausted().events)).toEqual({ state: 'PipelineFailed', error: 'Pipeline.NotProcessed', cause: NOT_PROCESSED });
  });

  it('an error that was retried and then succeeded is not where the execution failed', () => {
    expect(failurePoint(rechecksExhausted(1).events)).toEqual({ state: 'PipelineFailed', error: 'Pipeline.NotProcessed', cause: NOT_PROCESSED });
  });

  it('an uncaught error: the state that raised it', () => {
    const h = new History();
    h.start();
    h.task('CollectMetrics');
    h.failingTask('NotifySuccess', 1, { error: 'SNS.AuthorizationErrorException', cause: 'not authorized to publish' }, false);
    h.add('ExecutionFailed', { error: 'SNS.AuthorizationErrorException', cause: 'not authorized to publish' });
    expect(failurePoint(h.events)).toEqual({ state: 'NotifySuccess', error: 'SNS.AuthorizationErrorException', cause: 'not authorized to publish' });
  });

  it('an evaluation error names its state in its details', () => {
    const h = new History();
    h.start();
    h.add('PassStateEntered', { name: 'Shape' });
    h.add('EvaluationFailed', { error: 'States.Runtime', cause: 'path not found', state: 'Shape' });
    h.add('ExecutionFailed', { error: 'States.Runtime', cause: 'path not found' });
    expect(failurePoint(h.events)).toEqual({ state: 'Shape', error: 'States.Runtime', cause: 'path not found' });
  });

  it('a timeout: the state that was running, States.Timeout', () => {
    const h = new History();
    h.start();
    h.task('CollectMetrics');
    h.add('WaitStateEntered', { name: 'WaitForS3Processing' });
    h.add('ExecutionTimedOut', { error: 'States.Timeout', cause: 'The execution timed out.' });
    expect(failurePoint(h.events)).toEqual({ state: 'WaitForS3Processing', error: 'States.Timeout', cause: 'The execution timed out.' });
  });

  it('an abort: the state that was running, with StopExecution’s error when one was given', () => {
    const h = new History();
    h.start();
    h.add('TaskStateEntered', { name: 'CollectMetrics' });
    h.add('TaskScheduled', { resource: 'invoke', resourceType: 'lambda' });
    h.add('ExecutionAborted', {});
    expect(failurePoint(h.events)).toEqual({ state: 'CollectMetrics', error: 'Aborted', cause: undefined });
  });

  it('inside a retried Parallel: the error of the last attempt’s branch', () => {
    const h = new History();
    h.start();
    h.add('ParallelStateEntered', { name: 'Fan' });
    const a1 = h.add('ParallelStateStarted');
    h.failingTask('Probe', 1, { error: 'Boom', cause: 'first' }, false, a1);
    const a2 = h.add('ParallelStateStarted', undefined, a1);
    h.failingTask('Probe', 1, { error: 'Boom', cause: 'second' }, false, a2);
    h.add('ParallelStateFailed', undefined, a2);
    h.add('ExecutionFailed', { error: 'Boom', cause: 'second' });
    expect(failurePoint(h.events)).toEqual({ state: 'Probe', error: 'Boom', cause: 'second' });
  });
});

describe('causeText', () => {
  it('a Lambda error payload counts by its message (each one has its own requestId)', () => {
    expect(causeText(JSON.stringify({ errorMessage: 'disk full', errorType: 'Error', requestId: 'abc', stackTrace: [] }))).toBe('disk full');
  });

  it('collapses whitespace and cuts long causes', () => {
    expect(causeText('a \n  b')).toBe('a b');
    const cut = causeText('x'.repeat(300));
    expect(cut).toHaveLength(120);
    expect(cut.endsWith('…')).toBe(true);
    expect(causeText(undefined)).toBe('');
  });
});

/** Ten ended executions an hour apart and one still running. */
function window(): ExecutionRecord[] {
  const plan: [string, number, () => History][] = [
    ['SUCCEEDED', 15.0, () => pipelineSuccess()],
    ['SUCCEEDED', 15.2, () => pipelineSuccess()],
    ['FAILED', 22.0, pipelineCollectorFailure],
    ['SUCCEEDED', 25.1, () => pipelineSuccess(1)],
    ['SUCCEEDED', 14.8, () => pipelineSuccess()],
    ['FAILED', 22.4, pipelineCollectorFailure],
    ['SUCCEEDED', 15.5, () => pipelineSuccess()],
    ['FAILED', 45.0, () => rechecksExhausted()],
    ['SUCCEEDED', 16.0, () => pipelineSuccess()],
    ['SUCCEEDED', 15.3, () => pipelineSuccess()],
  ];
  const ended: ExecutionRecord[] = plan.map(([status, seconds, make], i) => ({
    name: `exec-${i}`,
    status,
    startDate: T0 + i * 3600,
    stopDate: T0 + i * 3600 + seconds,
    history: make().events,
  }));
  return [...ended, { name: 'exec-10', status: 'RUNNING', startDate: T0 + 10 * 3600 }];
}

describe('executionStats over a window', () => {
  const stats = executionStats(window(), { stateMachine: 'InfraMonitoring-Pipeline', windowDays: 30 });

  it('counts by status, and the success rate over the executions that ended', () => {
    expect(stats.total).toBe(11);
    expect(stats.byStatus).toEqual({ SUCCEEDED: 7, FAILED: 3, RUNNING: 1 });
    expect([stats.closed, stats.succeeded, stats.successRate]).toEqual([10, 7, 0.7]);
  });

  it('durations p50, p95 (nearest rank) and max over the ended executions', () => {
    expect(stats.durationMs).toEqual({ p50: 15_500, p95: 45_000, max: 45_000 });
  });

  it('failures per state: where each failed execution failed', () => {
    expect(stats.failuresByState).toEqual([
      { state: 'CollectMetrics', count: 2 },
      { state: 'PipelineFailed', count: 1 },
    ]);
  });

  it('the most common errors, counted by name and message', () => {
    expect(stats.topCauses).toEqual([
      { error: 'CollectorFailure', cause: 'collector failure (simulated)', count: 2 },
      { error: 'Pipeline.NotProcessed', cause: NOT_PROCESSED, count: 1 },
    ]);
  });

  it('an execution without its history still counts, in an unknown state', () => {
    const s = executionStats([{ status: 'FAILED', startDate: T0, stopDate: T0 + 1 }]);
    expect(s.failuresByState).toEqual([{ state: '(no history)', count: 1 }]);
    expect(s.topCauses).toEqual([]);
  });

  it('lists as many causes as asked, cut to the length asked', () => {
    const s = executionStats(window(), { topCauses: 1, causeLength: 10 });
    expect(s.topCauses).toEqual([{ error: 'CollectorFailure', cause: 'collector…', count: 2 }]);
  });

  it('formats for the terminal', () => {
    expect(formatStats(stats)).toBe(
      [
        'Execution statistics: InfraMonitoring-Pipeline, last 30 days',
        '  executions: 11 (7 SUCCEEDED, 3 FAILED, 1 RUNNING)',
        '  success rate: 70% (7 of 10 ended)',
        '  duration: p50 15.5 s, p95 45 s, max 45 s',
        '  failures by state:',
        '    CollectMetrics  2',
        '    PipelineFailed  1',
        '  most common errors:',
        '       2  CollectorFailure: collector failure (simulated)',
        `       1  Pipeline.NotProcessed: ${NOT_PROCESSED}`,
      ].join('\n'),
    );
    expect(formatStats(executionStats([]))).toBe('Execution statistics: all executions\n  executions: 0\n  no execution has ended in this window');
  });
});

describe('alertsFor: what to publish when a threshold is crossed', () => {
  const stats = executionStats(window(), { stateMachine: 'InfraMonitoring-Pipeline', windowDays: 30 });

  it('failure rate over the last N executions above the threshold: one alert naming the states and the error', () => {
    expect(alertsFor(stats, { failureRate: 0.2, lastN: 5 })).toEqual([
      {
        kind: 'failureRate',
        subject: 'Stepwise alert: InfraMonitoring-Pipeline failure rate 40%',
        message: [
          'InfraMonitoring-Pipeline: 2 of the last 5 executions did not succeed (40%), above the alert threshold of 20%.',
          'Failed in: CollectMetrics (1), PipelineFailed (1).',
          'Most common error: CollectorFailure: collector failure (simulated) (1).',
          'Latest: exec-7 FAILED.',
        ].join('\n'),
      },
    ]);
  });

  it('at or below the threshold: nothing', () => {
    expect(alertsFor(stats, { failureRate: 0.4, lastN: 5 })).toEqual([]);
    expect(alertsFor(stats, { failureRate: 0.3 })).toEqual([]);
    expect(alertsFor(stats, {})).toEqual([]);
  });

  it('p95 duration above the threshold, over the window or over the last N', () => {
    expect(alertsFor(stats, { durationP95Ms: 30_000 })).toEqual([
      {
        kind: 'duration',
        subject: 'Stepwise alert: InfraMonitoring-Pipeline p95 duration 45 s',
        message: 'InfraMonitoring-Pipeline: the p95 duration of 10 executions of the last 30 days is 45 s (p50 15.5 s, max 45 s), above the alert threshold of 30 s.',
      },
    ]);
    expect(alertsFor(stats, { durationP95Ms: 30_000, lastN: 3 }).map((a) => a.kind)).toEqual(['duration']);
    expect(alertsFor(stats, { durationP95Ms: 30_000, lastN: 2 })).toEqual([]);
  });

  it('both thresholds crossed: both alerts', () => {
    expect(alertsFor(stats, { failureRate: 0, durationP95Ms: 0 }).map((a) => a.kind)).toEqual(['failureRate', 'duration']);
  });

  it('nothing ended yet: nothing to say', () => {
    expect(alertsFor(executionStats([{ status: 'RUNNING', startDate: T0 }]), { failureRate: 0 })).toEqual([]);
  });

  it('subjects fit SNS: printable ASCII, at most 100 characters', () => {
    const s = executionStats([{ status: 'FAILED', startDate: T0, stopDate: T0 + 1 }], { stateMachine: `Pipeline-é-${'x'.repeat(120)}` });
    const [a] = alertsFor(s, { failureRate: 0 });
    expect(a?.subject).toHaveLength(100);
    expect(a?.subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('refuses a lastN that is not a positive whole number', () => {
    expect(() => alertsFor(stats, { failureRate: 0.1, lastN: 0 })).toThrow(RangeError);
  });
});

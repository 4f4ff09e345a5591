/**
 * Cost analysis: billed state transitions counted from history as AWS bills them (one per state
 * entered, one per retry attempt), and a month's cost under AWS's Standard and Express prices.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StatesError } from '../../src/asl/errors.js';
import { toAwsEvent } from '../../src/engine/history-format.js';
import { runLocal, type LocalRunResult } from '../../src/engine/local-run.js';
import type { Json } from '../../src/lib/json.js';
import {
  AWS_PRICES,
  billedDurationMs,
  billedMemoryMb,
  billedTransitions,
  costReport,
  expressDurationUsd,
  formatCostReport,
  standardUsd,
  toEpochMs,
  type ExecutionUsage,
  type TransitionCount,
} from '../../src/service/cost.js';
import { History, pipelineCollectorFailure, pipelineSuccess } from './history-builder.js';
import { FakeClock } from '../../src/engine/clock.js';

const PIPELINE = JSON.parse(readFileSync(new URL('../../src/pipeline/infra-monitoring.asl.json', import.meta.url), 'utf8')) as Record<string, unknown>;

const count = (h: History) => billedTransitions(h.events);
const causes = (t: TransitionCount) => t.byCause;

describe('billed transitions from one history (AWS bills each state entered and each retry)', () => {
  it("the pipeline's success path: five states entered, Choice and Wait included, five transitions", () => {
    const t = count(pipelineSuccess());
    expect(t).toEqual({
      total: 5,
      statesEntered: 5,
      retries: 0,
      byCause: { first: 5, loop: 0, retry: 0, redrive: 0 },
      byState: { CollectMetrics: 1, WaitForS3Processing: 1, CheckProcessingComplete: 1, IsProcessed: 1, NotifySuccess: 1 },
    });
  });

  it('one pass through the re-wait loop: nine transitions, of which the three states entered again are the loop', () => {
    const t = count(pipelineSuccess(1));
    expect(t.total).toBe(9);
    expect(causes(t)).toEqual({ first: 6, loop: 3, retry: 0, redrive: 0 });
    expect(t.byState).toEqual({ CollectMetrics: 1, WaitForS3Processing: 2, CheckProcessingComplete: 2, IsProcessed: 2, CountRecheck: 1, NotifySuccess: 1 });
  });

  it('the simulated collector failure: four invocations are one state entered and three retries, then NotifyFailure and the Fail state: six', () => {
    const t = count(pipelineCollectorFailure());
    expect(t).toMatchObject({ total: 6, statesEntered: 3, retries: 3, byCause: { first: 3, loop: 0, retry: 3, redrive: 0 } });
    expect(t.byState).toEqual({ CollectMetrics: 4, NotifyFailure: 1, PipelineFailed: 1 });
  });

  it('a retried Parallel: each new attempt is a transition and so is every state its branches enter again', () => {
    // The shape AWS recorded for test_parallel_state_retry: three attempts, each entering Branch1.
    const h = new History();
    h.start();
    h.add('ParallelStateEntered', { name: 'ParallelState' });
    const a1 = h.add('ParallelStateStarted');
    h.add('FailStateEntered', { name: 'Branch1' }, a1);
    const a2 = h.add('ParallelStateStarted', undefined, a1);
    h.add('FailStateEntered', { name: 'Branch1' }, a2);
    const a3 = h.add('ParallelStateStarted', undefined, a2);
    h.add('FailStateEntered', { name: 'Branch1' }, a3);
    h.add('ParallelStateFailed', undefined, a3);
    h.add('ExecutionFailed', { error: 'FailureType' });
    const t = count(h);
    expect(t).toMatchObject({ total: 6, statesEntered: 4, retries: 2 });
    expect(causes(t)).toEqual({ first: 2, loop: 0, retry: 4, redrive: 0 });
  });

  it('Map iterations interleaved: the same states in different iterations are not a loop (1 + 2 × 2)', () => {
    const h = new History();
    h.start();
    h.add('MapStateEntered', { name: 'Items' });
    h.add('MapStateStarted', { length: 2 });
    const i0 = h.add('MapIterationStarted', { name: 'Items', index: 0 });
    const i1 = h.add('MapIterationStarted', { name: 'Items', index: 1 });
    const a0 = h.add('PassStateEntered', { name: 'A' }, i0);
    const a1 = h.add('PassStateEntered', { name: 'A' }, i1);
    const x0 = h.add('PassStateExited', { name: 'A' }, a0);
    const x1 = h.add('PassStateExited', { name: 'A' }, a1);
    const b0 = h.add('PassStateEntered', { name: 'B' }, x0);
    const b1 = h.add('PassStateEntered', { name: 'B' }, x1);
    h.add('PassStateExited', { name: 'B' }, b0);
    h.add('PassStateExited', { name: 'B' }, b1);
    h.add('MapIterationSucceeded', { name: 'Items', index: 0 }, i1);
    const done = h.add('MapIterationSucceeded', { name: 'Items', index: 1 });
    h.add('MapStateSucceeded', undefined, done);
    h.add('MapStateExited', { name: 'Items' });
    h.add('ExecutionSucceeded');
    const t = count(h);
    expect(t.total).toBe(5);
    expect(causes(t)).toEqual({ first: 5, loop: 0, retry: 0, redrive: 0 });
    expect(t.byState).toEqual({ Items: 1, A: 2, B: 2 });
  });

  it('a loop back into a Parallel: the branch states it runs again count as the loop too', () => {
    const h = new History();
    h.start();
    for (let pass = 0; pass < 2; pass++) {
      h.add('ParallelStateEntered', { name: 'P' });
      const s = h.add('ParallelStateStarted');
      const x = h.add('PassStateEntered', { name: 'X' }, s);
      h.add('PassStateExited', { name: 'X' }, x);
      const ok = h.add('ParallelStateSucceeded', undefined, s);
      h.add('ParallelStateExited', { name: 'P' }, ok);
      if (pass === 0) h.passThrough('Choice', 'Again');
    }
    h.add('ExecutionSucceeded');
    const t = count(h);
    expect(t.total).toBe(5);
    expect(causes(t)).toEqual({ first: 3, loop: 2, retry: 0, redrive: 0 });
  });

  it('a redriven execution: the states run again after ExecutionRedriven are counted as redrive', () => {
    const h = new History();
    h.start();
    h.failingTask('Work', 1, { error: 'Boom', cause: 'x' }, false);
    h.add('ExecutionFailed', { error: 'Boom', cause: 'x' });
    const r = h.add('ExecutionRedriven', { redriveCount: 1 });
    h.task('Work', 0, undefined, r);
    h.add('ExecutionSucceeded');
    const t = count(h);
    expect(t).toMatchObject({ total: 2, statesEntered: 2, retries: 0 });
    expect(causes(t)).toEqual({ first: 1, loop: 0, retry: 0, redrive: 1 });
  });

  it('a Lambda function called by its ARN (LambdaFunction* events): each LambdaFunctionScheduled after the first is a retry', () => {
    const h = new History();
    h.start();
    h.add('TaskStateEntered', { name: 'Legacy' });
    h.add('LambdaFunctionScheduled', { resource: 'arn:aws:lambda:us-east-1:123456789012:function:work' });
    h.add('LambdaFunctionFailed', { error: 'Boom' });
    h.add('LambdaFunctionScheduled', { resource: 'arn:aws:lambda:us-east-1:123456789012:function:work' });
    h.add('LambdaFunctionStarted');
    h.add('LambdaFunctionSucceeded', { output: '{}' });
    h.add('TaskStateExited', { name: 'Legacy' });
    h.add('ExecutionSucceeded');
    expect(count(h)).toMatchObject({ total: 2, retries: 1, byState: { Legacy: 2 } });
  });

  it('the order of events in the page does not matter (histories can be read newest first)', () => {
    const h = pipelineCollectorFailure();
    expect(billedTransitions([...h.events].reverse())).toEqual(count(h));
  });
});

describe('the count from history equals the engine’s own count of billed transitions', () => {
  const INVOKE = 'arn:aws:states:::lambda:invoke';
  const GET = 'arn:aws:states:::dynamodb:getItem';
  const PUBLISH = 'arn:aws:states:::sns:publish';
  const collected = { Payload: { runId: 'run-1', bucket: 'raw-metrics', key: 'raw/run-1.json', summary: 'cpu 3%' } };
  const item = { Item: { runId: { S: 'run-1' }, status: { S: 'PROCESSED' }, summary: { S: 'cpu 3%' } } };

  async function runPipeline(opts: { collectorFails?: boolean; missesBeforeItem: number }): Promise<LocalRunResult> {
    let gets = 0;
    return runLocal(PIPELINE, {}, {
      clock: new FakeClock(Date.UTC(2026, 0, 1)),
      handlers: {
        [INVOKE]: () => {
          if (opts.collectorFails) throw new StatesError('CollectorFailure', 'collector failure (simulated)');
          return collected;
        },
        [GET]: () => (++gets > opts.missesBeforeItem ? item : {}),
        [PUBLISH]: () => ({ MessageId: 'm-1' }),
      },
    });
  }
  const fromHistory = (r: LocalRunResult) => billedTransitions(r.history.map((e) => toAwsEvent(e)));

  it('pipeline success: 5', async () => {
    const r = await runPipeline({ missesBeforeItem: 0 });
    expect(r.status).toBe('SUCCEEDED');
    expect(fromHistory(r).total).toBe(5);
    expect(r.transitions).toBe(5);
  });

  it('pipeline with one re-wait: 9, three of them the loop', async () => {
    const r = await runPipeline({ missesBeforeItem: 1 });
    const t = fromHistory(r);
    expect([t.total, r.transitions, t.byCause.loop]).toEqual([9, 9, 3]);
  });

  it('pipeline whose item never appears: three re-waits then the failure route, 19', async () => {
    const r = await runPipeline({ missesBeforeItem: Infinity });
    expect(r.status).toBe('FAILED');
    const t = fromHistory(r);
    expect([t.total, r.transitions]).toEqual([19, 19]);
    // CollectMetrics, 4 × (Wait, Check, IsProcessed), 3 × CountRecheck, RecordNotProcessed, NotifyFailure, PipelineFailed.
    expect(t.byCause).toEqual({ first: 8, loop: 11, retry: 0, redrive: 0 });
  });

  it('pipeline collector failure: 6, three of them retries', async () => {
    const r = await runPipeline({ collectorFails: true, missesBeforeItem: 0 });
    expect(r.status).toBe('FAILED');
    const t = fromHistory(r);
    expect([t.total, r.transitions, t.retries]).toEqual([6, 6, 3]);
  });

  it('a retried Parallel with a retried Task inside, then a Map whose Task retries once: 18', async () => {
    const FN = 'arn:aws:lambda:us-east-1:123456789012:function:work';
    let fnCalls = 0;
    const def = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'X', States: { X: { Type: 'Task', Resource: INVOKE, Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 1, MaxAttempts: 2 }], End: true } } },
            { StartAt: 'Y', States: { Y: { Type: 'Pass', End: true } } },
          ],
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Each' }],
          Next: 'Each',
        },
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            StartAt: 'A',
            States: {
              A: { Type: 'Pass', Next: 'B' },
              B: { Type: 'Task', Resource: FN, Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 1, MaxAttempts: 1 }], End: true },
            },
          },
          End: true,
        },
      },
    };
    const r = await runLocal(def, { items: [1, 2, 3] } as Json, {
      clock: new FakeClock(Date.UTC(2026, 0, 1)),
      handlers: {
        [INVOKE]: () => {
          throw new StatesError('Boom', 'always');
        },
        [FN]: (input) => {
          if (++fnCalls === 1) throw new StatesError('Boom', 'first call');
          return input;
        },
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    const t = fromHistory(r);
    expect([t.total, r.transitions, t.retries]).toEqual([18, 18, 6]);
    // First entries: Fan, X, Y, Each, A×3, B×3. Retries: X twice per Parallel attempt, the Parallel
    // once (with X, its two retries and Y run again), B once.
    expect(t.byCause).toEqual({ first: 10, loop: 0, retry: 8, redrive: 0 });
  });
});

const usage = (t: TransitionCount, startSeconds: number, durationMs: number, extra: Partial<ExecutionUsage> = {}): ExecutionUsage => ({
  startDate: startSeconds,
  stopDate: startSeconds + durationMs / 1000,
  transitions: t,
  ...extra,
});
const hourly = (n: number, make: (i: number) => History, durationMs = 15_000): ExecutionUsage[] =>
  Array.from({ length: n }, (_, i) => usage(count(make(i)), 1_700_000_000 + i * 3600, durationMs));

describe('cost of a month under AWS prices', () => {
  it('the prices are the ones on AWS’s pricing page, with the date they were checked', () => {
    expect(AWS_PRICES.standard).toEqual({ usdPerThousandTransitions: 0.025, freeTransitionsPerMonth: 4000 });
    expect(AWS_PRICES.express.usdPerRequest).toBe(0.000001);
    expect(AWS_PRICES.express.durationTiers.map((t) => t.usdPerGbHour)).toEqual([0.06, 0.03, 0.01642]);
    expect(AWS_PRICES.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('Standard: 720 hourly executions of 5 transitions are 3,600 a month, all within the 4,000 free: $0', () => {
    const r = costReport({ type: 'STANDARD', executions: hourly(720, () => pipelineSuccess()), windowDays: 30, projectedExecutionsPerMonth: 720 });
    expect(r.transitions).toMatchObject({ total: 3600, perExecution: 5, retryShare: 0, loopShare: 0 });
    expect(r.month).toEqual({ basis: 'schedule', executions: 720, transitions: 3600 });
    expect(r.standard).toEqual({ billableTransitions: 0, freeTransitions: 3600, usd: 0, freeTierExecutions: 800 });
    expect(r.usd).toBe(0);
  });

  it('Standard: a re-wait every run (9 transitions) takes 720 runs to 6,480 a month: 2,480 billable, $0.062', () => {
    // One day of hourly runs, projected from the window's rate.
    const r = costReport({ type: 'STANDARD', executions: hourly(24, () => pipelineSuccess(1)), windowDays: 1 });
    expect(r.month).toEqual({ basis: 'window', executions: 720, transitions: 6480 });
    expect(r.standard.billableTransitions).toBe(2480);
    expect(r.standard.freeTransitions).toBe(4000);
    expect(r.standard.usd).toBeCloseTo(0.062, 10);
    expect(r.transitions.loopShare).toBeCloseTo(3 / 9, 10);
  });

  it('shares: one collector failure (6, three retries) among three clean runs (5 each)', () => {
    const runs = [pipelineSuccess(), pipelineSuccess(), pipelineSuccess(), pipelineCollectorFailure()].map((h, i) => usage(count(h), 1_700_000_000 + i * 3600, 15_000));
    const r = costReport({ type: 'STANDARD', executions: runs, windowDays: 30, projectedExecutionsPerMonth: 720 });
    expect(r.transitions.total).toBe(21);
    expect(r.transitions.perExecution).toBe(5.25);
    expect(r.transitions.byCause).toEqual({ first: 18, loop: 0, retry: 3, redrive: 0 });
    expect(r.transitions.retryShare).toBeCloseTo(3 / 21, 10);
    expect(r.month.transitions).toBe(3780);
  });

  it('Express: per request plus GB-seconds, duration rounded up to 100 ms and memory to 64 MB chunks', () => {
    const t = count(pipelineSuccess());
    const runs = [usage(t, 1_700_000_000, 15_020), usage(t, 1_700_003_600, 14_900)];
    const r = costReport({ type: 'EXPRESS', executions: runs, windowDays: 30, projectedExecutionsPerMonth: 720 });
    // 15,100 and 14,900 ms billed at 64 MB: 0.9375 GB-s each on average; 720 a month = 675 GB-s = 0.1875 GB-hours.
    expect(r.express.avgBilledDurationMs).toBe(15_000);
    expect(r.express.avgBilledMemoryMb).toBe(64);
    expect(r.express.gbSeconds).toBeCloseTo(675, 9);
    expect(r.express.requestUsd).toBeCloseTo(0.00072, 12);
    expect(r.express.durationUsd).toBeCloseTo(0.01125, 12);
    expect(r.usd).toBeCloseTo(0.01197, 12);
  });

  it('Express: the billed duration and memory AWS reports are used when given', () => {
    const t = count(pipelineSuccess());
    const r = costReport({ type: 'EXPRESS', executions: [usage(t, 1_700_000_000, 1000, { billedDurationMs: 2000, memoryMb: 100 })], windowDays: 30, projectedExecutionsPerMonth: 1 });
    expect(r.express.avgBilledMemoryMb).toBe(128);
    expect(r.express.gbSeconds).toBeCloseTo(2 * 0.125, 12);
  });

  it('reproduces AWS’s Express pricing example: 100 million 10-second runs at 64 MB cost $100.00 + $382.97', () => {
    const gbSeconds = 100e6 * 10 * (64 / 1024);
    expect(gbSeconds / 3600).toBeCloseTo(17_361.11, 2);
    expect(expressDurationUsd(gbSeconds)).toBeCloseTo(382.97, 2);
    expect(100e6 * AWS_PRICES.express.usdPerRequest).toBeCloseTo(100, 9);
  });

  it('rounding and tiers at their edges', () => {
    expect([billedDurationMs(0), billedDurationMs(100), billedDurationMs(101), billedDurationMs(15_001)]).toEqual([100, 100, 200, 15_100]);
    expect([billedMemoryMb(undefined), billedMemoryMb(64), billedMemoryMb(65), billedMemoryMb(200)]).toEqual([64, 64, 128, 256]);
    expect(expressDurationUsd(1000 * 3600)).toBeCloseTo(60, 9);
    expect(expressDurationUsd(5000 * 3600)).toBeCloseTo(180, 9);
    expect([standardUsd(4000), standardUsd(5000)]).toEqual([0, 0.025]);
  });

  it('an execution still running counts for transitions but not for Express duration', () => {
    const t = count(pipelineSuccess());
    const r = costReport({ type: 'EXPRESS', executions: [{ startDate: 1_700_000_000, transitions: t }], windowDays: 30 });
    expect(r.transitions.total).toBe(5);
    expect(r.express.avgBilledDurationMs).toBeUndefined();
    expect(r.express.gbSeconds).toBe(0);
  });

  it('no executions: zero everywhere, nothing divided by zero', () => {
    const r = costReport({ type: 'STANDARD', executions: [], windowDays: 30 });
    expect(r.transitions.perExecution).toBeUndefined();
    expect(r.month).toEqual({ basis: 'window', executions: 0, transitions: 0 });
    expect(r.usd).toBe(0);
    expect(formatCostReport(r)).toContain('counted executions, not transitions');
  });

  it('refuses a window that is not a positive number of days', () => {
    expect(() => costReport({ type: 'STANDARD', executions: [], windowDays: 0 })).toThrow(RangeError);
  });

  it('reads dates as the API sends them (epoch seconds), or as Dates, ISO text or epoch milliseconds', () => {
    expect(toEpochMs(1_700_000_000.5)).toBe(1_700_000_000_500);
    expect(toEpochMs(1_700_000_000_500)).toBe(1_700_000_000_500);
    expect(toEpochMs(new Date(1_700_000_000_500))).toBe(1_700_000_000_500);
    expect(toEpochMs('2023-11-14T22:13:20.500Z')).toBe(1_700_000_000_500);
  });
});

describe('formatCostReport', () => {
  it('says plainly that the seed’s ~720 a month were executions, and what they are in transitions', () => {
    const r = costReport({ type: 'STANDARD', executions: hourly(720, () => pipelineSuccess()), windowDays: 30, projectedExecutionsPerMonth: 720, stateMachine: 'InfraMonitoring-Pipeline' });
    const text = formatCostReport(r);
    expect(text).toContain(`the seed's "~720 transitions/month" counted executions, not transitions: 720 hourly executions × 5 transitions each = 3,600 state transitions a month (within the free tier).`);
    expect(text).toContain('InfraMonitoring-Pipeline (STANDARD), last 30 days');
    expect(text).toContain('billed state transitions: 3,600 (5 per execution)');
    expect(text).toContain('a month (30 days, from the schedule): 720 executions, 3,600 state transitions');
    expect(text).toContain('Standard: $0.00 a month');
    expect(text).toContain('free tier covers 3,600 of 3,600 transitions (100%)');
    expect(text).toContain('free tier covers 800 executions a month');
    expect(text).toContain(`checked ${AWS_PRICES.checked}`);
  });

  it('shows what retries and the re-wait loop add, and the cost once past the free tier', () => {
    const runs = [...hourly(12, () => pipelineSuccess(1)), ...hourly(12, () => pipelineCollectorFailure())];
    const text = formatCostReport(costReport({ type: 'STANDARD', executions: runs, windowDays: 1 }));
    // 12 × 9 + 12 × 6 = 180 a day: 5,400 a month, 1,400 billable.
    expect(text).toContain('billed state transitions: 180 (7.5 per execution)');
    expect(text).toContain('from retries: 36 (20%), from loops (states entered again): 36 (20%)');
    expect(text).toContain('Standard: $0.04 a month');
    expect(text).toContain('720 hourly executions × 7.5 transitions each = 5,400 state transitions a month ($0.04, beyond the free tier)');
  });
});

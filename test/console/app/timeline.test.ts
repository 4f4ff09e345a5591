/**
 * The timeline reads an execution's history into state visits: one per `…StateEntered`, nested
 * under the Parallel or Map that runs it, with its attempts, its input and output, and what
 * became of it.
 */
import { describe, expect, it } from 'vitest';
import { runLocal } from '../../../src/engine/local-run.js';
import type { HistoryEvent } from '../../../src/engine/types.js';
import { localLambdaInvoker } from '../../../src/integrations/lambda-local.js';
import { buildTimeline } from '../../../src/console/app/timeline.js';
import { detailsKey, toWireEvent } from '../../../src/console/app/wire.js';
import { toAwsEvent } from '../../../src/engine/history-format.js';

const definition = {
  StartAt: 'Flaky',
  States: {
    Flaky: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:flaky', Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 2 }], ResultPath: '$.flaky', Next: 'Fan' },
    Fan: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Left', States: { Left: { Type: 'Pass', End: true } } },
        { StartAt: 'Right', States: { Right: { Type: 'Wait', Seconds: 1, End: true } } },
      ],
      ResultPath: null,
      Next: 'Each',
    },
    Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Double', States: { Double: { Type: 'Pass', End: true } } }, ResultPath: null, Next: 'Risky' },
    Risky: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:boom', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Give up' }], End: true },
    'Give up': { Type: 'Fail', Error: 'Gave.Up', Cause: 'on purpose' },
  },
};

async function history(): Promise<HistoryEvent[]> {
  let calls = 0;
  const invoker = localLambdaInvoker(
    new Map([
      ['flaky', () => (calls++ === 0 ? Promise.reject(new Error('first call fails')) : Promise.resolve({ ok: true }))],
      ['boom', () => Promise.reject(new Error('boom'))],
    ]) as never,
  );
  const r = await runLocal(definition, { items: [1, 2] }, { invoker, stateMachineName: 'timeline', clock: 'fake' });
  expect(r.status).toBe('FAILED');
  return r.history;
}

describe('buildTimeline', () => {
  it('has one visit per state entered, nested under its Parallel or Map, with iterations', async () => {
    const { visits } = buildTimeline(await history());
    expect(visits.map((v) => [v.name, v.type, v.depth, v.iteration ?? null])).toEqual([
      ['Flaky', 'Task', 0, null],
      ['Fan', 'Parallel', 0, null],
      ['Left', 'Pass', 1, null],
      ['Right', 'Wait', 1, null],
      ['Each', 'Map', 0, null],
      ['Double', 'Pass', 1, 0],
      ['Double', 'Pass', 1, 1],
      ['Risky', 'Task', 0, null],
      ['Give up', 'Fail', 0, null],
    ]);
    const fan = visits[1];
    expect(visits[2]?.parent).toBe(fan?.index);
    expect(visits[5]?.parent).toBe(visits[4]?.index);
  });

  it('counts a task’s attempts, and tells retried, caught and failed apart', async () => {
    const { visits } = buildTimeline(await history());
    const byName = (n: string) => visits.find((v) => v.name === n);
    expect(byName('Flaky')).toMatchObject({ attempts: 2, failures: 1, status: 'retried', error: 'Error' });
    expect(byName('Risky')).toMatchObject({ attempts: 1, failures: 1, status: 'caught', error: 'Error' });
    expect(byName('Risky')?.cause).toContain('boom');
    expect(byName('Give up')?.status).toBe('failed');
    expect(byName('Left')?.status).toBe('succeeded');
  });

  it('keeps each visit’s input and output and times', async () => {
    const events = await history();
    const { visits } = buildTimeline(events);
    const doubles = visits.filter((v) => v.name === 'Double');
    expect(doubles.map((v) => [v.input, v.output])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    const right = visits.find((v) => v.name === 'Right');
    expect((right?.exitedAt ?? 0) - (right?.enteredAt ?? 0)).toBe(1000);
  });

  it('attributes every event of a visit to it (the history’s state column)', async () => {
    const events = await history();
    const { visits, visitOfEvent } = buildTimeline(events);
    const nameOf = (type: string, nth = 0) => {
      const e = events.filter((x) => x.type === type)[nth];
      return e ? visits[visitOfEvent.get(e.id) ?? -1]?.name : undefined;
    };
    expect(nameOf('LambdaFunctionFailed', 0)).toBe('Flaky');
    expect(nameOf('LambdaFunctionFailed', 1)).toBe('Risky');
    expect(nameOf('MapIterationStarted')).toBe('Each');
    expect(nameOf('ExecutionStarted')).toBeUndefined();
  });

  it('shows what runs as running, and what a stop left open as aborted', () => {
    const t0 = Date.UTC(2026, 0, 1);
    const ev = (id: number, previousEventId: number, type: string, details?: Record<string, unknown>): HistoryEvent => ({ id, previousEventId, timestamp: t0 + id, type, details });
    const running = [ev(1, 0, 'ExecutionStarted', { input: {} }), ev(2, 1, 'TaskStateEntered', { name: 'Slow', input: {} }), ev(3, 2, 'TaskScheduled', { resource: 'x' })];
    expect(buildTimeline(running).visits[0]).toMatchObject({ name: 'Slow', status: 'running', attempts: 1, exitedAt: undefined });
    const stopped = [...running, ev(4, 3, 'ExecutionAborted', { error: 'Stopped' })];
    expect(buildTimeline(stopped).visits[0]?.status).toBe('aborted');
    const failed = [...running, ev(4, 3, 'TaskFailed', { error: 'E', cause: 'C' }), ev(5, 4, 'ExecutionFailed', { error: 'E', cause: 'C' })];
    expect(buildTimeline(failed).visits[0]).toMatchObject({ status: 'failed', error: 'E', cause: 'C' });
    // A redrive enters the state again: the first visit stays failed, the new one runs.
    const redriven = [...failed, ev(6, 5, 'ExecutionRedriven', { redriveCount: 1 }), ev(7, 6, 'TaskStateEntered', { name: 'Slow', input: {} })];
    expect(buildTimeline(redriven).visits.map((v) => v.status)).toEqual(['failed', 'running']);
  });
});

describe('toWireEvent', () => {
  it('gives what GetExecutionHistory returns (engine/history-format.ts), with epoch ms', async () => {
    for (const e of await history()) {
      const aws = toAwsEvent(e);
      expect(toWireEvent(e)).toEqual({ ...aws, timestamp: e.timestamp });
      expect(detailsKey(e.type)).toBe(Object.keys(aws).find((k) => k.endsWith('EventDetails')) ?? detailsKey(e.type));
    }
  });
});

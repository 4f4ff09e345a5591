/**
 * Distributed Map runs as DescribeMapRun reports them: a summary per run on the snapshot (child
 * workflow counts, status, limits), UpdateMapRun raising the concurrency of a running map run,
 * and a stopped execution aborting its map run.
 */
import { describe, expect, it } from 'vitest';
import type { TaskRequest } from '../../src/engine/types.js';
import { Driver } from './driver.js';
import { INVOKE, machine } from './helpers.js';

const distributed = (extra: Record<string, unknown> = {}) =>
  machine({
    Fan: {
      Type: 'Map',
      Label: 'fan',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Work', States: { Work: { Type: 'Task', Resource: INVOKE, End: true } } },
      End: true,
      ...extra,
    },
  });

function onlyRun(d: Driver) {
  const runs = Object.values(d.snap.mapRuns ?? {});
  expect(runs).toHaveLength(1);
  return runs[0]!;
}

describe('map runs', () => {
  it('counts child workflows: succeeded, failed within the tolerance, and the run succeeds', async () => {
    const d = new Driver(distributed({ ToleratedFailureCount: 1, MaxConcurrency: 2 }), [1, 2, 3, 4], (req) => (req.input === 3 ? { error: 'Bad' } : { ok: req.input }));
    await d.run({ kind: 'start' });
    expect(d.snap.status).toBe('SUCCEEDED');
    const run = onlyRun(d);
    expect(run).toMatchObject({ status: 'SUCCEEDED', total: 4, succeeded: 3, failed: 1, running: 0, aborted: 0, maxConcurrency: 2, toleratedFailureCount: 1, toleratedFailurePercentage: 0, stateName: 'Fan' });
    expect(run.mapRunArn).toMatch(/^arn:aws:states:us-east-1:123456789012:mapRun:M\/fan:/);
    expect(run.stopDate).toBe(d.now);
  });

  it('a run past its tolerance fails; children still running count as aborted', async () => {
    const d = new Driver(distributed(), [1, 2, 3], (req) => (req.input === 1 ? { error: 'Bad' } : 'hang'));
    await d.run({ kind: 'start' });
    expect(d.snap.status).toBe('FAILED');
    expect(onlyRun(d)).toMatchObject({ status: 'FAILED', total: 3, failed: 1, aborted: 2, running: 0, succeeded: 0 });
  });

  it('UpdateMapRun raises the concurrency of a running map run: more children start at once', async () => {
    const started: TaskRequest[] = [];
    const d = new Driver(distributed({ MaxConcurrency: 1 }), [1, 2, 3], (req) => {
      started.push(req);
      return 'hang';
    });
    await d.step({ kind: 'start' });
    expect(started).toHaveLength(1);
    const run = onlyRun(d);
    expect(run).toMatchObject({ status: 'RUNNING', running: 1, maxConcurrency: 1 });
    await d.step({ kind: 'updateMapRun', mapRunArn: run.mapRunArn, maxConcurrency: 3, toleratedFailureCount: 2 });
    expect(started).toHaveLength(3);
    expect(onlyRun(d)).toMatchObject({ running: 3, maxConcurrency: 3, toleratedFailureCount: 2 });
    // An update for a map run that is not running is ignored.
    await d.step({ kind: 'updateMapRun', mapRunArn: `${run.mapRunArn}-other`, maxConcurrency: 10 });
    expect(started).toHaveLength(3);
  });

  it('stopping the execution aborts its map run (MapRunAborted)', async () => {
    const d = new Driver(distributed(), [1, 2], () => 'hang');
    await d.step({ kind: 'start' });
    await d.step({ kind: 'stop', error: undefined, cause: undefined });
    expect(d.snap.status).toBe('ABORTED');
    expect(onlyRun(d)).toMatchObject({ status: 'ABORTED', aborted: 2, running: 0 });
    expect(d.sketch()).toContain('MapRunAborted');
  });

  it('a redriven map run reruns only its failed children and counts the redrive', async () => {
    let broken = true;
    const d = new Driver(distributed(), [1, 2, 3], (req) => (broken && req.input === 2 ? { error: 'Bad' } : { ok: (req.input as number) * 2 }));
    await d.run({ kind: 'start' });
    expect(d.snap.status).toBe('FAILED');
    const calls = d.calls.length;
    broken = false;
    await d.run({ kind: 'redrive' });
    expect(d.snap.status).toBe('SUCCEEDED');
    expect(d.snap.output).toEqual([2, 4, 6]);
    expect(onlyRun(d)).toMatchObject({ status: 'SUCCEEDED', succeeded: 3, failed: 0, aborted: 0, redriveCount: 1 });
    expect(d.calls.length - calls).toBeLessThanOrEqual(2);
    expect(d.sketch()).toContain('MapRunRedriven');
  });
});

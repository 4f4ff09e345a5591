/**
 * Mixed execution shapes for durability tests: Waits, retries with back-off, Map, Parallel,
 * Catch, and tasks that take a while. Handlers are deterministic (a retry's outcome depends only
 * on its input), so every execution has one right outcome whatever crashes happen.
 */
import { StatesError } from '../../src/asl/errors.js';
import type { LocalHandler } from '../../src/engine/local-run.js';

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
export const SLOW = fn('slow');
export const FLAKY = fn('flaky');
export const BROKEN = fn('broken');

export function handlers(delayMs: number): Record<string, LocalHandler> {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  return {
    [SLOW]: async (input) => {
      await sleep(delayMs);
      return { ...(input as object), slow: true };
    },
    [FLAKY]: async (input) => {
      await sleep(delayMs / 4);
      const attempt = (input as { attempt: number }).attempt;
      if (attempt < 2) throw new StatesError('Flaky', `attempt ${attempt} failed`);
      return { ok: true, attempt };
    },
    [BROKEN]: async () => {
      await sleep(delayMs / 4);
      throw new StatesError('Broken', 'always fails');
    },
  };
}

export const SHAPES: Record<string, object> = {
  waitAndTask: {
    StartAt: 'Prepare',
    States: {
      Prepare: { Type: 'Pass', Parameters: { 'n.$': '$.n', step: 'prepared' }, Next: 'Pause' },
      Pause: { Type: 'Wait', Seconds: 1, Next: 'Work' },
      Work: { Type: 'Task', Resource: SLOW, ResultPath: '$.work', Next: 'Done' },
      Done: { Type: 'Succeed' },
    },
  },
  retries: {
    StartAt: 'Try',
    States: {
      Try: {
        Type: 'Task',
        Resource: FLAKY,
        Parameters: { 'attempt.$': '$$.State.RetryCount' },
        Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 1, BackoffRate: 1.5, MaxAttempts: 3 }],
        End: true,
      },
    },
  },
  map: {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        MaxConcurrency: 2,
        ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Task', Resource: SLOW, End: true } } },
        End: true,
      },
    },
  },
  parallel: {
    StartAt: 'Both',
    States: {
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 1, Next: 'Left' }, Left: { Type: 'Task', Resource: SLOW, End: true } } },
          { StartAt: 'Right', States: { Right: { Type: 'Pass', Result: 'right', End: true } } },
        ],
        End: true,
      },
    },
  },
  caught: {
    StartAt: 'Fragile',
    States: {
      Fragile: {
        Type: 'Task',
        Resource: BROKEN,
        Retry: [{ ErrorEquals: ['Broken'], IntervalSeconds: 1, MaxAttempts: 1 }],
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Recovered' }],
        End: true,
      },
      Recovered: { Type: 'Pass', End: true },
    },
  },
};

export function inputFor(shape: string, i: number): object {
  if (shape === 'map') return { items: [1, 2, 3, 4, 5].map((k) => ({ k, i })) };
  return { n: i };
}

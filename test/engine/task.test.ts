/** Task state: data flow around a resource, timeouts, heartbeats, late results and the payload quota. */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/lib/json.js';
import { FN, INVOKE, events, fail, fakeClock, machine, outputOf, run, silentFor, T0 } from './helpers.js';

describe('Task data flow (JSONPath)', () => {
  it('the resource gets the effective input (InputPath then Parameters); ResultSelector, ResultPath and OutputPath shape the output', async () => {
    let got: Json | undefined;
    const def = machine({
      Work: {
        Type: 'Task',
        Resource: FN,
        InputPath: '$.req',
        Parameters: { 'id.$': '$.id', kind: 'lookup' },
        ResultSelector: { 'name.$': '$.body.name', 'status.$': '$.code' },
        ResultPath: '$.found',
        OutputPath: '$.found',
        End: true,
      },
    });
    const r = await run(def, { req: { id: 7 }, other: true }, {
      handlers: {
        [FN]: (input) => {
          got = input;
          return { body: { name: 'seven', noise: 1 }, code: 200 };
        },
      },
    });
    expect(got).toEqual({ id: 7, kind: 'lookup' });
    expect(outputOf(r)).toEqual({ name: 'seven', status: 200 });
  });

  it('ResultPath "$.result" keeps the input beside the result', async () => {
    const def = machine({ Work: { Type: 'Task', Resource: FN, ResultPath: '$.result', End: true } });
    const r = await run(def, { a: 1 }, { handlers: { [FN]: () => [1, 2] } });
    expect(outputOf(r)).toEqual({ a: 1, result: [1, 2] });
  });

  it('ResultPath null keeps the input and drops the result', async () => {
    const def = machine({ Work: { Type: 'Task', Resource: FN, ResultPath: null, End: true } });
    const r = await run(def, { a: 1 }, { handlers: { [FN]: () => ({ big: 'result' }) } });
    expect(outputOf(r)).toEqual({ a: 1 });
  });

  it('a task error with no Retry or Catch fails the execution with its name and cause', async () => {
    const r = await run(machine({ Work: { Type: 'Task', Resource: FN, End: true } }), {}, { handlers: { [FN]: fail('Custom.Error', 'details') } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('Custom.Error');
    expect(r.cause).toBe('details');
  });

  it('a Parameters path that finds nothing is an error before the resource is called', async () => {
    let called = false;
    const def = machine({ Work: { Type: 'Task', Resource: FN, Parameters: { 'x.$': '$.missing' }, End: true } });
    const r = await run(def, { a: 1 }, { handlers: { [FN]: () => (called = true) } });
    expect(r.status).toBe('FAILED');
    expect(called).toBe(false);
  });
});

describe('Task TimeoutSeconds', () => {
  it('a task silent past TimeoutSeconds fails with States.Timeout, recorded as TaskTimedOut 5 s after scheduling', async () => {
    const clock = fakeClock();
    const def = machine({ Work: { Type: 'Task', Resource: INVOKE, TimeoutSeconds: 5, End: true } });
    // The resource stays silent exactly until the deadline (a later deadline would never be reached).
    const r = await run(def, {}, { clock, handlers: { [INVOKE]: silentFor(clock, 5_000) } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Timeout');
    const timedOut = events(r, 'TaskTimedOut');
    expect(timedOut).toHaveLength(1);
    expect(timedOut[0]?.details?.['error']).toBe('States.Timeout');
    expect((timedOut[0]?.timestamp ?? 0) - T0).toBe(5_000);
    expect(events(r, 'TaskSucceeded')).toHaveLength(0);
  }, 3_000);

  it('TimeoutSecondsPath reads the timeout from the input', async () => {
    const clock = fakeClock();
    const def = machine({ Work: { Type: 'Task', Resource: INVOKE, TimeoutSecondsPath: '$.limit', End: true } });
    const r = await run(def, { limit: 8 }, { clock, handlers: { [INVOKE]: silentFor(clock, 8_000) } });
    expect(r.error).toBe('States.Timeout');
    expect((events(r, 'TaskTimedOut')[0]?.timestamp ?? 0) - T0).toBe(8_000);
  }, 3_000);

  it('a task that answers within TimeoutSeconds succeeds', async () => {
    const clock = fakeClock();
    const def = machine({ Work: { Type: 'Task', Resource: INVOKE, TimeoutSeconds: 5, End: true } });
    const r = await run(def, {}, {
      clock,
      handlers: {
        [INVOKE]: () => {
          clock.advance(4_000);
          return 'in time';
        },
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toBe('in time');
  });

  it('the default fake clock times out a task that never answers (no manual clock needed)', async () => {
    const def = machine({ Work: { Type: 'Task', Resource: INVOKE, TimeoutSeconds: 5, End: true } });
    const r = await run(def, {}, { handlers: { [INVOKE]: () => new Promise<never>(() => undefined) } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Timeout');
  }, 3_000);

  it('a timed-out task is caught by a States.Timeout catcher', async () => {
    const clock = fakeClock();
    const def = machine({
      Work: { Type: 'Task', Resource: INVOKE, TimeoutSeconds: 5, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Late' }], End: true },
      Late: { Type: 'Pass', End: true },
    });
    const r = await run(def, {}, { clock, handlers: { [INVOKE]: silentFor(clock, 60_000) } });
    expect(r.status).toBe('SUCCEEDED');
    expect((outputOf(r) as { Error: string }).Error).toBe('States.Timeout');
  });
});

describe('Task HeartbeatSeconds', () => {
  const heartbeatMachine = (errorEquals: string[]) =>
    machine({
      Work: {
        Type: 'Task',
        Resource: INVOKE,
        TimeoutSeconds: 100,
        HeartbeatSeconds: 2,
        Catch: [{ ErrorEquals: errorEquals, Next: 'NoPulse' }],
        End: true,
      },
      NoPulse: { Type: 'Pass', End: true },
    });

  it('a missed heartbeat times the task out as States.Timeout (TaskTimedOut) after HeartbeatSeconds', async () => {
    const clock = fakeClock();
    const def = machine({ Work: { Type: 'Task', Resource: INVOKE, TimeoutSeconds: 100, HeartbeatSeconds: 2, End: true } });
    const r = await run(def, {}, { clock, handlers: { [INVOKE]: silentFor(clock, 2_000) } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Timeout');
    expect((events(r, 'TaskTimedOut')[0]?.timestamp ?? 0) - T0).toBe(2_000);
  }, 3_000);

  it('a heartbeat timeout is matched by States.HeartbeatTimeout in Catch', async () => {
    const clock = fakeClock();
    const r = await run(heartbeatMachine(['States.HeartbeatTimeout']), {}, { clock, handlers: { [INVOKE]: silentFor(clock, 3_000) } });
    expect(r.status).toBe('SUCCEEDED');
    expect(events(r, 'PassStateEntered')).toHaveLength(1);
  });

  it('a heartbeat timeout is also matched by States.Timeout', async () => {
    const clock = fakeClock();
    const r = await run(heartbeatMachine(['States.Timeout']), {}, { clock, handlers: { [INVOKE]: silentFor(clock, 3_000) } });
    expect(r.status).toBe('SUCCEEDED');
  });

  it('an ordinary TimeoutSeconds timeout is not a heartbeat timeout', async () => {
    const clock = fakeClock();
    const def = machine({
      Work: {
        Type: 'Task',
        Resource: INVOKE,
        TimeoutSeconds: 5,
        Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'NoPulse' }],
        End: true,
      },
      NoPulse: { Type: 'Pass', End: true },
    });
    const r = await run(def, {}, { clock, handlers: { [INVOKE]: silentFor(clock, 10_000) } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Timeout');
  });
});

describe('late results of an abandoned attempt', () => {
  it('the result of a timed-out attempt arriving during the retry is ignored', async () => {
    const clock = fakeClock();
    let n = 0;
    const def = machine({ Work: { Type: 'Task', Resource: INVOKE, TimeoutSeconds: 5, Retry: [{ ErrorEquals: ['States.Timeout'] }], End: true } });
    const r = await run(def, {}, {
      clock,
      handlers: {
        [INVOKE]: () => {
          if (++n > 1) return 'fresh';
          clock.advance(6_000);
          // Answers only after the engine has already timed this attempt out.
          return new Promise((resolve) => setImmediate(() => resolve('stale')));
        },
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toBe('fresh');
    expect(events(r, 'TaskSucceeded').map((e) => e.details?.['output'])).toEqual(['fresh']);
  });
});

describe('payload quota (256 KiB)', () => {
  const big = (bytes: number) => ({ a: 'x'.repeat(bytes - '{"a":""}'.length) });

  it('a task result of more than 262,144 bytes fails with States.DataLimitExceeded', async () => {
    const r = await run(machine({ Work: { Type: 'Task', Resource: FN, End: true } }), {}, { handlers: { [FN]: () => big(262_145) } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.DataLimitExceeded');
  });

  it('a result of exactly 262,144 bytes is within the quota', async () => {
    const r = await run(machine({ Work: { Type: 'Task', Resource: FN, End: true } }), {}, { handlers: { [FN]: () => big(262_144) } });
    expect(r.status).toBe('SUCCEEDED');
  });

  it('counts UTF-8 bytes, not characters', async () => {
    // 100,000 three-byte characters: 300,000 bytes but only 100,000 UTF-16 units.
    const r = await run(machine({ Work: { Type: 'Task', Resource: FN, End: true } }), {}, { handlers: { [FN]: () => '€'.repeat(100_000) } });
    expect(r.error).toBe('States.DataLimitExceeded');
  });

  it('an oversized task result is caught by a States.DataLimitExceeded catcher', async () => {
    const def = machine({
      Work: { Type: 'Task', Resource: FN, Catch: [{ ErrorEquals: ['States.DataLimitExceeded'], Next: 'TooBig' }], End: true },
      TooBig: { Type: 'Pass', End: true },
    });
    const r = await run(def, {}, { handlers: { [FN]: () => big(300_000) } });
    expect(r.status).toBe('SUCCEEDED');
    expect((outputOf(r) as { Error: string }).Error).toBe('States.DataLimitExceeded');
  });

  it('an oversized task result is caught by a States.ALL catcher too (as AWS recorded)', async () => {
    const def = machine({
      Work: { Type: 'Task', Resource: FN, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'TooBig' }], End: true },
      TooBig: { Type: 'Pass', End: true },
    });
    const r = await run(def, {}, { handlers: { [FN]: () => big(300_000) } });
    expect(r.status).toBe('SUCCEEDED');
  });
});

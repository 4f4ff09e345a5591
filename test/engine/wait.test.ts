/** Wait state: a durable timer; with the fake clock history time advances while no real time passes. */
import { describe, expect, it } from 'vitest';
import { events, fakeClock, machine, outputOf, run, T0 } from './helpers.js';
import { runLocal } from '../../src/engine/local-run.js';

const wait = (fields: Record<string, unknown>) => machine({ Pause: { Type: 'Wait', ...fields, End: true } });

function waited(r: Awaited<ReturnType<typeof run>>): number {
  const entered = events(r, 'WaitStateEntered')[0]?.timestamp ?? NaN;
  const exited = events(r, 'WaitStateExited')[0]?.timestamp ?? NaN;
  return exited - entered;
}

describe('Wait', () => {
  it('Seconds 10: the state exits 10 s (history time) after it was entered', async () => {
    const r = await run(wait({ Seconds: 10 }), { a: 1 }, { clock: fakeClock() });
    expect(r.status).toBe('SUCCEEDED');
    expect(waited(r)).toBe(10_000);
    expect(events(r, 'ExecutionSucceeded')[0]?.timestamp).toBe(T0 + 10_000);
  });

  it('a one-year Wait completes under the fake clock (it is a timer, not a sleep)', async () => {
    const year = 365 * 24 * 3600 - 60;
    const r = await run(wait({ Seconds: year }), {}, { clock: fakeClock() });
    expect(r.status).toBe('SUCCEEDED');
    expect(waited(r)).toBe(year * 1000);
  });

  it('passes its input through, filtered by InputPath and OutputPath', async () => {
    expect(outputOf(await run(wait({ Seconds: 1 }), { a: 1 }))).toEqual({ a: 1 });
    expect(outputOf(await run(wait({ Seconds: 1, InputPath: '$.in', OutputPath: '$.x' }), { in: { x: 5 } }))).toBe(5);
  });

  it('Seconds 0 continues at once', async () => {
    expect(waited(await run(wait({ Seconds: 0 }), {}, { clock: fakeClock() }))).toBe(0);
  });

  it('a Timestamp in the past continues at once', async () => {
    const r = await run(wait({ Timestamp: '2001-01-01T00:00:00Z' }), {}, { clock: fakeClock() });
    expect(r.status).toBe('SUCCEEDED');
    expect(waited(r)).toBe(0);
  });

  it('a Timestamp in the future waits until that instant (offsets honoured)', async () => {
    const r = await run(wait({ Timestamp: '2026-01-01T02:00:00+01:00' }), {}, { clock: fakeClock() });
    // 02:00+01:00 is 01:00Z, one hour after the start.
    expect(events(r, 'WaitStateExited')[0]?.timestamp).toBe(T0 + 3_600_000);
  });

  it('SecondsPath reads the delay from the input', async () => {
    const r = await run(wait({ SecondsPath: '$.delay' }), { delay: 7 }, { clock: fakeClock() });
    expect(waited(r)).toBe(7_000);
  });

  it('TimestampPath reads the instant from the input', async () => {
    const r = await run(wait({ TimestampPath: '$.at' }), { at: '2026-01-01T00:00:45Z' }, { clock: fakeClock() });
    expect(events(r, 'WaitStateExited')[0]?.timestamp).toBe(T0 + 45_000);
  });

  it('SecondsPath naming a missing field fails with States.Runtime', async () => {
    const r = await run(wait({ SecondsPath: '$.delay' }), {});
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
  });

  it('SecondsPath naming a non-number fails with States.Runtime', async () => {
    const r = await run(wait({ SecondsPath: '$.delay' }), { delay: 'soon' });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
  });

  it('SecondsPath naming a negative number fails with States.Runtime', async () => {
    const r = await run(wait({ SecondsPath: '$.delay' }), { delay: -5 });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
  });

  it('TimestampPath naming something that is not an RFC 3339 timestamp fails with States.Runtime', async () => {
    const r = await run(wait({ TimestampPath: '$.at' }), { at: 'tomorrow' });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
  });

  it('JSONata Seconds may be an expression', async () => {
    const def = machine({ Pause: { Type: 'Wait', Seconds: '{% $states.input.d * 2 %}', End: true } }, { QueryLanguage: 'JSONata' });
    const r = await run(def, { d: 3 }, { clock: fakeClock() });
    expect(waited(r)).toBe(6_000);
  });

  it('JSONata Seconds that is not a non-negative integer fails with States.QueryEvaluationError', async () => {
    const def = machine({ Pause: { Type: 'Wait', Seconds: '{% $states.input.d %}', End: true } }, { QueryLanguage: 'JSONata' });
    const r = await run(def, { d: 'x' });
    expect(r.error).toBe('States.QueryEvaluationError');
  });

  it('a Wait in a Parallel branch delays only that branch', async () => {
    const def = machine({
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Slow', States: { Slow: { Type: 'Wait', Seconds: 20, End: true } } },
          { StartAt: 'Fast', States: { Fast: { Type: 'Wait', Seconds: 5, End: true } } },
        ],
        End: true,
      },
    });
    const r = await run(def, {}, { clock: fakeClock() });
    const exits = events(r, 'WaitStateExited').map((e) => [e.details?.['name'], e.timestamp - T0]);
    expect(exits).toEqual([
      ['Fast', 5_000],
      ['Slow', 20_000],
    ]);
  });
});

describe('the one-year limit of Standard executions', () => {
  it('times out a Standard execution still running after a year, with States.Timeout', async () => {
    const r = await runLocal({ StartAt: 'Long', States: { Long: { Type: 'Wait', Seconds: 400 * 86_400, End: true } } }, {});
    expect(r.status).toBe('TIMED_OUT');
    expect(r.error).toBe('States.Timeout');
    expect(r.history.at(-1)?.type).toBe('ExecutionTimedOut');
  });
});

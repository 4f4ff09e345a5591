/** Shared fixtures for the engine behaviour tests: resources, handlers that fail on cue, history lookups. */
import { StatesError } from '../../src/asl/errors.js';
import type { Json } from '../../src/lib/json.js';
import { FakeClock } from '../../src/engine/clock.js';
import { runLocal, type LocalHandler, type LocalRunOptions, type LocalRunResult } from '../../src/engine/local-run.js';
import type { HistoryEvent } from '../../src/engine/types.js';

/** A Lambda function ARN (legacy form: history says LambdaFunction*). */
export const FN = 'arn:aws:lambda:us-east-1:123456789012:function:work';
/** An optimised service integration (history says Task*). */
export const INVOKE = 'arn:aws:states:::lambda:invoke';
/** The instant every fake clock in these tests starts at. */
export const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);

export type Def = Record<string, unknown>;

export function run(definition: Def, input: unknown = {}, opts: LocalRunOptions = {}): Promise<LocalRunResult> {
  return runLocal(definition, input, opts);
}

/** The execution output parsed back from AWS's JSON text. */
export function outputOf(r: LocalRunResult): unknown {
  if (r.output === undefined) throw new Error(`execution ended ${r.status} (${r.error ?? ''}: ${r.cause ?? ''}) without output`);
  return JSON.parse(r.output) as unknown;
}

export function events(r: LocalRunResult, type: string): HistoryEvent[] {
  return r.history.filter((e) => e.type === type);
}

export function types(r: LocalRunResult): string[] {
  return r.history.map((e) => e.type);
}

/** `type:name` for state events, bare type for the rest, as AWS history sketches read. */
export function sketch(r: LocalRunResult): string[] {
  return r.history.map((e) => {
    const name = e.details?.['name'];
    return /State(Entered|Exited)$/.test(e.type) && typeof name === 'string' ? `${e.type}:${name}` : e.type;
  });
}

/** Differences between consecutive timestamps of one event type. */
export function gaps(r: LocalRunResult, type: string): number[] {
  const ts = events(r, type).map((e) => e.timestamp);
  return ts.slice(1).map((t, i) => t - (ts[i] as number));
}

export function fail(name: string, cause?: string): LocalHandler {
  return () => {
    throw new StatesError(name, cause);
  };
}

/** A handler that throws the given errors in turn, then returns `result`; `calls` records each input. */
export function scripted(errors: string[], result: Json = 'ok'): LocalHandler & { calls: Json[] } {
  const calls: Json[] = [];
  const h = (input: Json): Json => {
    calls.push(input);
    const name = errors[calls.length - 1];
    if (name !== undefined) throw new StatesError(name, `attempt ${calls.length} failed`);
    return result;
  };
  return Object.assign(h, { calls });
}

/**
 * A task that never answers while time moves on: the handler jumps the clock by `ms`, as if the
 * resource had been silent for that long, and never resolves.
 */
export function silentFor(clock: FakeClock, ms: number): LocalHandler & { calls: number } {
  const h = Object.assign(
    (): Promise<never> => {
      h.calls++;
      clock.advance(ms);
      return new Promise<never>(() => undefined);
    },
    { calls: 0 },
  );
  return h;
}

export function fakeClock(): FakeClock {
  return new FakeClock(T0);
}

/** A one-state machine (or a short chain) from a states object. */
export function machine(states: Record<string, Def>, extra: Def = {}): Def {
  return { StartAt: Object.keys(states)[0], States: states, ...extra };
}

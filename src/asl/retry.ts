/** Retry and Catch: which rule matches an error, and how long to wait before a retry. */
import { isObject, type Json, type JsonObject } from '../lib/json.js';

export interface ErrorInfo {
  readonly error: string | undefined;
  readonly cause: string | undefined;
}

/**
 * Does an ErrorEquals list match an error? `States.ALL` matches everything but `States.Runtime`;
 * `States.TaskFailed` everything but timeouts and `States.Runtime`. A heartbeat timeout is
 * reported as `States.Timeout` and also answers to `States.HeartbeatTimeout`.
 */
export function errorMatches(errorEquals: readonly Json[], err: ErrorInfo, heartbeat = false): boolean {
  for (const name of errorEquals) {
    if (name === err.error) return true;
    if (name === 'States.HeartbeatTimeout' && heartbeat) return true;
    if (name === 'States.ALL' && err.error !== 'States.Runtime') return true;
    if (
      name === 'States.TaskFailed' &&
      err.error !== 'States.Timeout' &&
      err.error !== 'States.HeartbeatTimeout' &&
      err.error !== 'States.Runtime'
    ) {
      return true;
    }
  }
  return false;
}

export interface Retrier {
  readonly errorEquals: readonly Json[];
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
  readonly maxDelaySeconds: number | undefined;
  readonly jitter: 'FULL' | 'NONE';
}

export function parseRetriers(raw: Json | undefined): Retrier[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((r: JsonObject) => ({
    errorEquals: Array.isArray(r['ErrorEquals']) ? r['ErrorEquals'] : [],
    intervalSeconds: typeof r['IntervalSeconds'] === 'number' ? r['IntervalSeconds'] : 1,
    maxAttempts: typeof r['MaxAttempts'] === 'number' ? r['MaxAttempts'] : 3,
    backoffRate: typeof r['BackoffRate'] === 'number' ? r['BackoffRate'] : 2,
    maxDelaySeconds: typeof r['MaxDelaySeconds'] === 'number' ? r['MaxDelaySeconds'] : undefined,
    jitter: r['JitterStrategy'] === 'FULL' ? 'FULL' : 'NONE',
  }));
}

/**
 * Delay in milliseconds before retry number `attempt` (1-based) of a retrier:
 * min(IntervalSeconds × BackoffRate^(attempt-1), MaxDelaySeconds), uniformly jittered in
 * [0, d] under FULL jitter. `random` is in [0, 1) and comes from the caller (no hidden state).
 */
export function retryDelayMs(r: Retrier, attempt: number, random: number): number {
  let d = r.intervalSeconds * Math.pow(r.backoffRate, attempt - 1);
  if (r.maxDelaySeconds !== undefined) d = Math.min(d, r.maxDelaySeconds);
  if (r.jitter === 'FULL') d = d * random;
  return Math.round(d * 1000);
}

export type RetryDecision =
  | { kind: 'retry'; retrierIndex: number; delayMs: number }
  | { kind: 'exhausted' };

/** The first retrier whose ErrorEquals matches decides; an exhausted one does not fall through. */
export function decideRetry(
  retriers: readonly Retrier[],
  counts: number[],
  err: ErrorInfo,
  heartbeat: boolean,
  random: number,
): RetryDecision {
  for (let i = 0; i < retriers.length; i++) {
    const r = retriers[i] as Retrier;
    if (!errorMatches(r.errorEquals, err, heartbeat)) continue;
    const used = counts[i] ?? 0;
    if (used >= r.maxAttempts) return { kind: 'exhausted' };
    counts[i] = used + 1;
    return { kind: 'retry', retrierIndex: i, delayMs: retryDelayMs(r, used + 1, random) };
  }
  return { kind: 'exhausted' };
}

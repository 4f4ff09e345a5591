/**
 * SNS's rules that both the configuration (to refuse a file with its line) and the SNS integration
 * (to answer the API) apply: topic names, filter policies and HTTP/S delivery policies. Pure.
 */
import { isObject, type Json } from './json.js';

/** 1 to 256 letters, digits, `-` or `_`; a FIFO topic's name ends in `.fifo` (within the 256). */
const STANDARD_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

export function isFifoTopicName(name: string): boolean {
  return name.endsWith('.fifo');
}

export function isValidTopicName(name: string): boolean {
  return isFifoTopicName(name) ? FIFO_NAME.test(name) : STANDARD_NAME.test(name);
}

// --- filter policies (FilterPolicyScope MessageAttributes) ---

export const FILTER_OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists'] as const;
export const NUMERIC_OPERATORS = ['=', '<', '<=', '>', '>='] as const;
/** SNS's limit on the attributes one policy names. */
export const MAX_FILTER_KEYS = 5;

/** What is wrong with a whole filter policy, or undefined. */
export function filterPolicyProblem(policy: Json): string | undefined {
  if (!isObject(policy)) return 'a filter policy must be a JSON object';
  const keys = Object.keys(policy);
  if (keys.length === 0) return 'a filter policy needs at least one attribute';
  if (keys.length > MAX_FILTER_KEYS) return `a filter policy may name at most ${MAX_FILTER_KEYS} attributes`;
  for (const key of keys) {
    if (key === '$or') return "'$or' is not supported by Stepwise's filter policies";
    const conditions = policy[key];
    if (!Array.isArray(conditions) || conditions.length === 0) return `'${key}' must be a non-empty list of conditions`;
    for (const c of conditions) {
      const why = filterConditionProblem(c);
      if (why) return `'${key}': ${why}`;
    }
  }
  return undefined;
}

/** What is wrong with one condition of a filter policy's list, or undefined. */
export function filterConditionProblem(c: Json): string | undefined {
  if (typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean') return undefined;
  if (!isObject(c)) return 'a condition is a string, a number, a boolean or an operator object';
  const ops = Object.keys(c);
  if (ops.length !== 1) return 'an operator object has exactly one operator';
  const op = ops[0] as string;
  const v = c[op] as Json;
  switch (op) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      return typeof v === 'string' ? undefined : `'${op}' takes a string`;
    case 'exists':
      return typeof v === 'boolean' ? undefined : "'exists' takes true or false";
    case 'anything-but':
      if (typeof v === 'string' || typeof v === 'number') return undefined;
      if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' || typeof x === 'number')) return undefined;
      if (isObject(v) && Object.keys(v).length === 1 && typeof v['prefix'] === 'string') return undefined;
      return "'anything-but' takes a value, a list of values or {prefix}";
    case 'numeric': {
      if (!Array.isArray(v) || (v.length !== 2 && v.length !== 4)) return "'numeric' takes [operator, number] or [operator, number, operator, number]";
      for (let i = 0; i < v.length; i += 2) {
        if (!(NUMERIC_OPERATORS as readonly Json[]).includes(v[i] as Json) || typeof v[i + 1] !== 'number') {
          return `'numeric' operators are ${NUMERIC_OPERATORS.join(' ')}, each followed by a number`;
        }
      }
      return undefined;
    }
    default:
      return `unknown operator '${op}' (Stepwise knows ${FILTER_OPERATORS.join(', ')})`;
  }
}

// --- delivery policies (SNS's healthyRetryPolicy) ---

export const BACKOFF_FUNCTIONS = ['linear', 'arithmetic', 'geometric', 'exponential'] as const;
export type BackoffFunction = (typeof BACKOFF_FUNCTIONS)[number];

/** Delays in seconds; counts of retries after the first attempt, by phase. */
export interface DeliveryPolicy {
  numRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  numMaxDelayRetries: number;
  minDelayTarget: number;
  maxDelayTarget: number;
  backoffFunction: BackoffFunction;
}

/** SNS's default policy for HTTP/S: 3 retries, 20 seconds apart. */
export const HTTP_DELIVERY_POLICY: Readonly<DeliveryPolicy> = Object.freeze({
  numRetries: 3,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  numMaxDelayRetries: 0,
  minDelayTarget: 20,
  maxDelayTarget: 20,
  backoffFunction: 'linear',
});

/** SNS's ceiling on the total retry time of an HTTP/S policy, seconds. */
export const MAX_HTTP_RETRY_SECONDS = 3600;

/**
 * The delay (seconds) before retry `n` (1-based): immediate retries first, then retries at the
 * minimum delay, then the backoff phase climbing from the minimum to the maximum, then retries at
 * the maximum. Undefined once the policy is spent.
 */
export function retryDelaySeconds(policy: DeliveryPolicy, n: number): number | undefined {
  if (n < 1 || n > policy.numRetries) return undefined;
  const { numNoDelayRetries: noDelay, numMinDelayRetries: atMin, numMaxDelayRetries: atMax, minDelayTarget: min, maxDelayTarget: max } = policy;
  if (n <= noDelay) return 0;
  if (n <= noDelay + atMin) return min;
  const backoff = Math.max(0, policy.numRetries - noDelay - atMin - atMax);
  const i = n - noDelay - atMin;
  if (i > backoff) return max;
  const f = backoff <= 1 ? 1 : (i - 1) / (backoff - 1);
  return Math.round(min + (max - min) * curve(policy.backoffFunction, f));
}

/** Where a backoff function is at fraction f ∈ [0, 1] of the way from the minimum to the maximum delay. */
function curve(fn: BackoffFunction, f: number): number {
  switch (fn) {
    case 'linear':
      return f;
    case 'arithmetic':
      return f * f;
    case 'geometric':
      return Math.sqrt(f);
    case 'exponential':
      // Exponential growth normalised to [0, 1]: slow at first, steep at the end.
      return (Math.pow(2, 6 * f) - 1) / (Math.pow(2, 6) - 1);
  }
}

/** What is wrong with an HTTP/S delivery policy (over SNS's defaults), or undefined. */
export function deliveryPolicyProblem(p: Partial<DeliveryPolicy>): string | undefined {
  const full: DeliveryPolicy = { ...HTTP_DELIVERY_POLICY, ...p };
  for (const k of ['numRetries', 'numNoDelayRetries', 'numMinDelayRetries', 'numMaxDelayRetries'] as const) {
    if (!Number.isInteger(full[k]) || full[k] < 0 || full[k] > 100) return `${k} must be an integer from 0 to 100`;
  }
  if (full.numNoDelayRetries + full.numMinDelayRetries + full.numMaxDelayRetries > full.numRetries) {
    return 'numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries must not exceed numRetries';
  }
  if (!Number.isInteger(full.minDelayTarget) || full.minDelayTarget < 1) return 'minDelayTarget must be a whole number of seconds, at least 1';
  if (!Number.isInteger(full.maxDelayTarget) || full.maxDelayTarget < full.minDelayTarget || full.maxDelayTarget > MAX_HTTP_RETRY_SECONDS) {
    return `maxDelayTarget must be a whole number of seconds from minDelayTarget to ${MAX_HTTP_RETRY_SECONDS}`;
  }
  if (!(BACKOFF_FUNCTIONS as readonly string[]).includes(full.backoffFunction)) return `backoffFunction must be one of ${BACKOFF_FUNCTIONS.join(', ')}`;
  let total = 0;
  for (let n = 1; n <= full.numRetries; n++) total += retryDelaySeconds(full, n) ?? 0;
  if (total > MAX_HTTP_RETRY_SECONDS) return `its retries would take ${total} seconds in all: SNS allows at most ${MAX_HTTP_RETRY_SECONDS}`;
  return undefined;
}

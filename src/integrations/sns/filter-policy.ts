/**
 * SNS subscription filter policies on message attributes (FilterPolicyScope MessageAttributes):
 * every key of the policy must match (AND), by any of its conditions (OR). Conditions: a string,
 * number or boolean (exact match), `{prefix}`, `{suffix}`, `{equals-ignore-case}`,
 * `{anything-but: value | [values] | {prefix}}`, `{numeric: [op, n, (op, n)]}` and `{exists}`.
 * A `String.Array` attribute matches when any of its elements does.
 */
import { isObject, type Json, type JsonObject } from '../../lib/json.js';
import type { EnvelopeAttributes } from './message-attributes.js';
import type { FilterPolicy } from './types.js';

export { filterPolicyProblem } from '../../lib/sns-rules.js';

/** Whether a message with these attributes passes the policy. */
export function matchesFilterPolicy(policy: FilterPolicy, attributes: EnvelopeAttributes): boolean {
  return Object.entries(policy).every(([key, conditions]) => {
    const attr = attributes[key];
    const values = attr ? valuesOf(attr) : undefined;
    return (conditions as Json[]).some((c) => matches(c, values));
  });
}

type Value = string | number | boolean | null;

function valuesOf(attr: { Type: string; Value: string }): Value[] {
  if (attr.Type.startsWith('Number')) return [Number(attr.Value)];
  if (attr.Type === 'String.Array') {
    try {
      const arr = JSON.parse(attr.Value) as unknown;
      if (Array.isArray(arr)) return arr.filter((x): x is Value => x === null || ['string', 'number', 'boolean'].includes(typeof x));
    } catch {
      // not a JSON array: matched as a plain string
    }
  }
  if (attr.Type.startsWith('Binary')) return [];
  return [attr.Value];
}

function matches(c: Json, values: Value[] | undefined): boolean {
  if (!isObject(c)) return values !== undefined && values.some((v) => v === c);
  const [op, arg] = Object.entries(c)[0] as [string, Json];
  if (op === 'exists') return arg === (values !== undefined);
  if (values === undefined) return false;
  const strings = values.filter((v): v is string => typeof v === 'string');
  switch (op) {
    case 'prefix':
      return strings.some((s) => s.startsWith(arg as string));
    case 'suffix':
      return strings.some((s) => s.endsWith(arg as string));
    case 'equals-ignore-case':
      return strings.some((s) => s.toLowerCase() === (arg as string).toLowerCase());
    case 'anything-but':
      return values.some((v) => !excluded(arg, v));
    case 'numeric':
      return values.some((v) => typeof v === 'number' && inRange(arg as Json[], v));
    default:
      return false;
  }
}

function excluded(arg: Json, v: Value): boolean {
  if (Array.isArray(arg)) return arg.includes(v);
  if (isObject(arg)) return typeof v === 'string' && v.startsWith((arg as JsonObject)['prefix'] as string);
  return arg === v;
}

function inRange(spec: Json[], v: number): boolean {
  for (let i = 0; i < spec.length; i += 2) {
    const n = spec[i + 1] as number;
    const ok = { '=': v === n, '<': v < n, '<=': v <= n, '>': v > n, '>=': v >= n }[spec[i] as string];
    if (!ok) return false;
  }
  return true;
}

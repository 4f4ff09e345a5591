/**
 * When a failed delivery is tried again: SNS's four-phase delivery policies (lib/sns-rules.ts has
 * the maths), with each protocol's default. From AWS's documentation ("Amazon SNS message
 * delivery retries", and "Set the delivery policy" of the HTTP/S guide):
 * - http/https: 3 retries, 20 seconds apart (4 attempts);
 * - email/email-json (SNS's customer-managed endpoints): 0 immediate, 2 at 10 s, 10 with
 *   exponential backoff from 10 s to 600 s, 38 at 600 s (50 retries over about 6 hours);
 * - lambda: SNS hands the event to Lambda, which retries a failing asynchronous invocation twice,
 *   after 1 and 2 minutes (Lambda's asynchronous invocation defaults);
 * - file (Stepwise's own): 2 retries, 1 second apart.
 * SNS jitters its delays; Stepwise does not, so that a run is reproducible.
 */
import { HTTP_DELIVERY_POLICY, type DeliveryPolicy } from '../../lib/sns-rules.js';
import type { Protocol } from './types.js';

export { retryDelaySeconds } from '../../lib/sns-rules.js';

const SMTP: DeliveryPolicy = { numRetries: 50, numNoDelayRetries: 0, numMinDelayRetries: 2, numMaxDelayRetries: 38, minDelayTarget: 10, maxDelayTarget: 600, backoffFunction: 'exponential' };
const LAMBDA: DeliveryPolicy = { numRetries: 2, numNoDelayRetries: 0, numMinDelayRetries: 0, numMaxDelayRetries: 0, minDelayTarget: 60, maxDelayTarget: 120, backoffFunction: 'exponential' };
const FILE: DeliveryPolicy = { numRetries: 2, numNoDelayRetries: 0, numMinDelayRetries: 0, numMaxDelayRetries: 0, minDelayTarget: 1, maxDelayTarget: 1, backoffFunction: 'linear' };

export const DEFAULT_DELIVERY_POLICIES: Readonly<Record<Protocol, DeliveryPolicy>> = Object.freeze({
  http: HTTP_DELIVERY_POLICY,
  https: HTTP_DELIVERY_POLICY,
  email: SMTP,
  'email-json': SMTP,
  lambda: LAMBDA,
  file: FILE,
});

/** A protocol's policy with the caller's and then the subscription's overrides. */
export function effectivePolicy(protocol: Protocol, ...overrides: (Partial<DeliveryPolicy> | undefined)[]): DeliveryPolicy {
  let p: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICIES[protocol] };
  for (const o of overrides) if (o) p = { ...p, ...o };
  if (p.maxDelayTarget < p.minDelayTarget) p.maxDelayTarget = p.minDelayTarget;
  return p;
}

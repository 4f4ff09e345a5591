/** Topic, subscription and function ARNs as SNS forms them, and SNS's rules for topic names. */
import { createHash } from 'node:crypto';
import { isValidTopicName } from '../../lib/sns-rules.js';

export { isFifoTopicName as isFifoName, isValidTopicName } from '../../lib/sns-rules.js';

export function topicArn(region: string, account: string, name: string): string {
  return `arn:aws:sns:${region}:${account}:${name}`;
}

/** `arn:<partition>:sns:<region>:<account>:<name>` with a valid name; undefined otherwise. */
export function parseTopicArn(arn: string): { region: string; account: string; name: string } | undefined {
  const p = arn.split(':');
  if (p.length !== 6 || p[0] !== 'arn' || p[2] !== 'sns' || !p[3] || !/^\d{12}$/.test(p[4] ?? '')) return undefined;
  const name = p[5] as string;
  return isValidTopicName(name) ? { region: p[3], account: p[4] as string, name } : undefined;
}

/** The name part of a topic ARN (for messages); the ARN itself when it is not one. */
export function topicNameOf(arn: string): string {
  return parseTopicArn(arn)?.name ?? arn;
}

/**
 * A subscription's ARN: the topic's ARN and a UUID. The UUID is derived from protocol and
 * endpoint, so a subscription declared again (every start reads the configuration) keeps its ARN,
 * and subscribing the same endpoint twice gives the same subscription, as on SNS.
 */
export function subscriptionArn(topic: string, protocol: string, endpoint: string): string {
  const h = createHash('sha256').update(`${protocol}\n${endpoint}`).digest('hex');
  const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16] as string, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return `${topic}:${uuid}`;
}

/** The id part of a subscription ARN. */
export function subscriptionIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

/** A lambda subscription's endpoint: a function ARN, or a bare name made into one. */
export function functionArnOf(endpoint: string, region: string, account: string): string {
  return endpoint.startsWith('arn:') ? endpoint : `arn:aws:lambda:${region}:${account}:function:${endpoint}`;
}

/** An endpoint fit for a record or a log: the password of a URL masked. */
export function maskEndpoint(endpoint: string): string {
  try {
    const u = new URL(endpoint);
    if (!u.password) return endpoint;
    u.password = '****';
    return u.toString();
  } catch {
    return endpoint;
  }
}

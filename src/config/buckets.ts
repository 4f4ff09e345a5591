/**
 * The `buckets` section: local S3 buckets by name, each with the notifications that invoke a
 * Lambda function on object events (S3's LambdaFunctionConfiguration: event types, function,
 * key prefix and suffix). What S3 would refuse in PutBucketNotificationConfiguration (an unknown
 * event type, two rules that overlap, a malformed function ARN) is refused at its line.
 */
import { isScalar } from 'yaml';
import { bucketNameProblem, FUNCTION_REFERENCE, isS3EventType, scopesOverlap } from '../lib/s3-rules.js';
import type { BucketConfig, BucketNotificationConfig } from './types.js';
import { entries, fail, list, str, type Source, type YamlNode } from './yaml-nodes.js';

const BUCKET_KEYS = ['notifications'] as const;
const NOTIFICATION_KEYS = ['id', 'events', 'function', 'prefix', 'suffix'] as const;
/** S3's limit on a configuration id. */
const ID = /^.{1,255}$/s;

export function readBuckets(src: Source, node: YamlNode): BucketConfig[] {
  const out: BucketConfig[] = [];
  for (const [name, { key, value }] of entries(src, node, 'buckets')) {
    const path = `buckets.${name}`;
    const problem = bucketNameProblem(name);
    if (problem) fail(src, key, `bucket name '${name}': ${problem} (as S3's)`);
    const fields = entries(src, value, path, BUCKET_KEYS);
    const notifications: BucketNotificationConfig[] = [];
    const listed = fields.get('notifications');
    for (const [i, item] of (listed ? list(src, listed.value, `${path}.notifications`) : []).entries()) {
      const n = readNotification(src, item, `${path}.notifications[${i}]`);
      const clash = notifications.findIndex((m) => scopesOverlap(m, n) || (m.id !== undefined && m.id === n.id));
      if (clash >= 0) {
        fail(src, item, `${path}.notifications[${i}] overlaps notifications[${clash}]: S3 refuses two notifications of a bucket that share an event type for keys both could match (or share an id)`);
      }
      notifications.push(n);
    }
    out.push({ name, notifications });
  }
  return out;
}

function readNotification(src: Source, node: YamlNode, path: string): BucketNotificationConfig {
  const fields = entries(src, node, path, NOTIFICATION_KEYS);
  const eventsField = fields.get('events');
  const fnField = fields.get('function');
  if (!eventsField || !fnField) fail(src, node, `${path} needs events (such as s3:ObjectCreated:*) and a function (a name or a Lambda function ARN)`);
  const eventNodes = isScalar(eventsField.value) ? [eventsField.value] : list(src, eventsField.value, `${path}.events`);
  if (eventNodes.length === 0) fail(src, eventsField.value ?? eventsField.key, `${path}.events must name at least one event type`);
  const events = eventNodes.map((e, i) => {
    const event = str(src, e, `${path}.events[${i}]`);
    if (!isS3EventType(event)) fail(src, e, `${path}.events[${i}] is not an S3 event type (such as s3:ObjectCreated:*, s3:ObjectCreated:Put, s3:ObjectRemoved:*, s3:ObjectRemoved:Delete)`);
    return event;
  });
  const fn = str(src, fnField.value, `${path}.function`);
  if (!FUNCTION_REFERENCE.test(fn)) fail(src, fnField.value, `${path}.function must be a function name or a Lambda function ARN`);
  const n: BucketNotificationConfig = { events, function: fn };
  const id = fields.get('id');
  if (id) {
    n.id = str(src, id.value, `${path}.id`);
    if (!ID.test(n.id)) fail(src, id.value, `${path}.id must be at most 255 characters`);
  }
  const prefix = fields.get('prefix');
  if (prefix) n.prefix = str(src, prefix.value, `${path}.prefix`);
  const suffix = fields.get('suffix');
  if (suffix) n.suffix = str(src, suffix.value, `${path}.suffix`);
  return n;
}

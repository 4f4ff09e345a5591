/**
 * Publish, as SNS answers it: the request's parameters checked with SNS's errors, the topic looked
 * up (NotFound when it does not exist), FIFO rules (MessageGroupId required, deduplication within
 * five minutes, a sequence number), the subscriptions whose filter policy passes, and one pending
 * delivery for each, stored before the call answers. Deliveries then run in the background.
 */
import { createHash, randomUUID } from 'node:crypto';
import { isObject, type Json, type JsonObject } from '../../lib/json.js';
import { StatesError } from '../../asl/errors.js';
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../engine/store.js';
import { parseTopicArn } from './arns.js';
import type { DeliveryQueue } from './deliveries.js';
import { snsErrors } from './errors.js';
import { matchesFilterPolicy } from './filter-policy.js';
import { readMessageAttributes, type EnvelopeAttributes } from './message-attributes.js';
import type { Topics } from './topics.js';
import { SNS_KINDS, type Notification } from './types.js';

const PUBLISH_FIELDS = ['Message', 'MessageAttributes', 'MessageDeduplicationId', 'MessageGroupId', 'MessageStructure', 'PhoneNumber', 'Subject', 'TargetArn', 'TopicArn'];
/** SNS's limit on a message with its attributes. */
const MAX_MESSAGE_BYTES = 262_144;
/** FIFO deduplication interval. */
const DEDUP_WINDOW_MS = 5 * 60 * 1000;
const GROUP_OR_DEDUP_ID = /^[\x21-\x7E]{1,128}$/;

export interface PublishRequest {
  topicArn: string;
  /** The parameter that named the topic, for messages. */
  targetParameter: 'TopicArn' | 'TargetArn';
  message: string;
  byProtocol?: Record<string, string>;
  subject?: string;
  attributes: EnvelopeAttributes;
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

export interface PublishResult {
  messageId: string;
  sequenceNumber?: string;
}

/** Reads Publish's parameters (as a Task's Parameters or Arguments give them). */
export function readPublishRequest(params: Json, resource: string): PublishRequest {
  if (!isObject(params)) throw snsErrors.invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
  for (const key of Object.keys(params)) {
    if (!PUBLISH_FIELDS.includes(key)) throw new StatesError('States.Runtime', `The field '${key}' is not supported by Step Functions for ${resource} (Publish takes ${PUBLISH_FIELDS.join(', ')}).`);
  }
  const raw = params['Message'];
  if (raw === undefined || raw === null) throw snsErrors.validation("1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null");
  // A state machine may hand Message as JSON: SNS gets its text.
  const message = typeof raw === 'string' ? raw : JSON.stringify(raw);

  const target = readTarget(params);
  const req: PublishRequest = { ...target, message, attributes: readMessageAttributes(params['MessageAttributes']) };

  if (message === '') throw snsErrors.invalidParameter('Empty message');
  const subject = params['Subject'];
  if (subject !== undefined && subject !== null) {
    // SNS: UTF-8 text, no line breaks or control characters, under 100 characters, not blank.
    if (typeof subject !== 'string' || subject.trim() === '' || subject.length > 100 || /[\p{Cc}]/u.test(subject)) throw snsErrors.invalidParameter('Subject');
    req.subject = subject;
  }
  const structure = params['MessageStructure'];
  if (structure !== undefined && structure !== null) {
    if (structure !== 'json') throw snsErrors.invalidParameter('MessageStructure');
    req.byProtocol = perProtocolMessages(message);
    req.message = req.byProtocol['default'] as string;
  }
  const size = Buffer.byteLength(message) + Object.entries(req.attributes).reduce((n, [k, a]) => n + Buffer.byteLength(k) + Buffer.byteLength(a.Type) + Buffer.byteLength(a.Value), 0);
  if (size > MAX_MESSAGE_BYTES) throw snsErrors.invalidParameter('Message too long');
  for (const [field, key] of [['MessageGroupId', 'messageGroupId'], ['MessageDeduplicationId', 'messageDeduplicationId']] as const) {
    const v = params[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' || !GROUP_OR_DEDUP_ID.test(v)) throw snsErrors.invalidParameter(`${field} Reason: it must be 1 to 128 printable ASCII characters without spaces`);
    req[key] = v;
  }
  return req;
}

function readTarget(params: JsonObject): { topicArn: string; targetParameter: 'TopicArn' | 'TargetArn' } {
  const given = (['TopicArn', 'TargetArn', 'PhoneNumber'] as const).filter((k) => params[k] !== undefined && params[k] !== null);
  if (given.length === 0) throw snsErrors.invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
  if (given.length > 1) throw snsErrors.invalidParameter(`${given[1]} Reason: Only one of TopicArn, TargetArn or PhoneNumber may be given`);
  const key = given[0] as 'TopicArn' | 'TargetArn' | 'PhoneNumber';
  if (key === 'PhoneNumber') {
    throw snsErrors.invalidParameter('PhoneNumber Reason: Stepwise does not send SMS text messages; publish to a topic (TopicArn) with an email, http, https, file or lambda subscription instead');
  }
  const arn = params[key];
  if (typeof arn !== 'string' || arn === '') throw snsErrors.invalidParameter(key);
  if (key === 'TargetArn' && !parseTopicArn(arn) && /^arn:[^:]+:sns:[^:]*:[^:]*:endpoint\//.test(arn)) {
    throw snsErrors.invalidParameter('TargetArn Reason: Stepwise does not deliver to mobile push endpoints; publish to a topic instead');
  }
  return { topicArn: arn, targetParameter: key };
}

/** MessageStructure json: a JSON object of protocol → message, with a `default`. */
function perProtocolMessages(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw snsErrors.invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (!isObject(parsed) || typeof parsed['default'] !== 'string') throw snsErrors.invalidParameter('Message Structure - No default entry in JSON message body');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
  return out;
}

export interface PublishContext {
  store: Store;
  clock: Clock;
  topics: Topics;
  deliveries: DeliveryQueue;
}

export async function publish(ctx: PublishContext, req: PublishRequest): Promise<PublishResult> {
  const topic = await ctx.topics.require(req.topicArn, req.targetParameter);
  let result: PublishResult;
  if (topic.doc.fifo) {
    if (req.messageGroupId === undefined) throw snsErrors.invalidParameter('The MessageGroupId parameter is required for FIFO topics');
    const dedupId = req.messageDeduplicationId ?? (topic.doc.contentBasedDeduplication ? createHash('sha256').update(req.message).digest('hex') : undefined);
    if (dedupId === undefined) throw snsErrors.invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    const fresh = await claimDeduplicationId(ctx, topic.arn, dedupId);
    // A duplicate within the interval is accepted and answered with the first one's ids, but not delivered again.
    if (!fresh.first) return fresh.result;
    result = fresh.result;
  } else {
    if (req.messageDeduplicationId !== undefined) throw snsErrors.invalidParameter('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    result = { messageId: randomUUID() };
  }
  const n: Notification = {
    messageId: result.messageId,
    topicArn: topic.arn,
    message: req.message,
    attributes: req.attributes,
    timestamp: new Date(ctx.clock.now()).toISOString(),
    ...(req.byProtocol ? { byProtocol: req.byProtocol } : {}),
    ...(req.subject !== undefined ? { subject: req.subject } : {}),
    ...(result.sequenceNumber !== undefined ? { sequenceNumber: result.sequenceNumber } : {}),
    ...(req.messageGroupId !== undefined ? { messageGroupId: req.messageGroupId } : {}),
  };
  const subs = (await ctx.topics.subscriptions(topic.arn)).filter((s) => !s.doc.filterPolicy || matchesFilterPolicy(s.doc.filterPolicy, req.attributes));
  await ctx.deliveries.enqueue(n, subs, topic.doc.displayName);
  return result;
}

interface DedupDoc {
  messageId: string;
  sequenceNumber: string;
  at: number;
}

/**
 * Records a deduplication id for this topic unless it was seen within five minutes. New: a fresh
 * message id and the topic's next sequence number. Seen: the first message's ids.
 */
async function claimDeduplicationId(ctx: PublishContext, topicArn: string, dedupId: string): Promise<{ first: boolean; result: PublishResult }> {
  const key = `${topicArn}#${dedupId}`;
  for (;;) {
    const now = ctx.clock.now();
    const seen = await ctx.store.getResource(SNS_KINDS.dedup, key);
    const prior = seen?.doc as unknown as DedupDoc | undefined;
    if (prior && prior.at > now - DEDUP_WINDOW_MS) return { first: false, result: { messageId: prior.messageId, sequenceNumber: prior.sequenceNumber } };
    const sequence = (await ctx.topics.updateDoc(topicArn, (d) => ({ ...d, sequence: d.sequence + 1 }))).sequence;
    const doc: DedupDoc = { messageId: randomUUID(), sequenceNumber: (10n ** 19n + BigInt(sequence)).toString(), at: now };
    const written = seen
      ? await ctx.store.updateResource(SNS_KINDS.dedup, key, doc as unknown as Json, seen.revision, now)
      : await ctx.store.createResource(SNS_KINDS.dedup, key, dedupId, doc as unknown as Json, now);
    if (written) return { first: true, result: { messageId: doc.messageId, sequenceNumber: doc.sequenceNumber } };
  }
}

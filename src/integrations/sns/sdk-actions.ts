/**
 * The `arn:aws:states:::aws-sdk:sns:*` actions Stepwise answers besides publish: createTopic,
 * deleteTopic, listTopics, getTopicAttributes, subscribe, unsubscribe, listSubscriptions and
 * listSubscriptionsByTopic, with the SNS API's member names and result shapes. The Query API
 * (query-api.ts) answers with them too.
 */
import { isObject, type Json, type JsonObject } from '../../lib/json.js';
import { StatesError } from '../../asl/errors.js';
import { HTTP_DELIVERY_POLICY } from '../../lib/sns-rules.js';
import { isFifoName, maskEndpoint } from './arns.js';
import { snsErrors } from './errors.js';
import type { Subscription, Topics } from './topics.js';
import { PROTOCOLS, type DeliveryPolicy, type Protocol, type SubscriptionDeclaration } from './types.js';

const PAGE = 100;
const TOPIC_ATTRIBUTES = ['DisplayName', 'FifoTopic', 'ContentBasedDeduplication'];
const SUBSCRIPTION_ATTRIBUTES = ['RawMessageDelivery', 'FilterPolicy', 'FilterPolicyScope', 'DeliveryPolicy'];

export const SDK_ACTIONS = ['publish', 'createTopic', 'deleteTopic', 'listTopics', 'getTopicAttributes', 'subscribe', 'unsubscribe', 'listSubscriptions', 'listSubscriptionsByTopic'] as const;

function text(params: JsonObject, key: string, required: true): string;
function text(params: JsonObject, key: string, required?: false): string | undefined;
function text(params: JsonObject, key: string, required = false): string | undefined {
  const v = params[key];
  if (v === undefined || v === null) {
    if (required) throw snsErrors.validation(`1 validation error detected: Value null at '${key.charAt(0).toLowerCase()}${key.slice(1)}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof v !== 'string') throw snsErrors.invalidParameter(key);
  return v;
}

function attributes(params: JsonObject, known: string[]): Record<string, string> {
  const a = params['Attributes'];
  if (a === undefined || a === null) return {};
  if (!isObject(a)) throw snsErrors.invalidParameter('Attributes');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a)) {
    if (!known.includes(k)) throw snsErrors.invalidParameter(`Attributes Reason: Stepwise does not support the attribute ${k} (it knows ${known.join(', ')})`);
    if (typeof v !== 'string') throw snsErrors.invalidParameter(`Attributes Reason: ${k} must be a string`);
    out[k] = v;
  }
  return out;
}

function flag(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw snsErrors.invalidParameter(`Attributes Reason: ${name}: Invalid value [${value}]. Must be true or false.`);
  return value === 'true';
}

function jsonAttribute(value: string, name: string): Json {
  try {
    return JSON.parse(value) as Json;
  } catch {
    throw snsErrors.invalidParameter(`${name}: failed to parse JSON.`);
  }
}

export async function createTopic(topics: Topics, params: JsonObject): Promise<Json> {
  const name = text(params, 'Name', true);
  const attrs = attributes(params, TOPIC_ATTRIBUTES);
  const fifo = flag(attrs['FifoTopic'], 'FifoTopic') ?? false;
  if (fifo !== isFifoName(name)) {
    throw snsErrors.invalidParameter(
      fifo ? 'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.' : 'Topic Name',
    );
  }
  const cbd = flag(attrs['ContentBasedDeduplication'], 'ContentBasedDeduplication');
  const arn = await topics.create(name, { ...(attrs['DisplayName'] ? { displayName: attrs['DisplayName'] } : {}), ...(cbd ? { contentBasedDeduplication: true } : {}) });
  return { TopicArn: arn };
}

export async function deleteTopic(topics: Topics, params: JsonObject): Promise<Json> {
  await topics.delete(text(params, 'TopicArn', true));
  return {};
}

export async function listTopics(topics: Topics, params: JsonObject): Promise<Json> {
  const after = text(params, 'NextToken');
  const page = await topics.list(PAGE + 1, after === undefined ? undefined : Buffer.from(after, 'base64url').toString());
  const shown = page.slice(0, PAGE);
  const out: JsonObject = { Topics: shown.map((t) => ({ TopicArn: t.arn })) };
  if (page.length > PAGE) out['NextToken'] = Buffer.from(shown[shown.length - 1]?.arn ?? '').toString('base64url');
  return out;
}

export async function subscribe(topics: Topics, params: JsonObject): Promise<Json> {
  const topic = await topics.require(text(params, 'TopicArn', true));
  const protocol = text(params, 'Protocol', true);
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) throw snsErrors.invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
  const endpoint = text(params, 'Endpoint', true);
  const attrs = attributes(params, SUBSCRIPTION_ATTRIBUTES);
  if (attrs['FilterPolicyScope'] !== undefined && attrs['FilterPolicyScope'] !== 'MessageAttributes') {
    throw snsErrors.invalidParameter('Attributes Reason: Stepwise filters on MessageAttributes only (FilterPolicyScope MessageBody is not supported)');
  }
  const raw = flag(attrs['RawMessageDelivery'], 'RawMessageDelivery');
  const decl: SubscriptionDeclaration = {
    protocol: protocol as Protocol,
    endpoint,
    ...(raw !== undefined ? { rawMessageDelivery: raw } : {}),
    ...(attrs['FilterPolicy'] !== undefined ? { filterPolicy: jsonAttribute(attrs['FilterPolicy'], 'FilterPolicy') as JsonObject } : {}),
    ...(attrs['DeliveryPolicy'] !== undefined ? { deliveryPolicy: healthyRetryPolicy(jsonAttribute(attrs['DeliveryPolicy'], 'DeliveryPolicy')) } : {}),
  };
  return { SubscriptionArn: await topics.subscribe(topic, decl) };
}

/** SNS's DeliveryPolicy attribute: `{"healthyRetryPolicy": {...}}`. */
function healthyRetryPolicy(doc: Json): Partial<DeliveryPolicy> {
  const p = isObject(doc) ? doc['healthyRetryPolicy'] : undefined;
  if (!isObject(p)) throw snsErrors.invalidParameter('DeliveryPolicy: Stepwise reads its healthyRetryPolicy only');
  return p as unknown as Partial<DeliveryPolicy>;
}

export async function unsubscribe(topics: Topics, params: JsonObject): Promise<Json> {
  await topics.unsubscribe(text(params, 'SubscriptionArn', true));
  return {};
}

export async function listSubscriptionsByTopic(topics: Topics, params: JsonObject): Promise<Json> {
  const topic = await topics.require(text(params, 'TopicArn', true));
  const after = text(params, 'NextToken');
  const from = after === undefined ? undefined : Buffer.from(after, 'base64url').toString();
  const all = (await topics.subscriptions(topic.arn)).filter((s) => from === undefined || s.arn > from);
  const shown = all.slice(0, PAGE);
  const out: JsonObject = { Subscriptions: shown.map((s) => subscriptionMember(topics, s)) };
  if (all.length > PAGE) out['NextToken'] = Buffer.from(shown[shown.length - 1]?.arn ?? '').toString('base64url');
  return out;
}

export async function listSubscriptions(topics: Topics, params: JsonObject): Promise<Json> {
  const after = text(params, 'NextToken');
  const page = await topics.allSubscriptions(PAGE + 1, after === undefined ? undefined : Buffer.from(after, 'base64url').toString());
  const shown = page.slice(0, PAGE);
  const out: JsonObject = { Subscriptions: shown.map((s) => subscriptionMember(topics, s)) };
  if (page.length > PAGE) out['NextToken'] = Buffer.from(shown[shown.length - 1]?.arn ?? '').toString('base64url');
  return out;
}

function subscriptionMember(topics: Topics, s: Subscription): JsonObject {
  return { SubscriptionArn: s.arn, Owner: topics.account, Protocol: s.doc.protocol, Endpoint: maskEndpoint(s.doc.endpoint), TopicArn: s.doc.topicArn };
}

/**
 * GetTopicAttributes with the attributes SNS reports for a topic: its default access policy,
 * owner, subscription counts (Stepwise confirms every subscription at once, so none is pending),
 * DisplayName (empty when unset), the effective HTTP delivery policy, and the FIFO attributes.
 */
export async function getTopicAttributes(topics: Topics, params: JsonObject): Promise<Json> {
  const topic = await topics.require(text(params, 'TopicArn', true));
  const subscriptions = await topics.subscriptions(topic.arn);
  const p = HTTP_DELIVERY_POLICY;
  const effectiveDeliveryPolicy = {
    http: {
      defaultHealthyRetryPolicy: { minDelayTarget: p.minDelayTarget, maxDelayTarget: p.maxDelayTarget, numRetries: p.numRetries, numMaxDelayRetries: p.numMaxDelayRetries, numNoDelayRetries: p.numNoDelayRetries, numMinDelayRetries: p.numMinDelayRetries, backoffFunction: p.backoffFunction },
      disableSubscriptionOverrides: false,
      defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
    },
  };
  const attributes: JsonObject = {
    Policy: JSON.stringify(defaultTopicPolicy(topic.arn, topics.account)),
    Owner: topics.account,
    SubscriptionsPending: '0',
    TopicArn: topic.arn,
    EffectiveDeliveryPolicy: JSON.stringify(effectiveDeliveryPolicy),
    SubscriptionsConfirmed: String(subscriptions.length),
    DisplayName: topic.doc.displayName ?? '',
    SubscriptionsDeleted: '0',
    ...(topic.doc.fifo ? { FifoTopic: 'true', ContentBasedDeduplication: String(topic.doc.contentBasedDeduplication) } : {}),
  };
  return { Attributes: attributes };
}

/** The access policy SNS gives a new topic: its owner's account may do everything with it. */
function defaultTopicPolicy(arn: string, account: string): Json {
  return {
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': account } },
      },
    ],
  };
}

export function unsupportedAction(action: string): StatesError {
  return new StatesError('States.Runtime', `Stepwise does not implement arn:aws:states:::aws-sdk:sns:${action} (it answers ${SDK_ACTIONS.join(', ')}).`);
}

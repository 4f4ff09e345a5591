/**
 * The `topics` section (SNS topics, by name, with their subscriptions) and the `smtp` section (the
 * server that email subscriptions are sent through). Everything SNS would refuse in a Subscribe
 * call is refused here with its line, and so is an email subscription without an smtp section.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import { resolve } from 'node:path';
import { deliveryPolicyProblem, filterConditionProblem, isFifoTopicName, isValidTopicName, MAX_FILTER_KEYS, type DeliveryPolicy } from '../lib/sns-rules.js';
import { BACKOFF_FUNCTIONS, DEFAULTS, SUBSCRIPTION_PROTOCOLS, type DeliveryPolicyConfig, type FilterPolicyValue, type SmtpConfig, type SubscriptionConfig, type SubscriptionProtocol, type TopicConfig } from './types.js';
import { bool, entries, fail, int, list, str, type Source, type YamlNode } from './yaml-nodes.js';

const TOPIC_KEYS = ['displayName', 'contentBasedDeduplication', 'subscriptions'] as const;
const SUBSCRIPTION_KEYS = ['protocol', 'endpoint', 'rawMessageDelivery', 'filterPolicy', 'deliveryPolicy'] as const;
const DELIVERY_POLICY_KEYS = ['numRetries', 'numNoDelayRetries', 'numMinDelayRetries', 'numMaxDelayRetries', 'minDelayTarget', 'maxDelayTarget', 'backoffFunction'] as const;
const SMTP_KEYS = ['host', 'port', 'secure', 'requireTLS', 'rejectUnauthorized', 'auth', 'from'] as const;
const AUTH_KEYS = ['user', 'pass'] as const;
const EMAIL = /^[^@\s<>]+@[^@\s<>]+$/;
/** `address` or `Name <address>`. */
const SENDER = /^(?:[^<>]*<[^@\s<>]+@[^@\s<>]+>|[^@\s<>]+@[^@\s<>]+)$/;
const FUNCTION_ENDPOINT = /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/;

/** Email and email-json subscriptions, with where they are, so that one without an smtp section is refused at its line. */
export interface EmailSubscriptionRef {
  node: YamlNode;
  path: string;
}

export function readTopics(src: Source, node: YamlNode, baseDir: string, emails: EmailSubscriptionRef[]): TopicConfig[] {
  const out: TopicConfig[] = [];
  for (const [name, { key, value }] of entries(src, node, 'topics')) {
    const path = `topics.${name}`;
    if (!isValidTopicName(name)) {
      fail(src, key, `topic name '${name}' must be 1 to 256 letters, digits, '-' or '_' (as SNS's), with '.fifo' at the end of a FIFO topic's`);
    }
    const fifo = isFifoTopicName(name);
    const fields = entries(src, value, path, TOPIC_KEYS);
    const topic: TopicConfig = { name, subscriptions: [] };
    const displayName = fields.get('displayName');
    if (displayName) {
      topic.displayName = str(src, displayName.value, `${path}.displayName`);
      if (topic.displayName.length > 100) fail(src, displayName.value, `${path}.displayName must be at most 100 characters`);
    }
    const cbd = fields.get('contentBasedDeduplication');
    if (cbd) {
      if (!fifo) fail(src, cbd.key, `${path}.contentBasedDeduplication applies to FIFO topics only (a name ending in .fifo)`);
      topic.contentBasedDeduplication = bool(src, cbd.value, `${path}.contentBasedDeduplication`);
    }
    const subs = fields.get('subscriptions');
    const seen = new Set<string>();
    for (const [i, item] of (subs ? list(src, subs.value, `${path}.subscriptions`) : []).entries()) {
      const sub = readSubscription(src, item, `${path}.subscriptions[${i}]`, baseDir, fifo);
      const id = `${sub.protocol}\n${sub.endpoint}`;
      if (seen.has(id)) fail(src, item, `${path}.subscriptions[${i}] repeats an earlier subscription (the same protocol and endpoint)`);
      seen.add(id);
      if (sub.protocol === 'email' || sub.protocol === 'email-json') emails.push({ node: item, path: `${path}.subscriptions[${i}]` });
      topic.subscriptions.push(sub);
    }
    out.push(topic);
  }
  return out;
}

function readSubscription(src: Source, node: YamlNode, path: string, baseDir: string, fifo: boolean): SubscriptionConfig {
  const fields = entries(src, node, path, SUBSCRIPTION_KEYS);
  const protocolField = fields.get('protocol');
  const endpointField = fields.get('endpoint');
  if (!protocolField || !endpointField) fail(src, node, `${path} needs a protocol (${SUBSCRIPTION_PROTOCOLS.join(', ')}) and an endpoint`);
  const protocolText = str(src, protocolField.value, `${path}.protocol`);
  if (!(SUBSCRIPTION_PROTOCOLS as readonly string[]).includes(protocolText)) fail(src, protocolField.value, `${path}.protocol must be one of ${SUBSCRIPTION_PROTOCOLS.join(', ')}`);
  const protocol = protocolText as SubscriptionProtocol;
  const endpointText = str(src, endpointField.value, `${path}.endpoint`);
  const endpoint = readEndpoint(src, endpointField.value, `${path}.endpoint`, protocol, endpointText, baseDir);
  if (fifo && protocol !== 'file') {
    fail(src, protocolField.value, `${path}: a FIFO topic delivers only to Amazon SQS queues on AWS, which Stepwise does not have; it takes only file subscriptions here`);
  }
  const sub: SubscriptionConfig = { protocol, endpoint };
  const http = protocol === 'http' || protocol === 'https';
  const raw = fields.get('rawMessageDelivery');
  if (raw) {
    if (!http) fail(src, raw.key, `${path}.rawMessageDelivery applies to http and https subscriptions only (as on SNS)`);
    sub.rawMessageDelivery = bool(src, raw.value, `${path}.rawMessageDelivery`);
  }
  const filter = fields.get('filterPolicy');
  if (filter) sub.filterPolicy = readFilterPolicy(src, filter.value, `${path}.filterPolicy`);
  const policy = fields.get('deliveryPolicy');
  if (policy) {
    if (!http) fail(src, policy.key, `${path}.deliveryPolicy applies to http and https subscriptions only (SNS's policies for other protocols are fixed)`);
    sub.deliveryPolicy = readDeliveryPolicy(src, policy.value, `${path}.deliveryPolicy`);
  }
  return sub;
}

function readEndpoint(src: Source, node: YamlNode, path: string, protocol: SubscriptionProtocol, text: string, baseDir: string): string {
  switch (protocol) {
    case 'http':
    case 'https': {
      let scheme: string | undefined;
      try {
        scheme = new URL(text).protocol;
      } catch {
        scheme = undefined;
      }
      if (scheme !== `${protocol}:`) fail(src, node, `${path} must be an ${protocol}:// URL (the protocol and the URL's scheme must match, as on SNS)`);
      return text;
    }
    case 'email':
    case 'email-json':
      if (!EMAIL.test(text)) fail(src, node, `${path} must be an email address`);
      return text;
    case 'file':
      return resolve(baseDir, text);
    case 'lambda':
      if (!FUNCTION_ENDPOINT.test(text)) fail(src, node, `${path} must be a function name or a Lambda function ARN`);
      return text;
  }
}

function readFilterPolicy(src: Source, node: YamlNode, path: string): { [attribute: string]: FilterPolicyValue } {
  const attrs = entries(src, node, path);
  if (attrs.size === 0) fail(src, node, `${path} needs at least one message attribute`);
  if (attrs.size > MAX_FILTER_KEYS) fail(src, node, `${path} may name at most ${MAX_FILTER_KEYS} message attributes (as SNS's)`);
  const policy: { [attribute: string]: FilterPolicyValue } = {};
  for (const [name, { key, value }] of attrs) {
    if (name === '$or') fail(src, key, `${path}: '$or' is not supported by Stepwise's filter policies`);
    const conditions = list(src, value, `${path}.${name}`);
    if (conditions.length === 0) fail(src, value ?? key, `${path}.${name} must be a non-empty list of conditions`);
    policy[name] = conditions.map((c, i) => {
      const json = yamlJson(src, c, `${path}.${name}[${i}]`);
      const why = filterConditionProblem(json);
      if (why) fail(src, c, `${path}.${name}[${i}]: ${why}`);
      return json;
    });
  }
  return policy;
}

/** A YAML value as JSON (strings, numbers, booleans, lists and maps; no nulls or aliases). */
function yamlJson(src: Source, node: YamlNode, path: string): FilterPolicyValue {
  if (isAlias(node)) fail(src, node, `aliases (*${node.source}) are not supported in ${src.file}: write the value out`);
  if (isMap(node)) {
    const out: { [key: string]: FilterPolicyValue } = {};
    for (const [k, { value }] of entries(src, node, path)) out[k] = yamlJson(src, value, `${path}.${k}`);
    return out;
  }
  if (isSeq(node)) return list(src, node, path).map((item, i) => yamlJson(src, item, `${path}[${i}]`));
  const v = isScalar(node) ? node.value : undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  fail(src, node, `${path} must be a string, a number, true or false, a list or a map`);
}

function readDeliveryPolicy(src: Source, node: YamlNode, path: string): DeliveryPolicyConfig {
  const policy: DeliveryPolicyConfig = {};
  for (const [name, { value }] of entries(src, node, path, DELIVERY_POLICY_KEYS)) {
    if (name === 'backoffFunction') {
      const fn = str(src, value, `${path}.backoffFunction`);
      if (!(BACKOFF_FUNCTIONS as readonly string[]).includes(fn)) fail(src, value, `${path}.backoffFunction must be one of ${BACKOFF_FUNCTIONS.join(', ')}`);
      policy.backoffFunction = fn as DeliveryPolicy['backoffFunction'];
    } else {
      const min = name === 'minDelayTarget' || name === 'maxDelayTarget' ? 1 : 0;
      const max = min === 1 ? 3600 : 100;
      policy[name as Exclude<(typeof DELIVERY_POLICY_KEYS)[number], 'backoffFunction'>] = int(src, value, `${path}.${name}`, min, max);
    }
  }
  const why = deliveryPolicyProblem(policy);
  if (why) fail(src, node, `${path}: ${why}`);
  return policy;
}

export function readSmtp(src: Source, node: YamlNode): SmtpConfig {
  const fields = entries(src, node, 'smtp', SMTP_KEYS);
  const host = fields.get('host');
  const from = fields.get('from');
  if (!host || !from) fail(src, node, `smtp needs ${[host ? '' : "'host'", from ? '' : "'from' (the sender's address)"].filter(Boolean).join(' and ')}`);
  const secureField = fields.get('secure');
  const secure = secureField ? bool(src, secureField.value, 'smtp.secure') : false;
  const port = fields.get('port');
  const smtp: SmtpConfig = {
    host: str(src, host.value, 'smtp.host'),
    port: port ? int(src, port.value, 'smtp.port', 1, 65535) : secure ? DEFAULTS.smtpsPort : DEFAULTS.smtpPort,
    secure,
    from: str(src, from.value, 'smtp.from'),
  };
  if (!SENDER.test(smtp.from)) fail(src, from.value, "smtp.from must be an email address, or 'Name <address>'");
  const requireTLS = fields.get('requireTLS');
  if (requireTLS) smtp.requireTLS = bool(src, requireTLS.value, 'smtp.requireTLS');
  const reject = fields.get('rejectUnauthorized');
  if (reject) smtp.rejectUnauthorized = bool(src, reject.value, 'smtp.rejectUnauthorized');
  const auth = fields.get('auth');
  if (auth) {
    const pair = entries(src, auth.value, 'smtp.auth', AUTH_KEYS);
    const user = pair.get('user');
    const pass = pair.get('pass');
    if (!user || !pass) fail(src, auth.value ?? auth.key, 'smtp.auth needs both user and pass');
    smtp.auth = { user: str(src, user.value, 'smtp.auth.user'), pass: str(src, pass.value, 'smtp.auth.pass') };
  }
  return smtp;
}

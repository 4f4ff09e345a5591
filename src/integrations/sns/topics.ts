/**
 * Topics and subscriptions kept as store resource records (kinds `snsTopic`, `snsSubscription`),
 * so every node of a cluster sees the same ones. A subscription's ARN starts with its topic's, so
 * a topic's subscriptions are listed by ARN prefix.
 *
 * Subscriptions are confirmed at once: Stepwise sends no SubscriptionConfirmation message.
 */
import type { Json } from '../../lib/json.js';
import type { Clock } from '../../engine/clock.js';
import type { ResourceRecord, Store } from '../../engine/store.js';
import { isFifoName, isValidTopicName, parseTopicArn, subscriptionArn, topicArn } from './arns.js';
import { snsErrors } from './errors.js';
import { filterPolicyProblem } from './filter-policy.js';
import { deliveryPolicyProblem } from '../../lib/sns-rules.js';
import { PROTOCOLS, SNS_KINDS, type Protocol, type SubscriptionDeclaration, type SubscriptionDoc, type TopicDeclaration, type TopicDoc } from './types.js';

const PAGE = 500;
const EMAIL = /^[^@\s<>]+@[^@\s<>]+$/;

export interface TopicAttributes {
  displayName?: string;
  contentBasedDeduplication?: boolean;
}

export interface Topic {
  arn: string;
  name: string;
  doc: TopicDoc;
  revision: number;
}

export interface Subscription {
  arn: string;
  doc: SubscriptionDoc;
}

export class Topics {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    readonly region: string,
    readonly account: string,
  ) {}

  arnOf(name: string): string {
    return topicArn(this.region, this.account, name);
  }

  /** CreateTopic: idempotent for the same attributes; a different DisplayName or deduplication setting is refused, as SNS does. */
  async create(name: string, attrs: TopicAttributes, declared = false): Promise<string> {
    if (!isValidTopicName(name)) {
      throw snsErrors.invalidParameter(
        isFifoName(name)
          ? 'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.'
          : 'Topic Name',
      );
    }
    const fifo = isFifoName(name);
    if (attrs.contentBasedDeduplication && !fifo) throw snsErrors.invalidParameter('Attributes Reason: ContentBasedDeduplication can only be set for FIFO topics');
    const arn = this.arnOf(name);
    const doc: TopicDoc = { fifo, contentBasedDeduplication: attrs.contentBasedDeduplication ?? false, declared, sequence: 0, ...(attrs.displayName ? { displayName: attrs.displayName } : {}) };
    if (await this.store.createResource(SNS_KINDS.topic, arn, name, doc as unknown as Json, this.clock.now())) return arn;
    const existing = await this.get(arn);
    if (!existing) return this.create(name, attrs, declared);
    const same = (existing.doc.displayName ?? '') === (doc.displayName ?? '') && existing.doc.contentBasedDeduplication === doc.contentBasedDeduplication;
    if (!same && !declared) throw snsErrors.invalidParameter('Attributes Reason: Topic already exists with different attributes');
    if (!same || (declared && !existing.doc.declared)) await this.updateDoc(arn, (d) => ({ ...d, ...doc, sequence: d.sequence, declared: d.declared || declared }));
    return arn;
  }

  async get(arn: string): Promise<Topic | undefined> {
    const rec = await this.store.getResource(SNS_KINDS.topic, arn);
    return rec ? { arn: rec.arn, name: rec.name, doc: rec.doc as unknown as TopicDoc, revision: rec.revision } : undefined;
  }

  /** A topic by ARN, or SNS's NotFound. A malformed ARN is SNS's InvalidParameter, naming the parameter. */
  async require(arn: string, parameter = 'TopicArn'): Promise<Topic> {
    if (!parseTopicArn(arn)) throw snsErrors.invalidParameter(parameter);
    const topic = await this.get(arn);
    if (!topic) throw snsErrors.topicNotFound();
    return topic;
  }

  /** Topics by ARN, `limit` at most, after the `after` cursor. */
  async list(limit: number, after?: string): Promise<Topic[]> {
    const recs = await this.store.listResources(SNS_KINDS.topic, { limit, ...(after !== undefined ? { afterArn: after } : {}) });
    return recs.map((r) => ({ arn: r.arn, name: r.name, doc: r.doc as unknown as TopicDoc, revision: r.revision }));
  }

  /** DeleteTopic with its subscriptions; deleting a topic that does not exist succeeds, as on SNS. */
  async delete(arn: string): Promise<void> {
    for (const sub of await this.subscriptions(arn)) await this.store.deleteResource(SNS_KINDS.subscription, sub.arn);
    await this.store.deleteResource(SNS_KINDS.topic, arn);
  }

  /** Replaces a topic's document by `change`, retrying when another writer got there first. */
  async updateDoc(arn: string, change: (doc: TopicDoc) => TopicDoc): Promise<TopicDoc> {
    for (;;) {
      const topic = await this.get(arn);
      if (!topic) throw snsErrors.topicNotFound();
      const next = change(topic.doc);
      if (await this.store.updateResource(SNS_KINDS.topic, arn, next as unknown as Json, topic.revision, this.clock.now())) return next;
    }
  }

  /** Subscribe: the same protocol and endpoint again gives the same subscription (its settings replaced). */
  async subscribe(topic: Topic, decl: SubscriptionDeclaration, declared = false): Promise<string> {
    const problem = subscriptionProblem(decl, topic.doc.fifo);
    if (problem) throw snsErrors.invalidParameter(problem);
    const arn = subscriptionArn(topic.arn, decl.protocol, decl.endpoint);
    const doc: SubscriptionDoc = {
      topicArn: topic.arn,
      protocol: decl.protocol,
      endpoint: decl.endpoint,
      rawMessageDelivery: decl.rawMessageDelivery ?? false,
      ...(decl.filterPolicy ? { filterPolicy: decl.filterPolicy } : {}),
      ...(decl.deliveryPolicy ? { deliveryPolicy: decl.deliveryPolicy } : {}),
      declared,
    };
    const now = this.clock.now();
    if (await this.store.createResource(SNS_KINDS.subscription, arn, decl.protocol, doc as unknown as Json, now)) return arn;
    for (;;) {
      const rec = await this.store.getResource(SNS_KINDS.subscription, arn);
      if (!rec) return this.subscribe(topic, decl, declared);
      const merged = { ...doc, declared: declared || (rec.doc as unknown as SubscriptionDoc).declared };
      if (await this.store.updateResource(SNS_KINDS.subscription, arn, merged as unknown as Json, rec.revision, now)) return arn;
    }
  }

  async unsubscribe(arn: string): Promise<void> {
    if (!(await this.store.deleteResource(SNS_KINDS.subscription, arn))) throw snsErrors.subscriptionNotFound();
  }

  /** A topic's subscriptions, in ARN order. */
  async subscriptions(topic: string): Promise<Subscription[]> {
    const out: Subscription[] = [];
    let after: string | undefined;
    for (;;) {
      const page: ResourceRecord[] = await this.store.listResources(SNS_KINDS.subscription, { arnPrefix: `${topic}:`, limit: PAGE, ...(after ? { afterArn: after } : {}) });
      for (const r of page) out.push({ arn: r.arn, doc: r.doc as unknown as SubscriptionDoc });
      if (page.length < PAGE) return out;
      after = page[page.length - 1]?.arn;
    }
  }

  /** Every topic's subscriptions, in ARN order, `limit` at most, after the `after` cursor (ListSubscriptions). */
  async allSubscriptions(limit: number, after?: string): Promise<Subscription[]> {
    const recs = await this.store.listResources(SNS_KINDS.subscription, { limit, ...(after !== undefined ? { afterArn: after } : {}) });
    return recs.map((r) => ({ arn: r.arn, doc: r.doc as unknown as SubscriptionDoc }));
  }

  /**
   * Makes the store hold the configuration's topics and subscriptions: creates what is missing,
   * updates what changed, and removes subscriptions the configuration declared before but no
   * longer does (those made through the API are left alone). Safe when several nodes start at once.
   */
  async applyDeclarations(decls: readonly TopicDeclaration[]): Promise<void> {
    for (const t of decls) {
      const arn = await this.create(t.name, { ...(t.displayName ? { displayName: t.displayName } : {}), ...(t.contentBasedDeduplication ? { contentBasedDeduplication: true } : {}) }, true);
      const topic = await this.require(arn);
      const wanted = new Set<string>();
      for (const s of t.subscriptions) wanted.add(await this.subscribe(topic, s, true));
      for (const sub of await this.subscriptions(arn)) {
        if (sub.doc.declared && !wanted.has(sub.arn)) await this.store.deleteResource(SNS_KINDS.subscription, sub.arn);
      }
    }
  }
}

/** What SNS would refuse in a subscription (the text after `Invalid parameter: `), or undefined. */
export function subscriptionProblem(s: SubscriptionDeclaration, fifo: boolean): string | undefined {
  if (!(PROTOCOLS as readonly string[]).includes(s.protocol)) return `Amazon SNS does not support this protocol string: ${String(s.protocol)}`;
  const p: Protocol = s.protocol;
  if (typeof s.endpoint !== 'string' || s.endpoint === '') return 'Endpoint';
  if ((p === 'http' || p === 'https') && !urlOfScheme(s.endpoint, p)) return 'Endpoint must match the specified protocol';
  if ((p === 'email' || p === 'email-json') && !EMAIL.test(s.endpoint)) return 'Email address';
  if (p === 'lambda' && !/^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/.test(s.endpoint)) return 'Lambda endpoint must be a function name or ARN';
  if (fifo && p !== 'file') return `Endpoint Reason: FIFO topics deliver only to Amazon SQS queues, which Stepwise does not have (protocol ${p}); a FIFO topic takes only file subscriptions here`;
  if (s.rawMessageDelivery && p !== 'http' && p !== 'https') return `Attributes Reason: RawMessageDelivery applies to http and https subscriptions, not ${p}`;
  if (s.filterPolicy !== undefined) {
    const why = filterPolicyProblem(s.filterPolicy);
    if (why) return `FilterPolicy: ${why}`;
  }
  if (s.deliveryPolicy !== undefined) {
    if (p !== 'http' && p !== 'https') return `DeliveryPolicy: only http and https subscriptions take a delivery policy, not ${p}`;
    const why = deliveryPolicyProblem(s.deliveryPolicy);
    if (why) return `DeliveryPolicy: ${why}`;
  }
  return undefined;
}

function urlOfScheme(text: string, scheme: 'http' | 'https'): boolean {
  try {
    return new URL(text).protocol === `${scheme}:`;
  } catch {
    return false;
  }
}

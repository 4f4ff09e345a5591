/**
 * SNS as Stepwise keeps it: what a configuration declares (topics, subscriptions, the SMTP
 * server) and the documents of the store's resource records (topics, subscriptions, deliveries).
 * Wire names (`TopicArn`, `MessageAttributes`) stay verbatim where they cross to AWS shapes.
 */
import type { Json, JsonObject } from '../../lib/json.js';
import type { DeliveryPolicy } from '../../lib/sns-rules.js';

/** The subscription protocols Stepwise delivers to. `file` is Stepwise's own (one JSON line per delivery). */
export const PROTOCOLS = ['http', 'https', 'email', 'email-json', 'file', 'lambda'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export type { BackoffFunction, DeliveryPolicy } from '../../lib/sns-rules.js';

/** SNS filter policy (attribute scope): attribute name → list of accepted conditions. */
export type FilterPolicy = JsonObject;

/** A subscription as a configuration (or the Subscribe call) declares it. */
export interface SubscriptionDeclaration {
  readonly protocol: Protocol;
  /** URL, email address, file path (absolute, or relative to the working directory), or function name or ARN. */
  readonly endpoint: string;
  /** http/https: POST the message alone instead of the JSON envelope. */
  readonly rawMessageDelivery?: boolean;
  readonly filterPolicy?: FilterPolicy;
  /** http/https only (as on SNS): overrides the protocol's retry policy. */
  readonly deliveryPolicy?: Partial<DeliveryPolicy>;
}

export interface TopicDeclaration {
  /** The topic name; a name ending in `.fifo` declares a FIFO topic. */
  readonly name: string;
  /** SNS's DisplayName: the sender name of email notifications. */
  readonly displayName?: string;
  /** FIFO topics only. */
  readonly contentBasedDeduplication?: boolean;
  readonly subscriptions: readonly SubscriptionDeclaration[];
}

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (SMTPS, usually port 465); otherwise STARTTLS when the server offers it. */
  readonly secure: boolean;
  /** Refuse to send unless STARTTLS succeeds. */
  readonly requireTLS?: boolean;
  /** Verify the server's certificate (default true). */
  readonly rejectUnauthorized?: boolean;
  readonly auth?: { readonly user: string; readonly pass: string };
  /** The sender: `address@example.com` or `Name <address@example.com>`. */
  readonly from: string;
}

/** Store resource kinds. */
export const SNS_KINDS = {
  topic: 'snsTopic',
  subscription: 'snsSubscription',
  delivery: 'snsDelivery',
  /** One record per delivery still to be attempted, so a restart finds them without a scan of all deliveries. */
  pending: 'snsDeliveryPending',
  /** FIFO deduplication ids seen in the last five minutes, named `<topicArn>#<id>`. */
  dedup: 'snsDedup',
} as const;

export interface TopicDoc {
  displayName?: string;
  fifo: boolean;
  contentBasedDeduplication: boolean;
  /** Declared by the configuration (re-applied at start) rather than created through the API. */
  declared: boolean;
  /** FIFO topics: the last sequence number given. */
  sequence: number;
}

export interface SubscriptionDoc {
  topicArn: string;
  protocol: Protocol;
  endpoint: string;
  rawMessageDelivery: boolean;
  filterPolicy?: FilterPolicy;
  deliveryPolicy?: Partial<DeliveryPolicy>;
  declared: boolean;
}

/** One published message, as every delivery of it needs it. */
export interface Notification {
  messageId: string;
  topicArn: string;
  /** The message every protocol gets, unless `byProtocol` (MessageStructure json) names another. */
  message: string;
  byProtocol?: Record<string, string>;
  subject?: string;
  /** In the envelope's form: name → {Type, Value}. */
  attributes: Record<string, { Type: string; Value: string }>;
  /** ISO 8601, milliseconds, UTC. */
  timestamp: string;
  sequenceNumber?: string;
  messageGroupId?: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryRecord {
  deliveryId: string;
  messageId: string;
  topicArn: string;
  subscriptionArn: string;
  protocol: Protocol;
  /** The endpoint with any password in a URL masked. */
  endpoint: string;
  status: DeliveryStatus;
  attempts: number;
  /** The most attempts the retry policy allows. */
  maxAttempts: number;
  lastError?: string;
  /** http/https: the last response's status code. */
  lastStatusCode?: number;
  /** Epoch ms. */
  publishedAt: number;
  firstAttemptAt?: number;
  lastAttemptAt?: number;
  nextAttemptAt?: number;
  finishedAt?: number;
  /** Delays between attempts so far, ms (for the console and tests). */
  delaysMs: number[];
  /** Held while a node attempts it, so a cluster never attempts one delivery twice at once. */
  leaseOwner?: string;
  leaseUntil?: number;
}

export type { Json };

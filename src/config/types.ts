/** The resolved configuration of `stepwise serve`, and its defaults in one place. */
import type { ServiceLimits } from '../service/limits.js';
import type { Json } from '../lib/json.js';

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A local Lambda function, declared as AWS Lambda declares one. */
export interface FunctionConfig {
  /** The function's name: its ARN is arn:aws:lambda:<region>:<account>:function:<name>. */
  name: string;
  /** The `code` folder, absolute. */
  codeDir: string;
  /** `handler` as written: `<file without extension>.<export>`. */
  handler: string;
  /** The module `handler` names, absolute, with the extension found (.js, .mjs, .cjs or .ts). */
  module: string;
  /** The export `handler` names. */
  exportName: string;
  /** Seconds (Lambda's default is 3): the invocation is stopped and fails with Sandbox.Timedout after it. */
  timeout: number;
  /** Megabytes (Lambda's default, 128, when undefined): the bound of the function's heap. */
  memorySize?: number;
  /** Concurrent invocations at most (the runtime's default, 10, when undefined); more wait in line. */
  concurrency?: number;
  /** Lambda's Environment.Variables. */
  environment?: Record<string, string>;
  /** The execution role (a name under `roles`, or its ARN): the function's SDK calls to Stepwise are held to it. */
  role?: string;
}

/** The protocols a topic's subscription may use (`file` is Stepwise's own: one JSON line per delivery). */
export const SUBSCRIPTION_PROTOCOLS = ['http', 'https', 'email', 'email-json', 'file', 'lambda'] as const;
export type SubscriptionProtocol = (typeof SUBSCRIPTION_PROTOCOLS)[number];

export const BACKOFF_FUNCTIONS = ['linear', 'arithmetic', 'geometric', 'exponential'] as const;

/** SNS's healthyRetryPolicy for an http/https subscription: seconds, and counts of retries. */
export interface DeliveryPolicyConfig {
  numRetries?: number;
  numNoDelayRetries?: number;
  numMinDelayRetries?: number;
  numMaxDelayRetries?: number;
  minDelayTarget?: number;
  maxDelayTarget?: number;
  backoffFunction?: (typeof BACKOFF_FUNCTIONS)[number];
}

/** The JSON of a filter policy. */
export type FilterPolicyValue = string | number | boolean | FilterPolicyValue[] | { [key: string]: FilterPolicyValue };

export interface SubscriptionConfig {
  protocol: SubscriptionProtocol;
  /** URL, email address, file path (absolute: resolved from the configuration's folder), or function name or ARN. */
  endpoint: string;
  rawMessageDelivery?: boolean;
  filterPolicy?: { [attribute: string]: FilterPolicyValue };
  deliveryPolicy?: DeliveryPolicyConfig;
}

/** An SNS topic: its ARN is arn:aws:sns:<region>:<account>:<name>; a name ending in .fifo is a FIFO topic. */
export interface TopicConfig {
  name: string;
  displayName?: string;
  contentBasedDeduplication?: boolean;
  subscriptions: SubscriptionConfig[];
}

/** The SMTP server that email and email-json subscriptions are sent through. */
export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the first byte (SMTPS); false: STARTTLS when the server offers it. */
  secure: boolean;
  requireTLS?: boolean;
  rejectUnauthorized?: boolean;
  auth?: { user: string; pass: string };
  from: string;
}

/** An IAM role: its ARN is arn:aws:iam::<account>:role/<name>; its policies are identity-based policy documents (checked by lib/iam-policy). */
export interface RoleConfig {
  name: string;
  policies: Json[];
}

/** Parameters a connection adds to requests, by name (EventBridge's Header, QueryString and Body parameters). */
export interface ConnectionParametersConfig {
  headers?: Record<string, string>;
  queryString?: Record<string, string>;
  body?: Record<string, string>;
}

export const CONNECTION_AUTHORIZATION_TYPES = ['API_KEY', 'BASIC', 'OAUTH_CLIENT_CREDENTIALS'] as const;
export const OAUTH_HTTP_METHODS = ['GET', 'POST', 'PUT'] as const;

/** How a connection authorizes its calls, as an EventBridge connection's AuthorizationType and AuthParameters. */
export type ConnectionAuthorizationConfig =
  | { type: 'API_KEY'; name: string; value: string }
  | { type: 'BASIC'; username: string; password: string }
  | {
      type: 'OAUTH_CLIENT_CREDENTIALS';
      authorizationEndpoint: string;
      clientId: string;
      clientSecret: string;
      httpMethod: (typeof OAUTH_HTTP_METHODS)[number];
      /** Sent with the token request. */
      httpParameters?: ConnectionParametersConfig;
    };

/** An EventBridge connection for HTTP Tasks: its ARN is arn:aws:events:<region>:<account>:connection/<name>/<uuid>. */
export interface ConnectionConfig {
  name: string;
  authorization: ConnectionAuthorizationConfig;
  /** Added to every call made through the connection. */
  invocationHttpParameters?: ConnectionParametersConfig;
}

/** A bucket notification: object events of these types (and key prefix and suffix) invoke the function asynchronously. */
export interface BucketNotificationConfig {
  /** S3's configurationId in the event records (default `<bucket>-notification-<n>`). */
  id?: string;
  /** `s3:ObjectCreated:*`, `s3:ObjectCreated:Put`, `s3:ObjectRemoved:*`, ... */
  events: string[];
  /** A function name, or `arn:aws:lambda:<region>:<account>:function:<name>`. */
  function: string;
  prefix?: string;
  suffix?: string;
}

/** A local S3 bucket: its ARN is arn:aws:s3:::<name>. */
export interface BucketConfig {
  name: string;
  notifications: BucketNotificationConfig[];
}

export const RULE_STATES = ['ENABLED', 'DISABLED'] as const;
export type RuleState = (typeof RULE_STATES)[number];

export interface RuleTargetConfig {
  id: string;
  /** A state machine name, or its ARN (possibly of a version or alias). */
  stateMachine: string;
  /** JSON text; absent, the execution gets the event (EventBridge's "Scheduled Event" for a schedule). */
  input?: string;
  inputPath?: string;
  inputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
}

export interface RuleConfig {
  name: string;
  scheduleExpression?: string;
  /** An EventBridge event pattern, as JSON text. */
  eventPattern?: string;
  state: RuleState;
  description?: string;
  targets: RuleTargetConfig[];
  /** Stepwise's own schedule options (EventBridge Scheduler's, and catch-up/overlap policies). */
  timeZone?: string;
  /** Epoch ms. */
  startDate?: number;
  endDate?: number;
  flexibleWindowMinutes?: number;
  catchUp?: { policy: 'skip' | 'latest' | 'all'; windowMs?: number };
  overlap?: 'allow' | 'skip';
  /** `file:line:col` of the expression, for errors found when the server starts. */
  where: string;
}

/** Services whose Task states go to another endpoint than Stepwise's local implementation. */
export interface PassthroughConfig {
  dynamodb?: { endpoint: string; region?: string };
  s3?: { endpoint: string; region?: string; forcePathStyle?: boolean };
}

/** A local DynamoDB table, created at startup when missing. */
export interface TableConfig {
  name: string;
  partitionKey: { name: string; type: 'S' | 'N' | 'B' };
  sortKey?: { name: string; type: 'S' | 'N' | 'B' };
}

/** Where executions are kept: one of the two. */
export type StoreConfig = { dataDir: string } | { databaseUrl: string };

export interface StepwiseConfig {
  /** The file read (absolute), or undefined when there was none. */
  file?: string;
  server: {
    host: string;
    port: number;
    /** Accepted access keys besides test/test (which is accepted only on loopback without requireAuth). */
    credentials: AccessKey[];
    requireAuth: boolean;
  };
  store: StoreConfig;
  /** Quotas that differ from AWS's defaults (service/limits.ts holds the defaults). */
  limits: Partial<ServiceLimits>;
  functions: FunctionConfig[];
  /** SNS topics and their subscriptions (absent when none are configured). */
  topics?: TopicConfig[];
  smtp?: SmtpConfig;
  /** IAM roles whose policies bind the state machines that name them (absent when none are configured). */
  roles?: RoleConfig[];
  /** --strict-iam: a role that is not defined fails its tasks instead of being unrestricted (present only when on). */
  strictIam?: boolean;
  /** EventBridge connections that HTTP Tasks call through (absent when none are configured). */
  connections?: ConnectionConfig[];
  /** Services passed to other endpoints (absent: all local). */
  passthrough?: PassthroughConfig;
  /** Local DynamoDB tables (absent when none are configured). */
  tables?: TableConfig[];
  /** Execution log export (absent: the default). */
  logging?: { exportDir: string | false };
  /** Local S3 buckets and their notifications (absent when none are configured). */
  buckets?: BucketConfig[];
  /** EventBridge schedule rules (absent when none are configured). */
  rules?: RuleConfig[];
}

export const DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 8083,
  requireAuth: false,
  /** Relative to the working directory. */
  dataDir: '.stepwise',
  /** Seconds, as AWS Lambda. */
  functionTimeout: 3,
  /** AWS Lambda's maximum timeout, in seconds. */
  maxFunctionTimeout: 900,
  /** AWS Lambda's memory range, in megabytes. */
  minFunctionMemory: 128,
  maxFunctionMemory: 10240,
  /** SMTP submission port, and SMTPS's (secure: true). */
  smtpPort: 587,
  smtpsPort: 465,
  /** Read from the working directory when --config is not given. */
  fileName: 'stepwise.yaml',
});

/** The store URLs openStore knows. */
export const STORE_URL = /^(?:postgres|postgresql):\/\/|^sqlite:/;

/** The keys of ServiceLimits; `satisfies` keeps this list and the interface in step at compile time. */
export const LIMIT_KEYS = Object.keys({
  stateMachines: true,
  activities: true,
  openExecutions: true,
  versionsPerStateMachine: true,
  aliasesPerStateMachine: true,
  activityPollers: true,
} as const satisfies Record<keyof ServiceLimits, true>) as (keyof ServiceLimits)[];

/**
 * SNS for Task states: `arn:aws:states:::sns:publish` (the optimised integration, result
 * `{MessageId, SdkHttpMetadata, SdkResponseMetadata}` and `SequenceNumber` for FIFO topics) and
 * `arn:aws:states:::aws-sdk:sns:<action>` (publish, createTopic, deleteTopic, listTopics,
 * getTopicAttributes, subscribe, unsubscribe, listSubscriptions, listSubscriptionsByTopic), both
 * also as `.waitForTaskToken`. Publish
 * answers once its deliveries are stored; they run in the background (see deliveries.ts).
 */
import { randomUUID } from 'node:crypto';
import { isObject, type Json, type JsonObject } from '../../lib/json.js';
import { StatesError } from '../../asl/errors.js';
import { systemClock, type Clock } from '../../engine/clock.js';
import type { TaskInvoker, TaskProgress } from '../../engine/local-run.js';
import type { Store } from '../../engine/store.js';
import type { TaskRequest } from '../../engine/types.js';
import { DeliveryQueue, timerScheduler, type DeliveryPage, type DeliveryQuery, type Scheduler } from './deliveries.js';
import { SnsServiceError, taskErrorOf, type ErrorStyle } from './errors.js';
import { publish, readPublishRequest, type PublishResult } from './publish.js';
import * as sdk from './sdk-actions.js';
import { Topics } from './topics.js';
import { Transports, type FunctionInvoker } from './transports.js';
import type { DeliveryPolicy, DeliveryRecord, Protocol, SmtpSettings, TopicDeclaration } from './types.js';

export interface SnsOptions {
  store: Store;
  /** Timestamps and delivery times (default: the system clock). */
  clock?: Clock;
  /** Runs retries after their delay (default: setTimeout). Tests pass one that runs them at once. */
  schedule?: Scheduler;
  region?: string;
  account?: string;
  /** The configuration's topics (stepwise.yaml `topics`), applied to the store by start(). */
  topics?: readonly TopicDeclaration[];
  /** The configuration's `smtp` section, for email and email-json subscriptions. */
  smtp?: SmtpSettings;
  /** Invokes a local function for lambda subscriptions (asynchronously, as SNS does). */
  invokeFunction?: FunctionInvoker;
  /** Where Stepwise answers, for the envelopes' UnsubscribeURL and SigningCertURL (default http://127.0.0.1:8083). */
  publicUrl?: string;
  /** Retry policies per protocol over SNS's defaults (retry-policy.ts), e.g. `{http: {minDelayTarget: 1}}`. */
  retryPolicies?: Partial<Record<Protocol, Partial<DeliveryPolicy>>>;
  /** How long an HTTP/S endpoint has to answer (default 15 s, as SNS). */
  httpTimeoutMs?: number;
  /** How long one delivery attempt may hold its record before another node takes it over (default 60 s). */
  leaseMs?: number;
  /** Tasks for other resources go here; without it they fail with States.Runtime. */
  fallback?: TaskInvoker;
  /** Background failures (the store unreachable while retrying). Default: console.error. */
  onError?: (err: unknown) => void;
}

export interface SnsIntegration extends TaskInvoker {
  /** Applies the configured topics to the store and resumes pending deliveries. invoke() waits for it; call it at start to fail early. */
  start(): Promise<void>;
  /** Publish with the API's parameters; throws SnsServiceError as SNS would answer. */
  publish(params: JsonObject): Promise<PublishResult>;
  /** Topics and subscriptions in the store. */
  readonly topics: Topics;
  /** Delivery records, newest first (for the console). */
  listDeliveries(query?: DeliveryQuery): Promise<DeliveryPage>;
  getDelivery(deliveryId: string): Promise<DeliveryRecord | undefined>;
  /** Resolves once no delivery is running or waiting for a retry. */
  settled(): Promise<void>;
  /** Stops retry timers (pending deliveries stay in the store for the next start) and closes the SMTP connection. */
  close(): Promise<void>;
}

const OPTIMISED = /^arn:[a-z-]+:states:::sns:([A-Za-z]+)$/;
const AWS_SDK = /^arn:[a-z-]+:states:::aws-sdk:sns:([A-Za-z]+)$/;

export function snsIntegration(opts: SnsOptions): SnsIntegration {
  const clock = opts.clock ?? systemClock;
  const region = opts.region ?? 'us-east-1';
  const account = opts.account ?? '123456789012';
  const topics = new Topics(opts.store, clock, region, account);
  const transports = new Transports({
    urls: { publicUrl: (opts.publicUrl ?? 'http://127.0.0.1:8083').replace(/\/+$/, '') },
    smtp: opts.smtp,
    invokeFunction: opts.invokeFunction,
    region,
    account,
    httpTimeoutMs: opts.httpTimeoutMs ?? 15_000,
  });
  const deliveries = new DeliveryQueue({
    store: opts.store,
    clock,
    transports,
    schedule: opts.schedule ?? timerScheduler,
    policies: opts.retryPolicies ?? {},
    leaseMs: opts.leaseMs ?? 60_000,
    onError: opts.onError ?? ((err) => console.error('stepwise: SNS delivery:', err)),
  });
  const ctx = { store: opts.store, clock, topics, deliveries };

  let ready: Promise<void> | undefined;
  const start = (): Promise<void> => {
    ready ??= (async () => {
      await topics.applyDeclarations(opts.topics ?? []);
      await deliveries.resume();
    })().catch((err: unknown) => {
      ready = undefined; // a store that was down may answer next time
      throw err;
    });
    return ready;
  };

  const doPublish = async (params: JsonObject): Promise<PublishResult> => {
    await start();
    return publish(ctx, readPublishRequest(params, 'publish'));
  };

  const run = async (style: ErrorStyle, work: () => Promise<Json>): Promise<Json> => {
    try {
      await start();
      return await work();
    } catch (err) {
      if (err instanceof SnsServiceError) throw taskErrorOf(err, style);
      throw err;
    }
  };

  return {
    topics,
    start,
    publish: doPublish,
    listDeliveries: (q) => deliveries.list(q),
    getDelivery: (id) => deliveries.get(id),
    settled: () => deliveries.settled(),
    async close() {
      await deliveries.close();
      transports.close();
    },
    async invoke(req: TaskRequest, progress?: TaskProgress): Promise<Json> {
      const resource = req.resource.replace(/\.waitForTaskToken$/, '');
      const params: JsonObject = isObject(req.input) ? req.input : {};
      const optimised = OPTIMISED.exec(resource);
      if (optimised) {
        if (optimised[1] !== 'publish') throw new StatesError('States.Runtime', `Step Functions has no optimised integration '${req.resource}': use arn:aws:states:::sns:publish or arn:aws:states:::aws-sdk:sns:<action>.`);
        return run('optimised', async () => optimisedResult(await publish(ctx, readPublishRequest(params, req.resource)), clock));
      }
      const action = AWS_SDK.exec(resource)?.[1];
      if (action !== undefined) return run('aws-sdk', () => sdkAction(action, params, req.resource));
      if (opts.fallback) return opts.fallback.invoke(req, progress);
      throw new StatesError('States.Runtime', `No integration answers resource '${req.resource}'.`);
    },
  };

  async function sdkAction(action: string, params: JsonObject, resource: string): Promise<Json> {
    switch (action) {
      case 'publish': {
        const r = await publish(ctx, readPublishRequest(params, resource));
        return { MessageId: r.messageId, ...(r.sequenceNumber !== undefined ? { SequenceNumber: r.sequenceNumber } : {}) };
      }
      case 'createTopic':
        return sdk.createTopic(topics, params);
      case 'deleteTopic':
        return sdk.deleteTopic(topics, params);
      case 'listTopics':
        return sdk.listTopics(topics, params);
      case 'subscribe':
        return sdk.subscribe(topics, params);
      case 'unsubscribe':
        return sdk.unsubscribe(topics, params);
      case 'listSubscriptionsByTopic':
        return sdk.listSubscriptionsByTopic(topics, params);
      case 'listSubscriptions':
        return sdk.listSubscriptions(topics, params);
      case 'getTopicAttributes':
        return sdk.getTopicAttributes(topics, params);
      default:
        throw sdk.unsupportedAction(action);
    }
  }
}

/**
 * The optimised integration's result: the message id with the HTTP metadata of SNS's XML answer,
 * as the AWS SDK for Java v1 reports it (Content-Length is the length of that XML, as recorded).
 */
function optimisedResult(r: PublishResult, clock: Clock): Json {
  const requestId = randomUUID();
  const length = String(Buffer.byteLength(publishResponseXml(r, requestId)));
  const date = new Date(clock.now()).toUTCString();
  return {
    MessageId: r.messageId,
    SdkHttpMetadata: {
      AllHttpHeaders: { 'x-amzn-RequestId': [requestId], connection: ['keep-alive'], 'Content-Length': [length], Date: [date], 'Content-Type': ['text/xml'] },
      HttpHeaders: { connection: 'keep-alive', 'Content-Length': length, 'Content-Type': 'text/xml', Date: date, 'x-amzn-RequestId': requestId },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    ...(r.sequenceNumber !== undefined ? { SequenceNumber: r.sequenceNumber } : {}),
  };
}

function publishResponseXml(r: PublishResult, requestId: string): string {
  const seq = r.sequenceNumber !== undefined ? `    <SequenceNumber>${r.sequenceNumber}</SequenceNumber>\n` : '';
  return (
    `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">\n  <PublishResult>\n${seq}    <MessageId>${r.messageId}</MessageId>\n  </PublishResult>\n` +
    `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</PublishResponse>\n`
  );
}

/**
 * Bucket event notifications to Lambda functions, as S3 sends them: on every object created or
 * removed (PutObject, CopyObject, DeleteObject, DeleteObjects, from the REST API or a Task state),
 * each of the bucket's rules whose event types, prefix and suffix match invokes its function
 * asynchronously with one event record in S3's message structure (version 2.1; the key
 * URL-encoded as S3 encodes it). The caller never waits for the function.
 *
 * A failed invocation is logged and tried again twice, after 1 and then 2 minutes, as Lambda's
 * asynchronous invocation does; after the third failure the event is dropped (and logged).
 * Retries wait in this process only: events still waiting when it stops are lost.
 */
import { createHash } from 'node:crypto';
import type { Json, JsonObject } from '../../lib/json.js';
import { eventTypeMatches } from '../../lib/s3-rules.js';
import type { BucketDoc, NotificationRule } from './objects.js';

/** Runs `run` after `delayMs`; returns a function that cancels it. */
export type Scheduler = (run: () => void, delayMs: number) => () => void;

export const timerScheduler: Scheduler = (run, delayMs) => {
  const t = setTimeout(run, Math.max(0, delayMs));
  t.unref?.();
  return () => clearTimeout(t);
};

/** Invokes a function (by ARN) with an event; rejects when the invocation fails. */
export type FunctionInvoker = (functionArn: string, event: Json) => Promise<unknown>;

/** Lambda's asynchronous invocation: two retries, one and two minutes after the failures. */
export const LAMBDA_ASYNC_RETRY_DELAYS_MS: readonly number[] = [60_000, 120_000];

/** What happened to an object, with who did it and in which request. */
export interface ObjectEvent {
  bucket: string;
  key: string;
  /** Without the `s3:` prefix, as the record names it: `ObjectCreated:Put`, `ObjectRemoved:Delete`, ... */
  eventName: string;
  /** Epoch ms. */
  time: number;
  sequencer: string;
  /** ObjectCreated only. */
  size?: number;
  /** ObjectCreated only: the ETag without its quotes. */
  eTag?: string;
  principalId: string;
  sourceIp: string;
  requestId: string;
  hostId: string;
}

/**
 * Where a notification waits until its function took it (or its retries ran out), so one that a
 * crash interrupted is sent again after a restart (at least once, as Lambda's asynchronous queue).
 */
export interface PendingNotifications {
  /** Before the first attempt; returns the record's id. */
  add(functionArn: string, configurationId: string, event: JsonObject): Promise<string>;
  /** Before every attempt: the record is alive (a record untouched for long is an orphan). */
  touch(id: string): Promise<void>;
  /** The function took it, or its retries ran out. */
  done(id: string): Promise<void>;
}

export interface NotifierOptions {
  invokeFunction?: FunctionInvoker;
  pending?: PendingNotifications;
  schedule?: Scheduler;
  retryDelaysMs?: readonly number[];
  region?: string;
  account?: string;
  log?: (line: string) => void;
}

/** The key as S3 writes it into a record: form-encoded (space as `+`), `/` left as is. */
export function eventKey(key: string): string {
  return Array.from(Buffer.from(key, 'utf8'), (b) => {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9.*_/-]/.test(c)) return c;
    return c === ' ' ? '+' : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

export function ruleMatches(rule: NotificationRule, event: ObjectEvent): boolean {
  const full = `s3:${event.eventName}`;
  return (
    rule.Events.some((e) => eventTypeMatches(e, full)) &&
    event.key.startsWith(rule.Prefix ?? '') &&
    event.key.endsWith(rule.Suffix ?? '')
  );
}

export class S3Notifier {
  private readonly region: string;
  private readonly ownerId: string;
  private readonly schedule: Scheduler;
  private readonly delays: readonly number[];
  private readonly log: (line: string) => void;
  private readonly cancels = new Set<() => void>();
  private running = 0;
  private idle: (() => void)[] = [];

  constructor(private readonly opts: NotifierOptions = {}) {
    this.region = opts.region ?? 'us-east-1';
    this.ownerId = `A${createHash('sha256').update(opts.account ?? '123456789012').digest('hex').slice(0, 13).toUpperCase()}`;
    this.schedule = opts.schedule ?? timerScheduler;
    this.delays = opts.retryDelaysMs ?? LAMBDA_ASYNC_RETRY_DELAYS_MS;
    this.log = opts.log ?? ((line) => console.error(line));
  }

  /** Records the event for every matching rule's function, then sends it in the background. */
  async notify(bucket: BucketDoc, event: ObjectEvent): Promise<void> {
    for (const rule of bucket.Notifications ?? []) {
      if (!ruleMatches(rule, event)) continue;
      const record = this.record(rule, event);
      const id = await this.opts.pending?.add(rule.FunctionArn, rule.Id, record);
      this.attempt(rule, record, 0, id);
    }
  }

  /** Send a recorded notification again (its process died before the function took it). */
  resend(functionArn: string, configurationId: string, event: JsonObject, id: string): void {
    this.attempt({ Id: configurationId, FunctionArn: functionArn, Events: [] }, event, 0, id);
  }

  /** The event as its function receives it. */
  record(rule: NotificationRule, e: ObjectEvent): JsonObject {
    const object: JsonObject = { key: eventKey(e.key) };
    if (e.size !== undefined) object['size'] = e.size;
    if (e.eTag !== undefined) object['eTag'] = e.eTag;
    object['sequencer'] = e.sequencer;
    return {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: this.region,
          eventTime: new Date(e.time).toISOString(),
          eventName: e.eventName,
          userIdentity: { principalId: e.principalId },
          requestParameters: { sourceIPAddress: e.sourceIp },
          responseElements: { 'x-amz-request-id': e.requestId, 'x-amz-id-2': e.hostId },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: rule.Id,
            bucket: { name: e.bucket, ownerIdentity: { principalId: this.ownerId }, arn: `arn:aws:s3:::${e.bucket}` },
            object,
          },
        },
      ],
    };
  }

  /** Resolves once no invocation is running or waiting for a retry. */
  settled(): Promise<void> {
    if (this.running === 0 && this.cancels.size === 0) return Promise.resolve();
    return new Promise((done) => this.idle.push(done));
  }

  /** Drops the retries still waiting. */
  close(): void {
    for (const cancel of this.cancels) cancel();
    this.cancels.clear();
    this.checkIdle();
  }

  private attempt(rule: NotificationRule, event: JsonObject, n: number, id: string | undefined): void {
    const invoke = this.opts.invokeFunction;
    const where = `s3 notification ${rule.Id} of ${(event['Records'] as JsonObject[])[0]?.['eventName']} to ${rule.FunctionArn}`;
    const pending = this.opts.pending;
    const finish = () => (id !== undefined && pending ? pending.done(id) : Promise.resolve());
    if (!invoke) {
      this.log(`stepwise s3: ${where}: no function runtime to invoke it with; dropped`);
      void finish().catch(() => undefined);
      return;
    }
    this.running++;
    Promise.resolve()
      .then(() => (id !== undefined && pending ? pending.touch(id) : undefined))
      .then(() => invoke(rule.FunctionArn, event))
      .then(
        () => finish(),
        async (err: unknown) => {
          const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
          const delay = this.delays[n];
          if (delay === undefined) {
            this.log(`stepwise s3: ${where} failed (attempt ${n + 1}, the last): ${why}; dropped`);
            await finish();
            return;
          }
          this.log(`stepwise s3: ${where} failed (attempt ${n + 1}): ${why}; trying again in ${delay / 1000} s`);
          // A scheduler may run the retry at once (tests): only a retry still waiting is cancellable.
          let ran = false;
          const retry: { cancel?: () => void } = {};
          retry.cancel = this.schedule(() => {
            ran = true;
            if (retry.cancel) this.cancels.delete(retry.cancel);
            this.attempt(rule, event, n + 1, id);
          }, delay);
          if (!ran) this.cancels.add(retry.cancel);
        },
      )
      .catch((err: unknown) => this.log(`stepwise s3: ${where}: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        this.running--;
        this.checkIdle();
      });
  }

  private checkIdle(): void {
    if (this.running > 0 || this.cancels.size > 0) return;
    const waiting = this.idle;
    this.idle = [];
    for (const done of waiting) done();
  }
}

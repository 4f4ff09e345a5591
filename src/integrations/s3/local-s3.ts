/**
 * Local S3 buckets in Stepwise's store: the operations by their API names, one entry point for
 * both edges (the REST API and Task states), SDK-shaped input and output (dates as Date, bodies
 * as bytes), S3's errors thrown as S3Errors. Objects are at most `maxObjectBytes` (16 MiB by
 * default; a larger one is S3's EntityTooLarge): each is one record in the store, base64.
 */
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../engine/store.js';
import { createBucket, deleteBucket, getBucketLocation, getBucketNotificationConfiguration, headBucket, listBuckets, listObjects, listObjectsV2, notificationRules, putBucketNotificationConfiguration } from './bucket-ops.js';
import type { CallContext, S3Context } from './context.js';
import { S3Error } from './errors.js';
import type { S3Input, S3Output } from './input.js';
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, uploadPart } from './multipart.js';
import { copyObject, deleteObject, deleteObjects, getObject, headObject, putObject } from './object-ops.js';
import { ObjectCatalog } from './objects.js';
import { S3Notifier, type FunctionInvoker, type Scheduler } from './notifications.js';
import { StorePendingNotifications } from './pending-notifications.js';

export const DEFAULT_MAX_OBJECT_BYTES = 16 * 1024 * 1024;

type Operation = (ctx: S3Context, input: S3Input, call: CallContext) => Promise<S3Output>;

const OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  ListBuckets: listBuckets,
  GetBucketLocation: getBucketLocation,
  ListObjectsV2: listObjectsV2,
  ListObjects: listObjects,
  PutBucketNotificationConfiguration: putBucketNotificationConfiguration,
  GetBucketNotificationConfiguration: getBucketNotificationConfiguration,
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
  CopyObject: copyObject,
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
};

export const S3_OPERATIONS: readonly string[] = Object.keys(OPERATIONS);

/** Where S3 calls go: the local buckets, or another S3 (passthrough.ts). */
export interface S3Backend {
  call(operation: string, input: S3Input, call?: CallContext): Promise<S3Output>;
}

/** A bucket the configuration declares (stepwise.yaml `buckets`), with its notifications. */
export interface BucketDeclaration {
  name: string;
  notifications?: readonly { id?: string; events: readonly string[]; function: string; prefix?: string; suffix?: string }[];
}

export interface LocalS3Options {
  region?: string;
  account?: string;
  /** Default 16 MiB. */
  maxObjectBytes?: number;
  /** Invokes a bucket notification's function (asynchronously: nobody waits for it). */
  invokeFunction?: FunctionInvoker;
  /** Runs notification retries after their delay (default setTimeout); tests pass one that runs them at once. */
  schedule?: Scheduler;
  /** Default 1 and 2 minutes, as Lambda's asynchronous invocation. */
  retryDelaysMs?: readonly number[];
  /** Notification failures are reported here (default console.error). */
  log?: (line: string) => void;
}

export class LocalS3 implements S3Backend {
  private readonly ctx: S3Context;
  private readonly notifier: S3Notifier;
  private readonly pending: StorePendingNotifications;

  constructor(store: Store, clock: Clock, opts: LocalS3Options = {}) {
    const region = opts.region ?? 'us-east-1';
    const account = opts.account ?? '123456789012';
    this.pending = new StorePendingNotifications(store, clock);
    this.notifier = new S3Notifier({
      region,
      account,
      pending: this.pending,
      ...(opts.invokeFunction ? { invokeFunction: opts.invokeFunction } : {}),
      ...(opts.schedule ? { schedule: opts.schedule } : {}),
      ...(opts.retryDelaysMs ? { retryDelaysMs: opts.retryDelaysMs } : {}),
      ...(opts.log ? { log: opts.log } : {}),
    });
    this.ctx = { catalog: new ObjectCatalog(store, clock), clock, region, account, maxObjectBytes: opts.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES, notifier: this.notifier };
  }

  get region(): string {
    return this.ctx.region;
  }

  /**
   * Send again the notifications whose process died before their function took them: records
   * untouched for `orphanMs` (default 20 minutes, longer than Lambda's longest invocation).
   */
  async recoverNotifications(orphanMs = 20 * 60_000): Promise<number> {
    const orphans = await this.pending.claimOrphans(orphanMs);
    for (const o of orphans) this.notifier.resend(o.functionArn, o.configurationId, o.event, o.id);
    return orphans.length;
  }

  get maxObjectBytes(): number {
    return this.ctx.maxObjectBytes;
  }

  has(operation: string): boolean {
    return Object.hasOwn(OPERATIONS, operation);
  }

  /** Run an operation; `call` says who asks, for notification records. */
  call(operation: string, input: S3Input, call: CallContext = {}): Promise<S3Output> {
    const op = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
    if (!op) {
      return Promise.reject(new S3Error('NotImplemented', `Stepwise does not implement the S3 operation ${operation}; it implements ${S3_OPERATIONS.join(', ')}`, 501));
    }
    return Promise.resolve().then(() => op(this.ctx, input, call));
  }

  /**
   * Creates the declared buckets that do not exist and sets each one's notifications to the
   * declared ones (function names become ARNs in this region and account).
   */
  async declare(buckets: readonly BucketDeclaration[]): Promise<void> {
    for (const b of buckets) {
      await this.ctx.catalog.createBucket({ Name: b.name, CreationDate: this.ctx.clock.now(), Region: this.ctx.region, Notifications: [] });
      const configurations = (b.notifications ?? []).map((n, i) => ({
        Id: n.id ?? `${b.name}-notification-${i + 1}`,
        LambdaFunctionArn: n.function.startsWith('arn:') ? n.function : `arn:aws:lambda:${this.ctx.region}:${this.ctx.account}:function:${n.function}`,
        Events: [...n.events],
        ...(n.prefix !== undefined || n.suffix !== undefined
          ? { Filter: { Key: { FilterRules: [...(n.prefix !== undefined ? [{ Name: 'prefix', Value: n.prefix }] : []), ...(n.suffix !== undefined ? [{ Name: 'suffix', Value: n.suffix }] : [])] } } }
          : {}),
      }));
      await this.ctx.catalog.setNotifications(b.name, notificationRules({ LambdaFunctionConfigurations: configurations }));
    }
  }

  /** Resolves once no notification is being delivered or waiting for a retry. */
  settled(): Promise<void> {
    return this.notifier.settled();
  }

  /** Drops the notification retries still waiting. */
  close(): void {
    this.notifier.close();
  }
}

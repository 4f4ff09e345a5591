/** What the S3 operations share: the catalog, the clock, the limits, and the notifier. */
import type { Clock } from '../../engine/clock.js';
import { s3HostId, s3RequestId } from './errors.js';
import type { S3Notifier } from './notifications.js';
import type { BucketDoc, ObjectCatalog } from './objects.js';

export interface S3Context {
  readonly catalog: ObjectCatalog;
  readonly clock: Clock;
  readonly region: string;
  readonly account: string;
  /** The largest object a put or copy may store, in bytes. */
  readonly maxObjectBytes: number;
  readonly notifier: S3Notifier;
}

/** Who makes a call and in which request, for event records (the REST API fills it from the request). */
export interface CallContext {
  /** `AWS:<access key id>` for the REST API; a Task state's role otherwise. */
  principalId?: string;
  sourceIp?: string;
  requestId?: string;
  hostId?: string;
}

/** Raise an object event on a bucket's notifications. */
export async function emit(ctx: S3Context, call: CallContext, bucket: BucketDoc, e: { key: string; eventName: string; sequencer: string; size?: number; eTag?: string }): Promise<void> {
  if (!bucket.Notifications?.length) return;
  await ctx.notifier.notify(bucket, {
    bucket: bucket.Name,
    key: e.key,
    eventName: e.eventName,
    time: ctx.clock.now(),
    sequencer: e.sequencer,
    ...(e.size !== undefined ? { size: e.size } : {}),
    ...(e.eTag !== undefined ? { eTag: e.eTag.replace(/"/g, '') } : {}),
    principalId: call.principalId ?? `AWS:${ctx.account}`,
    sourceIp: call.sourceIp ?? '127.0.0.1',
    requestId: call.requestId ?? s3RequestId(),
    hostId: call.hostId ?? s3HostId(),
  });
}

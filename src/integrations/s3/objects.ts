/**
 * Buckets and objects kept in Stepwise's store, so every node of a cluster sees the same ones:
 *
 * - a bucket is a resource of kind `s3-bucket` at its ARN, `arn:aws:s3:::<name>` (ListBuckets is
 *   in name order);
 * - an object's metadata is a resource of kind `s3-object` at its ARN, `arn:aws:s3:::<bucket>/<key>`:
 *   both stores order ARNs by code point, which is the order of the UTF-8 bytes, so a bucket's
 *   objects list in S3's key order and a key prefix is an ARN prefix (listing.ts);
 * - its body is a separate resource of kind `s3-blob` (`<bucket>/<uuid>`, base64 in the document),
 *   so listing never loads bodies. A put writes the new body first, then swaps the metadata to
 *   point at it (compare-and-set on the record's revision), then deletes the old body: readers
 *   always find a whole object. A crash between those steps can leave an unreferenced body, which
 *   DeleteBucket removes with the bucket.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../engine/clock.js';
import type { ResourceRecord, Store } from '../../engine/store.js';
import type { Json } from '../../lib/json.js';
import type { ChecksumAlgorithm } from './checksums.js';
import { s3Errors } from './errors.js';

export const S3_KINDS = Object.freeze({ bucket: 's3-bucket', object: 's3-object', blob: 's3-blob', upload: 's3-upload', part: 's3-part' });

/** A bucket notification that invokes a Lambda function (S3's LambdaFunctionConfiguration). */
export interface NotificationRule {
  Id: string;
  FunctionArn: string;
  Events: string[];
  Prefix?: string;
  Suffix?: string;
}

export interface BucketDoc {
  Name: string;
  /** Epoch ms. */
  CreationDate: number;
  Region: string;
  Notifications: NotificationRule[];
}

/** What S3 keeps of an object besides its bytes. */
export interface ObjectDoc {
  Key: string;
  Size: number;
  /** MD5 hex in double quotes. */
  ETag: string;
  /** Epoch ms. */
  LastModified: number;
  ContentType: string;
  CacheControl?: string;
  ContentDisposition?: string;
  ContentEncoding?: string;
  ContentLanguage?: string;
  Expires?: string;
  /** User metadata (x-amz-meta-*), names in lower case. */
  Metadata: Record<string, string>;
  StorageClass: string;
  /** Checksums the writer sent (verified), base64. */
  Checksums: Partial<Record<ChecksumAlgorithm, string>>;
  /** Orders the events of one key, as S3's `sequencer`. */
  Sequencer: string;
  /** The ARN of the body's record. */
  Blob: string;
}

export interface StoredObject {
  meta: ObjectDoc;
  body: Uint8Array;
}

/** Conditions of a conditional write (PutObject's If-None-Match: * and If-Match). */
export interface WriteConditions {
  ifNoneMatch?: string;
  ifMatch?: string;
}

let sequence = 0;

/** Increasing within a process, and with the clock across processes. */
function nextSequencer(now: number): string {
  sequence = (sequence + 1) % 0x1000000;
  return now.toString(16).toUpperCase().padStart(12, '0') + sequence.toString(16).toUpperCase().padStart(6, '0');
}

export class ObjectCatalog {
  constructor(
    readonly store: Store,
    private readonly clock: Clock,
  ) {}

  bucketArn(name: string): string {
    return `arn:aws:s3:::${name}`;
  }

  /** The ARN prefix of a bucket's objects. */
  objectsPrefix(bucket: string): string {
    return `arn:aws:s3:::${bucket}/`;
  }

  objectArn(bucket: string, key: string): string {
    return this.objectsPrefix(bucket) + key;
  }

  async getBucket(name: string): Promise<BucketDoc | undefined> {
    const rec = await this.store.getResource(S3_KINDS.bucket, this.bucketArn(name));
    return rec ? (rec.doc as unknown as BucketDoc) : undefined;
  }

  async existingBucket(name: string): Promise<BucketDoc> {
    const bucket = await this.getBucket(name);
    if (!bucket) throw s3Errors.noSuchBucket(name);
    return bucket;
  }

  /** False when a bucket of that name exists. */
  createBucket(doc: BucketDoc): Promise<boolean> {
    return this.store.createResource(S3_KINDS.bucket, this.bucketArn(doc.Name), doc.Name, doc as unknown as Json, this.clock.now());
  }

  /** Replace a bucket's notification rules (compare-and-set, retried on a concurrent change). */
  async setNotifications(name: string, rules: NotificationRule[]): Promise<void> {
    for (;;) {
      const rec = await this.store.getResource(S3_KINDS.bucket, this.bucketArn(name));
      if (!rec) throw s3Errors.noSuchBucket(name);
      const doc: BucketDoc = { ...(rec.doc as unknown as BucketDoc), Notifications: rules };
      if (await this.store.updateResource(S3_KINDS.bucket, rec.arn, doc as unknown as Json, rec.revision, this.clock.now())) return;
    }
  }

  /** Deletes an empty bucket (and bodies a crash left behind in it, and unfinished multipart uploads). */
  async deleteBucket(name: string): Promise<void> {
    await this.existingBucket(name);
    if ((await this.store.countResources(S3_KINDS.object, { arnPrefix: this.objectsPrefix(name), limit: 1 })) > 0) throw s3Errors.bucketNotEmpty(name);
    await this.store.deleteResource(S3_KINDS.bucket, this.bucketArn(name));
    for (const kind of [S3_KINDS.blob, S3_KINDS.part, S3_KINDS.upload]) {
      for (;;) {
        const orphans = await this.store.listResources(kind, { arnPrefix: `${name}/`, limit: 100 });
        for (const o of orphans) await this.store.deleteResource(kind, o.arn);
        if (orphans.length < 100) break;
      }
    }
  }

  /** Buckets in name order, after `after`, at most `limit`. */
  async listBuckets(query: { prefix?: string; after?: string; limit: number }): Promise<BucketDoc[]> {
    const recs = await this.store.listResources(S3_KINDS.bucket, {
      arnPrefix: this.bucketArn(query.prefix ?? ''),
      ...(query.after === undefined ? {} : { afterArn: this.bucketArn(query.after) }),
      limit: query.limit,
    });
    return recs.map((r) => r.doc as unknown as BucketDoc);
  }

  async head(bucket: string, key: string): Promise<ObjectDoc | undefined> {
    const rec = await this.store.getResource(S3_KINDS.object, this.objectArn(bucket, key));
    return rec ? (rec.doc as unknown as ObjectDoc) : undefined;
  }

  /** The object with its body; a body replaced between the two reads is read again. */
  async read(bucket: string, key: string): Promise<StoredObject | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const meta = await this.head(bucket, key);
      if (!meta) return undefined;
      const blob = await this.store.getResource(S3_KINDS.blob, meta.Blob);
      if (blob) return { meta, body: Buffer.from(String((blob.doc as { Data?: string }).Data ?? ''), 'base64') };
    }
    throw new Error(`the body of s3://${bucket}/${key} keeps changing while it is read`);
  }

  /**
   * Store an object (replacing any of that key: last writer wins, as on S3). `meta` is complete
   * but for its body's ARN and sequencer. Returns what was stored.
   */
  async write(bucket: string, meta: Omit<ObjectDoc, 'Blob' | 'Sequencer'>, body: Uint8Array, conditions: WriteConditions = {}): Promise<ObjectDoc> {
    const blobArn = `${bucket}/${randomUUID()}`;
    await this.store.createResource(S3_KINDS.blob, blobArn, bucket, { Data: Buffer.from(body).toString('base64') }, this.clock.now());
    const arn = this.objectArn(bucket, meta.Key);
    try {
      for (;;) {
        const now = this.clock.now();
        const doc: ObjectDoc = { ...meta, Blob: blobArn, Sequencer: nextSequencer(now) };
        const old = await this.store.getResource(S3_KINDS.object, arn);
        checkConditions(old, conditions, meta.Key);
        const written = old
          ? await this.store.updateResource(S3_KINDS.object, arn, doc as unknown as Json, old.revision, now)
          : await this.store.createResource(S3_KINDS.object, arn, meta.Key, doc as unknown as Json, now);
        if (!written) continue;
        if (old) await this.store.deleteResource(S3_KINDS.blob, (old.doc as unknown as ObjectDoc).Blob);
        return doc;
      }
    } catch (err) {
      await this.store.deleteResource(S3_KINDS.blob, blobArn);
      throw err;
    }
  }

  /** Deletes an object; returns what was deleted (undefined when there was none). */
  async remove(bucket: string, key: string): Promise<ObjectDoc | undefined> {
    const arn = this.objectArn(bucket, key);
    const rec = await this.store.getResource(S3_KINDS.object, arn);
    if (!rec) return undefined;
    if (!(await this.store.deleteResource(S3_KINDS.object, arn))) return undefined;
    const doc = rec.doc as unknown as ObjectDoc;
    await this.store.deleteResource(S3_KINDS.blob, doc.Blob);
    return doc;
  }

  /** A page of a bucket's object records under an ARN prefix, after a cursor ARN. */
  page(arnPrefix: string, afterArn: string | undefined, limit: number): Promise<ResourceRecord[]> {
    return this.store.listResources(S3_KINDS.object, { arnPrefix, ...(afterArn === undefined ? {} : { afterArn }), limit });
  }
}

function checkConditions(old: ResourceRecord | undefined, c: WriteConditions, key: string): void {
  const etag = old ? (old.doc as unknown as ObjectDoc).ETag : undefined;
  if (c.ifNoneMatch !== undefined) {
    if (c.ifNoneMatch.trim() !== '*') throw s3Errors.notImplemented('If-None-Match on PutObject takes only *');
    if (old) throw s3Errors.preconditionFailed('If-None-Match');
  }
  if (c.ifMatch !== undefined) {
    if (!old) throw s3Errors.noSuchKey(key);
    if (!etagListMatches(c.ifMatch, etag as string)) throw s3Errors.preconditionFailed('If-Match');
  }
}

/** Whether an If-Match / If-None-Match list (`"a", "b"` or `*`) names the ETag. */
export function etagListMatches(list: string, etag: string): boolean {
  return list.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag || `"${tag}"` === etag;
  });
}

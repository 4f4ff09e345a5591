/**
 * S3 for Task states, as Step Functions calls it:
 *
 * - the AWS SDK integration `arn:aws:states:::aws-sdk:s3:<action>` (putObject, getObject,
 *   headObject, deleteObject, deleteObjects, copyObject, listObjectsV2, listObjects, createBucket,
 *   headBucket, deleteBucket, listBuckets, getBucketLocation, get/putBucketNotificationConfiguration,
 *   and the multipart upload actions):
 *   parameters and results are the SDK's members; as recorded against AWS, putObject stores its
 *   `Body` serialised as JSON (a string gets its quotes) with a CRC32 checksum, getObject returns
 *   `Body` as text, timestamps are ISO 8601 (`2026-01-01T00:00:00Z`);
 * - `arn:aws:states:::s3:getObject`, `:listObjectsV2` and `:putObject`, the resources a
 *   Distributed Map's ItemReader and ResultWriter call: the same calls, except that putObject
 *   stores a string `Body` as it is, and listObjectsV2 lists each object as the ItemReader yields
 *   it (`{Etag, Key, LastModified: <epoch seconds>, Size, StorageClass}`).
 *
 * Errors are `S3.<Code>Exception` for the exceptions the AWS SDK models (NoSuchBucket, NoSuchKey,
 * ...) and `S3.S3Exception` for the others, with the Java SDK v2's cause text (`<message>
 * (Service: S3, Status Code: 404, Request ID: ..., Extended Request ID: ...)`; a HEAD request's
 * error has no message: `null (...)`). Calls go to the local buckets or to a configured endpoint.
 */
import { StatesError } from '../../asl/errors.js';
import type { Clock } from '../../engine/clock.js';
import type { TaskInvoker, TaskProgress } from '../../engine/local-run.js';
import type { Store } from '../../engine/store.js';
import type { TaskRequest } from '../../engine/types.js';
import { isObject, type Json, type JsonObject } from '../../lib/json.js';
import { S3Error, s3HostId, s3RequestId } from './errors.js';
import type { S3Input, S3Output } from './input.js';
import { LocalS3, type LocalS3Options, type S3Backend } from './local-s3.js';

/** The exceptions the AWS SDK for Java 2.x models for S3; the rest are its generic S3Exception. */
const MODELED: ReadonlySet<string> = new Set([
  'BucketAlreadyExists',
  'BucketAlreadyOwnedByYou',
  'EncryptionTypeMismatch',
  'IdempotencyParameterMismatch',
  'InvalidObjectState',
  'InvalidRequest',
  'InvalidWriteOffset',
  'NoSuchBucket',
  'NoSuchKey',
  'NoSuchUpload',
  'ObjectAlreadyInActiveTierError',
  'ObjectNotInActiveTierError',
  'TooManyParts',
]);

const OPTIMISED = /^arn:aws[a-z-]*:states:::s3:([A-Za-z0-9]+)$/;
const AWS_SDK = /^arn:aws[a-z-]*:states:::aws-sdk:s3:([A-Za-z0-9]+)$/;
const OPTIMISED_ACTIONS: ReadonlySet<string> = new Set(['getObject', 'listObjectsV2', 'putObject']);

export interface S3IntegrationOptions extends LocalS3Options {
  /** Answers resources that are not S3's. */
  next?: TaskInvoker;
  /** The local buckets to use (share one instance with the REST API and its notifications). */
  local?: LocalS3;
  /** Send every call here instead of the local buckets (passthrough.ts). */
  backend?: S3Backend;
}

export function s3Integration(store: Store, clock: Clock, opts: S3IntegrationOptions = {}): TaskInvoker {
  const backend: S3Backend = opts.backend ?? opts.local ?? new LocalS3(store, clock, opts);
  const account = opts.account ?? '123456789012';
  return {
    async invoke(req: TaskRequest, progress?: TaskProgress): Promise<Json> {
      const target = parseResource(req.resource);
      if (!target) {
        if (opts.next) return opts.next.invoke(req, progress);
        throw new StatesError('States.TaskFailed', `No integration answers resource '${req.resource}'.`);
      }
      const operation = target.action.charAt(0).toUpperCase() + target.action.slice(1);
      const params = structuredClone(isObject(req.input) ? req.input : {});
      try {
        const out = await backend.call(operation, toSdkInput(operation, params, target.optimised), { principalId: `AWS:${req.roleArn?.split('/').pop() ?? account}` });
        return target.optimised && operation === 'ListObjectsV2' ? itemReaderListing(out) : toJson(out);
      } catch (err) {
        if (err instanceof S3Error) throw taskError(err, operation);
        throw err;
      }
    },
  };
}

function parseResource(resource: string): { action: string; optimised: boolean } | undefined {
  const optimised = OPTIMISED.exec(resource);
  if (optimised) {
    const action = optimised[1] as string;
    if (!OPTIMISED_ACTIONS.has(action)) {
      throw new StatesError('States.TaskFailed', `Step Functions has no optimised S3 action '${action}' (it has getObject, listObjectsV2 and putObject, for ItemReader and ResultWriter); use arn:aws:states:::aws-sdk:s3:${action}.`);
    }
    return { action, optimised: true };
  }
  const sdk = AWS_SDK.exec(resource);
  if (sdk) return { action: sdk[1] as string, optimised: false };
  if (/^arn:aws[a-z-]*:states:::(aws-sdk:)?s3:/.test(resource)) {
    throw new StatesError('States.TaskFailed', `Stepwise cannot run '${resource}': S3 tasks support the request-response pattern only.`);
  }
  return undefined;
}

/** Task parameters as the SDK's input: the body as bytes (JSON text for aws-sdk:s3:putObject, as AWS does). */
function toSdkInput(operation: string, params: JsonObject, optimised: boolean): S3Input {
  const input: S3Input = { ...params };
  if (operation === 'PutObject') {
    const body = params['Body'];
    if (body !== undefined) input['Body'] = Buffer.from(optimised && typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
    // The AWS SDK for Java 2.x, which Step Functions calls S3 with, adds a CRC32 checksum by default.
    if (!optimised && input['ChecksumAlgorithm'] === undefined && !Object.keys(input).some((k) => /^Checksum[A-Z]/.test(k) && k !== 'ChecksumAlgorithm')) input['ChecksumAlgorithm'] = 'CRC32';
  }
  return input;
}

/** Timestamps as Step Functions shows SDK results: ISO 8601 to the second. */
function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An SDK result as JSON: bytes as UTF-8 text, dates as ISO 8601, undefined members left out. */
export function toJson(v: unknown): Json {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (v instanceof Date) return isoSeconds(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object' && v !== null) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined && k !== '$metadata') out[k] = toJson(x);
    return out;
  }
  return v as Json;
}

/** listObjectsV2 for an ItemReader: each object as the Map's item (`Etag`, LastModified in epoch seconds). */
function itemReaderListing(out: S3Output): Json {
  const result = toJson({ ...out, Contents: undefined }) as JsonObject;
  const contents = Array.isArray(out['Contents']) ? (out['Contents'] as S3Output[]) : [];
  result['Contents'] = contents.map((o) => ({
    Etag: String(o['ETag']),
    Key: String(o['Key']),
    LastModified: o['LastModified'] instanceof Date ? Math.floor(o['LastModified'].getTime() / 1000) : (o['LastModified'] as Json),
    Size: Number(o['Size']),
    StorageClass: String(o['StorageClass'] ?? 'STANDARD'),
  }));
  return result;
}

/** What a Task state fails with for an S3 error (names and cause as the AWS SDK for Java 2.x reports them). */
export function taskError(e: S3Error, operation: string): StatesError {
  if (e.code === 'NotImplemented') return new StatesError('States.TaskFailed', e.message);
  const head = operation === 'HeadObject' || operation === 'HeadBucket';
  const name = MODELED.has(e.code) ? `S3.${e.code}Exception` : 'S3.S3Exception';
  const message = head ? 'null' : e.message;
  return new StatesError(name, `${message} (Service: S3, Status Code: ${e.status}, Request ID: ${s3RequestId()}, Extended Request ID: ${s3HostId()})`);
}

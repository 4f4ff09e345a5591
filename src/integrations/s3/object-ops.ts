/**
 * The object operations (PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects,
 * CopyObject): SDK-shaped input in, SDK-shaped output out (dates as Date, bodies as bytes), S3's
 * errors thrown. Object events go to the bucket's notifications.
 */
import { CHECKSUM_ALGORITHMS, checksumOf, etagOf, md5Base64, type ChecksumAlgorithm } from './checksums.js';
import { emit, type CallContext, type S3Context } from './context.js';
import { S3Error, s3Errors } from './errors.js';
import { bodyBytes, objectKey, optBoolean, optDate, optList, optObject, optString, optStringMap, refuseUnknown, reqString, type S3Input, type S3Output } from './input.js';
import { etagListMatches, type BucketDoc, type ObjectDoc } from './objects.js';

const CONTENT_HEADERS = ['ContentType', 'CacheControl', 'ContentDisposition', 'ContentEncoding', 'ContentLanguage'] as const;
const CHECKSUM_MEMBERS = CHECKSUM_ALGORITHMS.map((a) => `Checksum${a}`);
const COMMON = ['Bucket', 'ExpectedBucketOwner'];

const PUT_MEMBERS = [...COMMON, 'Key', 'Body', ...CONTENT_HEADERS, 'ContentLength', 'Expires', 'Metadata', 'StorageClass', 'ContentMD5', 'ChecksumAlgorithm', ...CHECKSUM_MEMBERS, 'IfNoneMatch', 'IfMatch', 'ACL', 'ServerSideEncryption'];
const GET_MEMBERS = [...COMMON, 'Key', 'Range', 'IfMatch', 'IfNoneMatch', 'IfModifiedSince', 'IfUnmodifiedSince', 'ChecksumMode'];
const COPY_MEMBERS = [...COMMON, 'Key', 'CopySource', 'MetadataDirective', ...CONTENT_HEADERS, 'Expires', 'Metadata', 'StorageClass', 'ChecksumAlgorithm', 'ACL', 'ServerSideEncryption'];
const STORAGE_CLASSES = ['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR', 'SNOW', 'EXPRESS_ONEZONE'];

/** The bucket, checked against ExpectedBucketOwner as S3 does. */
async function bucketOf(ctx: S3Context, input: S3Input): Promise<BucketDoc> {
  const name = reqString(input, 'Bucket');
  const bucket = await ctx.catalog.existingBucket(name);
  const owner = optString(input, 'ExpectedBucketOwner');
  if (owner !== undefined && owner !== ctx.account) throw new S3Error('AccessDenied', 'Access Denied', 403);
  return bucket;
}

/** Server-side encryption, ACLs and storage classes: what S3 does by default is accepted, the rest refused. */
function checkOptions(input: S3Input): string {
  const sse = optString(input, 'ServerSideEncryption');
  if (sse !== undefined && sse !== 'AES256') throw s3Errors.notImplemented(`Stepwise stores objects with server-side encryption AES256 only, not ${sse}`);
  const acl = optString(input, 'ACL');
  if (acl !== undefined && acl !== 'private' && acl !== 'bucket-owner-full-control') {
    throw new S3Error('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
  }
  const storageClass = optString(input, 'StorageClass') ?? 'STANDARD';
  if (!STORAGE_CLASSES.includes(storageClass)) throw s3Errors.invalidArgument('Invalid storage class.', 'x-amz-storage-class', storageClass);
  return storageClass;
}

/** The checksums sent with a body, verified; plus the one ChecksumAlgorithm asks S3 to compute. */
function checksumsOf(input: S3Input, body: Uint8Array): Partial<Record<ChecksumAlgorithm, string>> {
  const md5 = optString(input, 'ContentMD5');
  if (md5 !== undefined) {
    if (Buffer.from(md5, 'base64').length !== 16) throw s3Errors.invalidDigest();
    if (md5 !== md5Base64(body)) throw s3Errors.badDigest('Content-MD5');
  }
  const out: Partial<Record<ChecksumAlgorithm, string>> = {};
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const given = optString(input, `Checksum${algorithm}`);
    if (given === undefined) continue;
    const actual = checksumOf(algorithm, body);
    if (given !== actual) throw s3Errors.badDigest(algorithm);
    out[algorithm] = actual;
  }
  const requested = optString(input, 'ChecksumAlgorithm')?.toUpperCase();
  if (requested !== undefined && !(requested in out)) {
    if (!(CHECKSUM_ALGORITHMS as readonly string[]).includes(requested)) throw s3Errors.notImplemented(`Stepwise does not compute the checksum algorithm ${requested}`);
    out[requested as ChecksumAlgorithm] = checksumOf(requested as ChecksumAlgorithm, body);
  }
  return out;
}

function contentOf(input: S3Input): Pick<ObjectDoc, (typeof CONTENT_HEADERS)[number] | 'Expires' | 'Metadata'> {
  const out: Partial<ObjectDoc> & { ContentType: string; Metadata: Record<string, string> } = {
    ContentType: optString(input, 'ContentType') ?? 'binary/octet-stream',
    Metadata: optStringMap(input, 'Metadata') ?? {},
  };
  for (const name of CONTENT_HEADERS.slice(1)) {
    const v = optString(input, name);
    if (v !== undefined) out[name] = v;
  }
  const expires = input['Expires'];
  if (expires !== undefined && expires !== null) out.Expires = expires instanceof Date ? expires.toUTCString() : String(expires);
  return out;
}

function checksumOutput(checksums: Partial<Record<ChecksumAlgorithm, string>>): S3Output {
  const entries = Object.entries(checksums);
  if (entries.length === 0) return {};
  return { ...Object.fromEntries(entries.map(([a, v]) => [`Checksum${a}`, v])), ChecksumType: 'FULL_OBJECT' };
}

/** Seconds: S3 keeps Last-Modified to the second. */
function nowSeconds(ctx: S3Context): number {
  return Math.floor(ctx.clock.now() / 1000) * 1000;
}

export async function putObject(ctx: S3Context, input: S3Input, call: CallContext): Promise<S3Output> {
  refuseUnknown('PutObject', input, PUT_MEMBERS);
  const bucket = await bucketOf(ctx, input);
  const key = objectKey(input);
  const body = bodyBytes(input);
  if (body.byteLength > ctx.maxObjectBytes) throw s3Errors.entityTooLarge(body.byteLength, ctx.maxObjectBytes);
  const storageClass = checkOptions(input);
  const checksums = checksumsOf(input, body);
  const ifNoneMatch = optString(input, 'IfNoneMatch');
  const ifMatch = optString(input, 'IfMatch');
  const stored = await ctx.catalog.write(
    bucket.Name,
    { Key: key, Size: body.byteLength, ETag: etagOf(body), LastModified: nowSeconds(ctx), ...contentOf(input), StorageClass: storageClass, Checksums: checksums },
    body,
    { ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}), ...(ifMatch !== undefined ? { ifMatch } : {}) },
  );
  await emit(ctx, call, bucket, { key, eventName: 'ObjectCreated:Put', sequencer: stored.Sequencer, size: stored.Size, eTag: stored.ETag });
  return { ETag: stored.ETag, ...checksumOutput(checksums), ServerSideEncryption: 'AES256' };
}

/** The metadata members of GetObject and HeadObject. */
function metadataOutput(meta: ObjectDoc, withChecksums: boolean): S3Output {
  const out: S3Output = {
    AcceptRanges: 'bytes',
    LastModified: new Date(meta.LastModified),
    ContentLength: meta.Size,
    ETag: meta.ETag,
    ...(withChecksums ? checksumOutput(meta.Checksums ?? {}) : {}),
    ContentType: meta.ContentType,
    ServerSideEncryption: 'AES256',
    Metadata: { ...meta.Metadata },
  };
  for (const name of ['CacheControl', 'ContentDisposition', 'ContentEncoding', 'ContentLanguage'] as const) {
    if (meta[name] !== undefined) out[name] = meta[name];
  }
  if (meta.Expires !== undefined) out['Expires'] = meta.Expires;
  if (meta.StorageClass !== 'STANDARD') out['StorageClass'] = meta.StorageClass;
  return out;
}

/** If-Match and If-Unmodified-Since fail with 412; If-None-Match and If-Modified-Since answer 304. */
function checkReadConditions(input: S3Input, meta: ObjectDoc): void {
  const ifMatch = optString(input, 'IfMatch');
  const ifNoneMatch = optString(input, 'IfNoneMatch');
  const since = optDate(input, 'IfModifiedSince');
  const unmodified = optDate(input, 'IfUnmodifiedSince');
  if (ifMatch !== undefined && !etagListMatches(ifMatch, meta.ETag)) throw s3Errors.preconditionFailed('If-Match');
  if (ifMatch === undefined && unmodified !== undefined && meta.LastModified > unmodified.getTime()) throw s3Errors.preconditionFailed('If-Unmodified-Since');
  if (ifNoneMatch !== undefined && etagListMatches(ifNoneMatch, meta.ETag)) throw s3Errors.notModified();
  if (ifNoneMatch === undefined && since !== undefined && meta.LastModified <= since.getTime()) throw s3Errors.notModified();
}

/** A single byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`); anything else means the whole object, as on S3. */
function rangeOf(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) throw s3Errors.invalidRange(size);
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) throw s3Errors.invalidRange(size);
  if (end < start) return undefined;
  return { start, end };
}

async function readObject(ctx: S3Context, input: S3Input, operation: string, withBody: boolean): Promise<S3Output> {
  refuseUnknown(operation, input, GET_MEMBERS);
  const bucket = await bucketOf(ctx, input);
  const key = objectKey(input);
  const found = withBody ? await ctx.catalog.read(bucket.Name, key) : await ctx.catalog.head(bucket.Name, key).then((meta) => (meta ? { meta, body: new Uint8Array(0) } : undefined));
  if (!found) throw s3Errors.noSuchKey(key);
  checkReadConditions(input, found.meta);
  const out = metadataOutput(found.meta, optString(input, 'ChecksumMode') === 'ENABLED');
  const range = rangeOf(optString(input, 'Range'), found.meta.Size);
  if (range) {
    out['ContentLength'] = range.end - range.start + 1;
    out['ContentRange'] = `bytes ${range.start}-${range.end}/${found.meta.Size}`;
    delete out['ChecksumType'];
    for (const a of CHECKSUM_ALGORITHMS) delete out[`Checksum${a}`];
  }
  if (withBody) out['Body'] = range ? found.body.subarray(range.start, range.end + 1) : found.body;
  return out;
}

export const getObject = (ctx: S3Context, input: S3Input): Promise<S3Output> => readObject(ctx, input, 'GetObject', true);
export const headObject = (ctx: S3Context, input: S3Input): Promise<S3Output> => readObject(ctx, input, 'HeadObject', false);

export async function deleteObject(ctx: S3Context, input: S3Input, call: CallContext): Promise<S3Output> {
  refuseUnknown('DeleteObject', input, [...COMMON, 'Key']);
  const bucket = await bucketOf(ctx, input);
  const key = objectKey(input);
  const removed = await ctx.catalog.remove(bucket.Name, key);
  if (removed) await emit(ctx, call, bucket, { key, eventName: 'ObjectRemoved:Delete', sequencer: removed.Sequencer });
  return {};
}

export async function deleteObjects(ctx: S3Context, input: S3Input, call: CallContext): Promise<S3Output> {
  refuseUnknown('DeleteObjects', input, [...COMMON, 'Delete', 'ChecksumAlgorithm']);
  const bucket = await bucketOf(ctx, input);
  const del = optObject(input, 'Delete');
  const objects = del ? (optList(del, 'Objects') ?? []) : [];
  if (!del || objects.length === 0 || objects.length > 1000) {
    throw new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  }
  const quiet = optBoolean(del, 'Quiet') ?? false;
  const deleted: S3Output[] = [];
  const errors: S3Output[] = [];
  for (const o of objects) {
    const entry = (typeof o === 'object' && o !== null ? o : {}) as S3Input;
    try {
      await deleteObject(ctx, { Bucket: bucket.Name, Key: objectKey(entry) }, call);
      deleted.push({ Key: entry['Key'] as string });
    } catch (err) {
      if (!(err instanceof S3Error)) throw err;
      errors.push({ Key: String(entry['Key'] ?? ''), Code: err.code, Message: err.message });
    }
  }
  return { ...(quiet ? {} : { Deleted: deleted }), ...(errors.length ? { Errors: errors } : {}) };
}

/** `bucket/key` or `/bucket/key`, URL-encoded, with an optional `?versionId=`. */
function copySourceOf(input: S3Input): { bucket: string; key: string } {
  const raw = reqString(input, 'CopySource');
  const path = raw.split('?')[0] as string;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path).replace(/^\//, '');
  } catch {
    throw s3Errors.invalidArgument('Invalid copy source encoding', 'x-amz-copy-source', raw);
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw s3Errors.invalidArgument('Invalid copy source object key', 'x-amz-copy-source', raw);
  if (/[?&]versionId=/.test(raw) && !/[?&]versionId=null(&|$)/.test(raw)) throw s3Errors.notImplemented('Stepwise keeps no object versions (copy source versionId)');
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

export async function copyObject(ctx: S3Context, input: S3Input, call: CallContext): Promise<S3Output> {
  refuseUnknown('CopyObject', input, COPY_MEMBERS);
  const bucket = await bucketOf(ctx, input);
  const key = objectKey(input);
  const source = copySourceOf(input);
  await ctx.catalog.existingBucket(source.bucket);
  const found = await ctx.catalog.read(source.bucket, source.key);
  if (!found) throw s3Errors.noSuchKey(source.key);
  const directive = optString(input, 'MetadataDirective') ?? 'COPY';
  if (directive !== 'COPY' && directive !== 'REPLACE') throw s3Errors.invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  const storageClass = checkOptions(input);
  const sameObject = source.bucket === bucket.Name && source.key === key;
  if (sameObject && directive === 'COPY' && optString(input, 'StorageClass') === undefined) {
    throw s3Errors.invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const src = found.meta;
  const content =
    directive === 'REPLACE'
      ? contentOf(input)
      : { ContentType: src.ContentType, Metadata: src.Metadata, ...Object.fromEntries(['CacheControl', 'ContentDisposition', 'ContentEncoding', 'ContentLanguage', 'Expires'].filter((n) => src[n as keyof ObjectDoc] !== undefined).map((n) => [n, src[n as keyof ObjectDoc]])) };
  const checksums = { ...(src.Checksums ?? {}) };
  const requested = optString(input, 'ChecksumAlgorithm')?.toUpperCase();
  if (requested !== undefined) {
    if (!(CHECKSUM_ALGORITHMS as readonly string[]).includes(requested)) throw s3Errors.notImplemented(`Stepwise does not compute the checksum algorithm ${requested}`);
    checksums[requested as ChecksumAlgorithm] = checksumOf(requested as ChecksumAlgorithm, found.body);
  }
  const stored = await ctx.catalog.write(
    bucket.Name,
    { Key: key, Size: src.Size, ETag: src.ETag, LastModified: nowSeconds(ctx), ...(content as ReturnType<typeof contentOf>), StorageClass: storageClass, Checksums: checksums },
    found.body,
  );
  await emit(ctx, call, bucket, { key, eventName: 'ObjectCreated:Copy', sequencer: stored.Sequencer, size: stored.Size, eTag: stored.ETag });
  const result: S3Output = { ETag: stored.ETag, LastModified: new Date(stored.LastModified) };
  for (const [a, v] of Object.entries(checksums)) result[`Checksum${a}`] = v;
  return { CopyObjectResult: result, ServerSideEncryption: 'AES256' };
}

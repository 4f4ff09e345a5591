/**
 * Multipart uploads (CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
 * AbortMultipartUpload), which the AWS CLI and the SDKs' upload helpers use for larger files. An
 * upload is a record of kind `s3-upload` (`<bucket>/<uploadId>`) and each part one of kind
 * `s3-part` (`<bucket>/<uploadId>/<part number>`, base64); completing joins the named parts into one
 * object (still at most the local object limit) with S3's multipart ETag (the MD5 of the parts'
 * MD5s, `-<count>`), and drops the upload. Listing uploads and parts is not served.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Json } from '../../lib/json.js';
import { etagOf } from './checksums.js';
import { emit, type CallContext, type S3Context } from './context.js';
import { S3Error, s3Errors } from './errors.js';
import { bodyBytes, objectKey, optInteger, optList, optObject, optString, optStringMap, refuseUnknown, reqString, type S3Input, type S3Output } from './input.js';
import { S3_KINDS, type ObjectDoc } from './objects.js';

/** S3's smallest part but the last. */
const MIN_PART_BYTES = 5 * 1024 * 1024;

interface UploadDoc {
  Bucket: string;
  Key: string;
  UploadId: string;
  Content: Pick<ObjectDoc, 'ContentType' | 'CacheControl' | 'ContentDisposition' | 'ContentEncoding' | 'ContentLanguage' | 'Expires' | 'Metadata' | 'StorageClass'>;
}

interface PartDoc {
  Data: string;
  ETag: string;
  Size: number;
}

const noSuchUpload = (id: string) =>
  new S3Error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404, { UploadId: id });
const invalidPart = () =>
  new S3Error('InvalidPart', "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", 400);

const partArn = (bucket: string, id: string, n: number) => `${bucket}/${id}/${String(n).padStart(5, '0')}`;

async function uploadOf(ctx: S3Context, input: S3Input): Promise<UploadDoc> {
  const bucket = await ctx.catalog.existingBucket(reqString(input, 'Bucket'));
  const key = objectKey(input);
  const id = reqString(input, 'UploadId');
  const rec = await ctx.catalog.store.getResource(S3_KINDS.upload, `${bucket.Name}/${id}`);
  const doc = rec?.doc as unknown as UploadDoc | undefined;
  if (!doc || doc.Key !== key) throw noSuchUpload(id);
  return doc;
}

export async function createMultipartUpload(ctx: S3Context, input: S3Input): Promise<S3Output> {
  refuseUnknown('CreateMultipartUpload', input, ['Bucket', 'ExpectedBucketOwner', 'Key', 'ContentType', 'CacheControl', 'ContentDisposition', 'ContentEncoding', 'ContentLanguage', 'Expires', 'Metadata', 'StorageClass', 'ChecksumAlgorithm', 'ChecksumType', 'ACL', 'ServerSideEncryption']);
  const bucket = await ctx.catalog.existingBucket(reqString(input, 'Bucket'));
  const key = objectKey(input);
  const id = randomBytes(32).toString('base64url');
  const content: UploadDoc['Content'] = { ContentType: optString(input, 'ContentType') ?? 'binary/octet-stream', Metadata: optStringMap(input, 'Metadata') ?? {}, StorageClass: optString(input, 'StorageClass') ?? 'STANDARD' };
  for (const name of ['CacheControl', 'ContentDisposition', 'ContentEncoding', 'ContentLanguage', 'Expires'] as const) {
    const v = optString(input, name);
    if (v !== undefined) content[name] = v;
  }
  const doc: UploadDoc = { Bucket: bucket.Name, Key: key, UploadId: id, Content: content };
  await ctx.catalog.store.createResource(S3_KINDS.upload, `${bucket.Name}/${id}`, key, doc as unknown as Json, ctx.clock.now());
  return { Bucket: bucket.Name, Key: key, UploadId: id, ServerSideEncryption: 'AES256' };
}

export async function uploadPart(ctx: S3Context, input: S3Input): Promise<S3Output> {
  refuseUnknown('UploadPart', input, ['Bucket', 'ExpectedBucketOwner', 'Key', 'UploadId', 'PartNumber', 'Body', 'ContentLength', 'ContentMD5', 'ChecksumAlgorithm', 'ChecksumCRC32', 'ChecksumCRC32C', 'ChecksumSHA1', 'ChecksumSHA256']);
  const upload = await uploadOf(ctx, input);
  const n = optInteger(input, 'PartNumber', 1);
  if (n === undefined || n > 10_000) throw s3Errors.invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', String(input['PartNumber'] ?? ''));
  const body = bodyBytes(input);
  if (body.byteLength > ctx.maxObjectBytes) throw s3Errors.entityTooLarge(body.byteLength, ctx.maxObjectBytes);
  const md5 = optString(input, 'ContentMD5');
  if (md5 !== undefined && md5 !== createHash('md5').update(body).digest('base64')) throw s3Errors.badDigest('Content-MD5');
  const doc: PartDoc = { Data: Buffer.from(body).toString('base64'), ETag: etagOf(body), Size: body.byteLength };
  const arn = partArn(upload.Bucket, upload.UploadId, n);
  const store = ctx.catalog.store;
  // A part uploaded again replaces the earlier one.
  if (!(await store.createResource(S3_KINDS.part, arn, upload.UploadId, doc as unknown as Json, ctx.clock.now()))) {
    await store.deleteResource(S3_KINDS.part, arn);
    await store.createResource(S3_KINDS.part, arn, upload.UploadId, doc as unknown as Json, ctx.clock.now());
  }
  return { ETag: doc.ETag, ServerSideEncryption: 'AES256' };
}

export async function completeMultipartUpload(ctx: S3Context, input: S3Input, call: CallContext): Promise<S3Output> {
  refuseUnknown('CompleteMultipartUpload', input, ['Bucket', 'ExpectedBucketOwner', 'Key', 'UploadId', 'MultipartUpload', 'ChecksumType', 'MpuObjectSize']);
  const upload = await uploadOf(ctx, input);
  const listed = optList(optObject(input, 'MultipartUpload') ?? {}, 'Parts') ?? [];
  if (listed.length === 0) throw new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  const store = ctx.catalog.store;
  const parts: PartDoc[] = [];
  let previous = 0;
  for (const item of listed) {
    const p = (typeof item === 'object' && item !== null ? item : {}) as S3Input;
    const n = optInteger(p, 'PartNumber', 1) ?? 0;
    if (n <= previous) throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', 400, { UploadId: upload.UploadId });
    previous = n;
    const rec = await store.getResource(S3_KINDS.part, partArn(upload.Bucket, upload.UploadId, n));
    const part = rec?.doc as unknown as PartDoc | undefined;
    const etag = optString(p, 'ETag');
    if (!part || (etag !== undefined && etag.replace(/"/g, '') !== part.ETag.replace(/"/g, ''))) throw invalidPart();
    parts.push(part);
  }
  parts.slice(0, -1).forEach((p) => {
    if (p.Size < MIN_PART_BYTES) throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', 400, { ProposedSize: String(p.Size), MinSizeAllowed: String(MIN_PART_BYTES) });
  });
  const size = parts.reduce((s, p) => s + p.Size, 0);
  if (size > ctx.maxObjectBytes) throw s3Errors.entityTooLarge(size, ctx.maxObjectBytes);
  const body = Buffer.concat(parts.map((p) => Buffer.from(p.Data, 'base64')));
  const digests = Buffer.concat(parts.map((p) => Buffer.from(p.ETag.replace(/"/g, ''), 'hex')));
  const etag = `"${createHash('md5').update(digests).digest('hex')}-${parts.length}"`;
  const bucket = await ctx.catalog.existingBucket(upload.Bucket);
  const stored = await ctx.catalog.write(
    upload.Bucket,
    { Key: upload.Key, Size: size, ETag: etag, LastModified: Math.floor(ctx.clock.now() / 1000) * 1000, ...upload.Content, Checksums: {} },
    body,
  );
  await abort(ctx, upload);
  await emit(ctx, call, bucket, { key: upload.Key, eventName: 'ObjectCreated:CompleteMultipartUpload', sequencer: stored.Sequencer, size, eTag: etag });
  return { Location: `/${upload.Bucket}/${upload.Key}`, Bucket: upload.Bucket, Key: upload.Key, ETag: etag, ServerSideEncryption: 'AES256' };
}

async function abort(ctx: S3Context, upload: UploadDoc): Promise<void> {
  const store = ctx.catalog.store;
  for (;;) {
    const parts = await store.listResources(S3_KINDS.part, { arnPrefix: `${upload.Bucket}/${upload.UploadId}/`, limit: 100 });
    for (const p of parts) await store.deleteResource(S3_KINDS.part, p.arn);
    if (parts.length < 100) break;
  }
  await store.deleteResource(S3_KINDS.upload, `${upload.Bucket}/${upload.UploadId}`);
}

export async function abortMultipartUpload(ctx: S3Context, input: S3Input): Promise<S3Output> {
  refuseUnknown('AbortMultipartUpload', input, ['Bucket', 'ExpectedBucketOwner', 'Key', 'UploadId']);
  await abort(ctx, await uploadOf(ctx, input));
  return {};
}

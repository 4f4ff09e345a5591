/**
 * S3's REST API (path-style) on a real server, through the real AWS SDK (`@aws-sdk/client-s3`
 * with `forcePathStyle`): buckets, objects with their metadata, listings in S3's key order with
 * prefixes, delimiters and pages, copies, S3's errors, a 3 MiB object, multipart uploads, and
 * bodies the SDK streams aws-chunked. The Step Functions API keeps answering on the same port.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../api/harness.js';

let h: Harness;
let s3: S3Client;

beforeAll(async () => {
  h = await startHarness({ args: { s3MaxObjectBytes: 6 * 1024 * 1024 } });
  s3 = new S3Client({ endpoint: h.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});

afterAll(async () => {
  s3?.destroy();
  await h?.stop();
});

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined; Key?: string; BucketName?: string }> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof S3ServiceException)) throw err;
    const e = err as S3ServiceException & { Key?: string; BucketName?: string };
    return { name: e.name, message: e.message, status: e.$metadata.httpStatusCode, ...(e.Key ? { Key: e.Key } : {}), ...(e.BucketName ? { BucketName: e.BucketName } : {}) };
  }
  throw new Error('expected the call to fail');
}

const md5 = (b: Uint8Array | string) => `"${createHash('md5').update(b).digest('hex')}"`;

describe('buckets', () => {
  it('creates, heads, lists and deletes buckets; a bucket with objects is not empty', async () => {
    const created = await s3.send(new CreateBucketCommand({ Bucket: 'alpha-bucket' }));
    expect(created.Location).toBe('/alpha-bucket');
    await s3.send(new CreateBucketCommand({ Bucket: 'beta-bucket' }));
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'alpha-bucket' }));
    expect(head.BucketRegion).toBe('us-east-1');
    const listed = await s3.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((b) => b.Name)).toEqual(expect.arrayContaining(['alpha-bucket', 'beta-bucket']));
    expect(listed.Buckets?.[0]?.CreationDate).toBeInstanceOf(Date);
    expect(listed.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'alpha-bucket' }))).LocationConstraint).toBeUndefined();

    await s3.send(new PutObjectCommand({ Bucket: 'beta-bucket', Key: 'k', Body: 'x' }));
    expect(await failure(s3.send(new DeleteBucketCommand({ Bucket: 'beta-bucket' })))).toMatchObject({ name: 'BucketNotEmpty', message: 'The bucket you tried to delete is not empty', status: 409, BucketName: 'beta-bucket' });
    await s3.send(new DeleteObjectCommand({ Bucket: 'beta-bucket', Key: 'k' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'beta-bucket' }));
    expect(await failure(s3.send(new HeadBucketCommand({ Bucket: 'beta-bucket' })))).toMatchObject({ name: 'NotFound', status: 404 });
    expect(await failure(s3.send(new DeleteBucketCommand({ Bucket: 'beta-bucket' })))).toMatchObject({ name: 'NoSuchBucket', message: 'The specified bucket does not exist', status: 404, BucketName: 'beta-bucket' });
  });

  it('refuses a bucket name S3 refuses', async () => {
    for (const name of ['Upper-Case', 'ab', 'under_score', '192.168.1.1', 'double..dot']) {
      expect(await failure(s3.send(new CreateBucketCommand({ Bucket: name }))), name).toMatchObject({ name: 'InvalidBucketName', status: 400 });
    }
  });
});

describe('objects', () => {
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'objects' }));
  });

  it('keeps the body, ETag (MD5), Content-Type, user metadata and Last-Modified', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'dir/hello world.txt', Body: 'hello', ContentType: 'text/plain', Metadata: { Owner: 'ops', run: '42' }, CacheControl: 'no-cache' }));
    expect(put.ETag).toBe(md5('hello'));
    expect(put.ServerSideEncryption).toBe('AES256');
    expect(put.ChecksumCRC32).toBe('NhCmhg==');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'dir/hello world.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello');
    expect(got).toMatchObject({ ETag: md5('hello'), ContentType: 'text/plain', ContentLength: 5, CacheControl: 'no-cache', Metadata: { owner: 'ops', run: '42' }, AcceptRanges: 'bytes' });
    expect(got.LastModified).toBeInstanceOf(Date);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'dir/hello world.txt' }));
    expect(head).toMatchObject({ ETag: md5('hello'), ContentLength: 5, ContentType: 'text/plain', Metadata: { owner: 'ops', run: '42' } });
  });

  it('keeps bytes exactly with the Content-Type sent, and serves ranges', async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'bytes.bin', Body: bytes }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'bytes.bin' }));
    expect(got.ContentType).toBe('application/octet-stream'); // what the SDK sends for bytes
    expect(await got.Body?.transformToByteArray()).toEqual(bytes);
    const part = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'bytes.bin', Range: 'bytes=10-13' }));
    expect(part.ContentRange).toBe('bytes 10-13/256');
    expect(await part.Body?.transformToByteArray()).toEqual(Uint8Array.from([10, 11, 12, 13]));
  });

  it('keys hold any UTF-8, dot segments and characters the SDK encodes', async () => {
    const keys = ['ünïcödé/ключ.json', 'a/./b/../c', 'plus+and=equals&amp?', "quote's (1).txt", '😀 emoji'];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: 'objects', Key, Body: Key }));
    for (const Key of keys) expect(await (await s3.send(new GetObjectCommand({ Bucket: 'objects', Key }))).Body?.transformToString(), Key).toBe(Key);
  });

  it("answers NoSuchKey with S3's message and the key; NoSuchBucket for a missing bucket", async () => {
    expect(await failure(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'missing/key' })))).toEqual({ name: 'NoSuchKey', message: 'The specified key does not exist.', status: 404, Key: 'missing/key' });
    expect(await failure(s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'missing/key' })))).toMatchObject({ name: 'NotFound', status: 404 });
    expect(await failure(s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: 'x' })))).toMatchObject({ name: 'NoSuchBucket', status: 404 });
  });

  it('deletes objects (a missing key too, as S3), one by one and in batches', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'gone', Body: 'x' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'gone' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'never-was' }));
    expect(await failure(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'gone' })))).toMatchObject({ name: 'NoSuchKey' });
    for (const Key of ['batch/1', 'batch/2']) await s3.send(new PutObjectCommand({ Bucket: 'objects', Key, Body: Key }));
    const del = await s3.send(new DeleteObjectsCommand({ Bucket: 'objects', Delete: { Objects: [{ Key: 'batch/1' }, { Key: 'batch/2' }] } }));
    expect(del.Deleted?.map((d) => d.Key)).toEqual(['batch/1', 'batch/2']);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'objects', Prefix: 'batch/' }))).KeyCount).toBe(0);
  });

  it('copies an object with its metadata, or replaces the metadata; refuses a copy onto itself that changes nothing', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'src.json', Body: '{"a":1}', ContentType: 'application/json', Metadata: { origin: 'test' } }));
    const copied = await s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'copies/dst.json', CopySource: 'objects/src.json' }));
    expect(copied.CopyObjectResult?.ETag).toBe(md5('{"a":1}'));
    expect(copied.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    const dst = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'copies/dst.json' }));
    expect(await dst.Body?.transformToString()).toBe('{"a":1}');
    expect(dst).toMatchObject({ ContentType: 'application/json', Metadata: { origin: 'test' } });
    await s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'copies/replaced', CopySource: encodeURIComponent('objects/src.json'), MetadataDirective: 'REPLACE', ContentType: 'text/plain', Metadata: { new: 'yes' } }));
    expect(await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'copies/replaced' }))).toMatchObject({ ContentType: 'text/plain', Metadata: { new: 'yes' } });
    expect(await failure(s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'src.json', CopySource: 'objects/src.json' })))).toMatchObject({ name: 'InvalidRequest', status: 400 });
    expect(await failure(s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'x', CopySource: 'objects/nothing-here' })))).toMatchObject({ name: 'NoSuchKey', status: 404 });
  });

  it('conditional requests: If-None-Match * refuses an overwrite; If-None-Match answers 304; If-Match 412', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'once', Body: 'first', IfNoneMatch: '*' }));
    expect(await failure(s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'once', Body: 'second', IfNoneMatch: '*' })))).toMatchObject({ name: 'PreconditionFailed', status: 412 });
    expect(await failure(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'once', IfNoneMatch: md5('first') })))).toMatchObject({ status: 304 });
    expect(await failure(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'once', IfMatch: '"0000"' })))).toMatchObject({ name: 'PreconditionFailed', status: 412 });
  });

  it('stores a 3 MiB object and refuses one past the limit with EntityTooLarge', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 'abcdefghijklmnopqrstuvwxyz');
    const put = await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'big.bin', Body: big }));
    expect(put.ETag).toBe(md5(big));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'big.bin' }));
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(big)).toBe(true);
    const tooBig = Buffer.alloc(6 * 1024 * 1024 + 1);
    expect(await failure(s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'too-big.bin', Body: tooBig })))).toMatchObject({ name: 'EntityTooLarge', status: 400 });
  });

  it("assembles a multipart upload, with S3's multipart ETag; refuses small parts but the last, and unknown parts", async () => {
    const one = Buffer.alloc(5 * 1024 * 1024, 'x');
    const two = Buffer.from('tail of the upload');
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'objects', Key: 'multi.bin', ContentType: 'text/plain', Metadata: { parts: '2' } }));
    const p1 = await s3.send(new UploadPartCommand({ Bucket: 'objects', Key: 'multi.bin', UploadId, PartNumber: 1, Body: one }));
    const p2 = await s3.send(new UploadPartCommand({ Bucket: 'objects', Key: 'multi.bin', UploadId, PartNumber: 2, Body: two }));
    expect(p1.ETag).toBe(md5(one));
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'objects', Key: 'multi.bin', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] } }));
    const digests = Buffer.concat([one, two].map((b) => createHash('md5').update(b).digest()));
    expect(done.ETag).toBe(`"${createHash('md5').update(digests).digest('hex')}-2"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'multi.bin' }));
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(Buffer.concat([one, two]))).toBe(true);
    expect(got).toMatchObject({ ContentType: 'text/plain', Metadata: { parts: '2' }, ETag: done.ETag });
    expect(await failure(s3.send(new UploadPartCommand({ Bucket: 'objects', Key: 'multi.bin', UploadId, PartNumber: 3, Body: 'x' })))).toMatchObject({ name: 'NoSuchUpload', status: 404 });

    const small = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'objects', Key: 'small.bin' }));
    const s1 = await s3.send(new UploadPartCommand({ Bucket: 'objects', Key: 'small.bin', UploadId: small.UploadId, PartNumber: 1, Body: 'a' }));
    const s2 = await s3.send(new UploadPartCommand({ Bucket: 'objects', Key: 'small.bin', UploadId: small.UploadId, PartNumber: 2, Body: 'b' }));
    const complete = (parts: { PartNumber: number; ETag?: string }[]) => s3.send(new CompleteMultipartUploadCommand({ Bucket: 'objects', Key: 'small.bin', UploadId: small.UploadId, MultipartUpload: { Parts: parts } }));
    expect(await failure(complete([{ PartNumber: 1, ETag: s1.ETag }, { PartNumber: 2, ETag: s2.ETag }]))).toMatchObject({ name: 'EntityTooSmall', status: 400 });
    expect(await failure(complete([{ PartNumber: 1, ETag: s2.ETag }]))).toMatchObject({ name: 'InvalidPart', status: 400 });
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'objects', Key: 'small.bin', UploadId: small.UploadId }));
    expect(await failure(complete([{ PartNumber: 1, ETag: s1.ETag }]))).toMatchObject({ name: 'NoSuchUpload', status: 404 });
  });

  it('takes a streamed body the SDK sends aws-chunked with a trailing checksum', async () => {
    const text = 'streamed '.repeat(20_000);
    const put = await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'streamed.txt', Body: Readable.from([Buffer.from(text)]), ContentLength: Buffer.byteLength(text) }));
    expect(put.ETag).toBe(md5(text));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'streamed.txt' }))).Body?.transformToString()).toBe(text);
  });

  it('refuses a wrong signature and an unknown access key as S3 does', async () => {
    const wrong = new S3Client({ endpoint: h.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' }, maxAttempts: 1 });
    const unknown = new S3Client({ endpoint: h.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'nobody', secretAccessKey: 'x' }, maxAttempts: 1 });
    try {
      expect(await failure(wrong.send(new ListBucketsCommand({})))).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
      expect(await failure(unknown.send(new ListBucketsCommand({})))).toMatchObject({ name: 'InvalidAccessKeyId', status: 403 });
    } finally {
      wrong.destroy();
      unknown.destroy();
    }
  });
});

describe('listing', () => {
  const keys = ['a', 'a/b', 'a/b/c', 'a/c', 'b', 'b/x/y', 'b/z', 'c.txt', 'Z-upper', 'é-accent', '\u{FF5E}-fullwidth', '😀-emoji'];

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'listing' }));
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: 'listing', Key, Body: Key }));
  });

  /** S3's order: UTF-8 bytes (not JavaScript's UTF-16 code units, which put U+FF5E after 😀). */
  const byteOrder = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));

  it('lists every key in UTF-8 byte order with its size, ETag and storage class', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: 'listing' }));
    expect(out.Contents?.map((c) => c.Key)).toEqual(byteOrder);
    expect(byteOrder.indexOf('\u{FF5E}-fullwidth')).toBeLessThan(byteOrder.indexOf('😀-emoji'));
    expect(out).toMatchObject({ Name: 'listing', Prefix: '', KeyCount: keys.length, MaxKeys: 1000, IsTruncated: false });
    expect(out.Contents?.[0]).toMatchObject({ Key: 'Z-upper', Size: 7, ETag: md5('Z-upper'), StorageClass: 'STANDARD' });
  });

  it('rolls keys up into CommonPrefixes at the delimiter, under a prefix', async () => {
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/' }));
    expect(top.Contents?.map((c) => c.Key)).toEqual(['Z-upper', 'a', 'b', 'c.txt', 'é-accent', '\u{FF5E}-fullwidth', '😀-emoji']);
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'b/']);
    expect(top.KeyCount).toBe(9);
    const underA = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'a/', Delimiter: '/' }));
    expect(underA.Contents?.map((c) => c.Key)).toEqual(['a/b', 'a/c']);
    expect(underA.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/b/']);
    expect(underA.Prefix).toBe('a/');
  });

  it('pages with MaxKeys and continuation tokens, counting common prefixes, and starts after StartAfter', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/', MaxKeys: 2, ...(token ? { ContinuationToken: token } : {}) }));
      seen.push(...(page.Contents ?? []).map((c) => c.Key as string), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix as string));
      expect(page.KeyCount).toBeLessThanOrEqual(2);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      pages++;
    } while (token);
    expect(pages).toBe(5);
    expect(seen.sort()).toEqual(['Z-upper', 'a', 'a/', 'b', 'b/', 'c.txt', 'é-accent', '\u{FF5E}-fullwidth', '😀-emoji'].sort());
    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', StartAfter: 'b/x' }));
    expect(after.Contents?.map((c) => c.Key)).toEqual(['b/x/y', 'b/z', 'c.txt', 'é-accent', '\u{FF5E}-fullwidth', '😀-emoji']);
    expect(after.StartAfter).toBe('b/x');
  });

  it('ListObjects (v1) pages with Marker and NextMarker', async () => {
    const first = await s3.send(new ListObjectsCommand({ Bucket: 'listing', Delimiter: '/', MaxKeys: 3 }));
    expect([first.Contents?.map((c) => c.Key), first.CommonPrefixes?.map((p) => p.Prefix), first.IsTruncated, first.NextMarker]).toEqual([['Z-upper', 'a'], ['a/'], true, 'a/']);
    const next = await s3.send(new ListObjectsCommand({ Bucket: 'listing', Delimiter: '/', MaxKeys: 3, Marker: first.NextMarker }));
    expect(next.Contents?.map((c) => c.Key)).toEqual(['b', 'c.txt']);
    expect(next.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['b/']);
  });

  it('refuses a continuation token it did not write', async () => {
    expect(await failure(s3.send(new ListObjectsV2Command({ Bucket: 'listing', ContinuationToken: 'bm90LWEtdG9rZW4=' })))).toMatchObject({ name: 'InvalidArgument', status: 400 });
  });
});

describe('beside the Step Functions API', () => {
  it('answers Step Functions on POST / and S3 on the other paths of the same port', async () => {
    const sfn = h.client();
    expect((await sfn.send(new ListStateMachinesCommand({}))).stateMachines).toBeDefined();
    expect((await s3.send(new ListBucketsCommand({}))).Buckets).toBeDefined();
  });
});

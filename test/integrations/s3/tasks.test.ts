/**
 * Task states calling S3 through the integration, reproducing what AWS recorded
 * (../shared/conformance: AWS_SDK_S3_PUT_OBJECT, AWS_SDK_S3_GET_OBJECT, the no-such-bucket case),
 * and the resources a Distributed Map's ItemReader and ResultWriter call (s3:getObject,
 * s3:listObjectsV2, s3:putObject).
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/engine/clock.js';
import { runLocal, type TaskInvoker } from '../../../src/engine/local-run.js';
import type { Store } from '../../../src/engine/store.js';
import { LocalS3 } from '../../../src/integrations/s3/local-s3.js';
import { s3Integration } from '../../../src/integrations/s3/task-integration.js';
import { openSqliteStore } from '../../../src/stores/sqlite/index.js';

let store: Store;
let local: LocalS3;
let clock: FakeClock;
let run: (definition: object, input?: object) => ReturnType<typeof runLocal>;
const forwarded: string[] = [];

beforeEach(async () => {
  store = openSqliteStore({ path: ':memory:' });
  await store.migrate();
  clock = new FakeClock(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  local = new LocalS3(store, clock);
  await local.call('CreateBucket', { Bucket: 'bucket-name' });
  const next: TaskInvoker = {
    invoke: async (req, progress) => {
      forwarded.push(req.resource);
      progress?.submitted({ submitted: true });
      return { from: 'next' };
    },
  };
  const invoker = s3Integration(store, clock, { local, next });
  run = (definition, input = {}) => runLocal(definition, input, { invoker, clock });
});

afterEach(async () => {
  await store.close();
});

const md5 = (text: string) => `"${createHash('md5').update(text).digest('hex')}"`;
const task = (resource: string, parameters: object, extra: object = { End: true }) => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource: resource, Parameters: parameters, ...extra } } });
const output = async (definition: object, input: object = {}) => {
  const r = await run(definition, input);
  expect([r.status, r.error, r.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
  return JSON.parse(r.output as string);
};

describe('aws-sdk:s3 as AWS recorded it', () => {
  it.each([
    ['text data', '"2b5df3712557f503a9977a8ea893b2c9"', 'KUmHvQ==', '"text data"'],
    [{ Dict: 'Value' }, '"49e31cee5aec8faf3345893addb14346"', 'hnEfWw==', '{"Dict":"Value"}'],
    [['List', 'Data'], '"6b23860357f6e63a0272b7f1143a663a"', '1F2MPA==', '["List","Data"]'],
    [0, '"cfcd208495d565ef66e7dff9f98764da"', '9NvfIQ==', '0'],
  ])('putObject stores the Body %j as JSON text, with a CRC32 checksum', async (body, etag, crc, stored) => {
    const out = await output(task('arn:aws:states:::aws-sdk:s3:putObject', { 'Bucket.$': '$.Bucket', 'Key.$': '$.Key', 'Body.$': '$.Body' }), { Bucket: 'bucket-name', Key: 'file-key', Body: body });
    expect(out).toEqual({ ChecksumCRC32: crc, ChecksumType: 'FULL_OBJECT', ETag: etag, ServerSideEncryption: 'AES256' });
    const got = await local.call('GetObject', { Bucket: 'bucket-name', Key: 'file-key' });
    expect(Buffer.from(got['Body'] as Uint8Array).toString()).toBe(stored);
  });

  it.each([
    ['empty_str', '', '"d41d8cd98f00b204e9800998ecf8427e"'],
    ['binary', 'binary data', '"e1a49b59e0c42e4fd3735ad644f25d57"'],
  ])('getObject returns the body as text with the object metadata (%s)', async (_, text, etag) => {
    await local.call('PutObject', { Bucket: 'bucket-name', Key: 'file_key', Body: Buffer.from(text) });
    const out = await output(task('arn:aws:states:::aws-sdk:s3:getObject', { 'Bucket.$': '$.Bucket', 'Key.$': '$.Key' }), { Bucket: 'bucket-name', Key: 'file_key' });
    expect(out).toEqual({
      AcceptRanges: 'bytes',
      ContentLength: text.length,
      ContentType: 'binary/octet-stream',
      ETag: etag,
      LastModified: '2026-01-02T03:04:05Z',
      Metadata: {},
      ServerSideEncryption: 'AES256',
      Body: text,
    });
  });

  it('a missing bucket fails with S3.NoSuchBucketException and the Java SDK v2 cause', async () => {
    const definition = {
      StartAt: 'List',
      States: {
        List: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:listObjects', Parameters: { 'Bucket.$': '$.Bucket' }, Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.TaskFailedError', Next: 'Handler' }], End: true },
        Handler: { Type: 'Pass', End: true },
      },
    };
    const out = await output(definition, { Bucket: 'someNonexistentBucketName' });
    expect(out.TaskFailedError.Error).toBe('S3.NoSuchBucketException');
    expect(out.TaskFailedError.Cause).toMatch(/^The specified bucket does not exist \(Service: S3, Status Code: 404, Request ID: [0-9A-F]{16}, Extended Request ID: \S+\)$/);
  });
});

describe('aws-sdk:s3 actions', () => {
  it('headObject, copyObject, listObjectsV2 with a prefix and delimiter, deleteObject', async () => {
    for (const Key of ['in/a.json', 'in/b.json', 'in/sub/c.json', 'out.json']) await local.call('PutObject', { Bucket: 'bucket-name', Key, Body: Key, ContentType: 'application/json' });
    const head = await output(task('arn:aws:states:::aws-sdk:s3:headObject', { Bucket: 'bucket-name', Key: 'in/a.json' }));
    expect(head).toMatchObject({ ContentLength: 9, ContentType: 'application/json', LastModified: '2026-01-02T03:04:05Z' });
    expect(head.Body).toBeUndefined();
    const copy = await output(task('arn:aws:states:::aws-sdk:s3:copyObject', { Bucket: 'bucket-name', Key: 'copied.json', CopySource: 'bucket-name/in/a.json' }));
    expect(copy).toEqual({ CopyObjectResult: { ETag: head.ETag, LastModified: '2026-01-02T03:04:05Z' }, ServerSideEncryption: 'AES256' });
    const list = await output(task('arn:aws:states:::aws-sdk:s3:listObjectsV2', { Bucket: 'bucket-name', Prefix: 'in/', Delimiter: '/' }));
    expect(list).toEqual({
      IsTruncated: false,
      Contents: [
        { Key: 'in/a.json', LastModified: '2026-01-02T03:04:05Z', ETag: head.ETag, Size: 9, StorageClass: 'STANDARD' },
        { Key: 'in/b.json', LastModified: '2026-01-02T03:04:05Z', ETag: md5('in/b.json'), Size: 9, StorageClass: 'STANDARD' },
      ],
      CommonPrefixes: [{ Prefix: 'in/sub/' }],
      Name: 'bucket-name',
      Prefix: 'in/',
      Delimiter: '/',
      MaxKeys: 1000,
      KeyCount: 3,
    });
    await output(task('arn:aws:states:::aws-sdk:s3:deleteObject', { Bucket: 'bucket-name', Key: 'out.json' }));
    expect(await local.call('ListObjectsV2', { Bucket: 'bucket-name', Prefix: 'out' })).toMatchObject({ KeyCount: 0 });
  });

  it('createBucket, listBuckets, deleteBucket; deleting a bucket with objects is S3.S3Exception (BucketNotEmpty)', async () => {
    await output(task('arn:aws:states:::aws-sdk:s3:createBucket', { Bucket: 'made-by-a-task' }));
    const buckets = await output(task('arn:aws:states:::aws-sdk:s3:listBuckets', {}));
    expect(buckets.Buckets.map((b: { Name: string }) => b.Name)).toEqual(['bucket-name', 'made-by-a-task']);
    expect(buckets.Buckets[0].CreationDate).toBe('2026-01-02T03:04:05Z');
    await output(task('arn:aws:states:::aws-sdk:s3:deleteBucket', { Bucket: 'made-by-a-task' }));
    await local.call('PutObject', { Bucket: 'bucket-name', Key: 'k', Body: 'x' });
    const r = await run(task('arn:aws:states:::aws-sdk:s3:deleteBucket', { Bucket: 'bucket-name' }));
    expect(r.error).toBe('S3.S3Exception');
    expect(r.cause).toMatch(/^The bucket you tried to delete is not empty \(Service: S3, Status Code: 409, Request ID: /);
  });

  it('getObject of a missing key is S3.NoSuchKeyException; headObject has no message to give ("null")', async () => {
    const get = await run(task('arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'bucket-name', Key: 'nope' }));
    expect([get.error, get.cause?.split(' (')[0]]).toEqual(['S3.NoSuchKeyException', 'The specified key does not exist.']);
    const head = await run(task('arn:aws:states:::aws-sdk:s3:headObject', { Bucket: 'bucket-name', Key: 'nope' }));
    expect(head.error).toBe('S3.NoSuchKeyException');
    expect(head.cause).toMatch(/^null \(Service: S3, Status Code: 404, /);
  });

  it('refuses parameters it does not implement, and the callback pattern, by name', async () => {
    const r = await run(task('arn:aws:states:::aws-sdk:s3:putObject', { Bucket: 'bucket-name', Key: 'k', Body: 'x', Tagging: 'a=b' }));
    expect(r.error).toBe('States.TaskFailed');
    expect(r.cause).toContain('Tagging');
    const cb = await run(task('arn:aws:states:::aws-sdk:s3:putObject.waitForTaskToken', { Bucket: 'bucket-name', Key: 'k', Body: 'x' }));
    expect(cb.error).toBe('States.TaskFailed');
    expect(cb.cause).toContain('request-response');
  });

  it('passes other resources to the next integration, with its progress', async () => {
    const out = await output(task('arn:aws:states:::dynamodb:getItem', {}));
    expect(out).toEqual({ from: 'next' });
    expect(forwarded).toContain('arn:aws:states:::dynamodb:getItem');
  });
});

describe('the ItemReader and ResultWriter resources', () => {
  it('s3:putObject stores a string Body as it is; s3:getObject answers it as Body with the metadata', async () => {
    const put = await output(task('arn:aws:states:::s3:putObject', { Bucket: 'bucket-name', Key: 'results/manifest.json', Body: '{"ResultFiles":{}}' }));
    expect(put).toEqual({ ETag: md5('{"ResultFiles":{}}'), ServerSideEncryption: 'AES256' });
    const got = await output(task('arn:aws:states:::s3:getObject', { Bucket: 'bucket-name', Key: 'results/manifest.json' }));
    expect(got).toMatchObject({ Body: '{"ResultFiles":{}}', ContentLength: 18, ContentType: 'binary/octet-stream', ETag: put.ETag, LastModified: '2026-01-02T03:04:05Z' });
  });

  it("s3:listObjectsV2 lists each object as the ItemReader's item", async () => {
    for (const Key of ['file_0.txt', 'file_1.txt']) await local.call('PutObject', { Bucket: 'bucket-name', Key, Body: 'Hello World!' });
    const out = await output(task('arn:aws:states:::s3:listObjectsV2', { Bucket: 'bucket-name' }));
    const lastModified = Math.floor(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000);
    expect(out).toEqual({
      IsTruncated: false,
      Contents: [
        { Etag: md5('Hello World!'), Key: 'file_0.txt', LastModified: lastModified, Size: 12, StorageClass: 'STANDARD' },
        { Etag: md5('Hello World!'), Key: 'file_1.txt', LastModified: lastModified, Size: 12, StorageClass: 'STANDARD' },
      ],
      Name: 'bucket-name',
      Prefix: '',
      MaxKeys: 1000,
      KeyCount: 2,
    });
  });

  it('refuses an optimised S3 action that Step Functions does not have', async () => {
    const r = await run(task('arn:aws:states:::s3:deleteObject', { Bucket: 'bucket-name', Key: 'k' }));
    expect(r.error).toBe('States.TaskFailed');
    expect(r.cause).toContain('aws-sdk:s3:deleteObject');
  });
});

/**
 * S3 tasks passed through to a configured endpoint with the AWS SDK, against s3rver (an S3
 * emulator) on loopback: results and error names as against the local buckets.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/engine/clock.js';
import { runLocal } from '../../../src/engine/local-run.js';
import { remoteS3 } from '../../../src/integrations/s3/passthrough.js';
import { s3Integration } from '../../../src/integrations/s3/task-integration.js';
import { openSqliteStore } from '../../../src/stores/sqlite/index.js';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as new (opts: { port: number; address: string; silent: boolean; directory: string }) => { run(): Promise<{ port: number }>; close(): Promise<void> };

let server: InstanceType<typeof S3rver>;
let dir: string;
let endpoint: string;
let backend: ReturnType<typeof remoteS3>;
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stepwise-s3rver-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  await client.send(new CreateBucketCommand({ Bucket: 'remote-bucket' }));
  client.destroy();
  backend = remoteS3({ endpoint, region: 'us-east-1', credentials });
});

afterAll(async () => {
  backend?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(definition: object, input: object = {}) {
  const store = openSqliteStore({ path: ':memory:' });
  const clock = new FakeClock();
  try {
    return await runLocal(definition, input, { invoker: s3Integration(store, clock, { backend }), clock });
  } finally {
    await store.close();
  }
}

const task = (resource: string, parameters: object, extra: object) => ({ Type: 'Task', Resource: resource, Parameters: parameters, ...extra });

describe('passthrough to an S3 endpoint (s3rver)', () => {
  it('putObject lands in the remote bucket; getObject and listObjectsV2 read it back', async () => {
    const def = {
      StartAt: 'Put',
      States: {
        Put: task('arn:aws:states:::aws-sdk:s3:putObject', { Bucket: 'remote-bucket', Key: 'dir/data.json', 'Body.$': '$.data' }, { ResultPath: '$.put', Next: 'Get' }),
        Get: task('arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'remote-bucket', Key: 'dir/data.json' }, { ResultPath: '$.get', Next: 'List' }),
        List: task('arn:aws:states:::aws-sdk:s3:listObjectsV2', { Bucket: 'remote-bucket', Prefix: 'dir/' }, { ResultPath: '$.list', End: true }),
      },
    };
    const r = await run(def, { data: { n: 1 } });
    expect([r.status, r.error, r.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
    const out = JSON.parse(r.output as string);
    expect(out.put.ETag).toBe(`"${createHash('md5').update('{"n":1}').digest('hex')}"`);
    expect(out.get.Body).toBe('{"n":1}');
    expect(out.get.ETag).toBe(out.put.ETag);
    expect(out.get.LastModified).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(out.list.Contents.map((c: { Key: string }) => c.Key)).toEqual(['dir/data.json']);
    const direct = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
    const seen = await direct.send(new GetObjectCommand({ Bucket: 'remote-bucket', Key: 'dir/data.json' }));
    expect(await seen.Body?.transformToString()).toBe('{"n":1}');
    direct.destroy();
  });

  it.each([
    ['getObject', { Bucket: 'remote-bucket', Key: 'missing' }, 'S3.NoSuchKeyException'],
    ['headObject', { Bucket: 'remote-bucket', Key: 'missing' }, 'S3.NoSuchKeyException'],
    ['listObjectsV2', { Bucket: 'no-such-remote-bucket' }, 'S3.NoSuchBucketException'],
  ])('%s: the remote error keeps its name', async (action, parameters, error) => {
    const r = await run({ StartAt: 'A', States: { A: task(`arn:aws:states:::aws-sdk:s3:${action}`, parameters, { End: true }) } });
    expect(r.error).toBe(error);
    expect(r.cause).toMatch(/\(Service: S3, Status Code: 404, /);
  });
});

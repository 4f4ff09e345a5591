/**
 * The local buckets on both stores: keys list in S3's order (UTF-8 bytes) on SQLite and on
 * PostgreSQL alike, common prefixes are skipped in one step, and a deleted bucket takes the bodies
 * of its objects with it. PostgreSQL runs when reachable (required under CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/engine/clock.js';
import { LocalS3 } from '../../../src/integrations/s3/local-s3.js';
import { S3_KINDS } from '../../../src/integrations/s3/objects.js';
import { postgresOrSkip, postgresStore, sqliteStore, type TestStore } from '../../durable/stores.js';

const KEYS = ['b', 'a/1', 'a/2', 'a/sub/3', 'A', 'ä', '\u{FF5E}', '😀', 'a\u{10FFFF}x', 'a0', 'a/\u{10FFFF}'];
const BYTE_ORDER = [...KEYS].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));

const suites: [string, () => Promise<TestStore | undefined>][] = [
  ['SQLite', () => sqliteStore()],
  ['PostgreSQL', async () => ((await postgresOrSkip()) ? postgresStore() : undefined)],
];

describe.each(suites)('local buckets on %s', (_, open) => {
  let ts: TestStore | undefined;
  let s3: LocalS3;

  beforeAll(async () => {
    ts = await open();
    if (!ts) return;
    s3 = new LocalS3(ts.store, new FakeClock());
    await s3.call('CreateBucket', { Bucket: 'order' });
    for (const Key of KEYS) await s3.call('PutObject', { Bucket: 'order', Key, Body: Key });
  });

  afterAll(async () => ts?.cleanup());

  const keysOf = (out: Record<string, unknown>) => ((out['Contents'] as { Key: string }[] | undefined) ?? []).map((c) => c.Key);
  const prefixesOf = (out: Record<string, unknown>) => ((out['CommonPrefixes'] as { Prefix: string }[] | undefined) ?? []).map((c) => c.Prefix);

  it('lists keys in UTF-8 byte order', async (ctx) => {
    if (!ts) return ctx.skip();
    expect(keysOf(await s3.call('ListObjectsV2', { Bucket: 'order' }))).toEqual(BYTE_ORDER);
  });

  it('rolls up common prefixes (even one followed by U+10FFFF keys) and pages through them one entry at a time', async (ctx) => {
    if (!ts) return ctx.skip();
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const out = await s3.call('ListObjectsV2', { Bucket: 'order', Delimiter: '/', MaxKeys: 1, ...(token ? { ContinuationToken: token } : {}) });
      seen.push(...keysOf(out), ...prefixesOf(out));
      token = out['NextContinuationToken'] as string | undefined;
    } while (token);
    expect(seen).toEqual(['A', 'a/', 'a0', 'a\u{10FFFF}x', 'b', 'ä', '\u{FF5E}', '😀']);
  });

  it('deleting a bucket removes the bodies left behind in it', async (ctx) => {
    if (!ts) return ctx.skip();
    await s3.call('CreateBucket', { Bucket: 'short-lived' });
    await s3.call('PutObject', { Bucket: 'short-lived', Key: 'k', Body: 'one' });
    await s3.call('PutObject', { Bucket: 'short-lived', Key: 'k', Body: 'two' });
    expect(await ts.store.countResources(S3_KINDS.blob, { arnPrefix: 'short-lived/', limit: 10 })).toBe(1);
    await s3.call('DeleteObject', { Bucket: 'short-lived', Key: 'k' });
    await s3.call('DeleteBucket', { Bucket: 'short-lived' });
    expect(await ts.store.countResources(S3_KINDS.blob, { arnPrefix: 'short-lived/', limit: 10 })).toBe(0);
  });
});

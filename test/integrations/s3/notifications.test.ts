/**
 * Bucket event notifications: the pipeline's path (the collector's PutObject through the S3 API
 * into the `raw-metrics` bucket invokes the `metrics-processor` function with S3's event record),
 * prefix and suffix filters, copies and deletes, the configuration over the REST API, and
 * Lambda's asynchronous retries (two, then the event is dropped).
 */
import { CopyObjectCommand, DeleteObjectCommand, GetBucketNotificationConfigurationCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/engine/clock.js';
import type { Json } from '../../../src/lib/json.js';
import { LocalS3 } from '../../../src/integrations/s3/local-s3.js';
import { eventKey } from '../../../src/integrations/s3/notifications.js';
import { PENDING_NOTIFICATION_KIND } from '../../../src/integrations/s3/pending-notifications.js';
import { openSqliteStore } from '../../../src/stores/sqlite/index.js';
import { eventually, startHarness, type Harness } from '../../api/harness.js';

interface Invocation {
  fn: string;
  event: { Records: Record<string, unknown>[] };
}

let h: Harness;
let s3: S3Client;
const calls: Invocation[] = [];

beforeAll(async () => {
  const record = (fn: string) => async (event: unknown) => {
    calls.push({ fn, event: event as Invocation['event'] });
    return { ok: true };
  };
  h = await startHarness({
    handlers: new Map([
      ['metrics-processor', record('metrics-processor')],
      ['cleanup', record('cleanup')],
      ['configured-later', record('configured-later')],
    ]),
    args: {
      buckets: [
        {
          name: 'raw-metrics',
          notifications: [
            { id: 'process-raw', events: ['s3:ObjectCreated:*'], function: 'metrics-processor', prefix: 'runs/', suffix: '.json' },
            { events: ['s3:ObjectRemoved:*'], function: 'arn:aws:lambda:us-east-1:123456789012:function:cleanup' },
          ],
        },
      ],
    },
  });
  s3 = new S3Client({ endpoint: h.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});

afterAll(async () => {
  s3?.destroy();
  await h?.stop();
});

const callsOf = (fn: string) => calls.filter((c) => c.fn === fn);

describe('bucket notifications in a server', () => {
  it('a PutObject through the SDK invokes the function with S3 event record', async () => {
    const body = JSON.stringify({ cpu: 12.5 });
    const put = await s3.send(new PutObjectCommand({ Bucket: 'raw-metrics', Key: 'runs/2026 01 01 (1).json', Body: body, ContentType: 'application/json' }));
    const [call] = await eventually(async () => callsOf('metrics-processor'), (c) => c.length === 1);
    const records = call!.event.Records;
    expect(records).toHaveLength(1);
    const r = records[0] as Record<string, unknown>;
    expect(Object.keys(r)).toEqual(['eventVersion', 'eventSource', 'awsRegion', 'eventTime', 'eventName', 'userIdentity', 'requestParameters', 'responseElements', 's3']);
    expect(r).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:test' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'process-raw',
        bucket: { name: 'raw-metrics', ownerIdentity: { principalId: expect.stringMatching(/^A[0-9A-Z]+$/) }, arn: 'arn:aws:s3:::raw-metrics' },
        object: { key: 'runs/2026+01+01+%281%29.json', size: body.length, eTag: put.ETag!.replace(/"/g, ''), sequencer: expect.stringMatching(/^[0-9A-F]{18}$/) },
      },
    });
    expect(r['eventTime']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect((r['responseElements'] as Record<string, string>)['x-amz-request-id']).toMatch(/^[0-9A-F]{16}$/);
    expect(decodeURIComponent(((r['s3'] as { object: { key: string } }).object.key).replace(/\+/g, ' '))).toBe('runs/2026 01 01 (1).json');
  });

  it('keys outside the prefix or suffix notify nothing; copies and deletes raise their own events', async () => {
    const before = callsOf('metrics-processor').length;
    await s3.send(new PutObjectCommand({ Bucket: 'raw-metrics', Key: 'other/x.json', Body: '{}' }));
    await s3.send(new PutObjectCommand({ Bucket: 'raw-metrics', Key: 'runs/x.txt', Body: '{}' }));
    await s3.send(new CopyObjectCommand({ Bucket: 'raw-metrics', Key: 'runs/copy.json', CopySource: 'raw-metrics/other/x.json' }));
    const copies = await eventually(async () => callsOf('metrics-processor').slice(before), (c) => c.length >= 1);
    expect(copies.map((c) => c.event.Records[0]?.['eventName'])).toEqual(['ObjectCreated:Copy']);
    await s3.send(new DeleteObjectCommand({ Bucket: 'raw-metrics', Key: 'runs/x.txt' }));
    const [removed] = await eventually(async () => callsOf('cleanup'), (c) => c.length === 1);
    const record = removed!.event.Records[0] as { eventName: string; s3: { object: Record<string, unknown>; configurationId: string } };
    expect(record.eventName).toBe('ObjectRemoved:Delete');
    expect(record.s3.configurationId).toBe('raw-metrics-notification-2');
    expect(Object.keys(record.s3.object)).toEqual(['key', 'sequencer']);
    expect(callsOf('metrics-processor').length - before).toBe(1);
  });

  it('PutBucketNotificationConfiguration and GetBucketNotificationConfiguration over the REST API', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'configured-by-api' }));
    const configuration = {
      LambdaFunctionConfigurations: [
        { Id: 'on-put', LambdaFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:configured-later', Events: ['s3:ObjectCreated:Put' as const], Filter: { Key: { FilterRules: [{ Name: 'prefix' as const, Value: 'in/' }] } } },
      ],
    };
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'configured-by-api', NotificationConfiguration: configuration }));
    const read = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'configured-by-api' }));
    expect(read.LambdaFunctionConfigurations).toEqual([{ Id: 'on-put', LambdaFunctionArn: configuration.LambdaFunctionConfigurations[0]!.LambdaFunctionArn, Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'in/' }] } } }]);
    await s3.send(new PutObjectCommand({ Bucket: 'configured-by-api', Key: 'in/file', Body: 'x' }));
    await eventually(async () => callsOf('configured-later'), (c) => c.length === 1);

    const overlapping = { LambdaFunctionConfigurations: [...configuration.LambdaFunctionConfigurations, { ...configuration.LambdaFunctionConfigurations[0]!, Id: 'again' }] };
    await expect(s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'configured-by-api', NotificationConfiguration: overlapping }))).rejects.toMatchObject({
      name: 'InvalidArgument',
      message: 'Configurations overlap. Configurations on the same bucket cannot share a common event type.',
    });
  });
});

describe('delivery', () => {
  it('retries a failed invocation twice, after Lambda async delays, then drops the event and says so', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    await store.migrate();
    const delays: number[] = [];
    const lines: string[] = [];
    const attempts: Record<string, number> = {};
    const local = new LocalS3(store, new FakeClock(), {
      invokeFunction: async (arn: string, _event: Json) => {
        attempts[arn] = (attempts[arn] ?? 0) + 1;
        if (arn.endsWith(':flaky') && attempts[arn]! < 3) throw new Error('not yet');
        if (arn.endsWith(':broken')) throw new Error('always');
      },
      schedule: (run, delayMs) => {
        delays.push(delayMs);
        run();
        return () => undefined;
      },
      log: (line) => lines.push(line),
    });
    try {
      await local.declare([
        { name: 'flaky-bucket', notifications: [{ events: ['s3:ObjectCreated:*'], function: 'flaky' }] },
        { name: 'broken-bucket', notifications: [{ events: ['s3:ObjectCreated:*'], function: 'broken' }] },
      ]);
      await local.call('PutObject', { Bucket: 'flaky-bucket', Key: 'k', Body: 'x' });
      await local.settled();
      expect(attempts['arn:aws:lambda:us-east-1:123456789012:function:flaky']).toBe(3);
      expect(delays).toEqual([60_000, 120_000]);
      await local.call('PutObject', { Bucket: 'broken-bucket', Key: 'k', Body: 'x' });
      await local.settled();
      expect(attempts['arn:aws:lambda:us-east-1:123456789012:function:broken']).toBe(3);
      expect(lines.at(-1)).toMatch(/broken failed \(attempt 3, the last\): Error: always; dropped$/);
    } finally {
      local.close();
      await store.close();
    }
  });

  it('keeps each notification in the store until its function took it; one whose process died is sent again, once', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    await store.migrate();
    const clock = new FakeClock();
    const taken: string[] = [];
    // The first process dies before its function takes the event: its invocation never returns.
    const dying = new LocalS3(store, clock, { invokeFunction: () => new Promise(() => undefined) });
    const next = new LocalS3(store, clock, {
      invokeFunction: async (_arn: string, event: Json) => {
        taken.push(String(((event as { Records: { s3: { object: { key: string } } }[] }).Records[0])?.s3.object.key));
      },
    });
    try {
      await dying.declare([{ name: 'raw-metrics', notifications: [{ events: ['s3:ObjectCreated:*'], function: 'metrics-processor' }] }]);
      await dying.call('PutObject', { Bucket: 'raw-metrics', Key: 'raw/run-1.json', Body: '{}' });
      expect(await store.countResources(PENDING_NOTIFICATION_KIND, { limit: 10 })).toBe(1);
      // Not yet an orphan: its owner may still be invoking.
      expect(await next.recoverNotifications()).toBe(0);
      clock.advance(21 * 60_000);
      expect(await next.recoverNotifications()).toBe(1);
      await next.settled();
      expect(taken).toEqual(['raw/run-1.json']);
      expect(await store.countResources(PENDING_NOTIFICATION_KIND, { limit: 10 })).toBe(0);
      clock.advance(21 * 60_000);
      expect(await next.recoverNotifications()).toBe(0);
    } finally {
      dying.close();
      next.close();
      await store.close();
    }
  });

  it("encodes keys as S3 writes them into records: form encoding, '/' kept", () => {
    expect(eventKey('a b/c+d=(1)~ü.txt')).toBe('a+b/c%2Bd%3D%281%29%7E%C3%BC.txt');
  });
});

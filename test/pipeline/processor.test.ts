/**
 * The metrics processor's parts without AWS: S3 event records and their URL-encoded keys,
 * validation of raw objects with messages by path, aggregation, thresholds, the summary a person
 * reads, and the DynamoDB item.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { aggregate } from '../../src/pipeline/functions/metrics-processor/aggregate.js';
import { handler, readConfig } from '../../src/pipeline/functions/metrics-processor/index.js';
import { invalidItem, processedItem, toAttribute } from '../../src/pipeline/functions/metrics-processor/item.js';
import { createdObjects, decodeKey, runIdOfKey } from '../../src/pipeline/functions/metrics-processor/s3-event.js';
import { duration, rate, summaryText } from '../../src/pipeline/functions/metrics-processor/summary.js';
import { DEFAULT_THRESHOLDS, evaluate, readThresholds } from '../../src/pipeline/functions/metrics-processor/thresholds.js';
import { validateRaw } from '../../src/pipeline/functions/metrics-processor/validate.js';
import { rawFixture } from './fixtures.js';

afterEach(() => vi.unstubAllEnvs());

const record = (key: string, eventName = 'ObjectCreated:Put') => ({ eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'us-east-1', eventName, s3: { s3SchemaVersion: '1.0', bucket: { name: 'raw-metrics', arn: 'arn:aws:s3:::raw-metrics' }, object: { key, size: 10 } } });

describe('S3 event records', () => {
  it('decode keys as S3 encodes them: + for a space, percent-escapes for the rest', () => {
    expect(decodeKey('raw/2026/03/04/run+1%281%29%2Bx.json')).toBe('raw/2026/03/04/run 1(1)+x.json');
  });

  it('name the run after the file of the key', () => {
    expect(runIdOfKey('raw/2026/03/04/exec-42.json')).toBe('exec-42');
    expect(runIdOfKey('exec-42')).toBe('exec-42');
    expect(runIdOfKey('raw/.json')).toBe('raw/.json');
  });

  it('yield the created objects and skip records of other kinds', () => {
    const event = { Records: [record('raw/a.json'), record('raw/b.json', 'ObjectRemoved:Delete'), { eventSource: 'aws:sqs' }] };
    expect(createdObjects(event)).toEqual({ objects: [{ bucket: 'raw-metrics', key: 'raw/a.json', eventName: 'ObjectCreated:Put' }], skipped: 2 });
  });

  it('are required: an event without Records, or a created record without its object, is an InvalidEvent', () => {
    expect(() => createdObjects({ hello: 1 })).toThrow(expect.objectContaining({ name: 'InvalidEvent', message: 'The metrics processor expects an S3 event notification (an object with Records); this event has none' }));
    expect(() => createdObjects({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' } } }] })).toThrow(
      'Records[0] is an S3 ObjectCreated record without s3.bucket.name and s3.object.key',
    );
    expect(() => createdObjects({ Records: [record('raw/%E0%A4%A.json')] })).toThrow("Records[0]: s3.object.key 'raw/%E0%A4%A.json' is not URL-encoded as S3 encodes keys");
  });
});

describe('validating a raw object', () => {
  it('accepts the collector’s shape, and members it does not know', () => {
    expect(validateRaw(rawFixture(), 'exec-42')).toEqual({ ok: true, raw: rawFixture() });
    expect(validateRaw({ ...rawFixture(), gpu: { usagePercent: 3 } }).ok).toBe(true);
  });

  it('names each problem by its path', () => {
    const raw = rawFixture() as unknown as Record<string, unknown>;
    delete raw['collectedAt'];
    const bad = { ...raw, schemaVersion: 2, cpu: { ...rawFixture().cpu, usagePercent: 140 }, disks: [{ ...rawFixture().disks?.[0], mount: '' }], endpoints: [{ ...rawFixture().endpoints?.[0], up: 'yes' }] };
    expect(validateRaw(bad)).toEqual({
      ok: false,
      reason:
        "schemaVersion must be one of 1, not number 2; collectedAt is missing; cpu.usagePercent must be a number from 0 to 100, not number 140; disks[0].mount must be a non-empty string, not ''; endpoints[0].up must be true or false, not 'yes'",
    });
  });

  it('refuses what is not an object, and says how many more problems there are past ten', () => {
    expect(validateRaw([1, 2])).toEqual({ ok: false, reason: 'the raw object must be an object, not an array' });
    const r = validateRaw({});
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^schemaVersion is missing; runId is missing; .*; and 7 more$/);
  });

  it('requires the run the key names, a reason for each failed source, and at least one source', () => {
    expect(validateRaw(rawFixture(), 'exec-43')).toEqual({ ok: false, reason: "runId 'exec-42' is not the run its key names ('exec-43')" });
    expect(validateRaw(rawFixture({ cpu: null }))).toEqual({ ok: false, reason: 'cpu is null but errors gives no reason' });
    const nothing = rawFixture({ cpu: null, load: null, memory: null, disks: null, network: null, diskIo: null, uptime: null, endpoints: [] });
    nothing.errors = (['cpu', 'load', 'memory', 'disks', 'network', 'diskIo', 'uptime'] as const).map((source) => ({ source, error: 'ENOENT', message: 'gone' }));
    expect(validateRaw(nothing)).toEqual({ ok: false, reason: 'no metrics: every source failed' });
  });
});

describe('aggregation', () => {
  it('takes the headline figures, sums network without loopback, sums disk I/O and sorts disks fullest first', () => {
    expect(aggregate(rawFixture())).toEqual({
      runId: 'exec-42',
      hostname: 'web-1',
      collectedAt: '2026-03-04T05:06:07.250Z',
      cpuCount: 2,
      cpuPercent: 50,
      memoryPercent: 75,
      swapPercent: 25,
      load1: 0.52,
      load5: 1.04,
      load15: 2.5,
      disks: [
        { mount: '/mnt/backup disk', usedPercent: 95.5 },
        { mount: '/', usedPercent: 63.16 },
      ],
      networkRxBytesPerSec: 1024512,
      networkTxBytesPerSec: 100000,
      diskReadBytesPerSec: 1024000,
      diskWriteBytesPerSec: 524288,
      uptimeSeconds: 93784.56,
      endpoints: [
        { name: 'api', url: 'https://api.example.com/health', up: true, statusCode: 200, latencyMs: 42.5, problem: null },
        { name: 'shop', url: 'https://shop.example.com/', up: false, statusCode: 503, latencyMs: 12, problem: 'HTTP 503' },
      ],
      collectionErrors: [],
    });
  });

  it('keeps a failed source as null and its error as text', () => {
    const a = aggregate(rawFixture({ network: null, errors: [{ source: 'network', error: 'ENOENT', message: "ENOENT: no such file or directory, open '/proc/net/dev'" }] }));
    expect(a.networkRxBytesPerSec).toBeNull();
    expect(a.collectionErrors).toEqual(["network: ENOENT: no such file or directory, open '/proc/net/dev'"]);
  });
});

describe('thresholds', () => {
  it('default to 90% and come from CPU_THRESHOLD, MEMORY_THRESHOLD and DISK_THRESHOLD', () => {
    expect(readThresholds({})).toEqual({ cpu: 90, memory: 90, disk: 90 });
    expect(readThresholds({ CPU_THRESHOLD: '75.5', MEMORY_THRESHOLD: '80', DISK_THRESHOLD: ' ' })).toEqual({ cpu: 75.5, memory: 80, disk: 90 });
    expect(() => readThresholds({ DISK_THRESHOLD: '120' })).toThrow(expect.objectContaining({ name: 'ConfigurationError', message: "DISK_THRESHOLD must be a percentage from 0 to 100, not '120'" }));
  });

  it('are breached above the threshold (not at it), per disk; a down endpoint always is', () => {
    const a = aggregate(rawFixture());
    expect(evaluate(a, { cpu: 50, memory: 74.99, disk: 60 })).toEqual([
      { metric: 'memory', value: 75, threshold: 74.99, message: 'memory 75% > 74.99%' },
      { metric: 'disk', subject: '/mnt/backup disk', value: 95.5, threshold: 60, message: 'disk /mnt/backup disk 95.5% > 60%' },
      { metric: 'disk', subject: '/', value: 63.16, threshold: 60, message: 'disk / 63.16% > 60%' },
      { metric: 'endpoint', subject: 'shop', message: 'endpoint shop (https://shop.example.com/) down: HTTP 503' },
    ]);
    expect(evaluate(aggregate(rawFixture({ endpoints: [] })), { cpu: 100, memory: 100, disk: 100 })).toEqual([]);
  });

  it('name why an endpoint is down: timeout, refused connection', () => {
    const endpoints = [
      { name: 'http://slow.example/', url: 'http://slow.example/', up: false, statusCode: null, latencyMs: 5000, timedOut: true, error: 'no answer within 5000 ms' },
      { name: 'db', url: 'http://db.example/', up: false, statusCode: null, latencyMs: 1, timedOut: false, error: 'fetch failed: ECONNREFUSED' },
    ];
    expect(evaluate(aggregate(rawFixture({ endpoints })), DEFAULT_THRESHOLDS).map((b) => b.message)).toEqual([
      'disk /mnt/backup disk 95.5% > 90%',
      'endpoint http://slow.example/ down: no answer within 5000 ms',
      'endpoint db (http://db.example/) down: fetch failed: ECONNREFUSED',
    ]);
  });
});

describe('the summary', () => {
  it('gives the run, the key figures and what breached, in a few lines', () => {
    const a = aggregate(rawFixture());
    expect(summaryText(a, evaluate(a, DEFAULT_THRESHOLDS), DEFAULT_THRESHOLDS)).toBe(
      [
        'Run exec-42 on web-1 at 2026-03-04T05:06:07.250Z: 2 thresholds breached.',
        'CPU 50%, memory 75%, swap 25%, load 0.52 1.04 2.5 on 2 CPUs, up 1d 2h 3m.',
        'Disk /mnt/backup disk 95.5% (fullest of 2); network in 1000.5 KiB/s, out 97.7 KiB/s; disk read 1000.0 KiB/s, write 512.0 KiB/s.',
        'Endpoints: 1 of 2 up.',
        'Breached: disk /mnt/backup disk 95.5% > 90%; endpoint shop (https://shop.example.com/) down: HTTP 503.',
      ].join('\n'),
    );
  });

  it('says all is well with the thresholds held, and lists what could not be collected', () => {
    const a = aggregate(
      rawFixture({ disks: [], endpoints: [], diskIo: null, uptime: null, errors: [{ source: 'diskIo', error: 'ENOENT', message: 'no diskstats' }, { source: 'uptime', error: 'EACCES', message: 'denied' }] }),
    );
    expect(summaryText(a, evaluate(a, DEFAULT_THRESHOLDS), DEFAULT_THRESHOLDS)).toBe(
      [
        'Run exec-42 on web-1 at 2026-03-04T05:06:07.250Z: OK, no threshold breached.',
        'CPU 50%, memory 75%, swap 25%, load 0.52 1.04 2.5 on 2 CPUs, up n/a.',
        'Disk none measured; network in 1000.5 KiB/s, out 97.7 KiB/s; disk read n/a, write n/a.',
        'Thresholds: CPU 90%, memory 90%, disk 90%.',
        'Not collected: diskIo: no diskstats; uptime: denied.',
      ].join('\n'),
    );
  });

  it('writes rates in binary units and durations from the largest unit', () => {
    expect([0, 1023, 1024, 1536 * 1024, 5 * 1024 ** 3].map(rate)).toEqual(['0 B/s', '1023 B/s', '1.0 KiB/s', '1.5 MiB/s', '5.0 GiB/s']);
    expect([59.9, 61, 3600, 90061].map(duration)).toEqual(['59s', '1m', '1h 0m', '1d 1h 1m']);
  });
});

describe('the DynamoDB item', () => {
  it('holds the status, the source, the figures, the breaches and the summary; null figures are left out', () => {
    const a = aggregate(rawFixture({ uptime: null, errors: [{ source: 'uptime', error: 'EACCES', message: 'denied' }] }));
    const breaches = evaluate(a, DEFAULT_THRESHOLDS);
    const item = processedItem(a, breaches, DEFAULT_THRESHOLDS, 'the summary', { bucket: 'raw-metrics', key: 'raw/2026/03/04/exec-42.json' }, new Date('2026-03-04T05:06:09Z'), 'exec-42');
    expect(item).toEqual({
      runId: { S: 'exec-42' },
      status: { S: 'PROCESSED' },
      health: { S: 'BREACH' },
      processedAt: { S: '2026-03-04T05:06:09.000Z' },
      sourceBucket: { S: 'raw-metrics' },
      sourceKey: { S: 'raw/2026/03/04/exec-42.json' },
      executionName: { S: 'exec-42' },
      collectedAt: { S: '2026-03-04T05:06:07.250Z' },
      hostname: { S: 'web-1' },
      cpuPercent: { N: '50' },
      memoryPercent: { N: '75' },
      swapPercent: { N: '25' },
      load1: { N: '0.52' },
      load5: { N: '1.04' },
      load15: { N: '2.5' },
      diskMaxPercent: { N: '95.5' },
      diskMaxMount: { S: '/mnt/backup disk' },
      networkRxBytesPerSec: { N: '1024512' },
      networkTxBytesPerSec: { N: '100000' },
      diskReadBytesPerSec: { N: '1024000' },
      diskWriteBytesPerSec: { N: '524288' },
      endpointsTotal: { N: '2' },
      endpointsUp: { N: '1' },
      endpointsDown: { N: '1' },
      breachCount: { N: '2' },
      breaches: {
        L: [
          { M: { metric: { S: 'disk' }, subject: { S: '/mnt/backup disk' }, value: { N: '95.5' }, threshold: { N: '90' }, message: { S: 'disk /mnt/backup disk 95.5% > 90%' } } },
          { M: { metric: { S: 'endpoint' }, subject: { S: 'shop' }, message: { S: 'endpoint shop (https://shop.example.com/) down: HTTP 503' } } },
        ],
      },
      thresholds: { M: { cpu: { N: '90' }, memory: { N: '90' }, disk: { N: '90' } } },
      collectionErrors: { L: [{ S: 'uptime: denied' }] },
      summary: { S: 'the summary' },
    });
  });

  it('records an invalid object with its reason', () => {
    expect(invalidItem('exec-9', 'collectedAt is missing', { bucket: 'raw-metrics', key: 'raw/x/exec-9.json' }, new Date('2026-03-04T00:00:00Z'))).toEqual({
      runId: { S: 'exec-9' },
      status: { S: 'INVALID' },
      processedAt: { S: '2026-03-04T00:00:00.000Z' },
      sourceBucket: { S: 'raw-metrics' },
      sourceKey: { S: 'raw/x/exec-9.json' },
      reason: { S: 'collectedAt is missing' },
      summary: { S: 'Run exec-9: the raw object s3://raw-metrics/raw/x/exec-9.json is invalid and was not processed: collectedAt is missing.' },
    });
  });

  it('marshals JSON values as attribute values', () => {
    expect(toAttribute({ a: [1, 'x', true, null], b: null, c: {} })).toEqual({ M: { a: { L: [{ N: '1' }, { S: 'x' }, { BOOL: true }] }, c: { M: {} } } });
    expect(toAttribute(null)).toEqual({ NULL: true });
  });
});

describe('the processor handler before any AWS call', () => {
  it('reads TABLE_NAME and the thresholds, with defaults', () => {
    expect(readConfig({})).toEqual({ tableName: 'ProcessedMetrics', thresholds: { cpu: 90, memory: 90, disk: 90 }, simulateFailure: false });
    expect(readConfig({ TABLE_NAME: 'Other', CPU_THRESHOLD: '70', SIMULATE_FAILURE: 'processor' })).toEqual({ tableName: 'Other', thresholds: { cpu: 70, memory: 90, disk: 90 }, simulateFailure: true });
  });

  it("answers S3's test event with nothing to do, and refuses an event that is not S3's", async () => {
    await expect(handler({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2026-03-04T00:00:00.000Z', Bucket: 'raw-metrics' })).resolves.toEqual({ outcomes: [], skipped: 0 });
    await expect(handler({ executionName: 'x' })).rejects.toMatchObject({ name: 'InvalidEvent' });
  });

  it('fails every invocation with ProcessorFailure under SIMULATE_FAILURE=processor', async () => {
    vi.stubEnv('SIMULATE_FAILURE', 'processor');
    await expect(handler({ Records: [record('raw/a.json')] })).rejects.toMatchObject({ name: 'ProcessorFailure', message: expect.stringContaining('SIMULATE_FAILURE=processor') });
  });
});

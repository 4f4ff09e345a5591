/**
 * The pipeline's two functions against a real Stepwise server, through the AWS SDK exactly as on
 * AWS Lambda: the collector (in-process, its SDK pointed at the server by AWS_ENDPOINT_URL_S3 and
 * test credentials) gathers this host's metrics and checks a real local HTTP endpoint, writes the
 * raw object to S3; the processor reads it from the S3 event record and puts the run's item in
 * DynamoDB. Also: the processor loaded from its folder as a module function, invoked by the
 * bucket's ObjectCreated notification in a worker thread; invalid objects; the failure switch;
 * AWS errors surfacing under their own names.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, totalmem, uptime } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LambdaRuntime } from '../../src/integrations/lambda-runtime.js';
import { eventKey } from '../../src/integrations/s3/notifications.js';
import { handler as collect } from '../../src/pipeline/functions/data-collector/index.js';
import type { RawMetrics } from '../../src/pipeline/functions/data-collector/raw-metrics.js';
import { handler as processRecords } from '../../src/pipeline/functions/metrics-processor/index.js';
import { validateRaw } from '../../src/pipeline/functions/metrics-processor/validate.js';
import { eventually, startHarness, type Harness } from '../api/harness.js';

const PROCESSOR_MODULE = fileURLToPath(new URL('../../src/pipeline/functions/metrics-processor/index.ts', import.meta.url));
const COLLECTOR_MODULE = fileURLToPath(new URL('../../src/pipeline/functions/data-collector/index.ts', import.meta.url));
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let h: Harness;
let s3: S3Client;
let ddb: DynamoDBClient;
let site: Server;
let siteUrl: string;

beforeAll(async () => {
  site = createServer((req, res) => {
    res.writeHead(req.url === '/health' ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(req.url === '/health' ? 'ok' : 'unavailable');
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  h = await startHarness({
    args: {
      functions: [{ name: 'metrics-processor', module: PROCESSOR_MODULE, handler: 'index.handler', timeout: 10 }],
      buckets: [{ name: 'raw-metrics-notified', notifications: [{ events: ['s3:ObjectCreated:*'], function: 'metrics-processor', prefix: 'raw/', suffix: '.json' }] }],
    },
  });
  s3 = new S3Client({ endpoint: h.url, region: 'us-east-1', forcePathStyle: true, credentials, maxAttempts: 1 });
  ddb = new DynamoDBClient({ endpoint: h.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket: 'raw-metrics' }));
  await ddb.send(
    new CreateTableCommand({
      TableName: 'ProcessedMetrics',
      KeySchema: [{ AttributeName: 'runId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'runId', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});

afterAll(async () => {
  s3?.destroy();
  ddb?.destroy();
  await h?.stop();
  site?.closeAllConnections();
  await new Promise((r) => site?.close(r));
});

// The functions' environment, as Stepwise's Lambda runtime sets it; everything put back after each test.
beforeEach(() => {
  const env: Record<string, string | undefined> = {
    AWS_ENDPOINT_URL_S3: h.url,
    AWS_ENDPOINT_URL_DYNAMODB: h.url,
    AWS_ENDPOINT_URL: undefined,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    RAW_BUCKET: 'raw-metrics',
    TABLE_NAME: 'ProcessedMetrics',
    ENDPOINTS: JSON.stringify([{ name: 'health', url: `${siteUrl}/health` }, { name: 'broken', url: `${siteUrl}/broken` }]),
    SAMPLE_INTERVAL_MS: '20',
    ENDPOINT_TIMEOUT_MS: '5000',
    PROC_ROOT: undefined,
    SIMULATE_FAILURE: undefined,
    // This host's own load is not what these tests pin: only the endpoint that is down breaches.
    CPU_THRESHOLD: '100',
    MEMORY_THRESHOLD: '100',
    DISK_THRESHOLD: '100',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
});

afterEach(() => vi.unstubAllEnvs());

/** The record S3 sends for a PutObject, the key encoded as S3 encodes it. */
function s3Event(bucket: string, key: string) {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:test' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'R1', 'x-amz-id-2': 'I1' },
        s3: { s3SchemaVersion: '1.0', configurationId: 'process-raw', bucket: { name: bucket, ownerIdentity: { principalId: 'A1' }, arn: `arn:aws:s3:::${bucket}` }, object: { key: eventKey(key), size: 1, sequencer: '0' } },
      },
    ],
  };
}

async function item(runId: string) {
  return (await ddb.send(new GetItemCommand({ TableName: 'ProcessedMetrics', Key: { runId: { S: runId } }, ConsistentRead: true }))).Item;
}

describe('collector → S3 → processor → DynamoDB', () => {
  it('collects this host for real, writes one raw object, and the processor puts the PROCESSED item with its summary', async () => {
    const result = await collect({ executionName: 'exec-it-1', startedAt: '2026-03-04T05:06:07.000Z' });
    expect(result).toEqual({
      runId: 'exec-it-1',
      bucket: 'raw-metrics',
      key: 'raw/2026/03/04/exec-it-1.json',
      collectedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      durationMs: expect.any(Number),
      summary: { cpuPercent: expect.any(Number), memoryPercent: expect.any(Number), load1: expect.any(Number), worstDisk: { mount: expect.any(String), usedPercent: expect.any(Number) }, endpointsUp: 1, endpointsDown: 1 },
      failedSources: [],
    });

    const got = await s3.send(new GetObjectCommand({ Bucket: 'raw-metrics', Key: result.key }));
    expect(got.ContentType).toBe('application/json');
    const raw = JSON.parse(await got.Body!.transformToString()) as RawMetrics;
    expect(Object.keys(raw)).toEqual(['schemaVersion', 'runId', 'executionName', 'startedAt', 'collectedAt', 'durationMs', 'sampleIntervalMs', 'host', 'cpu', 'load', 'memory', 'disks', 'network', 'diskIo', 'uptime', 'endpoints', 'errors']);
    expect(raw).toMatchObject({ schemaVersion: 1, runId: 'exec-it-1', executionName: 'exec-it-1', startedAt: '2026-03-04T05:06:07.000Z', collectedAt: result.collectedAt, sampleIntervalMs: 20, host: { hostname: hostname() } });
    // Real figures of this host: /proc/meminfo's MemTotal is what the kernel tells os.totalmem().
    expect(raw.memory?.totalBytes).toBe(totalmem());
    expect(Math.abs((raw.uptime?.seconds ?? 0) - uptime())).toBeLessThan(5);
    expect(raw.cpu?.cores.length).toBeGreaterThan(0);
    expect(raw.disks?.length).toBeGreaterThan(0);
    expect(raw.network?.some((i) => i.interface === 'lo')).toBe(true);
    expect(raw.endpoints).toEqual([
      { name: 'health', url: `${siteUrl}/health`, up: true, statusCode: 200, latencyMs: expect.any(Number), timedOut: false },
      { name: 'broken', url: `${siteUrl}/broken`, up: false, statusCode: 503, latencyMs: expect.any(Number), timedOut: false },
    ]);
    expect(validateRaw(raw, 'exec-it-1')).toEqual({ ok: true, raw });

    const out = await processRecords(s3Event('raw-metrics', result.key));
    const breach = `endpoint broken (${siteUrl}/broken) down: HTTP 503`;
    expect(out).toEqual({ outcomes: [{ runId: 'exec-it-1', bucket: 'raw-metrics', key: result.key, status: 'PROCESSED', breaches: [breach] }], skipped: 0 });

    const stored = await item('exec-it-1');
    expect(stored).toMatchObject({
      runId: { S: 'exec-it-1' },
      status: { S: 'PROCESSED' },
      health: { S: 'BREACH' },
      sourceBucket: { S: 'raw-metrics' },
      sourceKey: { S: result.key },
      executionName: { S: 'exec-it-1' },
      collectedAt: { S: result.collectedAt },
      hostname: { S: hostname() },
      cpuPercent: { N: String(raw.cpu?.usagePercent) },
      memoryPercent: { N: String(raw.memory?.usedPercent) },
      endpointsTotal: { N: '2' },
      endpointsUp: { N: '1' },
      endpointsDown: { N: '1' },
      breachCount: { N: '1' },
      breaches: { L: [{ M: { metric: { S: 'endpoint' }, subject: { S: 'broken' }, message: { S: breach } } }] },
      thresholds: { M: { cpu: { N: '100' }, memory: { N: '100' }, disk: { N: '100' } } },
      collectionErrors: { L: [] },
    });
    expect(Date.parse(stored?.['processedAt']?.S ?? '')).toBeGreaterThanOrEqual(Date.parse(result.collectedAt));
    const summary = stored?.['summary']?.S ?? '';
    expect(summary.split('\n')).toEqual([
      `Run exec-it-1 on ${hostname()} at ${result.collectedAt}: 1 threshold breached.`,
      expect.stringMatching(/^CPU [\d.]+%, memory [\d.]+%, swap [\d.]+%, load [\d.]+ [\d.]+ [\d.]+ on \d+ CPUs?, up /),
      expect.stringMatching(/^Disk \S.* [\d.]+% \(fullest of \d+\); network in .+, out .+; disk read .+, write .+\.$/),
      'Endpoints: 1 of 2 up.',
      `Breached: ${breach}.`,
    ]);
  });

  it("runs the processor from its folder in a worker, invoked by the bucket's ObjectCreated notification", async () => {
    vi.stubEnv('RAW_BUCKET', 'raw-metrics-notified');
    const result = await collect({ executionName: 'exec-it-notified' });
    expect(result.key).toMatch(/^raw\/\d{4}\/\d\d\/\d\d\/exec-it-notified\.json$/);
    const stored = await eventually(() => item('exec-it-notified'), (i) => i !== undefined);
    expect(stored).toMatchObject({ status: { S: 'PROCESSED' }, sourceBucket: { S: 'raw-metrics-notified' }, sourceKey: { S: result.key } });
    expect(stored?.['summary']?.S).toMatch(/^Run exec-it-notified on /);
  });

  it("runs the collector from its folder in a worker, with nothing but Lambda's environment", async () => {
    const runtime = new LambdaRuntime({
      functions: [{ name: 'data-collector', module: COLLECTOR_MODULE, handler: 'index.handler', timeout: 10, environment: { SAMPLE_INTERVAL_MS: '20' } }],
      endpoints: { S3: h.url },
      log: () => undefined,
    });
    try {
      const result = await runtime.invoke('data-collector', runtime.functionArn('data-collector'), { executionName: 'exec-it-worker', startedAt: '2026-03-05T00:00:00Z' });
      expect(result).toMatchObject({ runId: 'exec-it-worker', bucket: 'raw-metrics', key: 'raw/2026/03/05/exec-it-worker.json', failedSources: [] });
      const got = await s3.send(new GetObjectCommand({ Bucket: 'raw-metrics', Key: 'raw/2026/03/05/exec-it-worker.json' }));
      expect(JSON.parse(await got.Body!.transformToString())).toMatchObject({ runId: 'exec-it-worker', sampleIntervalMs: 20, endpoints: [] });
    } finally {
      await runtime.close();
    }
  });

  it('records objects that are not raw metrics, or no longer exist, as INVALID with the reason', async () => {
    const keys = { partial: 'raw/2026/03/04/exec-partial.json', garbage: 'raw/2026/03/04/exec garbage.json', gone: 'raw/2026/03/04/exec-gone.json' };
    await s3.send(new PutObjectCommand({ Bucket: 'raw-metrics', Key: keys.partial, Body: JSON.stringify({ schemaVersion: 1, runId: 'exec-partial' }) }));
    await s3.send(new PutObjectCommand({ Bucket: 'raw-metrics', Key: keys.garbage, Body: 'cpu=12%' }));
    const event = { Records: [...s3Event('raw-metrics', keys.partial).Records, ...s3Event('raw-metrics', keys.garbage).Records, ...s3Event('raw-metrics', keys.gone).Records] };
    const out = await processRecords(event);
    expect(out.outcomes.map((o) => [o.runId, o.status])).toEqual([
      ['exec-partial', 'INVALID'],
      ['exec garbage', 'INVALID'],
      ['exec-gone', 'INVALID'],
    ]);
    expect(await item('exec-partial')).toMatchObject({
      status: { S: 'INVALID' },
      sourceKey: { S: keys.partial },
      reason: { S: expect.stringMatching(/^executionName is missing; startedAt is missing; collectedAt is missing; /) },
      summary: { S: expect.stringMatching(/^Run exec-partial: the raw object s3:\/\/raw-metrics\/raw\/2026\/03\/04\/exec-partial\.json is invalid and was not processed: executionName is missing/) },
    });
    expect((await item('exec garbage'))?.['reason']?.S).toMatch(/^not JSON \(/);
    expect((await item('exec-gone'))?.['reason']?.S).toBe('the object does not exist (any more): NoSuchKey');
  });
});

describe('failures', () => {
  it('SIMULATE_FAILURE=collector fails the invocation with CollectorFailure and writes nothing', async () => {
    vi.stubEnv('SIMULATE_FAILURE', 'collector');
    await expect(collect({ executionName: 'exec-it-fail', startedAt: '2026-03-04T05:06:07.000Z' })).rejects.toMatchObject({
      name: 'CollectorFailure',
      message: 'Simulated failure: SIMULATE_FAILURE=collector makes the data collector fail before collecting anything (unset it to collect).',
    });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'raw-metrics', Prefix: 'raw/2026/03/04/exec-it-fail' }));
    expect(listed.KeyCount).toBe(0);
  });

  it("S3's and DynamoDB's errors fail the invocation under their own names", async () => {
    vi.stubEnv('RAW_BUCKET', 'no-such-bucket');
    await expect(collect({ executionName: 'exec-it-nobucket' })).rejects.toMatchObject({ name: 'NoSuchBucket' });
    vi.stubEnv('RAW_BUCKET', 'raw-metrics');
    const { key } = await collect({ executionName: 'exec-it-notable' });
    vi.stubEnv('TABLE_NAME', 'NoSuchTable');
    await expect(processRecords(s3Event('raw-metrics', key))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

/**
 * The InfraMonitoring pipeline's data collector, an AWS Lambda handler (Node.js 20, handler
 * `index.handler`). It gathers this host's metrics from /proc and statfs, and checks the HTTP
 * endpoints of ENDPOINTS, all sources at the same time; writes one raw JSON object per run to
 * S3 (`raw/<yyyy>/<mm>/<dd>/<runId>.json` in RAW_BUCKET), whose ObjectCreated notification
 * invokes the metrics processor; and returns where it wrote it.
 *
 * A source that fails is recorded in the object's `errors` and the run goes on. When no source
 * yields anything (not a single /proc file readable and no endpoint to check) the collector throws
 * CollectorFailure and writes nothing: an empty object would only hide the failure from the state
 * machine's Retry and Catch.
 *
 * The run is named after the invoking execution (`executionName` in the event), so that a retried
 * invocation rewrites the same object; without one a name is generated. Configuration: config.ts.
 */
import { hostname, arch, cpus, platform, release } from 'node:os';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { readConfig } from './config.js';
import type { DiskUsage } from './disks.js';
import { CollectorFailure } from './errors.js';
import { rawKey, runIdFrom, SOURCES, type RawMetrics, type SourceName } from './raw-metrics.js';
import { s3Client } from './s3-client.js';
import { collectAll } from './sources.js';

export { CollectorFailure, ConfigurationError } from './errors.js';
export type { RawMetrics } from './raw-metrics.js';

/** What the state machine passes (`$$.Execution.Name`, `$$.Execution.StartTime`); anything else is ignored. */
export interface CollectorEvent {
  executionName?: string;
  startedAt?: string;
}

export interface CollectorResult {
  runId: string;
  bucket: string;
  key: string;
  collectedAt: string;
  durationMs: number;
  /** Headline figures (null where the source failed). */
  summary: {
    cpuPercent: number | null;
    memoryPercent: number | null;
    load1: number | null;
    worstDisk: { mount: string; usedPercent: number } | null;
    endpointsUp: number;
    endpointsDown: number;
  };
  failedSources: SourceName[];
}

function isoOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function summarise(raw: RawMetrics): CollectorResult['summary'] {
  const worst = (raw.disks ?? []).reduce<DiskUsage | null>((w, d) => (w === null || d.usedPercent > w.usedPercent ? d : w), null);
  return {
    cpuPercent: raw.cpu?.usagePercent ?? null,
    memoryPercent: raw.memory?.usedPercent ?? null,
    load1: raw.load?.one ?? null,
    worstDisk: worst ? { mount: worst.mount, usedPercent: worst.usedPercent } : null,
    endpointsUp: (raw.endpoints ?? []).filter((e) => e.up).length,
    endpointsDown: (raw.endpoints ?? []).filter((e) => !e.up).length,
  };
}

export const handler = async (event: unknown): Promise<CollectorResult> => {
  const config = readConfig(process.env);
  if (config.simulateFailure) {
    throw new CollectorFailure('Simulated failure: SIMULATE_FAILURE=collector makes the data collector fail before collecting anything (unset it to collect).');
  }
  const input = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const started = new Date();
  const t0 = performance.now();
  const runId = runIdFrom(input['executionName'], started);
  const startedAt = isoOrNull(input['startedAt']);

  const collected = await collectAll({ procRoot: config.procRoot, sampleIntervalMs: config.sampleIntervalMs, endpoints: config.endpoints, endpointTimeoutMs: config.endpointTimeoutMs, now: () => new Date() });
  const yielded = SOURCES.filter((s) => collected[s] !== null && !(s === 'endpoints' && config.endpoints.length === 0));
  if (yielded.length === 0) {
    throw new CollectorFailure(`No metrics could be collected; nothing was written. ${collected.errors.map((e) => `${e.source}: ${e.message}`).join('; ')}`);
  }

  const raw: RawMetrics = {
    schemaVersion: 1,
    runId,
    executionName: typeof input['executionName'] === 'string' && input['executionName'].trim() !== '' ? input['executionName'] : null,
    startedAt,
    collectedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    sampleIntervalMs: config.sampleIntervalMs,
    // os.cpus() is empty where /proc/cpuinfo is hidden (some sandboxes); /proc/stat's cores still count.
    host: { hostname: hostname(), platform: platform(), release: release(), arch: arch(), cpuCount: collected.cpu?.cores.length || cpus().length || 1 },
    ...collected,
  };
  // The execution's start date, not today's, so that every retry of one execution writes one key.
  const key = rawKey(runId, startedAt ? new Date(startedAt) : started);
  await s3Client().send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: JSON.stringify(raw), ContentType: 'application/json' }));
  const failedSources = collected.errors.filter((e) => collected[e.source] === null).map((e) => e.source);
  console.log(`run ${runId}: wrote s3://${config.bucket}/${key}${collected.errors.length ? `; not collected: ${collected.errors.map((e) => `${e.source}: ${e.message}`).join('; ')}` : ''}`);
  return { runId, bucket: config.bucket, key, collectedAt: raw.collectedAt, durationMs: raw.durationMs, summary: summarise(raw), failedSources };
};

/**
 * The raw object one collection writes to S3, and how it is named. The metrics processor reads
 * this shape (its own copy of these types, checked against this one by test/pipeline).
 */
import { randomBytes } from 'node:crypto';
import type { CpuMetrics } from './cpu.js';
import type { DiskIoRates } from './disk-io.js';
import type { DiskUsage } from './disks.js';
import type { EndpointCheck } from './endpoints.js';
import type { LoadMetrics } from './load.js';
import type { MemoryMetrics } from './memory.js';
import type { InterfaceRates } from './network.js';

/** The sources of one collection, each gathered on its own, at the same time as the others. */
export const SOURCES = ['cpu', 'load', 'memory', 'disks', 'network', 'diskIo', 'uptime', 'endpoints'] as const;
export type SourceName = (typeof SOURCES)[number];

export interface SourceError {
  source: SourceName;
  /** The error's name (`Error`, `ENOENT`…). */
  error: string;
  message: string;
}

export interface RawMetrics {
  schemaVersion: 1;
  runId: string;
  /** The state machine's execution, when it invoked the collector. */
  executionName: string | null;
  startedAt: string | null;
  /** When the collection began (ISO 8601, UTC). */
  collectedAt: string;
  durationMs: number;
  /** The time between the two samples of CPU, network and disk I/O. */
  sampleIntervalMs: number;
  host: { hostname: string; platform: string; release: string; arch: string; cpuCount: number };
  // Each source is null when it failed; `errors` then says why.
  cpu: CpuMetrics | null;
  load: LoadMetrics | null;
  memory: MemoryMetrics | null;
  disks: DiskUsage[] | null;
  network: InterfaceRates[] | null;
  diskIo: DiskIoRates[] | null;
  uptime: { seconds: number; bootedAt: string } | null;
  /** [] when no endpoint is configured. */
  endpoints: EndpointCheck[] | null;
  /** Failed sources, and parts of a source that failed (one mount's statfs). */
  errors: SourceError[];
}

/** Execution names are at most 80 characters, none of which S3 keys mind; anything else is replaced. */
export function runIdFrom(executionName: unknown, now: Date): string {
  if (typeof executionName === 'string' && executionName.trim() !== '') {
    return executionName.trim().replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
  }
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `run-${stamp}-${randomBytes(4).toString('hex')}`;
}

/** `raw/<yyyy>/<mm>/<dd>/<runId>.json`, by the UTC date of `day`. */
export function rawKey(runId: string, day: Date): string {
  const [yyyy, mm, dd] = day.toISOString().slice(0, 10).split('-');
  return `raw/${yyyy}/${mm}/${dd}/${runId}.json`;
}

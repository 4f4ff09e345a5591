/**
 * The raw object the data collector writes (schema version 1). This folder's own copy, so that
 * the function deploys alone; test/pipeline checks that it stays identical to the collector's.
 */

export const SOURCES = ['cpu', 'load', 'memory', 'disks', 'network', 'diskIo', 'uptime', 'endpoints'] as const;
export type SourceName = (typeof SOURCES)[number];

export interface SourceError {
  source: SourceName;
  error: string;
  message: string;
}

export interface CpuMetrics {
  usagePercent: number;
  iowaitPercent: number;
  stealPercent: number;
  cores: { name: string; usagePercent: number }[];
}

export interface LoadMetrics {
  one: number;
  five: number;
  fifteen: number;
  runnable: number;
  entities: number;
}

export interface MemoryMetrics {
  totalBytes: number;
  availableBytes: number;
  usedBytes: number;
  usedPercent: number;
  swap: { totalBytes: number; freeBytes: number; usedBytes: number; usedPercent: number };
}

export interface DiskUsage {
  mount: string;
  device: string;
  fsType: string;
  totalBytes: number;
  usedBytes: number;
  availableBytes: number;
  usedPercent: number;
}

export interface InterfaceRates {
  interface: string;
  rxBytesPerSec: number;
  txBytesPerSec: number;
  rxBytesTotal: number;
  txBytesTotal: number;
}

export interface DiskIoRates {
  device: string;
  readBytesPerSec: number;
  writeBytesPerSec: number;
  readsPerSec: number;
  writesPerSec: number;
}

export interface EndpointCheck {
  name: string;
  url: string;
  up: boolean;
  statusCode: number | null;
  latencyMs: number;
  timedOut: boolean;
  error?: string;
}

export interface RawMetrics {
  schemaVersion: 1;
  runId: string;
  executionName: string | null;
  startedAt: string | null;
  collectedAt: string;
  durationMs: number;
  sampleIntervalMs: number;
  host: { hostname: string; platform: string; release: string; arch: string; cpuCount: number };
  cpu: CpuMetrics | null;
  load: LoadMetrics | null;
  memory: MemoryMetrics | null;
  disks: DiskUsage[] | null;
  network: InterfaceRates[] | null;
  diskIo: DiskIoRates[] | null;
  uptime: { seconds: number; bootedAt: string } | null;
  endpoints: EndpointCheck[] | null;
  errors: SourceError[];
}

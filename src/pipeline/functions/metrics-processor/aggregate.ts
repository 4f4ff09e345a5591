/** The figures of one run that the table keeps and thresholds are held against. */
import type { EndpointCheck, RawMetrics } from './raw-metrics.js';

export interface Aggregates {
  runId: string;
  hostname: string;
  collectedAt: string;
  cpuCount: number;
  // Each null where its source failed.
  cpuPercent: number | null;
  memoryPercent: number | null;
  swapPercent: number | null;
  load1: number | null;
  load5: number | null;
  load15: number | null;
  /** Every measured mount, fullest first. */
  disks: { mount: string; usedPercent: number }[] | null;
  /** Summed over the interfaces but loopback, whose traffic never leaves the host. */
  networkRxBytesPerSec: number | null;
  networkTxBytesPerSec: number | null;
  diskReadBytesPerSec: number | null;
  diskWriteBytesPerSec: number | null;
  uptimeSeconds: number | null;
  endpoints: { name: string; url: string; up: boolean; statusCode: number | null; latencyMs: number; problem: string | null }[];
  /** `source: message` for each failed source (or part of one). */
  collectionErrors: string[];
}

const sum = <T>(items: T[] | null, of: (item: T) => number): number | null => (items === null ? null : items.reduce((total, item) => total + of(item), 0));

function endpointProblem(e: EndpointCheck): string | null {
  if (e.up) return null;
  if (e.timedOut) return e.error ?? 'timed out';
  if (e.statusCode !== null) return `HTTP ${e.statusCode}`;
  return e.error ?? 'no answer';
}

export function aggregate(raw: RawMetrics): Aggregates {
  const external = raw.network === null ? null : raw.network.filter((i) => i.interface !== 'lo');
  return {
    runId: raw.runId,
    hostname: raw.host.hostname,
    collectedAt: raw.collectedAt,
    cpuCount: raw.host.cpuCount,
    cpuPercent: raw.cpu?.usagePercent ?? null,
    memoryPercent: raw.memory?.usedPercent ?? null,
    swapPercent: raw.memory?.swap.usedPercent ?? null,
    load1: raw.load?.one ?? null,
    load5: raw.load?.five ?? null,
    load15: raw.load?.fifteen ?? null,
    disks: raw.disks === null ? null : raw.disks.map((d) => ({ mount: d.mount, usedPercent: d.usedPercent })).sort((a, b) => b.usedPercent - a.usedPercent),
    networkRxBytesPerSec: sum(external, (i) => i.rxBytesPerSec),
    networkTxBytesPerSec: sum(external, (i) => i.txBytesPerSec),
    diskReadBytesPerSec: sum(raw.diskIo, (d) => d.readBytesPerSec),
    diskWriteBytesPerSec: sum(raw.diskIo, (d) => d.writeBytesPerSec),
    uptimeSeconds: raw.uptime?.seconds ?? null,
    endpoints: (raw.endpoints ?? []).map((e) => ({ name: e.name, url: e.url, up: e.up, statusCode: e.statusCode, latencyMs: e.latencyMs, problem: endpointProblem(e) })),
    collectionErrors: raw.errors.map((e) => `${e.source}: ${e.message}`),
  };
}

/**
 * Reads every source of one collection concurrently. A source that fails is null in the result,
 * with its error listed; it never stops the others. Counters (CPU, network, disk I/O) are sampled
 * twice, `sampleIntervalMs` apart, all during the same interval.
 */
import { readFile, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { cpuUsage, parseCpuTimes } from './cpu.js';
import { diskIoRates, parseDiskstats } from './disk-io.js';
import { diskUsage, parseMounts, realMounts, type DiskUsage } from './disks.js';
import { checkEndpoint, type Endpoint } from './endpoints.js';
import { parseLoadavg, parseUptime } from './load.js';
import { memoryMetrics, parseMeminfo } from './memory.js';
import { networkRates, parseNetDev } from './network.js';
import { SOURCES, type RawMetrics, type SourceError, type SourceName } from './raw-metrics.js';

export interface CollectOptions {
  /** Where /proc is (PROC_ROOT). */
  procRoot: string;
  sampleIntervalMs: number;
  endpoints: Endpoint[];
  endpointTimeoutMs: number;
  now: () => Date;
}

export type Collected = Pick<RawMetrics, SourceName | 'errors'>;

type Readers = { [K in SourceName]: () => Promise<NonNullable<RawMetrics[K]>> };

function errorOf(source: SourceName, err: unknown): SourceError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { source, error: typeof code === 'string' ? code : err.name, message: err.message };
  }
  return { source, error: 'Error', message: String(err) };
}

/** Two samples `intervalMs` apart, and the time actually between them. */
async function twoSamples<T, R>(read: () => Promise<T>, intervalMs: number, compute: (before: T, after: T, elapsedMs: number) => R): Promise<R> {
  const before = await read();
  const t0 = performance.now();
  await delay(intervalMs);
  const after = await read();
  return compute(before, after, performance.now() - t0);
}

export async function collectAll(opts: CollectOptions): Promise<Collected> {
  const proc = (file: string) => readFile(join(opts.procRoot, file), 'utf8');
  const partial: SourceError[] = [];

  const disks = async (): Promise<DiskUsage[]> => {
    const mounts = realMounts(parseMounts(await proc('mounts')));
    const measured = await Promise.allSettled(mounts.map(async (m) => diskUsage(m, await statfs(m.mountPoint))));
    const out: DiskUsage[] = [];
    measured.forEach((r, i) => {
      if (r.status === 'fulfilled') {
        out.push(r.value);
      } else {
        const e = errorOf('disks', r.reason);
        partial.push({ ...e, message: `statfs ${mounts[i]?.mountPoint}: ${e.message}` });
      }
    });
    // Mounts exist but none could be measured: the source failed.
    if (out.length === 0 && mounts.length > 0) throw new Error(partial.map((e) => e.message).join('; '));
    return out;
  };

  const readers: Readers = {
    cpu: () => twoSamples(async () => parseCpuTimes(await proc('stat')), opts.sampleIntervalMs, cpuUsage),
    load: async () => parseLoadavg(await proc('loadavg')),
    memory: async () => memoryMetrics(parseMeminfo(await proc('meminfo'))),
    disks,
    network: () => twoSamples(async () => parseNetDev(await proc('net/dev')), opts.sampleIntervalMs, networkRates),
    diskIo: () => twoSamples(async () => parseDiskstats(await proc('diskstats')), opts.sampleIntervalMs, diskIoRates),
    uptime: async () => {
      const seconds = parseUptime(await proc('uptime'));
      return { seconds, bootedAt: new Date(opts.now().getTime() - seconds * 1000).toISOString() };
    },
    endpoints: () => Promise.all(opts.endpoints.map((e) => checkEndpoint(e, opts.endpointTimeoutMs))),
  };

  const settled = await Promise.allSettled(SOURCES.map((name) => readers[name]()));
  // Keys and errors in SOURCES order whatever finished first: every object reads the same way.
  const result = {} as Record<SourceName, unknown>;
  const failed: SourceError[] = [];
  settled.forEach((r, i) => {
    const name = SOURCES[i] as SourceName;
    result[name] = r.status === 'fulfilled' ? r.value : null;
    if (r.status === 'rejected') failed.push(errorOf(name, r.reason));
  });
  // A failed disks source already names its mounts' errors.
  const errors = [...failed, ...(failed.some((f) => f.source === 'disks') ? [] : partial)];
  return { ...(result as Omit<Collected, 'errors'>), errors };
}

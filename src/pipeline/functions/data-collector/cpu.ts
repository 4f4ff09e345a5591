/**
 * CPU utilisation from two samples of /proc/stat (proc(5)): the share of time, between the two,
 * that was not idle. `guest` and `guest_nice` are already counted in `user` and `nice`, so they are
 * left out of the total.
 */
import { counter, fields, percent } from './numbers.js';

/** One `cpu` or `cpuN` line of /proc/stat, in clock ticks. */
export interface CpuTimes {
  name: string;
  total: number;
  /** idle + iowait. */
  idle: number;
  iowait: number;
  steal: number;
}

export interface CpuMetrics {
  /** All CPUs together, in percent of the time between the samples. */
  usagePercent: number;
  iowaitPercent: number;
  /** Time a hypervisor gave to others (virtual machines). */
  stealPercent: number;
  cores: { name: string; usagePercent: number }[];
}

/** The `cpu` line (first) and one per core, as /proc/stat lists them. */
export function parseCpuTimes(text: string): CpuTimes[] {
  const out: CpuTimes[] = [];
  for (const line of text.split('\n')) {
    if (!/^cpu\d*\s/.test(line)) continue;
    const [name, ...rest] = fields(line);
    // user nice system idle iowait irq softirq steal [guest guest_nice]; old kernels stop earlier.
    const t = rest.slice(0, 8).map((v) => counter(v, '/proc/stat', line));
    if (t.length < 4) throw new Error(`/proc/stat: unexpected line '${line.trim()}'`);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = t;
    out.push({ name: name as string, total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, iowait, steal });
  }
  if (out[0]?.name !== 'cpu') throw new Error("/proc/stat: no aggregate 'cpu' line");
  return out;
}

function usage(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  return percent(total - (after.idle - before.idle), total);
}

/** Utilisation between two samples of /proc/stat; a core missing from either sample is left out. */
export function cpuUsage(before: CpuTimes[], after: CpuTimes[]): CpuMetrics {
  const [b, a] = [before[0] as CpuTimes, after[0] as CpuTimes];
  const total = a.total - b.total;
  const earlier = new Map(before.slice(1).map((c) => [c.name, c]));
  const cores: CpuMetrics['cores'] = [];
  for (const core of after.slice(1)) {
    const prev = earlier.get(core.name);
    if (prev) cores.push({ name: core.name, usagePercent: usage(prev, core) });
  }
  return { usagePercent: usage(b, a), iowaitPercent: percent(a.iowait - b.iowait, total), stealPercent: percent(a.steal - b.steal, total), cores };
}

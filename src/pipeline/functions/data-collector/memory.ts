/** Memory and swap from /proc/meminfo (proc(5)); its figures are in kibibytes. */
import { percent } from './numbers.js';

export interface MemoryMetrics {
  totalBytes: number;
  /** What can be given to programs without swapping (MemAvailable). */
  availableBytes: number;
  /** total - available: what `free` calls used, caches excluded. */
  usedBytes: number;
  usedPercent: number;
  swap: { totalBytes: number; freeBytes: number; usedBytes: number; usedPercent: number };
}

/** Each `Name: value [kB]` line, in bytes. */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([^:\s]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (m) out.set(m[1] as string, Number(m[2]) * (line.trimEnd().endsWith('kB') ? 1024 : 1));
  }
  return out;
}

export function memoryMetrics(info: Map<string, number>): MemoryMetrics {
  const total = info.get('MemTotal');
  if (total === undefined) throw new Error('/proc/meminfo: no MemTotal line');
  // Kernels before 3.14 have no MemAvailable; free + buffers + page cache is what they offered.
  const available = info.get('MemAvailable') ?? (info.get('MemFree') ?? 0) + (info.get('Buffers') ?? 0) + (info.get('Cached') ?? 0);
  const swapTotal = info.get('SwapTotal') ?? 0;
  const swapFree = info.get('SwapFree') ?? 0;
  return {
    totalBytes: total,
    availableBytes: available,
    usedBytes: total - available,
    usedPercent: percent(total - available, total),
    swap: { totalBytes: swapTotal, freeBytes: swapFree, usedBytes: swapTotal - swapFree, usedPercent: percent(swapTotal - swapFree, swapTotal) },
  };
}

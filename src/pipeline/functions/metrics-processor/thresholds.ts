/**
 * Thresholds from the environment and the breaches of one run. A figure breaches its threshold
 * when it is above it (so 100 never fires); an endpoint that is down is always a breach.
 */
import type { Aggregates } from './aggregate.js';
import { ConfigurationError } from './errors.js';

export interface Thresholds {
  /** CPU_THRESHOLD, percent. */
  cpu: number;
  /** MEMORY_THRESHOLD, percent. */
  memory: number;
  /** DISK_THRESHOLD, percent, for each mount. */
  disk: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({ cpu: 90, memory: 90, disk: 90 });

export interface Breach {
  metric: 'cpu' | 'memory' | 'disk' | 'endpoint';
  /** The mount or the endpoint's name; absent for CPU and memory. */
  subject?: string;
  /** The percentage; absent for an endpoint. */
  value?: number;
  threshold?: number;
  message: string;
}

function threshold(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new ConfigurationError(`${name} must be a percentage from 0 to 100, not '${text}'`);
  return n;
}

export function readThresholds(env: NodeJS.ProcessEnv): Thresholds {
  return {
    cpu: threshold(env, 'CPU_THRESHOLD', DEFAULT_THRESHOLDS.cpu),
    memory: threshold(env, 'MEMORY_THRESHOLD', DEFAULT_THRESHOLDS.memory),
    disk: threshold(env, 'DISK_THRESHOLD', DEFAULT_THRESHOLDS.disk),
  };
}

/** Breaches in a fixed order: CPU, memory, disks (fullest first), endpoints (as configured). */
export function evaluate(a: Aggregates, t: Thresholds): Breach[] {
  const out: Breach[] = [];
  if (a.cpuPercent !== null && a.cpuPercent > t.cpu) out.push({ metric: 'cpu', value: a.cpuPercent, threshold: t.cpu, message: `CPU ${a.cpuPercent}% > ${t.cpu}%` });
  if (a.memoryPercent !== null && a.memoryPercent > t.memory) out.push({ metric: 'memory', value: a.memoryPercent, threshold: t.memory, message: `memory ${a.memoryPercent}% > ${t.memory}%` });
  for (const d of a.disks ?? []) {
    if (d.usedPercent > t.disk) out.push({ metric: 'disk', subject: d.mount, value: d.usedPercent, threshold: t.disk, message: `disk ${d.mount} ${d.usedPercent}% > ${t.disk}%` });
  }
  for (const e of a.endpoints) {
    if (!e.up) out.push({ metric: 'endpoint', subject: e.name, message: `endpoint ${e.name === e.url ? e.url : `${e.name} (${e.url})`} down: ${e.problem}` });
  }
  return out;
}

/** Load averages (/proc/loadavg) and uptime (/proc/uptime), proc(5). */
import { fields, round2 } from './numbers.js';

export interface LoadMetrics {
  one: number;
  five: number;
  fifteen: number;
  /** Runnable scheduling entities now. */
  runnable: number;
  /** Scheduling entities (processes and threads) that exist. */
  entities: number;
}

export function parseLoadavg(text: string): LoadMetrics {
  const [one, five, fifteen, ratio] = fields(text);
  const m = /^(\d+)\/(\d+)$/.exec(ratio ?? '');
  const avgs = [one, five, fifteen].map(Number);
  if (!m || avgs.some((n) => !Number.isFinite(n))) throw new Error(`/proc/loadavg: unexpected content '${text.trim()}'`);
  return { one: avgs[0] as number, five: avgs[1] as number, fifteen: avgs[2] as number, runnable: Number(m[1]), entities: Number(m[2]) };
}

/** Seconds since boot (the first figure of /proc/uptime). */
export function parseUptime(text: string): number {
  const seconds = Number(fields(text)[0]);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`/proc/uptime: unexpected content '${text.trim()}'`);
  return round2(seconds);
}

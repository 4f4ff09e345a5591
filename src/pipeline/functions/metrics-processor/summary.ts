/**
 * The few lines a person reads in the pipeline's notification: what ran where, the key figures,
 * what breached, and what could not be collected.
 */
import type { Aggregates } from './aggregate.js';
import type { Breach, Thresholds } from './thresholds.js';

const NA = 'n/a';

function pct(v: number | null): string {
  return v === null ? NA : `${v}%`;
}

/** Bytes per second in binary units, one decimal above bytes. */
export function rate(v: number | null): string {
  if (v === null) return NA;
  const units = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'];
  let x = v;
  let u = 0;
  while (x >= 1024 && u < units.length - 1) {
    x /= 1024;
    u += 1;
  }
  return u === 0 ? `${Math.round(x)} B/s` : `${x.toFixed(1)} ${units[u]}`;
}

/** `3d 4h 5m`, leading zero units left out. */
export function duration(seconds: number | null): string {
  if (seconds === null) return NA;
  const s = Math.floor(seconds);
  const parts: [number, string][] = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return first < 0 ? `${s}s` : parts.slice(first).map(([n, unit]) => `${n}${unit}`).join(' ');
}

export function summaryText(a: Aggregates, breaches: Breach[], t: Thresholds): string {
  const verdict = breaches.length === 0 ? 'OK, no threshold breached' : `${breaches.length} threshold${breaches.length === 1 ? '' : 's'} breached`;
  const load = a.load1 === null ? NA : `${a.load1} ${a.load5} ${a.load15}`;
  const worst = a.disks === null ? NA : a.disks.length === 0 ? 'none measured' : `${a.disks[0]?.mount} ${a.disks[0]?.usedPercent}% (fullest of ${a.disks.length})`;
  const lines = [
    `Run ${a.runId} on ${a.hostname} at ${a.collectedAt}: ${verdict}.`,
    `CPU ${pct(a.cpuPercent)}, memory ${pct(a.memoryPercent)}, swap ${pct(a.swapPercent)}, load ${load} on ${a.cpuCount} CPU${a.cpuCount === 1 ? '' : 's'}, up ${duration(a.uptimeSeconds)}.`,
    `Disk ${worst}; network in ${rate(a.networkRxBytesPerSec)}, out ${rate(a.networkTxBytesPerSec)}; disk read ${rate(a.diskReadBytesPerSec)}, write ${rate(a.diskWriteBytesPerSec)}.`,
  ];
  if (a.endpoints.length > 0) lines.push(`Endpoints: ${a.endpoints.filter((e) => e.up).length} of ${a.endpoints.length} up.`);
  lines.push(breaches.length === 0 ? `Thresholds: CPU ${t.cpu}%, memory ${t.memory}%, disk ${t.disk}%.` : `Breached: ${breaches.map((b) => b.message).join('; ')}.`);
  if (a.collectionErrors.length > 0) lines.push(`Not collected: ${a.collectionErrors.join('; ')}.`);
  return lines.join('\n');
}

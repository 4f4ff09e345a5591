/** Network receive and transmit rates per interface from two samples of /proc/net/dev (proc(5)). */
import { counter, fields, perSecond } from './numbers.js';

export interface InterfaceCounters {
  interface: string;
  rxBytes: number;
  txBytes: number;
}

export interface InterfaceRates {
  interface: string;
  rxBytesPerSec: number;
  txBytesPerSec: number;
  /** The counters at the second sample: bytes since the interface came up. */
  rxBytesTotal: number;
  txBytesTotal: number;
}

/** Every interface, loopback included (a consumer leaves `lo` out of totals). */
export function parseNetDev(text: string): InterfaceCounters[] {
  const out: InterfaceCounters[] = [];
  for (const line of text.split('\n')) {
    // `  eth0: rx-bytes rx-packets … (8 receive fields) tx-bytes …`; the two header lines have `|`.
    const colon = line.indexOf(':');
    if (colon < 0 || line.includes('|')) continue;
    const f = fields(line.slice(colon + 1));
    if (f.length < 9) throw new Error(`/proc/net/dev: unexpected line '${line.trim()}'`);
    out.push({ interface: line.slice(0, colon).trim(), rxBytes: counter(f[0], '/proc/net/dev', line), txBytes: counter(f[8], '/proc/net/dev', line) });
  }
  return out;
}

/** Rates between two samples `elapsedMs` apart; an interface missing from either sample is left out. */
export function networkRates(before: InterfaceCounters[], after: InterfaceCounters[], elapsedMs: number): InterfaceRates[] {
  const earlier = new Map(before.map((i) => [i.interface, i]));
  const out: InterfaceRates[] = [];
  for (const i of after) {
    const b = earlier.get(i.interface);
    if (!b) continue;
    out.push({ interface: i.interface, rxBytesPerSec: perSecond(b.rxBytes, i.rxBytes, elapsedMs), txBytesPerSec: perSecond(b.txBytes, i.txBytes, elapsedMs), rxBytesTotal: i.rxBytes, txBytesTotal: i.txBytes });
  }
  return out;
}

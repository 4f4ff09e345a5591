/**
 * Disk read and write rates from two samples of /proc/diskstats (the kernel's iostats.rst).
 * Only whole physical disks count: partitions, device-mapper (LVM, crypt) and md RAID devices
 * repeat the I/O of the disks under them; loop, ram and zram devices are files or memory, nbd a
 * network, sr and fd removable media.
 */
import { counter, fields, perSecond } from './numbers.js';

/** Cumulative counters of one device; /proc/diskstats counts sectors of 512 bytes whatever the disk's. */
export interface DiskCounters {
  device: string;
  reads: number;
  readBytes: number;
  writes: number;
  writeBytes: number;
}

export interface DiskIoRates {
  device: string;
  readBytesPerSec: number;
  writeBytesPerSec: number;
  readsPerSec: number;
  writesPerSec: number;
}

const SECTOR_BYTES = 512;

const NOT_PHYSICAL = [/^(loop|ram|zram|dm-|md|nbd|sr|fd)\d+(p\d+)?$/, /^(sd|vd|xvd|hd)[a-z]+\d+$/, /^(nvme\d+n\d+|mmcblk\d+)p\d+$/];

export function isPhysicalDisk(name: string): boolean {
  return !NOT_PHYSICAL.some((re) => re.test(name));
}

export function parseDiskstats(text: string): DiskCounters[] {
  const out: DiskCounters[] = [];
  for (const line of text.split('\n')) {
    // major minor name reads merged sectors-read ms writes merged sectors-written …
    const f = fields(line);
    if (f.length < 10) continue;
    const device = f[2] as string;
    if (!isPhysicalDisk(device)) continue;
    const n = (i: number) => counter(f[i], '/proc/diskstats', line);
    out.push({ device, reads: n(3), readBytes: n(5) * SECTOR_BYTES, writes: n(7), writeBytes: n(9) * SECTOR_BYTES });
  }
  return out;
}

/** Rates between two samples `elapsedMs` apart; a disk missing from either sample is left out. */
export function diskIoRates(before: DiskCounters[], after: DiskCounters[], elapsedMs: number): DiskIoRates[] {
  const earlier = new Map(before.map((d) => [d.device, d]));
  const out: DiskIoRates[] = [];
  for (const d of after) {
    const b = earlier.get(d.device);
    if (!b) continue;
    out.push({
      device: d.device,
      readBytesPerSec: perSecond(b.readBytes, d.readBytes, elapsedMs),
      writeBytesPerSec: perSecond(b.writeBytes, d.writeBytes, elapsedMs),
      readsPerSec: perSecond(b.reads, d.reads, elapsedMs),
      writesPerSec: perSecond(b.writes, d.writes, elapsedMs),
    });
  }
  return out;
}

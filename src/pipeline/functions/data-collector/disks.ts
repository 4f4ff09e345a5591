/**
 * Disk use per real mount: /proc/mounts filtered to filesystems that hold data on a local device,
 * each measured with statfs(2) as `df` measures it.
 */
import { fields, percent } from './numbers.js';

export interface Mount {
  device: string;
  mountPoint: string;
  fsType: string;
}

export interface DiskUsage {
  mount: string;
  device: string;
  fsType: string;
  totalBytes: number;
  usedBytes: number;
  /** What an unprivileged user may still write (blocks reserved for root excluded). */
  availableBytes: number;
  /** used / (used + available), as `df` reports Use%. */
  usedPercent: number;
}

/** The numbers of fs.statfs that matter here (Node's StatsFs). */
export interface StatFsLike {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
}

/**
 * Local disk filesystems. Pseudo filesystems (proc, sysfs, tmpfs, cgroup…), read-only images
 * (squashfs snaps and ISO images: always 100% full) and network filesystems (whose statfs can hang
 * on an unreachable server) are not. `overlay` counts only as a container's root.
 */
const DISK_FILESYSTEMS = new Set(['ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'zfs', 'f2fs', 'jfs', 'reiserfs', 'bcachefs', 'vfat', 'exfat', 'ntfs', 'ntfs3', 'fuseblk', 'hfsplus']);

/** /proc/mounts escapes space, tab, newline and backslash as octal (`\040`). */
function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function parseMounts(text: string): Mount[] {
  const out: Mount[] = [];
  for (const line of text.split('\n')) {
    const [device, mountPoint, fsType] = fields(line);
    if (device === undefined || mountPoint === undefined || fsType === undefined) continue;
    out.push({ device: unescapeMountField(device), mountPoint: unescapeMountField(mountPoint), fsType });
  }
  return out;
}

/**
 * The mounts worth measuring, one per device: a device mounted at several places (bind mounts,
 * such as a container's /etc/hosts) is the same filesystem, kept at its shortest mount point.
 */
export function realMounts(mounts: Mount[]): Mount[] {
  const byDevice = new Map<string, Mount>();
  for (const m of mounts) {
    const real = DISK_FILESYSTEMS.has(m.fsType) || (m.fsType === 'overlay' && m.mountPoint === '/');
    if (!real) continue;
    const seen = byDevice.get(m.device);
    if (!seen || m.mountPoint.length < seen.mountPoint.length) byDevice.set(m.device, m);
  }
  return [...byDevice.values()].sort((a, b) => a.mountPoint.localeCompare(b.mountPoint));
}

export function diskUsage(mount: Mount, stats: StatFsLike): DiskUsage {
  const totalBytes = stats.blocks * stats.bsize;
  const usedBytes = (stats.blocks - stats.bfree) * stats.bsize;
  const availableBytes = stats.bavail * stats.bsize;
  return { mount: mount.mountPoint, device: mount.device, fsType: mount.fsType, totalBytes, usedBytes, availableBytes, usedPercent: percent(usedBytes, usedBytes + availableBytes) };
}

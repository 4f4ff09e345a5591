/**
 * Hand-written /proc samples (the kernel's formats, figures chosen so the expected results are
 * exact) and a valid raw metrics object to vary in processor tests.
 */
import type { RawMetrics } from '../../src/pipeline/functions/metrics-processor/raw-metrics.js';

export const PROC = {
  // guest (9th figure) grows by 200 between the samples: already counted in user, it must not count twice.
  stat1: [
    'cpu  1000 0 500 8000 100 0 0 0 0 0',
    'cpu0 500 0 250 4000 50 0 0 0 0 0',
    'cpu1 500 0 250 4000 50 0 0 0 0 0',
    'intr 123456 0 0',
    'ctxt 987654',
    'btime 1700000000',
    'processes 4242',
    '',
  ].join('\n'),
  stat2: [
    'cpu  1300 0 600 8400 150 0 0 50 200 0',
    'cpu0 700 0 300 4200 75 0 0 25 100 0',
    'cpu1 600 0 300 4200 75 0 0 25 100 0',
    'intr 123999 0 0',
    'ctxt 988000',
    '',
  ].join('\n'),
  meminfo: [
    'MemTotal:        8000000 kB',
    'MemFree:         1000000 kB',
    'MemAvailable:    2000000 kB',
    'Buffers:          100000 kB',
    'Cached:          1500000 kB',
    'SwapCached:            0 kB',
    'SwapTotal:       2000000 kB',
    'SwapFree:        1500000 kB',
    'HugePages_Total:       0',
    'Hugepagesize:       2048 kB',
    '',
  ].join('\n'),
  loadavg: '0.52 1.04 2.50 3/842 12345\n',
  uptime: '93784.56 180000.12\n',
  mounts: [
    'sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0',
    'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0',
    'udev /dev devtmpfs rw,nosuid,relatime,size=4038636k 0 0',
    '/dev/nvme0n1p2 / ext4 rw,relatime,errors=remount-ro 0 0',
    'tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=812340k 0 0',
    'cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0',
    '/dev/nvme0n1p1 /boot/efi vfat rw,relatime,fmask=0077 0 0',
    '/dev/loop3 /snap/core20/2015 squashfs ro,nodev,relatime 0 0',
    '/dev/sdb1 /mnt/backup\\040disk xfs rw,relatime 0 0',
    '/dev/nvme0n1p2 /var/lib/docker/containers/abc/hosts ext4 rw,relatime 0 0',
    'fileserver:/export /mnt/nfs nfs4 rw,relatime,vers=4.2 0 0',
    'overlay /var/lib/docker/overlay2/abc/merged overlay rw,relatime 0 0',
    '',
  ].join('\n'),
  netdev1: [
    'Inter-|   Receive                                                |  Transmit',
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
    '    lo:    1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0',
    '  eth0: 5000000    4000    0    0    0     0          0         0   200000    1500    0    0    0     0       0          0',
    'wlan0:4294967000 9 0 0 0 0 0 0 77 1 0 0 0 0 0 0',
    '',
  ].join('\n'),
  // 500 ms later.
  netdev2: [
    'Inter-|   Receive                                                |  Transmit',
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
    '    lo:    3000      30    0    0    0     0          0         0     3000      30    0    0    0     0       0          0',
    '  eth0: 5512000    4400    0    0    0     0          0         0   250000    1600    0    0    0     0       0          0',
    'wlan0:100 10 0 0 0 0 0 0 77 1 0 0 0 0 0 0',
    '',
  ].join('\n'),
  diskstats1: [
    '   7       0 loop0 10 0 100 0 0 0 0 0 0 0 0 0 0 0 0 0 0',
    ' 259       0 nvme0n1 1000 10 20000 500 2000 30 40000 900 0 1200 1400 0 0 0 0 0 0',
    ' 259       1 nvme0n1p1 100 0 2000 50 0 0 0 0 0 10 50 0 0 0 0 0 0',
    ' 259       2 nvme0n1p2 900 10 18000 450 2000 30 40000 900 0 1190 1350 0 0 0 0 0 0',
    '   8      16 sdb 50 0 800 10 10 0 80 5 0 15 15',
    '   8      17 sdb1 50 0 800 10 10 0 80 5 0 15 15',
    ' 253       0 dm-0 900 0 18000 450 2000 0 40000 900 0 1190 1350 0 0 0 0 0 0',
    '',
  ].join('\n'),
  // 2 s later: nvme0n1 read 4000 sectors in 100 reads, wrote 2048 sectors in 100 writes.
  diskstats2: [
    '   7       0 loop0 99 0 9999 0 0 0 0 0 0 0 0 0 0 0 0 0 0',
    ' 259       0 nvme0n1 1100 10 24000 520 2100 30 42048 950 0 1250 1470 0 0 0 0 0 0',
    ' 259       1 nvme0n1p1 100 0 2000 50 0 0 0 0 0 10 50 0 0 0 0 0 0',
    ' 259       2 nvme0n1p2 1000 10 22000 470 2100 30 42048 950 0 1240 1420 0 0 0 0 0 0',
    '   8      16 sdb 50 0 800 10 10 0 80 5 0 15 15',
    '   8      17 sdb1 50 0 800 10 10 0 80 5 0 15 15',
    ' 253       0 dm-0 1000 0 22000 470 2100 0 42048 950 0 1240 1420 0 0 0 0 0 0',
    '',
  ].join('\n'),
} as const;

/** A complete, valid raw object; `overrides` replace top-level members. */
export function rawFixture(overrides: Partial<RawMetrics> = {}): RawMetrics {
  return {
    schemaVersion: 1,
    runId: 'exec-42',
    executionName: 'exec-42',
    startedAt: '2026-03-04T05:06:07.000Z',
    collectedAt: '2026-03-04T05:06:07.250Z',
    durationMs: 1012,
    sampleIntervalMs: 1000,
    host: { hostname: 'web-1', platform: 'linux', release: '6.1.0', arch: 'x64', cpuCount: 2 },
    cpu: { usagePercent: 50, iowaitPercent: 5.56, stealPercent: 5.56, cores: [{ name: 'cpu0', usagePercent: 55 }, { name: 'cpu1', usagePercent: 43.75 }] },
    load: { one: 0.52, five: 1.04, fifteen: 2.5, runnable: 3, entities: 842 },
    memory: { totalBytes: 8192000000, availableBytes: 2048000000, usedBytes: 6144000000, usedPercent: 75, swap: { totalBytes: 2048000000, freeBytes: 1536000000, usedBytes: 512000000, usedPercent: 25 } },
    disks: [
      { mount: '/', device: '/dev/nvme0n1p2', fsType: 'ext4', totalBytes: 4096000000, usedBytes: 2457600000, availableBytes: 1433600000, usedPercent: 63.16 },
      { mount: '/mnt/backup disk', device: '/dev/sdb1', fsType: 'xfs', totalBytes: 1000000000, usedBytes: 955000000, availableBytes: 45000000, usedPercent: 95.5 },
    ],
    network: [
      { interface: 'lo', rxBytesPerSec: 4000, txBytesPerSec: 4000, rxBytesTotal: 3000, txBytesTotal: 3000 },
      { interface: 'eth0', rxBytesPerSec: 1024000, txBytesPerSec: 100000, rxBytesTotal: 5512000, txBytesTotal: 250000 },
      { interface: 'wlan0', rxBytesPerSec: 512, txBytesPerSec: 0, rxBytesTotal: 100, txBytesTotal: 77 },
    ],
    diskIo: [
      { device: 'nvme0n1', readBytesPerSec: 1024000, writeBytesPerSec: 524288, readsPerSec: 50, writesPerSec: 50 },
      { device: 'sdb', readBytesPerSec: 0, writeBytesPerSec: 0, readsPerSec: 0, writesPerSec: 0 },
    ],
    uptime: { seconds: 93784.56, bootedAt: '2026-03-03T03:03:02.690Z' },
    endpoints: [
      { name: 'api', url: 'https://api.example.com/health', up: true, statusCode: 200, latencyMs: 42.5, timedOut: false },
      { name: 'shop', url: 'https://shop.example.com/', up: false, statusCode: 503, latencyMs: 12, timedOut: false },
    ],
    errors: [],
    ...overrides,
  };
}

/**
 * The data collector's parts without S3: the /proc parsers fed hand-written samples (exact
 * figures), the filters that keep real mounts and whole disks, endpoint checks against real local
 * HTTP servers, the configuration, and a collection from a /proc of files where some are missing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readConfig } from '../../src/pipeline/functions/data-collector/config.js';
import { cpuUsage, parseCpuTimes } from '../../src/pipeline/functions/data-collector/cpu.js';
import { diskIoRates, isPhysicalDisk, parseDiskstats } from '../../src/pipeline/functions/data-collector/disk-io.js';
import { diskUsage, parseMounts, realMounts } from '../../src/pipeline/functions/data-collector/disks.js';
import { checkEndpoint, parseEndpoints } from '../../src/pipeline/functions/data-collector/endpoints.js';
import { handler } from '../../src/pipeline/functions/data-collector/index.js';
import { parseLoadavg, parseUptime } from '../../src/pipeline/functions/data-collector/load.js';
import { memoryMetrics, parseMeminfo } from '../../src/pipeline/functions/data-collector/memory.js';
import { networkRates, parseNetDev } from '../../src/pipeline/functions/data-collector/network.js';
import { perSecond } from '../../src/pipeline/functions/data-collector/numbers.js';
import { rawKey, runIdFrom } from '../../src/pipeline/functions/data-collector/raw-metrics.js';
import { collectAll } from '../../src/pipeline/functions/data-collector/sources.js';
import { PROC } from './fixtures.js';

describe('/proc/stat: CPU utilisation between two samples', () => {
  it('is the share of non-idle time (idle and iowait are idle), per core too; guest time is not counted twice', () => {
    const before = parseCpuTimes(PROC.stat1);
    const after = parseCpuTimes(PROC.stat2);
    expect(before.map((c) => c.name)).toEqual(['cpu', 'cpu0', 'cpu1']);
    expect(before[0]).toEqual({ name: 'cpu', total: 9600, idle: 8100, iowait: 100, steal: 0 });
    expect(cpuUsage(before, after)).toEqual({
      usagePercent: 50,
      iowaitPercent: 5.56,
      stealPercent: 5.56,
      cores: [
        { name: 'cpu0', usagePercent: 55 },
        { name: 'cpu1', usagePercent: 43.75 },
      ],
    });
  });

  it('reads 0% when no tick passed, and leaves out a core that appeared between the samples', () => {
    const before = parseCpuTimes('cpu  1 0 1 10 0 0 0 0 0 0\ncpu0 1 0 1 10 0 0 0 0 0 0\n');
    const after = parseCpuTimes('cpu  1 0 1 10 0 0 0 0 0 0\ncpu0 1 0 1 10 0 0 0 0 0 0\ncpu1 5 0 0 5 0 0 0 0 0 0\n');
    expect(cpuUsage(before, after)).toEqual({ usagePercent: 0, iowaitPercent: 0, stealPercent: 0, cores: [{ name: 'cpu0', usagePercent: 0 }] });
  });

  it('refuses text without the aggregate cpu line, or with a figure that is not a counter', () => {
    expect(() => parseCpuTimes('intr 1 2 3\n')).toThrow("/proc/stat: no aggregate 'cpu' line");
    expect(() => parseCpuTimes('cpu  1 x 3 4\n')).toThrow("/proc/stat: unexpected line 'cpu  1 x 3 4'");
  });
});

describe('/proc/meminfo: memory and swap', () => {
  it('counts used memory as total minus available, in bytes, and swap as total minus free', () => {
    expect(memoryMetrics(parseMeminfo(PROC.meminfo))).toEqual({
      totalBytes: 8192000000,
      availableBytes: 2048000000,
      usedBytes: 6144000000,
      usedPercent: 75,
      swap: { totalBytes: 2048000000, freeBytes: 1536000000, usedBytes: 512000000, usedPercent: 25 },
    });
  });

  it('falls back to free + buffers + cache on kernels without MemAvailable; no swap reads 0%', () => {
    const old = PROC.meminfo.replace(/^MemAvailable:.*\n/m, '').replace(/^Swap(Total|Free):.*\n/gm, '');
    const m = memoryMetrics(parseMeminfo(old));
    expect(m.availableBytes).toBe(2600000 * 1024);
    expect(m.usedPercent).toBe(67.5);
    expect(m.swap).toEqual({ totalBytes: 0, freeBytes: 0, usedBytes: 0, usedPercent: 0 });
  });

  it('refuses text without MemTotal', () => {
    expect(() => memoryMetrics(parseMeminfo('MemFree: 1 kB\n'))).toThrow('/proc/meminfo: no MemTotal line');
  });
});

describe('/proc/loadavg and /proc/uptime', () => {
  it('reads the three load averages and the runnable / existing scheduling entities', () => {
    expect(parseLoadavg(PROC.loadavg)).toEqual({ one: 0.52, five: 1.04, fifteen: 2.5, runnable: 3, entities: 842 });
    expect(() => parseLoadavg('0.1 0.2\n')).toThrow("/proc/loadavg: unexpected content '0.1 0.2'");
  });

  it('reads seconds since boot', () => {
    expect(parseUptime(PROC.uptime)).toBe(93784.56);
    expect(() => parseUptime('\n')).toThrow('/proc/uptime: unexpected content');
  });
});

describe('/proc/mounts and statfs: disk use per real mount', () => {
  it('keeps local disk filesystems once per device (bind mounts dropped), unescapes octal spaces, sorts by mount point', () => {
    expect(realMounts(parseMounts(PROC.mounts))).toEqual([
      { device: '/dev/nvme0n1p2', mountPoint: '/', fsType: 'ext4' },
      { device: '/dev/nvme0n1p1', mountPoint: '/boot/efi', fsType: 'vfat' },
      { device: '/dev/sdb1', mountPoint: '/mnt/backup disk', fsType: 'xfs' },
    ]);
  });

  it("counts a container's overlay root, but no other overlay, tmpfs, squashfs or NFS", () => {
    const text = 'overlay / overlay rw 0 0\noverlay /merged overlay rw 0 0\ntmpfs /tmp tmpfs rw 0 0\n/dev/loop0 /snap/x squashfs ro 0 0\nnas:/x /nas nfs rw 0 0\n';
    expect(realMounts(parseMounts(text))).toEqual([{ device: 'overlay', mountPoint: '/', fsType: 'overlay' }]);
  });

  it('measures use as df does: used / (used + available to users), reserved blocks excluded', () => {
    const mount = { device: '/dev/nvme0n1p2', mountPoint: '/', fsType: 'ext4' };
    expect(diskUsage(mount, { bsize: 4096, blocks: 1_000_000, bfree: 400_000, bavail: 350_000 })).toEqual({
      mount: '/',
      device: '/dev/nvme0n1p2',
      fsType: 'ext4',
      totalBytes: 4096000000,
      usedBytes: 2457600000,
      availableBytes: 1433600000,
      usedPercent: 63.16,
    });
    expect(diskUsage(mount, { bsize: 4096, blocks: 0, bfree: 0, bavail: 0 }).usedPercent).toBe(0);
  });
});

describe('/proc/net/dev: network rates per interface', () => {
  it('reads received and transmitted bytes per second over the time between samples, loopback included', () => {
    const rates = networkRates(parseNetDev(PROC.netdev1), parseNetDev(PROC.netdev2), 500);
    expect(rates).toEqual([
      { interface: 'lo', rxBytesPerSec: 4000, txBytesPerSec: 4000, rxBytesTotal: 3000, txBytesTotal: 3000 },
      { interface: 'eth0', rxBytesPerSec: 1024000, txBytesPerSec: 100000, rxBytesTotal: 5512000, txBytesTotal: 250000 },
      // A counter that went backwards (wrapped or reset) is no traffic, not a negative rate.
      { interface: 'wlan0', rxBytesPerSec: 0, txBytesPerSec: 0, rxBytesTotal: 100, txBytesTotal: 77 },
    ]);
  });

  it('reads a name touching its first counter, and refuses a truncated line', () => {
    expect(parseNetDev('wlan0:4294967000 9 0 0 0 0 0 0 77 1 0 0 0 0 0 0\n')).toEqual([{ interface: 'wlan0', rxBytes: 4294967000, txBytes: 77 }]);
    expect(() => parseNetDev('eth0: 1 2 3\n')).toThrow("/proc/net/dev: unexpected line 'eth0: 1 2 3'");
  });

  it('gives no rate without elapsed time', () => {
    expect(perSecond(0, 1000, 0)).toBe(0);
    expect(perSecond(0, 1000, 250)).toBe(4000);
  });
});

describe('/proc/diskstats: disk I/O rates', () => {
  it('counts whole physical disks only, in 512-byte sectors, per second', () => {
    const before = parseDiskstats(PROC.diskstats1);
    expect(before.map((d) => d.device)).toEqual(['nvme0n1', 'sdb']);
    expect(diskIoRates(before, parseDiskstats(PROC.diskstats2), 2000)).toEqual([
      { device: 'nvme0n1', readBytesPerSec: 1024000, writeBytesPerSec: 524288, readsPerSec: 50, writesPerSec: 50 },
      { device: 'sdb', readBytesPerSec: 0, writeBytesPerSec: 0, readsPerSec: 0, writesPerSec: 0 },
    ]);
  });

  it('tells whole disks from partitions, device-mapper, RAID, loop and memory devices by name', () => {
    const names = ['sda', 'sda1', 'vda', 'xvdb3', 'nvme0n1', 'nvme0n1p1', 'mmcblk0', 'mmcblk0p2', 'dm-0', 'md127', 'loop7', 'zram0', 'ram1', 'nbd0', 'sr0'];
    expect(names.filter(isPhysicalDisk)).toEqual(['sda', 'vda', 'nvme0n1', 'mmcblk0']);
  });
});

describe('run ids and object keys', () => {
  it('names the run after the execution, replacing what an S3 key would mangle', () => {
    const now = new Date('2026-03-04T05:06:07.890Z');
    expect(runIdFrom('exec-42', now)).toBe('exec-42');
    expect(runIdFrom('a b/c', now)).toBe('a_b_c');
    expect(runIdFrom(undefined, now)).toMatch(/^run-20260304T050607Z-[0-9a-f]{8}$/);
    expect(runIdFrom('', now)).toMatch(/^run-/);
  });

  it('files the object under raw/<yyyy>/<mm>/<dd>/ by the UTC date', () => {
    expect(rawKey('exec-42', new Date('2026-12-31T23:59:59.999Z'))).toBe('raw/2026/12/31/exec-42.json');
  });
});

describe('configuration from the environment', () => {
  it('has defaults for everything', () => {
    expect(readConfig({})).toEqual({ bucket: 'raw-metrics', sampleIntervalMs: 1000, endpoints: [], endpointTimeoutMs: 5000, procRoot: '/proc', simulateFailure: false });
  });

  it('reads each variable, and the failure switch from a comma-separated list', () => {
    const c = readConfig({ RAW_BUCKET: 'b', SAMPLE_INTERVAL_MS: '20', ENDPOINT_TIMEOUT_MS: '250', PROC_ROOT: '/host/proc', SIMULATE_FAILURE: 'other, Collector', ENDPOINTS: '["http://a.example/"]' });
    expect(c).toEqual({ bucket: 'b', sampleIntervalMs: 20, endpoints: [{ name: 'http://a.example/', url: 'http://a.example/' }], endpointTimeoutMs: 250, procRoot: '/host/proc', simulateFailure: true });
  });

  it('refuses what it cannot use, naming the variable (ConfigurationError)', () => {
    expect(() => readConfig({ SAMPLE_INTERVAL_MS: 'soon' })).toThrow(expect.objectContaining({ name: 'ConfigurationError', message: "SAMPLE_INTERVAL_MS must be a whole number of milliseconds from 1 to 60000, not 'soon'" }));
    expect(() => readConfig({ ENDPOINTS: '{' })).toThrow(expect.objectContaining({ name: 'ConfigurationError', message: expect.stringMatching(/^ENDPOINTS is not valid JSON/) }));
  });
});

describe('ENDPOINTS', () => {
  it('takes URLs and {name, url} objects; blank is none', () => {
    expect(parseEndpoints(undefined)).toEqual([]);
    expect(parseEndpoints('  ')).toEqual([]);
    expect(parseEndpoints('["https://a.example/health", {"name": "shop", "url": "http://shop.example/"}, {"url": "http://b.example/"}]')).toEqual([
      { name: 'https://a.example/health', url: 'https://a.example/health' },
      { name: 'shop', url: 'http://shop.example/' },
      { name: 'http://b.example/', url: 'http://b.example/' },
    ]);
  });

  it.each([
    ['{"url": "http://a/"}', 'ENDPOINTS must be a JSON array of URLs or {"name","url"} objects'],
    ['[42]', 'ENDPOINTS[0] must be a URL or an object with a string "url"'],
    ['["not a url"]', "ENDPOINTS[0]: 'not a url' is not a URL"],
    ['["ftp://a.example/"]', "ENDPOINTS[0]: 'ftp://a.example/' is not an http or https URL"],
    ['[{"name": "", "url": "http://a/"}]', 'ENDPOINTS[0].name must be a non-empty string'],
    ['[{"name": "a", "url": "http://a/"}, {"name": "a", "url": "http://b/"}]', "ENDPOINTS[1]: the name 'a' is used twice"],
  ])('refuses %s', (text, message) => {
    expect(() => parseEndpoints(text)).toThrow(message);
  });
});

describe('endpoint checks against a real HTTP server', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/hang') return; // never answers
      const status = req.url === '/ok' ? 200 : req.url === '/moved' ? 301 : 503;
      res.writeHead(status, status === 301 ? { location: '/ok' } : {});
      res.end('body');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('is up on 2xx and 3xx (redirects not followed), down on 5xx, with the status and the latency', async () => {
    const [ok, moved, broken] = await Promise.all(['/ok', '/moved', '/broken'].map((p) => checkEndpoint({ name: p, url: base + p }, 2000)));
    expect(ok).toEqual({ name: '/ok', url: `${base}/ok`, up: true, statusCode: 200, latencyMs: expect.any(Number), timedOut: false });
    expect(moved).toMatchObject({ up: true, statusCode: 301 });
    expect(broken).toMatchObject({ up: false, statusCode: 503, timedOut: false });
    expect(broken).not.toHaveProperty('error');
    expect(ok?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('is down with timedOut when nothing answers within the timeout', async () => {
    const hang = await checkEndpoint({ name: 'hang', url: `${base}/hang` }, 50);
    expect(hang).toEqual({ name: 'hang', url: `${base}/hang`, up: false, statusCode: null, latencyMs: expect.any(Number), timedOut: true, error: 'no answer within 50 ms' });
    expect(hang.latencyMs).toBeGreaterThanOrEqual(45);
  });

  it('is down with the reason when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await checkEndpoint({ name: 'gone', url: `http://127.0.0.1:${port}/` }, 2000);
    expect(refused).toMatchObject({ up: false, statusCode: null, timedOut: false, error: 'fetch failed: ECONNREFUSED' });
  });
});

describe('collecting from a /proc where some files are missing', () => {
  const root = mkdtempSync(join(tmpdir(), 'stepwise-proc-'));

  beforeAll(() => {
    mkdirSync(join(root, 'net'));
    writeFileSync(join(root, 'stat'), PROC.stat1);
    writeFileSync(join(root, 'loadavg'), PROC.loadavg);
    writeFileSync(join(root, 'meminfo'), PROC.meminfo);
    writeFileSync(join(root, 'uptime'), PROC.uptime);
    writeFileSync(join(root, 'net', 'dev'), PROC.netdev1);
    // The root filesystem is measured for real; the second mount does not exist. No diskstats at all.
    writeFileSync(join(root, 'mounts'), `/dev/test-root / ext4 rw 0 0\n/dev/test-gone ${join(root, 'no-such-mount')} xfs rw 0 0\n`);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(() => vi.unstubAllEnvs());

  it('records the failed source (and the failed mount) as errors and keeps every other source', async () => {
    const now = new Date('2026-03-04T05:06:07.000Z');
    const c = await collectAll({ procRoot: root, sampleIntervalMs: 20, endpoints: [], endpointTimeoutMs: 100, now: () => now });
    expect(Object.keys(c)).toEqual(['cpu', 'load', 'memory', 'disks', 'network', 'diskIo', 'uptime', 'endpoints', 'errors']);
    expect(c.diskIo).toBeNull();
    expect(c.errors).toEqual([
      { source: 'diskIo', error: 'ENOENT', message: expect.stringContaining(join(root, 'diskstats')) },
      { source: 'disks', error: 'ENOENT', message: expect.stringMatching(new RegExp(`^statfs ${join(root, 'no-such-mount')}: ENOENT`)) },
    ]);
    // The same file twice: no time passed for the counters.
    expect(c.cpu).toEqual({ usagePercent: 0, iowaitPercent: 0, stealPercent: 0, cores: [{ name: 'cpu0', usagePercent: 0 }, { name: 'cpu1', usagePercent: 0 }] });
    expect(c.load).toEqual({ one: 0.52, five: 1.04, fifteen: 2.5, runnable: 3, entities: 842 });
    expect(c.memory?.usedPercent).toBe(75);
    expect(c.disks).toEqual([expect.objectContaining({ mount: '/', device: '/dev/test-root', fsType: 'ext4', totalBytes: expect.any(Number) })]);
    expect(c.network?.map((i) => i.interface)).toEqual(['lo', 'eth0', 'wlan0']);
    expect(c.uptime).toEqual({ seconds: 93784.56, bootedAt: '2026-03-03T03:03:02.440Z' });
    expect(c.endpoints).toEqual([]);
  });

  it('fails the invocation with CollectorFailure, writing nothing, when no source yields anything', async () => {
    vi.stubEnv('PROC_ROOT', join(root, 'nowhere'));
    vi.stubEnv('SAMPLE_INTERVAL_MS', '20');
    vi.stubEnv('ENDPOINTS', '');
    vi.stubEnv('SIMULATE_FAILURE', '');
    // No S3 endpoint is needed: it fails before writing.
    await expect(handler({ executionName: 'exec-nothing' })).rejects.toMatchObject({
      name: 'CollectorFailure',
      message: expect.stringMatching(/^No metrics could be collected; nothing was written\. cpu: ENOENT.*; load: ENOENT.*; uptime: ENOENT[^;]*$/s),
    });
  });
});

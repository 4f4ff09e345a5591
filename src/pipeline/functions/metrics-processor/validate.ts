/**
 * Checks that an object read from S3 is a raw metrics object (raw-metrics.ts) before anything
 * trusts it, and says what is wrong with it, by path, when it is not. Members it does not know
 * are allowed (a newer collector may add some); missing ones, wrong types and impossible values
 * (a percentage of 140, a negative rate) are not.
 */
import { SOURCES, type RawMetrics } from './raw-metrics.js';

type Check = (value: unknown, path: string, problems: string[]) => void;

const MAX_PROBLEMS = 10;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

const fail = (problems: string[], path: string, expected: string, value: unknown) => {
  const name = path || 'the raw object';
  problems.push(value === undefined ? `${name} is missing` : `${name} must be ${expected}, not ${describe(value)}`);
};

const str: Check = (v, path, p) => {
  if (typeof v !== 'string') fail(p, path, 'a string', v);
};

const nonEmpty: Check = (v, path, p) => {
  if (typeof v !== 'string' || v === '') fail(p, path, 'a non-empty string', v);
};

const date: Check = (v, path, p) => {
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) fail(p, path, 'an ISO 8601 date', v);
};

const bool: Check = (v, path, p) => {
  if (typeof v !== 'boolean') fail(p, path, 'true or false', v);
};

function num(min: number, max = Infinity, integer = false): Check {
  const expected = integer ? `a whole number from ${min}${max === Infinity ? '' : ` to ${max}`}` : `a number from ${min}${max === Infinity ? '' : ` to ${max}`}`;
  return (v, path, p) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) fail(p, path, expected, v);
  };
}

const amount = num(0);
const count = num(0, Infinity, true);
const pct = num(0, 100);

function oneOf(values: readonly unknown[]): Check {
  return (v, path, p) => {
    if (!values.includes(v)) fail(p, path, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, v);
  };
}

function nullable(check: Check): Check {
  return (v, path, p) => {
    if (v !== null) check(v, path, p);
  };
}

function optional(check: Check): Check {
  return (v, path, p) => {
    if (v !== undefined) check(v, path, p);
  };
}

function list(check: Check): Check {
  return (v, path, p) => {
    if (!Array.isArray(v)) return fail(p, path, 'an array', v);
    v.forEach((item, i) => check(item, `${path}[${i}]`, p));
  };
}

function obj(shape: Record<string, Check>): Check {
  return (v, path, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(p, path, 'an object', v);
    for (const [key, check] of Object.entries(shape)) check((v as Record<string, unknown>)[key], path ? `${path}.${key}` : key, p);
  };
}

const rawShape = obj({
  schemaVersion: oneOf([1]),
  runId: nonEmpty,
  executionName: nullable(str),
  startedAt: nullable(date),
  collectedAt: date,
  durationMs: amount,
  sampleIntervalMs: amount,
  host: obj({ hostname: str, platform: str, release: str, arch: str, cpuCount: num(1, Infinity, true) }),
  cpu: nullable(obj({ usagePercent: pct, iowaitPercent: pct, stealPercent: pct, cores: list(obj({ name: nonEmpty, usagePercent: pct })) })),
  load: nullable(obj({ one: amount, five: amount, fifteen: amount, runnable: count, entities: count })),
  memory: nullable(
    obj({
      totalBytes: num(1),
      availableBytes: amount,
      usedBytes: amount,
      usedPercent: pct,
      swap: obj({ totalBytes: amount, freeBytes: amount, usedBytes: amount, usedPercent: pct }),
    }),
  ),
  disks: nullable(list(obj({ mount: nonEmpty, device: str, fsType: str, totalBytes: amount, usedBytes: amount, availableBytes: amount, usedPercent: pct }))),
  network: nullable(list(obj({ interface: nonEmpty, rxBytesPerSec: amount, txBytesPerSec: amount, rxBytesTotal: amount, txBytesTotal: amount }))),
  diskIo: nullable(list(obj({ device: nonEmpty, readBytesPerSec: amount, writeBytesPerSec: amount, readsPerSec: amount, writesPerSec: amount }))),
  uptime: nullable(obj({ seconds: amount, bootedAt: date })),
  endpoints: nullable(list(obj({ name: nonEmpty, url: nonEmpty, up: bool, statusCode: nullable(num(100, 599, true)), latencyMs: amount, timedOut: bool, error: optional(str) }))),
  errors: list(obj({ source: oneOf(SOURCES), error: str, message: str })),
});

export type Validation = { ok: true; raw: RawMetrics } | { ok: false; reason: string };

/** `expectedRunId`: the run the object's key names; the object must say the same. */
export function validateRaw(value: unknown, expectedRunId?: string): Validation {
  const problems: string[] = [];
  rawShape(value, '', problems);
  if (problems.length === 0) {
    const raw = value as RawMetrics;
    if (expectedRunId !== undefined && raw.runId !== expectedRunId) problems.push(`runId '${raw.runId}' is not the run its key names ('${expectedRunId}')`);
    for (const source of SOURCES) {
      if (raw[source] === null && !raw.errors.some((e) => e.source === source)) problems.push(`${source} is null but errors gives no reason`);
    }
    if (SOURCES.every((s) => raw[s] === null || (s === 'endpoints' && raw.endpoints?.length === 0))) problems.push('no metrics: every source failed');
  }
  if (problems.length === 0) return { ok: true, raw: value as RawMetrics };
  const shown = problems.slice(0, MAX_PROBLEMS).join('; ');
  return { ok: false, reason: problems.length > MAX_PROBLEMS ? `${shown}; and ${problems.length - MAX_PROBLEMS} more` : shown };
}

/**
 * The durable section of `npm run bench`: the same cases run through the durable runner and the
 * execution service on SQLite (file, WAL; synchronous=NORMAL as shipped, and FULL) and on
 * PostgreSQL (one process, and three sharing the database), each measurement in fresh storage
 * and its own process(es). Prints transitions/s, executions/s, p50/p99 latency from start to
 * terminal status, peak RSS, and the ratio to the in-memory engine; then the RSS of 10,000
 * executions parked in a Wait.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { CASES, TASK_ARN, type CaseName } from './cases.js';

const child = fileURLToPath(new URL('./durable-child.mjs', import.meta.url));
const PG_URL = process.env['STEPWISE_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Result {
  executions: number;
  seconds: number;
  executionsPerSecond: number;
  transitionsPerSecond: number;
  p50: number;
  p99: number;
  maxRssKiB: number;
  rssNowKiB: number;
  /** RSS once the store was open, before any execution started. */
  baselineRssKiB: number;
}

const caseDir = mkdtempSync(join(tmpdir(), 'stepwise-bench-cases-'));
const parkDefinition = { StartAt: 'Park', States: { Park: { Type: 'Wait', Seconds: 3600, End: true } } };

/** The case as the plain-JavaScript child reads it: definition, 1,000 inputs, transitions per execution. */
function caseFile(benchCase: string): string {
  const file = join(caseDir, `${benchCase}.json`);
  const spec =
    benchCase === 'park'
      ? { name: 'park', definition: parkDefinition, inputs: [{}], transitionsPerExecution: 1 }
      : (() => {
          const c = CASES[benchCase as CaseName];
          return { name: benchCase, definition: c.definition(TASK_ARN), inputs: Array.from({ length: 1000 }, (_, i) => c.input(i)), transitionsPerExecution: c.transitionsPerExecution };
        })();
  writeFileSync(file, JSON.stringify(spec));
  return file;
}

function runChild(url: string, benchCase: string, count: number, mode = ''): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, url, caseFile(benchCase), String(count), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => p.kill('SIGKILL'), 300_000);
    p.on('exit', () => clearTimeout(timer));
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    p.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as Result);
      } catch {
        reject(new Error(`durable child exited ${code}: ${err.trim().split('\n').pop() ?? ''}`));
      }
    });
  });
}

async function withSqlite<T>(synchronous: 'NORMAL' | 'FULL', fn: (url: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-'));
  try {
    return await fn(`sqlite:${join(dir, 'bench.db')}${synchronous === 'FULL' ? '?synchronous=FULL' : ''}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withPostgres<T>(fn: (url: string) => Promise<T>): Promise<T | undefined> {
  const schema = `bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  try {
    return await fn(`${PG_URL}?schema=${schema}`);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await admin.end();
  }
}

/** Several processes on one database: each starts its share and runs a runner; wall time is the slowest. */
async function cluster(url: string, benchCase: string, count: number, processes: number): Promise<Result> {
  const results = await Promise.all(Array.from({ length: processes }, () => runChild(url, benchCase, Math.ceil(count / processes), 'cluster')));
  const seconds = Math.max(...results.map((r) => r.seconds));
  const executions = results.reduce((a, r) => a + r.executions, 0);
  const perExecution = results[0] ? results[0].transitionsPerSecond / results[0].executionsPerSecond : 0;
  return {
    executions,
    seconds,
    executionsPerSecond: executions / seconds,
    transitionsPerSecond: (executions * perExecution) / seconds,
    p50: Math.max(...results.map((r) => r.p50)),
    p99: Math.max(...results.map((r) => r.p99)),
    maxRssKiB: Math.max(...results.map((r) => r.maxRssKiB)),
    rssNowKiB: Math.max(...results.map((r) => r.rssNowKiB)),
    baselineRssKiB: Math.max(...results.map((r) => r.baselineRssKiB)),
  };
}

const COUNTS: Record<string, number> = { 'pass-chain': 10_000, pipeline: 10_000, 'map-100': 300 };

export async function runDurableSection(inMemoryTransitionsPerSecond: Record<string, number | undefined>): Promise<void> {
  const rows: string[] = [];
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const add = (store: string, c: string, r: Result | string) => {
    if (typeof r === 'string') {
      rows.push(`${store.padEnd(30)}${c.padEnd(12)}${r}`);
      return;
    }
    const mem = inMemoryTransitionsPerSecond[c];
    const ratio = mem ? `${(r.transitionsPerSecond / mem).toFixed(3)}x` : '-';
    rows.push(
      `${store.padEnd(30)}${c.padEnd(12)}${fmt(r.executions).padStart(10)}${fmt(r.executionsPerSecond).padStart(14)}${fmt(r.transitionsPerSecond).padStart(15)}` +
        `${r.p50.toFixed(1).padStart(10)}${r.p99.toFixed(1).padStart(10)}${(r.maxRssKiB / 1024).toFixed(0).padStart(9)}${ratio.padStart(12)}`,
    );
  };
  process.stdout.write('\ndurable engine (10,000 executions per case, at most 1,000 in flight; map-100: 300)\n');
  for (const c of Object.keys(COUNTS)) {
    process.stderr.write(`  durable ${c} on SQLite...\n`);
    add('SQLite WAL, synchronous=NORMAL', c, await withSqlite('NORMAL', (url) => runChild(url, c, COUNTS[c] as number)).catch((e: Error) => `cannot run: ${e.message}`));
  }
  process.stderr.write('  durable pipeline on SQLite FULL...\n');
  add('SQLite WAL, synchronous=FULL', 'pipeline', await withSqlite('FULL', (url) => runChild(url, 'pipeline', 10_000)).catch((e: Error) => `cannot run: ${e.message}`));
  for (const c of Object.keys(COUNTS)) {
    process.stderr.write(`  durable ${c} on PostgreSQL...\n`);
    const r = await withPostgres((url) => runChild(url, c, COUNTS[c] as number)).catch((e: Error) => `cannot run: ${e.message}`);
    add('PostgreSQL, 1 process', c, r ?? `cannot run: PostgreSQL unreachable at ${PG_URL}`);
  }
  process.stderr.write('  durable pipeline on PostgreSQL, 3 processes...\n');
  const three = await withPostgres((url) => cluster(url, 'pipeline', 10_000, 3)).catch((e: Error) => `cannot run: ${e.message}`);
  add('PostgreSQL, 3 processes', 'pipeline', three ?? `cannot run: PostgreSQL unreachable at ${PG_URL}`);
  process.stdout.write(
    `${'store'.padEnd(30)}${'case'.padEnd(12)}${'executions'.padStart(10)}${'executions/s'.padStart(14)}${'transitions/s'.padStart(15)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'RSS MiB'.padStart(9)}${'vs memory'.padStart(12)}\n`,
  );
  for (const r of rows) process.stdout.write(`${r}\n`);
  process.stderr.write('  10,000 parked executions on SQLite...\n');
  const parked = await withSqlite('NORMAL', (url) => runChild(url, 'park', 10_000)).catch((e: Error) => e.message);
  if (typeof parked === 'string') process.stdout.write(`parked: cannot run: ${parked}\n`);
  else
    process.stdout.write(
      `10,000 executions parked in a Wait (SQLite): process RSS ${(parked.rssNowKiB / 1024).toFixed(0)} MiB ` +
        `(${((parked.rssNowKiB - parked.baselineRssKiB) / 1024).toFixed(0)} MiB above the ${(parked.baselineRssKiB / 1024).toFixed(0)} MiB of an idle server), ` +
        `${(parked.maxRssKiB / 1024).toFixed(0)} MiB peak while starting them\n`,
    );
  rmSync(caseDir, { recursive: true, force: true });
  process.stdout.write('Durability shipped by default: SQLite WAL with synchronous=NORMAL (a committed step survives a process crash; the last\n');
  process.stdout.write('commits before a power loss may be lost); synchronous=FULL also survives power loss. PostgreSQL: its own fsync settings.\n\n');
}

/**
 * `npm run bench`: Stepwise's in-process engine side by side with aws-local-stepfunctions@3 and
 * @wmfs/statebox on four cases (bench/cases.ts).
 *
 * Every (engine, case) pair runs in its own child process, `node --import tsx bench/<engine>.ts
 * <case>`, one after another, so each peak RSS (`process.resourceUsage().maxRSS` read by the
 * child when it is done) belongs to that engine and case alone. A child warms up for
 * BENCH_WARMUP_SECONDS (default 0.5), then runs iterations until BENCH_SECONDS (default 2.5)
 * have passed; an iteration is one execution, or for the 1,000-concurrent case one batch of
 * 1,000 executions started together. Every execution's output is checked against the expected
 * one; an engine that fails, hangs, or returns a wrong output is reported as "cannot run".
 *
 * Transitions are states entered, Map iterations' states included, counted from each case's
 * known path (the path is fixed), identically for every engine: 20, 5, 201 and 5 per execution.
 * Stepwise's own `transitions` count is cross-checked against that and any mismatch printed.
 *
 * Ratios are Stepwise / peer: throughput (executions/s; above 1 means Stepwise is faster) and
 * peak RSS (below 1 means Stepwise uses less memory).
 *
 * Then the durable section (bench/durable.ts): the cases through the store-backed runner on SQLite
 * and PostgreSQL, with latency and parked-execution memory; `--no-durable` skips it.
 *
 * Then the API section (bench/api.ts): `stepwise serve` (from dist/, embedded SQLite, its own
 * process) and moto_server (its own process; skipped with the reason when not installed) driven
 * over loopback HTTP by one load generator in this process: StartExecution requests/s and the time
 * until every execution of a machine without Task states (Pass, Choice, Wait 0) has finished,
 * each output checked, side by side with the ratio Stepwise / moto and the goal (at least 10x
 * moto's executions/s end to end). The counts differ per engine (5,000 and 200 by default;
 * BENCH_API_STEPWISE_EXECUTIONS, BENCH_API_MOTO_EXECUTIONS, BENCH_API_WINDOW for the requests in
 * flight). moto 5.2.1 answers HTTP 500 to every StartExecution after the first
 * (getmoto/moto#10077), so moto_server is started with its upstream fix applied;
 * `--moto-as-installed` measures it unpatched. `--api-client sdk` drives both with
 * @aws-sdk/client-sfn instead of raw signed requests. `--no-api` skips the section.
 *
 * Options: `--case <name>[,<name>]`, `--engine <name>[,<name>]` to run a subset;
 * `--only <section>[,<section>]` to run only some of the sections `engines`, `durable`, `api`
 * (`npm run bench -- --only api`).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CASE_NAMES, CASE_TITLES, type CaseName } from './cases.js';
import type { RunnerReport } from './harness.js';
import { runDurableSection } from './durable.js';
import { runConsoleSection } from './console.js';
import { runApiSection } from './api.js';
import { CLIENT_KINDS } from './api-client.js';

const ENGINES = ['stepwise', 'aws-local-stepfunctions', 'statebox'] as const;
const SECTIONS = ['engines', 'durable', 'api', 'console'] as const;
type Engine = (typeof ENGINES)[number];
const REFERENCE_PEER: Engine = 'aws-local-stepfunctions';

/** A child that has not reported after this long is killed and reported as "cannot run". */
const CHILD_TIMEOUT_MS = 90_000;

function option(name: string): string[] | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  return (process.argv[i + 1] ?? '').split(',').filter(Boolean);
}

function selected<T extends string>(name: string, all: readonly T[]): T[] {
  const wanted = option(name);
  if (!wanted) return [...all];
  const unknown = wanted.filter((w) => !(all as readonly string[]).includes(w));
  if (unknown.length > 0) {
    process.stderr.write(`unknown ${name}: ${unknown.join(', ')} (known: ${all.join(', ')})\n`);
    process.exit(2);
  }
  return all.filter((a) => wanted.includes(a));
}

function runChild(engine: Engine, benchCase: CaseName): Promise<RunnerReport> {
  const script = fileURLToPath(new URL(`./${engine}.ts`, import.meta.url));
  return new Promise((resolve) => {
    const child = fork(script, [benchCase], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let report: RunnerReport | undefined;
    let stderr = '';
    let timedOut = false;
    child.stdout?.resume();
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, CHILD_TIMEOUT_MS);
    child.on('message', (message) => {
      report = message as RunnerReport;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (report) return resolve(report);
      const lastLine = stderr.trim().split('\n').pop() ?? '';
      const reason = timedOut
        ? `timed out after ${CHILD_TIMEOUT_MS / 1000}s`
        : `runner exited (${signal ?? `code ${code}`}) without a result${lastLine ? `: ${lastLine}` : ''}`;
      resolve({ kind: 'cannot-run', engine, case: benchCase, reason, maxRssKiB: 0 });
    });
  });
}

// --- measure -----------------------------------------------------------------------------------

const sections = selected('only', SECTIONS);
const runEngines = sections.includes('engines');
const cases = runEngines ? selected('case', CASE_NAMES) : [];
const engines = selected('engine', ENGINES);
const apiClients = option('api-client') ? selected('api-client', CLIENT_KINDS) : (['raw'] as const);
if (apiClients.length !== 1) {
  process.stderr.write(`--api-client takes one of: ${CLIENT_KINDS.join(', ')}\n`);
  process.exit(2);
}

if (runEngines) {
  process.stdout.write(
    `Stepwise bench - node ${process.version}, ${process.platform}/${process.arch}; ` +
      `warm-up ${process.env.BENCH_WARMUP_SECONDS ?? '0.5'}s + ${process.env.BENCH_SECONDS ?? '2.5'}s ` +
      `per engine per case, each in its own process\n`,
  );
}

const reports = new Map<string, RunnerReport>();
const key = (engine: Engine, c: CaseName): string => `${engine}/${c}`;
for (const c of cases) {
  for (const engine of engines) {
    process.stderr.write(`  running ${engine} on ${c}...\n`);
    reports.set(key(engine, c), await runChild(engine, c));
  }
}

// --- report ------------------------------------------------------------------------------------

type Measured = Extract<RunnerReport, { kind: 'result' }>;
const measured = (engine: Engine, c: CaseName): Measured | undefined => {
  const r = reports.get(key(engine, c));
  return r?.kind === 'result' ? r : undefined;
};
const execPerSec = (r: Measured): number => r.executions / r.seconds;
const mib = (kib: number): number => kib / 1024;

function fmt(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}
const fmtRatio = (n: number): string => `${n.toFixed(2)}x`;

const header = ['engine', 'case', 'executions/s', 'transitions/s', 'peak RSS MiB', 'Stepwise/peer thrpt', 'Stepwise/peer RSS'];
const rows: string[][] = [];
const notes: string[] = [];

for (const c of cases) {
  const stepwise = measured('stepwise', c);
  for (const engine of engines) {
    const r = reports.get(key(engine, c));
    if (!r) continue;
    if (r.kind === 'cannot-run') {
      rows.push([engine, c, `cannot run: ${r.reason.replace(/\s*\n\s*/g, ' ')}`]);
      continue;
    }
    const eps = execPerSec(r);
    let thrpt = '-';
    let rss = '-';
    if (engine !== 'stepwise') {
      thrpt = stepwise ? fmtRatio(execPerSec(stepwise) / eps) : 'n/a';
      rss = stepwise ? fmtRatio(stepwise.maxRssKiB / r.maxRssKiB) : 'n/a';
    }
    rows.push([engine, c, fmt(eps), fmt(eps * r.transitionsPerExecution), fmt(mib(r.maxRssKiB)), thrpt, rss]);
    if (r.reportedTransitions !== undefined && r.reportedTransitions !== r.transitionsPerExecution) {
      notes.push(
        `note: ${engine} reports ${r.reportedTransitions} transitions per ${c} execution; ` +
          `the bench counts ${r.transitionsPerExecution} (states entered on the known path) for every engine`,
      );
    }
  }
}

const widths = header.map((h, i) => Math.max(h.length, ...rows.filter((r) => r.length > 3).map((r) => (r[i] ?? '').length)));
const line = (cells: string[]): string => {
  if (cells.length === 3) return `${cells[0]!.padEnd(widths[0]!)}  ${cells[1]!.padEnd(widths[1]!)}  ${cells[2]}`;
  return cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
};

if (runEngines) {
  process.stdout.write('\n');
  for (const c of cases) process.stdout.write(`  ${c.padEnd(15)} ${CASE_TITLES[c]}\n`);
  process.stdout.write('\n');
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  let previousCase: string | undefined;
  for (const row of rows) {
    if (previousCase !== undefined && row[1] !== previousCase) process.stdout.write('\n');
    previousCase = row[1];
    process.stdout.write(`${line(row)}\n`);
  }
  process.stdout.write('\n');
  for (const n of notes) process.stdout.write(`${n}\n`);
}

// The durable section (skip with --no-durable): the same cases through the store-backed runner.
if (sections.includes('durable') && !process.argv.includes('--no-durable') && engines.includes('stepwise')) {
  const inMemory: Record<string, number | undefined> = {};
  for (const c of cases) {
    const s = measured('stepwise', c);
    if (s) inMemory[c] = execPerSec(s) * s.transitionsPerExecution;
  }
  await runDurableSection(inMemory);
}

// The API section (skip with --no-api): Stepwise's server and moto's, over loopback HTTP.
if (sections.includes('api') && !process.argv.includes('--no-api')) {
  await runApiSection({ client: apiClients[0] ?? 'raw', motoFix: !process.argv.includes('--moto-as-installed') });
}

// The console section (skip with --no-console): first paint of the console's pages over 10,000 executions.
if (sections.includes('console') && !process.argv.includes('--no-console')) {
  await runConsoleSection();
}

// Final line: Stepwise / aws-local-stepfunctions throughput over the cases run.
if (runEngines) {
  const ratios: number[] = [];
  const missing: string[] = [];
  for (const c of cases) {
    const s = measured('stepwise', c);
    const p = measured(REFERENCE_PEER, c);
    if (s && p) ratios.push(execPerSec(s) / execPerSec(p));
    else missing.push(c);
  }
  let summary = 'geomean n/a, min n/a';
  if (missing.length === 0 && ratios.length > 0) {
    const geomean = Math.exp(ratios.reduce((sum, r) => sum + Math.log(r), 0) / ratios.length);
    summary = `geomean ${geomean.toFixed(2)}x, min ${Math.min(...ratios).toFixed(2)}x`;
  } else {
    process.stdout.write(
      `(no ratio: Stepwise and ${REFERENCE_PEER} are not both measured on ${missing.join(', ')})\n`,
    );
  }
  process.stdout.write(`ratio vs ${REFERENCE_PEER}: ${summary}\n`);
}

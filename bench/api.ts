/**
 * The API section of `npm run bench`: Stepwise's server and moto's, side by side, driven over
 * loopback HTTP by one load generator (this process). For each engine, one after the other, on a
 * fresh server: create a state machine without Task states (Pass, Choice, Wait with Seconds 0),
 * run a small warm-up, then start N executions with at most WINDOW requests in flight, timing
 * StartExecution requests/s, and poll ListExecutions (statusFilter RUNNING) until none is
 * running: the time until all executions finish. Then every execution is read back with
 * DescribeExecution (untimed) and must have SUCCEEDED with the expected output; an engine that
 * fails, hangs or answers wrongly is reported as "cannot run" with the reason.
 *
 * The counts differ per engine (moto is slow), so the figures compared are rates. The goal is
 * stated on the last line: Stepwise at least 10x moto's executions/s end to end.
 *
 * Stepwise runs as users run it, `stepwise serve` from dist/ in its own process, so that its CPU
 * and RSS are its own and the generator does not share its event loop. The generator defaults to
 * raw signed requests: measured here, @aws-sdk/client-sfn spent 3-4x the CPU per request (160-180%
 * of a core against 45-60% at 1,100-1,800 starts/s), which on two cores competes with the server
 * it measures; `--api-client sdk` shows it.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { CallFailed, sfnCalls, type ClientKind, type SfnCalls } from './api-client.js';
import { CannotRun, Skipped, startMoto, startStepwise, type ApiServer, type ProcessStats } from './api-servers.js';
import { jsonEquals, type Json } from '../src/lib/json.js';

export interface ApiSectionOptions {
  client: ClientKind;
  /** Apply moto's upstream fix for getmoto/moto#10077 at its start-up (default); false measures moto as installed. */
  motoFix: boolean;
}

const GOAL = 10;
const WINDOW = numberFromEnv('BENCH_API_WINDOW', 64);
const PLANS = {
  stepwise: { executions: numberFromEnv('BENCH_API_STEPWISE_EXECUTIONS', 5000), warmup: 500 },
  moto: { executions: numberFromEnv('BENCH_API_MOTO_EXECUTIONS', 200), warmup: 20 },
} as const;
type Engine = keyof typeof PLANS;
/** Starting and finishing one engine's executions taking longer than this is reported as hung. */
const FINISH_TIMEOUT_MS = 300_000;
const POLL_MS = 10;

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

// --- the machine ---------------------------------------------------------------------------------

const DEFINITION = JSON.stringify({
  Comment: 'bench/api.ts: no Task states',
  StartAt: 'Normalize',
  States: {
    Normalize: { Type: 'Pass', Parameters: { 'id.$': '$.id', 'n.$': '$.n', source: 'bench' }, Next: 'Classify' },
    Classify: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 10, Next: 'Small' }], Default: 'Large' },
    Small: { Type: 'Pass', Result: 'small', ResultPath: '$.size', Next: 'Pause' },
    Large: { Type: 'Pass', Result: 'large', ResultPath: '$.size', Next: 'Pause' },
    Pause: { Type: 'Wait', Seconds: 0, Next: 'Done' },
    Done: { Type: 'Pass', Parameters: { 'id.$': '$.id', 'size.$': '$.size', 'source.$': '$.source', done: true }, End: true },
  },
});
const MACHINE_TITLE = 'Pass -> Choice -> Pass -> Wait (Seconds 0) -> Pass, 5 states entered per execution';

const input = (id: string, i: number): Json => ({ id, n: i % 20 });
const expected = (id: string, i: number): Json => ({ id, size: i % 20 < 10 ? 'small' : 'large', source: 'bench', done: true });

// --- one engine ----------------------------------------------------------------------------------

interface Measured {
  executions: number;
  startSeconds: number;
  totalSeconds: number;
  /** CPU seconds of the server process and of this process (the load generator) over the timed run. */
  serverCpuSeconds?: number;
  clientCpuSeconds: number;
  serverPeakRssKiB?: number;
}

type Outcome = { kind: 'measured'; m: Measured } | { kind: 'cannot-run'; reason: string } | { kind: 'skipped'; reason: string };

/** Run `fn(i)` for i in [0, count) with at most `window` calls in flight; the first failure wins. */
async function windowed(count: number, window: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < count && !failed) {
      const i = next++;
      try {
        await fn(i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, count) }, worker));
}

function describeValue(text: string | undefined): string {
  if (text === undefined) return '(none)';
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Start `count` executions named `<prefix>-<i>`, wait until none runs, check them. Returns the timings. */
async function batch(server: ApiServer, calls: SfnCalls, machineArn: string, prefix: string, count: number) {
  const arns: string[] = new Array<string>(count);
  const what = prefix === 'warmup' ? 'warm-up execution' : 'execution';
  const t0 = performance.now();
  await windowed(count, WINDOW, async (i) => {
    const name = `${prefix}-${i}`;
    arns[i] = await calls.startExecution(machineArn, name, JSON.stringify(input(name, i))).catch((err: unknown) => explain(server, err, `${what} ${i + 1} of ${count}`));
  });
  const started = performance.now();
  const deadline = t0 + FINISH_TIMEOUT_MS;
  while (await calls.anyRunning(machineArn).catch((err: unknown) => explain(server, err, `waiting for the ${what}s to finish`))) {
    if (performance.now() > deadline) throw new CannotRun(`executions still RUNNING after ${FINISH_TIMEOUT_MS / 1000}s (hung)`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const finished = performance.now();
  // Untimed: every execution SUCCEEDED with the expected output.
  await windowed(count, WINDOW, async (i) => {
    const name = `${prefix}-${i}`;
    const d = await calls.describeExecution(arns[i] as string).catch((err: unknown) => explain(server, err, `reading ${what} ${name}`));
    if (d.status !== 'SUCCEEDED') throw new CannotRun(`execution ${name} is ${d.status}, expected SUCCEEDED`);
    let output: Json | undefined;
    try {
      output = d.output === undefined ? undefined : (JSON.parse(d.output) as Json);
    } catch {
      output = undefined;
    }
    if (output === undefined || !jsonEquals(output, expected(name, i))) {
      throw new CannotRun(`execution ${name}: wrong output ${describeValue(d.output)}, expected ${JSON.stringify(expected(name, i))}`);
    }
  });
  return { t0, started, finished };
}

/** Fail with a call's failure as the reason, and the server's own last logged error after an HTTP 5xx. */
async function explain(server: ApiServer, err: unknown, what: string): Promise<never> {
  if (err instanceof CannotRun) throw err;
  let logged: string | undefined;
  if (err instanceof CallFailed && (err.status ?? 0) >= 500) {
    // The server may log the error just after answering: give its log a moment to arrive.
    await new Promise((r) => setTimeout(r, 300));
    logged = server.lastLoggedError();
  }
  const message = err instanceof Error ? err.message : String(err);
  throw new CannotRun(`${what}: ${message}${logged ? `; server log: ${logged}` : ''}`);
}

async function measureOn(server: ApiServer, engine: Engine, client: ClientKind): Promise<Measured> {
  const plan = PLANS[engine];
  const calls = sfnCalls(client, server.url, WINDOW);
  try {
    await server.reset();
    const machineArn = await calls.createStateMachine(`bench-api-${Date.now()}`, DEFINITION).catch((err: unknown) => explain(server, err, 'creating the state machine'));
    // One machine for the warm-up and the run: moto (even fixed) copies every machine at each start.
    await batch(server, calls, machineArn, 'warmup', plan.warmup);
    const before: ProcessStats | undefined = server.stats();
    const cpu0 = process.cpuUsage();
    const { t0, started, finished } = await batch(server, calls, machineArn, 'run', plan.executions);
    const cpu = process.cpuUsage(cpu0);
    const after = server.stats();
    return {
      executions: plan.executions,
      startSeconds: (started - t0) / 1000,
      totalSeconds: (finished - t0) / 1000,
      clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
      ...(before && after ? { serverCpuSeconds: after.cpuSeconds - before.cpuSeconds, serverPeakRssKiB: after.peakRssKiB } : {}),
    };
  } finally {
    calls.close();
  }
}

async function runEngine(engine: Engine, opts: ApiSectionOptions): Promise<{ outcome: Outcome; description?: string }> {
  let server: ApiServer | undefined;
  try {
    server = engine === 'stepwise' ? await startStepwise() : await startMoto({ applyFix: opts.motoFix });
    const m = await measureOn(server, engine, opts.client);
    return { outcome: { kind: 'measured', m }, description: server.description };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const outcome: Outcome = err instanceof Skipped ? { kind: 'skipped', reason } : { kind: 'cannot-run', reason: err instanceof CannotRun ? reason : `error: ${reason}` };
    return { outcome, ...(server ? { description: server.description } : {}) };
  } finally {
    await server?.stop();
  }
}

// --- the section ---------------------------------------------------------------------------------

const fmt = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const pct = (cpuSeconds: number | undefined, seconds: number): string => (cpuSeconds === undefined ? '-' : `${Math.round((100 * cpuSeconds) / seconds)}%`);

export async function runApiSection(opts: ApiSectionOptions): Promise<void> {
  process.stdout.write(
    `\nAPI section - node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(1)} at the start ` +
      `(other processes on this machine make the figures noisy)\n` +
      `StartExecution over loopback HTTP, then ListExecutions until none runs (${MACHINE_TITLE})\n` +
      `load generator: this process, ${opts.client === 'sdk' ? '@aws-sdk/client-sfn' : 'SigV4-signed requests (@smithy/signature-v4, node:http)'}, ` +
      `keep-alive, at most ${WINDOW} requests in flight\n` +
      `counts differ per engine (Stepwise ${PLANS.stepwise.executions.toLocaleString('en-US')}, moto ${PLANS.moto.executions.toLocaleString('en-US')}, ` +
      `after ${PLANS.stepwise.warmup} and ${PLANS.moto.warmup} warm-up executions): compare the rates, not the times\n`,
  );
  const results = {} as Record<Engine, Outcome>;
  for (const engine of ['stepwise', 'moto'] as const) {
    process.stderr.write(`  API: ${engine}, ${PLANS[engine].executions} executions...\n`);
    const { outcome, description } = await runEngine(engine, opts);
    results[engine] = outcome;
    if (description) process.stdout.write(`  ${engine}: ${description}\n`);
  }

  const header = ['engine', 'executions', 'StartExecution/s', 'all finished s', 'executions/s', 'server CPU', 'generator CPU', 'server peak RSS MiB'];
  const rows: string[][] = [];
  for (const engine of ['stepwise', 'moto'] as const) {
    const r = results[engine];
    if (r.kind !== 'measured') {
      rows.push([engine, `${r.kind === 'skipped' ? 'skipped' : 'cannot run'}: ${r.reason}`]);
      continue;
    }
    const m = r.m;
    rows.push([
      engine,
      m.executions.toLocaleString('en-US'),
      fmt(m.executions / m.startSeconds),
      m.totalSeconds.toFixed(2),
      fmt(m.executions / m.totalSeconds),
      pct(m.serverCpuSeconds, m.totalSeconds),
      pct(m.clientCpuSeconds, m.totalSeconds),
      m.serverPeakRssKiB === undefined ? '-' : (m.serverPeakRssKiB / 1024).toFixed(0),
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.filter((r) => i === 0 || r.length > 2).map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.length === 2 ? `${(cells[0] as string).padEnd(widths[0] as number)}  ${cells[1]}` : cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  process.stdout.write('(CPU: % of one core over the timed run; the server and the generator share this machine.)\n');

  const s = results.stepwise;
  const p = results.moto;
  if (s.kind === 'measured' && p.kind === 'measured') {
    const starts = s.m.executions / s.m.startSeconds / (p.m.executions / p.m.startSeconds);
    const e2e = s.m.executions / s.m.totalSeconds / (p.m.executions / p.m.totalSeconds);
    process.stdout.write(
      `Stepwise / moto: StartExecution/s ${starts.toFixed(1)}x, executions/s end to end ${e2e.toFixed(1)}x ` +
        `(goal: at least ${GOAL}x moto's executions/s end to end: ${e2e >= GOAL ? 'met' : 'NOT met'})\n\n`,
    );
  } else {
    const missing = (['stepwise', 'moto'] as const).filter((e) => results[e].kind !== 'measured');
    process.stdout.write(`Stepwise / moto: n/a (${missing.join(' and ')} not measured; goal: at least ${GOAL}x moto's executions/s end to end)\n\n`);
  }
}

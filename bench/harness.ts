/**
 * The measuring loop every engine runner shares. A runner is started by bench/run.ts as
 * `node --import tsx bench/<engine>.ts <case>` in its own process; it prepares its engine for the
 * case and hands `measure` a function that runs one execution. `measure` warms up, runs for a
 * time budget, checks every execution's output, reads the process's peak RSS and reports back
 * over the IPC channel (or prints the report as JSON when started by hand).
 */
import { performance } from 'node:perf_hooks';
import { CASES, isCaseName, type BenchCase, type CaseName } from './cases.js';
import { jsonEquals, type Json } from '../src/lib/json.js';

/** What one execution produced. `transitions` only when the engine reports its own count. */
export interface ExecutionResult {
  output: Json;
  transitions?: number;
}

export type RunOne = (input: Json) => Promise<ExecutionResult>;

/** Thrown by a runner (or by `measure`) when its engine cannot run the case; `message` is why. */
export class CannotRun extends Error {}

export type RunnerReport =
  | {
      kind: 'result';
      engine: string;
      case: CaseName;
      executions: number;
      seconds: number;
      transitionsPerExecution: number;
      /** Transitions per execution as the engine itself reported them, when it does. */
      reportedTransitions?: number;
      maxRssKiB: number;
    }
  | { kind: 'cannot-run'; engine: string; case: CaseName; reason: string; maxRssKiB: number };

const SECONDS = numberFromEnv('BENCH_SECONDS', 2.5);
const WARMUP_SECONDS = numberFromEnv('BENCH_WARMUP_SECONDS', 0.5);
/** An iteration (one execution, or one batch) taking longer than this is reported as hung. */
const ITERATION_TIMEOUT_MS = 30_000;

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The case named on the command line, or exit with a usage message. */
export function caseFromArgv(engine: string): BenchCase {
  const name = process.argv[2];
  if (!isCaseName(name)) {
    process.stderr.write(`usage: node --import tsx bench/${engine}.ts <case>\n`);
    process.exit(2);
  }
  return CASES[name];
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CannotRun(`no result within ${ms / 1000}s (hung)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Run one iteration: `batch` executions started together, all awaited, each output checked.
 * Returns the transitions the engine reported for the first execution, if it reports any.
 */
async function iteration(benchCase: BenchCase, runOne: RunOne): Promise<number | undefined> {
  const runs: Promise<ExecutionResult>[] = [];
  for (let i = 0; i < benchCase.batch; i++) runs.push(runOne(benchCase.input(i)));
  const results = await withTimeout(Promise.all(runs), ITERATION_TIMEOUT_MS);
  for (let i = 0; i < results.length; i++) {
    const expected = benchCase.expected(i);
    const got = (results[i] as ExecutionResult).output;
    if (!jsonEquals(got, expected)) {
      throw new CannotRun(`wrong output for execution ${i}: got ${describe(got)}, expected ${describe(expected)}`);
    }
  }
  return results[0]?.transitions;
}

function report(message: RunnerReport): Promise<void> {
  if (process.send) {
    return new Promise((resolve) => process.send!(message, () => resolve()));
  }
  process.stdout.write(`${JSON.stringify(message, null, 2)}\n`);
  return Promise.resolve();
}

const maxRssKiB = (): number => process.resourceUsage().maxRSS;

/**
 * Measure `benchCase` on an engine. `prepare` sets the engine up (outside the timed region) and
 * returns the function that runs one execution; it throws `CannotRun` if the engine cannot.
 */
export async function measure(engine: string, benchCase: BenchCase, prepare: () => Promise<RunOne>): Promise<void> {
  let message: RunnerReport;
  try {
    const runOne = await prepare();

    // Warm-up: at least one iteration, then until the warm-up budget is spent.
    const warmupEnd = performance.now() + WARMUP_SECONDS * 1000;
    let reportedTransitions = await iteration(benchCase, runOne);
    while (performance.now() < warmupEnd) await iteration(benchCase, runOne);

    // Measured: at least one iteration, then until the budget is spent.
    let iterations = 0;
    const start = performance.now();
    const end = start + SECONDS * 1000;
    do {
      reportedTransitions = (await iteration(benchCase, runOne)) ?? reportedTransitions;
      iterations++;
    } while (performance.now() < end);
    const seconds = (performance.now() - start) / 1000;

    message = {
      kind: 'result',
      engine,
      case: benchCase.name,
      executions: iterations * benchCase.batch,
      seconds,
      transitionsPerExecution: benchCase.transitionsPerExecution,
      ...(reportedTransitions === undefined ? {} : { reportedTransitions }),
      maxRssKiB: maxRssKiB(),
    };
  } catch (err) {
    const reason = err instanceof CannotRun ? err.message : `error: ${err instanceof Error ? err.message : String(err)}`;
    message = { kind: 'cannot-run', engine, case: benchCase.name, reason, maxRssKiB: maxRssKiB() };
  }
  await report(message);
  // Peers may leave timers or callbacks behind; the measurement is over, so leave now.
  process.exit(0);
}

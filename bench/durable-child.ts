/**
 * One durable measurement in its own process:
 *   node --import tsx bench/durable-child.ts <store-url> <case> <executions> [--park] [--runners N]
 * Starts <executions> executions through the execution service (at most 1,000 in flight) and
 * runs them with the durable runner on the given store, then reports executions/s, transitions/s,
 * latency percentiles (start to terminal status) and peak RSS as one JSON line on stdout.
 * With --park, the machine waits an hour: it reports the RSS once every execution is parked.
 */
import type * as ClockModule from '../src/engine/clock.js';
import type * as LocalRunModule from '../src/engine/local-run.js';
import type * as RunnerModule from '../src/engine/runner.js';
import type * as ExecutionsModule from '../src/service/executions.js';
import type * as OpenModule from '../src/stores/open.js';
import { CASES, TASK_ARN, enrich, type CaseName } from './cases.js';

// The compiled package (built by `npm run bench`), as users run it; the types come from src.
const dist = (path: string) => new URL(`../dist/${path}`, import.meta.url).href;
const { systemClock } = (await import(dist('engine/clock.js'))) as typeof ClockModule;
const { handlerInvoker } = (await import(dist('engine/local-run.js'))) as typeof LocalRunModule;
const { DurableRunner } = (await import(dist('engine/runner.js'))) as typeof RunnerModule;
const { ExecutionService } = (await import(dist('service/executions.js'))) as typeof ExecutionsModule;
const { openStore } = (await import(dist('stores/open.js'))) as typeof OpenModule;

const [url, caseName, countText, mode] = process.argv.slice(2) as [string, CaseName | 'park', string, string | undefined];
// In a cluster, other processes close some of this process's executions: count from the store.
const clustered = mode === 'cluster';
const count = Number(countText);
const MAX_IN_FLIGHT = 1000;

const store = openStore(url);
await store.migrate();
const baselineRssKiB = Math.round(process.memoryUsage().rss / 1024);
const starts = new Map<string, number>();
const latencies: number[] = [];
let closed = 0;
const waiters: (() => void)[] = [];
const release = () => {
  for (const w of waiters.splice(0)) w();
};
const runner = new DurableRunner({
  store,
  invoker: handlerInvoker({ [TASK_ARN]: enrich }),
  clock: systemClock,
  owner: `bench-${process.pid}`,
  batchSize: 500,
  taskConcurrency: 512,
  pollMs: 5,
  onClosed: (arn) => {
    const t0 = starts.get(arn);
    if (t0 !== undefined) latencies.push(performance.now() - t0);
    starts.delete(arn);
    closed++;
    release();
  },
});
const service = new ExecutionService({ store, clock: systemClock, wake: () => runner.wake() });

const parkDefinition = { StartAt: 'Park', States: { Park: { Type: 'Wait', Seconds: 3600, End: true } } };
const definition = JSON.stringify(caseName === 'park' ? parkDefinition : CASES[caseName].definition(TASK_ARN));
const input = (i: number) => JSON.stringify(caseName === 'park' ? {} : CASES[caseName].input(i));

runner.start();
const t0 = performance.now();
// Start executions as fast as the engine takes them: several start calls outstanding at once
// (a database round trip each), never more than MAX_IN_FLIGHT executions running.
let next = 0;
let running = 0;
async function refreshRunning(): Promise<void> {
  running = (await store.listExecutions({ status: 'RUNNING', limit: MAX_IN_FLIGHT + 1 })).length;
}
const inFlight = () => (clustered ? running : next - closed);
async function starter(): Promise<void> {
  while (next < count) {
    if (caseName !== 'park' && inFlight() >= MAX_IN_FLIGHT) {
      if (clustered) {
        await new Promise((r) => setTimeout(r, 20));
        await refreshRunning();
      } else await new Promise<void>((r) => waiters.push(r));
      continue;
    }
    const i = next++;
    if (clustered) running++;
    const started = performance.now();
    const { executionArn } = await service.startExecution({
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Bench',
      definition,
      name: `p${process.pid}-e${i}`,
      input: input(i % 1000),
    });
    if (!starts.has(executionArn) && latencies.length < count) starts.set(executionArn, started);
  }
}
await Promise.all(Array.from({ length: 16 }, () => starter()));
if (caseName === 'park') {
  // Parked: every execution has entered its Wait and nothing is due for an hour.
  for (;;) {
    const due = await store.nextDueAt(Date.now());
    if (due !== undefined && due > Date.now() + 60_000) break;
    await new Promise((r) => setTimeout(r, 50));
  }
} else {
  if (clustered) {
    for (;;) {
      await refreshRunning();
      if (running === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  } else while (closed < count) await new Promise<void>((r) => waiters.push(r));
}
const seconds = (performance.now() - t0) / 1000;
await runner.stop();
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
const transitionsPerExecution = caseName === 'park' ? 1 : CASES[caseName].transitionsPerExecution;
process.stdout.write(
  JSON.stringify({
    executions: count,
    seconds,
    executionsPerSecond: count / seconds,
    transitionsPerSecond: (count * transitionsPerExecution) / seconds,
    p50: pct(50),
    p99: pct(99),
    maxRssKiB: process.resourceUsage().maxRSS,
    rssNowKiB: Math.round(process.memoryUsage().rss / 1024),
    baselineRssKiB,
  }) + '\n',
);
await store.close();
process.exit(0);

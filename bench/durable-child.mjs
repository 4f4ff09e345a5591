// One durable measurement in its own process, in plain JavaScript so that the process is what a
// user runs (node + the compiled package, no TypeScript loader):
//   node bench/durable-child.mjs <store-url> <case-file.json> <executions> [cluster]
// The case file (written by bench/durable.ts) holds the definition, 1,000 inputs, and the
// transitions per execution. Starts <executions> executions through the execution service (at
// most 1,000 in flight), runs them with the durable runner, and prints one JSON line: executions/s,
// transitions/s, latency percentiles (start to terminal status), RSS. A case named "park" waits
// an hour: it reports the RSS once every execution is parked.
import { readFileSync } from 'node:fs';
import { systemClock } from '../dist/engine/clock.js';
import { handlerInvoker } from '../dist/engine/local-run.js';
import { DurableRunner } from '../dist/engine/runner.js';
import { ExecutionService } from '../dist/service/executions.js';
import { openStore } from '../dist/stores/open.js';

const [url, caseFile, countText, mode] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(caseFile, 'utf8'));
const count = Number(countText);
const park = spec.name === 'park';
const clustered = mode === 'cluster';
const MAX_IN_FLIGHT = 1000;
const TASK_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:Enrich';

const store = openStore(url);
await store.migrate();
const baselineRssKiB = Math.round(process.memoryUsage().rss / 1024);
const starts = new Map();
const latencies = [];
let closed = 0;
const waiters = [];
const release = () => {
  for (const w of waiters.splice(0)) w();
};
const runner = new DurableRunner({
  store,
  invoker: handlerInvoker({ [TASK_ARN]: (input) => ({ ...input, processed: true }) }),
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
const definition = JSON.stringify(spec.definition);

runner.start();
const t0 = performance.now();
let next = 0;
let running = 0;
const refreshRunning = async () => {
  running = (await store.listExecutions({ status: 'RUNNING', limit: MAX_IN_FLIGHT + 1 })).length;
};
const inFlight = () => (clustered ? running : next - closed);
async function starter() {
  while (next < count) {
    if (!park && inFlight() >= MAX_IN_FLIGHT) {
      if (clustered) {
        await new Promise((r) => setTimeout(r, 20));
        await refreshRunning();
      } else await new Promise((r) => waiters.push(r));
      continue;
    }
    const i = next++;
    if (clustered) running++;
    const started = performance.now();
    const { executionArn } = await service.startExecution({
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Bench',
      definition,
      name: `p${process.pid}-e${i}`,
      input: JSON.stringify(spec.inputs[i % spec.inputs.length]),
    });
    starts.set(executionArn, started);
  }
}
await Promise.all(Array.from({ length: 16 }, () => starter()));
if (park) {
  // Parked: every execution has entered its Wait and nothing is due for an hour.
  for (;;) {
    const due = await store.nextDueAt(Date.now());
    if (due !== undefined && due > Date.now() + 60_000) break;
    await new Promise((r) => setTimeout(r, 50));
  }
} else if (clustered) {
  for (;;) {
    await refreshRunning();
    if (running === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
} else while (closed < count) await new Promise((r) => waiters.push(r));
const seconds = (performance.now() - t0) / 1000;
await runner.stop();
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
process.stdout.write(
  JSON.stringify({
    executions: count,
    seconds,
    executionsPerSecond: count / seconds,
    transitionsPerSecond: (count * spec.transitionsPerExecution) / seconds,
    p50: pct(50),
    p99: pct(99),
    maxRssKiB: process.resourceUsage().maxRSS,
    rssNowKiB: Math.round(process.memoryUsage().rss / 1024),
    baselineRssKiB,
  }) + '\n',
);
await store.close();
process.exit(0);

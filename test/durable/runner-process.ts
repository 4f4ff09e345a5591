/**
 * A Stepwise runner in its own process, for crash and cluster tests:
 *   node --import tsx test/durable/runner-process.ts <store-url> <owner> <leaseMs> <taskDelayMs>
 * It prints "ready" once running; SIGTERM stops it gracefully, SIGKILL is what the tests use.
 */
import { systemClock } from '../../src/engine/clock.js';
import { handlerInvoker } from '../../src/engine/local-run.js';
import { DurableRunner } from '../../src/engine/runner.js';
import { openStore } from '../../src/stores/open.js';
import { handlers } from './shapes.js';

const [url, owner, leaseMs, delayMs] = process.argv.slice(2) as [string, string, string, string];
const store = openStore(url);
await store.migrate();
const runner = new DurableRunner({
  store,
  invoker: handlerInvoker(handlers(Number(delayMs))),
  clock: systemClock,
  owner,
  leaseMs: Number(leaseMs),
  taskLeaseMs: Number(leaseMs),
  pollMs: 20,
  batchSize: 100,
});
runner.start();
process.on('SIGTERM', () => {
  setTimeout(() => process.exit(1), 5000).unref();
  void runner.stop().then(async () => {
    await store.close();
    process.exit(0);
  });
});
// A runner whose test process died must not linger.
process.on('disconnect', () => process.exit(1));
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(1);
  }
}, 1000).unref();
console.log('ready');

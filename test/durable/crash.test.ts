/**
 * Crash recovery: 500 executions of mixed shapes run in a separate runner process that is
 * killed with SIGKILL several times at random moments and restarted. Every execution must reach
 * exactly the status and output it reaches without kills, and its history must have no
 * duplicated or missing transition (its event sequence equals the undisturbed one).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, systemClock } from '../../src/engine/clock.js';
import { runLocal } from '../../src/engine/local-run.js';
import type { HistoryEvent } from '../../src/engine/types.js';
import { ExecutionService } from '../../src/service/executions.js';
import { canonicalSketch } from '../conformance/compare.js';
import { handlers, inputFor, SHAPES } from './shapes.js';
import { kill, prng, startRunner, type RunnerProcess } from './processes.js';
import { postgresOrSkip, postgresStore, sqliteStore, type TestStore } from './stores.js';

const PER_SHAPE = 100;
const LEASE_MS = 800;
const TASK_DELAY_MS = 40;

function sketch(history: HistoryEvent[]): string[] {
  return canonicalSketch(
    history.map((e) => {
      const name = (e.details as { name?: unknown } | undefined)?.name;
      return /State(Entered|Exited)$/.test(e.type) && typeof name === 'string' ? `${e.type}:${name}` : e.type;
    }),
  );
}

async function expectedOutcomes(): Promise<Map<string, { status: string; output: string | undefined; sketch: string[] }>> {
  const out = new Map<string, { status: string; output: string | undefined; sketch: string[] }>();
  for (const shape of Object.keys(SHAPES)) {
    for (let i = 0; i < PER_SHAPE; i++) {
      const r = await runLocal(SHAPES[shape] as object, inputFor(shape, i), { handlers: handlers(0), clock: new FakeClock() });
      out.set(`${shape}-${i}`, { status: r.status, output: r.output, sketch: sketch(r.history) });
    }
  }
  return out;
}

/** Kill the runner with SIGKILL four times at random moments, restart it, wait for every execution to close. */
async function killRestartAndWait(ts: TestStore, random: () => number, holder: { runner: RunnerProcess }): Promise<void> {
  for (let k = 1; k <= 4; k++) {
    await new Promise((r) => setTimeout(r, 200 + random() * 1200));
    await kill(holder.runner, 'SIGKILL');
    await new Promise((r) => setTimeout(r, random() * 300));
    holder.runner = await startRunner(ts.url, `crashy-${k}`, LEASE_MS, TASK_DELAY_MS);
  }
  const deadline = Date.now() + 120_000;
  while ((await ts.store.listExecutions({ status: 'RUNNING', limit: 1 })).length > 0) {
    if (Date.now() > deadline) throw new Error('executions still running two minutes after the last restart');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function crashScenario(ts: TestStore, seed: number): Promise<void> {
  const expected = await expectedOutcomes();
  const service = new ExecutionService({ store: ts.store, clock: systemClock });
  const random = prng(seed);
  const runner: RunnerProcess = await startRunner(ts.url, 'crashy-0', LEASE_MS, TASK_DELAY_MS);
  const arns = new Map<string, string>();
  for (const shape of Object.keys(SHAPES)) {
    for (let i = 0; i < PER_SHAPE; i++) {
      const { executionArn } = await service.startExecution({
        stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:${shape}`,
        definition: JSON.stringify(SHAPES[shape]),
        name: `${shape}-${i}`,
        input: JSON.stringify(inputFor(shape, i)),
      });
      arns.set(`${shape}-${i}`, executionArn);
    }
  }
  const holder = { runner };
  try {
    await killRestartAndWait(ts, random, holder);
  } finally {
    await kill(holder.runner, 'SIGKILL');
  }
  const wrong: string[] = [];
  for (const [key, arn] of arns) {
    const rec = await service.describeExecution(arn);
    const exp = expected.get(key) as { status: string; output: string | undefined; sketch: string[] };
    if (rec.status !== exp.status || rec.output !== exp.output) wrong.push(`${key}: ${rec.status} ${rec.output ?? ''} (expected ${exp.status} ${exp.output ?? ''})`);
    const history = await ts.store.getHistory(arn);
    if (JSON.stringify(sketch(history)) !== JSON.stringify(exp.sketch)) wrong.push(`${key}: history differs from an undisturbed run`);
    if (history.some((e, idx) => e.id !== idx + 1)) wrong.push(`${key}: event ids are not 1..n`);
  }
  expect(arns.size).toBe(PER_SHAPE * Object.keys(SHAPES).length);
  expect(wrong, wrong.slice(0, 10).join('\n')).toEqual([]);
}

describe('crash recovery: SIGKILL at random moments loses nothing and duplicates nothing', () => {
  let ts: TestStore | undefined;
  afterEach(async () => {
    await ts?.cleanup();
    ts = undefined;
  });

  it('on SQLite', async () => {
    ts = await sqliteStore();
    await crashScenario(ts, 42);
  }, 240_000);

  it('on PostgreSQL', async (ctx) => {
    if (!(await postgresOrSkip())) return ctx.skip();
    ts = await postgresStore();
    await crashScenario(ts, 7);
  }, 240_000);
});

/**
 * A cluster on PostgreSQL: three runner processes share one database; one is killed mid-flight.
 * The others take over its executions once its leases expire, and every execution finishes with
 * the outcome and history it has without the kill. No step runs twice: histories have no
 * duplicated transition.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, systemClock } from '../../src/engine/clock.js';
import { runLocal } from '../../src/engine/local-run.js';
import type { HistoryEvent } from '../../src/engine/types.js';
import { ExecutionService } from '../../src/service/executions.js';
import { canonicalSketch } from '../conformance/compare.js';
import { handlers, inputFor, SHAPES } from './shapes.js';
import { kill, startRunner, type RunnerProcess } from './processes.js';
import { postgresOrSkip, postgresStore, type TestStore } from './stores.js';

const PER_SHAPE = 40;
const LEASE_MS = 800;

function sketch(history: HistoryEvent[]): string[] {
  return canonicalSketch(
    history.map((e) => {
      const name = (e.details as { name?: unknown } | undefined)?.name;
      return /State(Entered|Exited)$/.test(e.type) && typeof name === 'string' ? `${e.type}:${name}` : e.type;
    }),
  );
}

describe('a cluster of three processes on PostgreSQL', () => {
  let ts: TestStore | undefined;
  const runners: RunnerProcess[] = [];
  afterEach(async () => {
    for (const r of runners) await kill(r, 'SIGKILL');
    runners.length = 0;
    await ts?.cleanup();
    ts = undefined;
  });

  it('finishes every execution correctly when one process is killed mid-flight', async (ctx) => {
    if (!(await postgresOrSkip())) return ctx.skip();
    ts = await postgresStore();
    for (let i = 0; i < 3; i++) runners.push(await startRunner(ts.url, `node-${i}`, LEASE_MS, 40));
    const service = new ExecutionService({ store: ts.store, clock: systemClock });
    const expected = new Map<string, { status: string; output: string | undefined; sketch: string[] }>();
    const arns = new Map<string, string>();
    for (const shape of Object.keys(SHAPES)) {
      for (let i = 0; i < PER_SHAPE; i++) {
        const key = `${shape}-${i}`;
        const r = await runLocal(SHAPES[shape] as object, inputFor(shape, i), { handlers: handlers(0), clock: new FakeClock() });
        expected.set(key, { status: r.status, output: r.output, sketch: sketch(r.history) });
        const { executionArn } = await service.startExecution({
          stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:${shape}`,
          definition: JSON.stringify(SHAPES[shape]),
          name: key,
          input: JSON.stringify(inputFor(shape, i)),
        });
        arns.set(key, executionArn);
      }
    }
    await new Promise((r) => setTimeout(r, 700));
    await kill(runners[1] as RunnerProcess, 'SIGKILL');
    const deadline = Date.now() + 90_000;
    while ((await ts.store.listExecutions({ status: 'RUNNING', limit: 1 })).length > 0) {
      if (Date.now() > deadline) throw new Error('executions still running 90 s after the kill');
      await new Promise((r) => setTimeout(r, 200));
    }
    const wrong: string[] = [];
    for (const [key, arn] of arns) {
      const rec = await service.describeExecution(arn);
      const exp = expected.get(key) as { status: string; output: string | undefined; sketch: string[] };
      if (rec.status !== exp.status || rec.output !== exp.output) wrong.push(`${key}: ${rec.status} ${rec.output ?? ''}`);
      if (JSON.stringify(sketch(await ts.store.getHistory(arn))) !== JSON.stringify(exp.sketch)) wrong.push(`${key}: history differs`);
    }
    expect(wrong, wrong.slice(0, 10).join('\n')).toEqual([]);
  }, 180_000);
});

/**
 * The service-free executions recorded against AWS, run durably: started through the execution
 * service, stepped by the runner, every step committed to the store, the snapshot reloaded from
 * it each time. Outcomes and the stored history must match AWS as the in-memory engine does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/clock.js';
import { handlerInvoker } from '../../src/engine/local-run.js';
import { DurableRunner, drainWithClock } from '../../src/engine/runner.js';
import { ExecutionService } from '../../src/service/executions.js';
import { canonicalSketch, compareOutcome } from '../conformance/compare.js';
import { loadCases, serviceFree } from '../conformance/cases.js';
import { postgresOrSkip, postgresStore, sqliteStore, type TestStore } from './stores.js';

const cases = loadCases();

const STORES: { name: string; open: () => Promise<TestStore | undefined> }[] = [
  { name: 'SQLite', open: sqliteStore },
  { name: 'PostgreSQL', open: async () => ((await postgresOrSkip()) ? postgresStore() : undefined) },
];

for (const kind of STORES) {
  describe.skipIf(!cases)(`recorded AWS executions run through the durable store (${kind.name})`, () => {
    let ts: TestStore | undefined;
    beforeAll(async () => {
      ts = await kind.open();
    });
    afterAll(async () => ts?.cleanup());

    it('reproduces the outcome and the history sketch of every service-free case', async (ctx) => {
      if (!ts) return ctx.skip();
      const store = ts.store;
      const clock = new FakeClock(Date.UTC(2026, 0, 1));
      const runner = new DurableRunner({ store, invoker: handlerInvoker({}), clock, owner: 'conformance' });
      const service = new ExecutionService({ store, clock });
      const selected = serviceFree(cases ?? []);
      const failures: string[] = [];
      let sketches = 0;
      for (const [i, c] of selected.entries()) {
        if (c.stateMachineType !== 'STANDARD') continue;
        const { executionArn } = await service.startExecution({
          stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:Case${i}`,
          definition: JSON.stringify(c.definition),
          name: `case-${i}`,
          input: JSON.stringify(c.input),
        });
        await drainWithClock(runner, store, clock);
        const rec = await service.describeExecution(executionArn);
        const diffs = compareOutcome(c, { status: rec.status, output: rec.output, error: rec.error, cause: rec.cause });
        if (diffs.length) failures.push(`${c.id}: ${diffs[0]}`);
        if (c.historySketch) {
          sketches++;
          const history = await store.getHistory(executionArn);
          const ours = canonicalSketch(
            history.map((e) => {
              const name = (e.details as { name?: unknown } | undefined)?.name;
              return /State(Entered|Exited)$/.test(e.type) && typeof name === 'string' ? `${e.type}:${name}` : e.type;
            }),
          );
          const theirs = canonicalSketch(c.historySketch);
          if (JSON.stringify(ours) !== JSON.stringify(theirs)) failures.push(`${c.id}: history differs`);
          expect(history.map((e) => e.id)).toEqual(history.map((_, k) => k + 1));
        }
      }
      expect(sketches).toBeGreaterThan(200);
      expect(failures, failures.slice(0, 10).join('\n')).toEqual([]);
    }, 180_000);
  });
}

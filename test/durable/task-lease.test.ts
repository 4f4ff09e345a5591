/**
 * Task leases are renewed while the task runs: a task that takes longer than its lease is not
 * dispatched a second time by another runner.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/engine/clock.js';
import { handlerInvoker } from '../../src/engine/local-run.js';
import { DurableRunner } from '../../src/engine/runner.js';
import { ExecutionService } from '../../src/service/executions.js';
import { sqliteStore, type TestStore } from './stores.js';

const SLOW = 'arn:aws:lambda:us-east-1:123456789012:function:slow';

describe('task lease renewal', () => {
  let ts: TestStore | undefined;
  const runners: DurableRunner[] = [];
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.stop();
    await ts?.cleanup();
  });

  it('runs a task that outlives its lease exactly once, with two runners competing', async () => {
    ts = await sqliteStore();
    let calls = 0;
    const invoker = handlerInvoker({
      [SLOW]: async (input) => {
        calls++;
        await new Promise((r) => setTimeout(r, 1200));
        return input;
      },
    });
    for (const owner of ['a', 'b']) {
      runners.push(new DurableRunner({ store: ts.store, invoker, clock: systemClock, owner, taskLeaseMs: 300, leaseMs: 300, pollMs: 20 }));
    }
    const service = new ExecutionService({ store: ts.store, clock: systemClock });
    const definition = JSON.stringify({ StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: SLOW, End: true } } });
    const { executionArn } = await service.startExecution({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Slow', definition, input: '{"v":1}' });
    for (const r of runners) r.start();
    const deadline = Date.now() + 15_000;
    while ((await service.describeExecution(executionArn)).status === 'RUNNING') {
      if (Date.now() > deadline) throw new Error('the execution did not finish');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await service.describeExecution(executionArn)).output).toBe('{"v":1}');
    expect(calls).toBe(1);
  }, 20_000);
});

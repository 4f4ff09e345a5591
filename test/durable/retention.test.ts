/** Retention: closed executions are kept 90 days by default, then deleted with their history. */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/clock.js';
import { handlerInvoker } from '../../src/engine/local-run.js';
import { DurableRunner, drainWithClock } from '../../src/engine/runner.js';
import { ExecutionService } from '../../src/service/executions.js';
import { sqliteStore, type TestStore } from './stores.js';

const pass = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
const parked = JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 200 * 86_400, End: true } } });

describe('retention of closed executions', () => {
  let ts: TestStore | undefined;
  afterEach(async () => ts?.cleanup());

  it('deletes executions closed more than 90 days ago, with their history, and keeps running and recent ones', async () => {
    ts = await sqliteStore();
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const runner = new DurableRunner({ store: ts.store, invoker: handlerInvoker({}), clock, owner: 'r' });
    const service = new ExecutionService({ store: ts.store, clock });
    const machine = 'arn:aws:states:us-east-1:123456789012:stateMachine:M';
    const old = await service.startExecution({ stateMachineArn: machine, definition: pass, name: 'old' });
    const waiting = await service.startExecution({ stateMachineArn: machine, definition: parked, name: 'waiting' });
    await runner.runOnce();
    clock.advance(91 * 86_400_000);
    const recent = await service.startExecution({ stateMachineArn: machine, definition: pass, name: 'recent' });
    await runner.runOnce();

    expect(await runner.sweepRetention()).toBe(1);
    expect(await ts.store.getExecution(old.executionArn)).toBeUndefined();
    expect(await ts.store.getHistory(old.executionArn)).toEqual([]);
    expect((await ts.store.getExecution(recent.executionArn))?.status).toBe('SUCCEEDED');
    expect((await ts.store.getExecution(waiting.executionArn))?.status).toBe('RUNNING');
    await drainWithClock(runner, ts.store, clock);
    expect((await ts.store.getExecution(waiting.executionArn))?.status).toBe('SUCCEEDED');
  });
});

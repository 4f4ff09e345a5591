/** Express executions run in memory: no stored execution or history; their history reaches only the log hook. */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/clock.js';
import { handlerInvoker } from '../../src/engine/local-run.js';
import type { HistoryEvent } from '../../src/engine/types.js';
import { ExecutionService } from '../../src/service/executions.js';
import { sqliteStore, type TestStore } from './stores.js';

const TASK = 'arn:aws:lambda:us-east-1:123456789012:function:double';
const machine = JSON.stringify({
  StartAt: 'Double',
  States: { Double: { Type: 'Task', Resource: TASK, Next: 'Pause' }, Pause: { Type: 'Wait', Seconds: 5, End: true } },
});
const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:Fast';

describe('Express executions', () => {
  let ts: TestStore | undefined;
  afterEach(async () => ts?.cleanup());

  it('StartSyncExecution returns the outcome, stores nothing, and hands the history to the log hook', async () => {
    ts = await sqliteStore();
    const logged: HistoryEvent[][] = [];
    const service = new ExecutionService({
      store: ts.store,
      clock: new FakeClock(),
      expressInvoker: handlerInvoker({ [TASK]: (input) => ({ n: (input as { n: number }).n * 2 }) }),
      onExpressHistory: (_arn, events) => logged.push(events),
    });
    const r = await service.startSyncExecution({ stateMachineArn: arn, definition: machine, type: 'EXPRESS', input: '{"n":21}' });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toBe('{"n":42}');
    expect(r.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:Fast:[^:]+:[0-9a-f-]{36}$/);
    expect(await ts.store.listExecutions({ limit: 10 })).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(logged[0]?.map((e) => e.type)).toContain('ExecutionSucceeded');
  });

  it('refuses StartSyncExecution for a Standard machine with StateMachineTypeNotSupported', async () => {
    ts = await sqliteStore();
    const service = new ExecutionService({ store: ts.store, clock: new FakeClock() });
    await expect(service.startSyncExecution({ stateMachineArn: arn, definition: machine, type: 'STANDARD' })).rejects.toMatchObject({
      code: 'StateMachineTypeNotSupported',
    });
  });

  it('fails an Express execution that runs past five minutes with States.Timeout', async () => {
    ts = await sqliteStore();
    const service = new ExecutionService({ store: ts.store, clock: new FakeClock() });
    const long = JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, End: true } } });
    const r = await service.startSyncExecution({ stateMachineArn: arn, definition: long, type: 'EXPRESS' });
    expect(r.status).toBe('TIMED_OUT');
    expect(r.error).toBe('States.Timeout');
  });
});

/** The context object `$$`: execution, state, Map item and task-token fields (AWS "Context object" page). */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/lib/json.js';
import type { TaskRequest } from '../../src/engine/types.js';
import { FN, T0, fakeClock, machine, outputOf, run, scripted } from './helpers.js';

describe('$$.Execution and $$.StateMachine', () => {
  it('exposes the execution ARN, name, original input and start time (ISO 8601)', async () => {
    const def = machine({
      Reshape: { Type: 'Pass', Result: { replaced: true }, Next: 'Read' },
      Read: {
        Type: 'Pass',
        Parameters: {
          'id.$': '$$.Execution.Id',
          'name.$': '$$.Execution.Name',
          'input.$': '$$.Execution.Input',
          'start.$': '$$.Execution.StartTime',
          'machineId.$': '$$.StateMachine.Id',
          'machineName.$': '$$.StateMachine.Name',
        },
        End: true,
      },
    });
    const r = await run(def, { original: 1 }, { clock: fakeClock(), name: 'exec-1', stateMachineName: 'Orders' });
    expect(outputOf(r)).toEqual({
      id: 'arn:aws:states:us-east-1:123456789012:execution:Orders:exec-1',
      name: 'exec-1',
      // The original execution input, not the (replaced) input of the current state.
      input: { original: 1 },
      start: new Date(T0).toISOString(),
      machineId: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders',
      machineName: 'Orders',
    });
  });
});

describe('$$.State', () => {
  it('names the current state and the time it was entered', async () => {
    const def = machine({
      Pause: { Type: 'Wait', Seconds: 30, Next: 'Read' },
      Read: { Type: 'Pass', Parameters: { 'name.$': '$$.State.Name', 'entered.$': '$$.State.EnteredTime' }, End: true },
    });
    const r = await run(def, {}, { clock: fakeClock() });
    expect(outputOf(r)).toEqual({ name: 'Read', entered: new Date(T0 + 30_000).toISOString() });
  });

  it('State.RetryCount counts the retries of the current Task: 0, 1, 2', async () => {
    const h = scripted(['Flaky', 'Flaky']);
    const def = machine({
      Work: {
        Type: 'Task',
        Resource: FN,
        Parameters: { 'retry.$': '$$.State.RetryCount' },
        Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 1 }],
        End: true,
      },
    });
    const r = await run(def, {}, { handlers: { [FN]: h } });
    expect(r.status).toBe('SUCCEEDED');
    expect(h.calls).toEqual([{ retry: 0 }, { retry: 1 }, { retry: 2 }]);
  });

  it('State.RetryCount starts again at 0 in the next Task', async () => {
    const first = scripted(['Flaky']);
    const second = scripted([]);
    const other = 'arn:aws:lambda:us-east-1:123456789012:function:other';
    const def = machine({
      A: { Type: 'Task', Resource: FN, Parameters: { 'retry.$': '$$.State.RetryCount' }, Retry: [{ ErrorEquals: ['States.ALL'] }], Next: 'B' },
      B: { Type: 'Task', Resource: other, Parameters: { 'retry.$': '$$.State.RetryCount' }, End: true },
    });
    await run(def, {}, { handlers: { [FN]: first, [other]: second } });
    expect(first.calls).toEqual([{ retry: 0 }, { retry: 1 }]);
    expect(second.calls).toEqual([{ retry: 0 }]);
  });
});

describe('$$.Map.Item in ItemSelector', () => {
  it('gives each iteration its 0-based index and its item value', async () => {
    const def = machine({
      Each: {
        Type: 'Map',
        ItemsPath: '$.list',
        ItemSelector: { 'index.$': '$$.Map.Item.Index', 'value.$': '$$.Map.Item.Value', 'tag.$': '$.tag' },
        ItemProcessor: { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } },
        End: true,
      },
    });
    const r = await run(def, { list: ['a', 'b', 'c'], tag: 'T' });
    expect(outputOf(r)).toEqual([
      { index: 0, value: 'a', tag: 'T' },
      { index: 1, value: 'b', tag: 'T' },
      { index: 2, value: 'c', tag: 'T' },
    ]);
  });
});

describe('$$.Task.Token for .waitForTaskToken', () => {
  it('hands the task a token through Parameters, the same one the task request carries', async () => {
    let request: TaskRequest | undefined;
    let seen: Json | undefined;
    const resource = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
    const def = machine({
      Ask: { Type: 'Task', Resource: resource, Parameters: { 'token.$': '$$.Task.Token', q: 'x' }, End: true },
    });
    const r = await run(def, {}, {
      handlers: {
        [resource]: (input, req) => {
          seen = input;
          request = req;
          return { answered: true };
        },
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(typeof request?.taskToken).toBe('string');
    expect(request?.taskToken).not.toBe('');
    expect(seen).toEqual({ token: request?.taskToken, q: 'x' });
    expect(outputOf(r)).toEqual({ answered: true });
  });

  it('each attempt of a retried .waitForTaskToken task gets a fresh token', async () => {
    const tokens: (string | undefined)[] = [];
    const resource = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
    const def = machine({
      Ask: { Type: 'Task', Resource: resource, Parameters: { 'token.$': '$$.Task.Token' }, Retry: [{ ErrorEquals: ['States.ALL'] }], End: true },
    });
    let n = 0;
    await run(def, {}, {
      handlers: {
        [resource]: (_input, req) => {
          tokens.push(req.taskToken);
          if (++n === 1) throw new Error('first attempt fails');
          return 'done';
        },
      },
    });
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).not.toBe(tokens[1]);
  });
});

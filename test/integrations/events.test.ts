/** events:putEvents: entries onto the local bus, each checked as EventBridge checks it. */
import { describe, expect, it } from 'vitest';
import { runLocal, type TaskInvoker } from '../../src/engine/local-run.js';
import { eventsInvoker, MemoryEventBus } from '../../src/integrations/events.js';

const T = Date.UTC(2026, 10, 26, 12, 0, 0, 345);
const none: TaskInvoker = { invoke: () => Promise.reject(new Error('not this resource')) };
const machine = { StartAt: 'Put', States: { Put: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { 'Entries.$': '$' }, End: true } } };

function run(entries: unknown) {
  const bus = new MemoryEventBus();
  const invoker = eventsInvoker(bus, { region: 'eu-west-1', account: '123456789012', now: () => T }, none);
  return runLocal(machine, entries, { invoker }).then((r) => ({ r, bus }));
}

describe('events:putEvents', () => {
  it('puts well-formed entries on the bus with EventBridge’s event shape and answers their ids', async () => {
    const { r, bus } = await run([
      { Source: 'my.app', DetailType: 'order', Detail: '{"id":1}' },
      { Source: 'my.app', DetailType: 'order', Detail: { id: 2 }, EventBusName: 'orders', Resources: ['arn:x'] },
    ]);
    expect(r.status).toBe('SUCCEEDED');
    const out = JSON.parse(r.output!) as { Entries: { EventId: string }[]; FailedEntryCount: number };
    expect(out.FailedEntryCount).toBe(0);
    expect(bus.events.map((e) => e.id)).toEqual(out.Entries.map((e) => e.EventId));
    expect(bus.events[0]).toMatchObject({ version: '0', source: 'my.app', 'detail-type': 'order', detail: { id: 1 }, account: '123456789012', region: 'eu-west-1', time: '2026-11-26T12:00:00Z', eventBusName: 'default', resources: [] });
    expect(bus.events[1]).toMatchObject({ detail: { id: 2 }, eventBusName: 'orders', resources: ['arn:x'] });
  });

  it('fails the task with EventBridge.FailedEntry and the response as cause when an entry is refused; the good ones are put', async () => {
    const { r, bus } = await run([
      { Source: 'my.app', DetailType: 'ok', Detail: '{}' },
      { DetailType: 'no-source', Detail: '{}' },
      { Source: 'my.app', DetailType: 'bad', Detail: '"just a string"' },
      { Source: 'my.app', DetailType: 'bad', Detail: '{not json' },
    ]);
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('EventBridge.FailedEntry');
    const cause = JSON.parse(r.cause!) as { Entries: Record<string, string>[]; FailedEntryCount: number };
    expect(cause.FailedEntryCount).toBe(3);
    expect(cause.Entries.slice(1)).toEqual([
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
    ]);
    expect(bus.events.map((e) => e['detail-type'])).toEqual(['ok']);
  });

  it('refuses more than ten entries with a ValidationException', async () => {
    const { r } = await run(Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' })));
    expect(r.error).toBe('EventBridge.ValidationException');
  });
});

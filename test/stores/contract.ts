/**
 * The Store contract: one behaviour suite that every adapter (sqlite, postgres) must pass on a real
 * database. Each adapter's test file calls `storeContract` with a factory for fresh storage.
 *
 * `open` must return a store over fresh, empty storage that has NOT been migrated yet (the suite
 * calls `migrate` itself, so it can test migrating fresh storage), and a `cleanup` that closes the
 * store and removes the storage.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventItem, ExecutionRecord, Json, ResourceRecord, StepCommit, Store, TaskItem, WorkItem } from '../../src/engine/store.js';
import type { EngineEvent, ExecutionStatus, HistoryEvent, Snapshot } from '../../src/engine/types.js';

export type OpenStore = () => Promise<{ store: Store; cleanup: () => Promise<void> }>;

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';
const OTHER_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:billing';
const DEFINITION = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

function arnOf(name: string, machine = MACHINE): string {
  return `${machine.replace(':stateMachine:', ':execution:')}:${name}`;
}

function snapshotOf(executionArn: string, startTime: number, lastEventId = 1): Snapshot {
  return {
    meta: {
      executionArn,
      stateMachineArn: MACHINE,
      stateMachineName: 'orders',
      name: executionArn.split(':').pop() ?? '',
      roleArn: 'arn:aws:iam::123456789012:role/orders',
      type: 'STANDARD',
      startTime,
      input: { order: 42, items: ['a', 'b'], nested: { ok: true, none: null } },
      redriveCount: 0,
      region: 'us-east-1',
      account: '123456789012',
    },
    status: 'RUNNING',
    frames: {},
    nextFrameId: 1,
    lastEventId,
    output: undefined,
    error: undefined,
    cause: undefined,
    stopTime: undefined,
    transitions: 0,
  };
}

function recordOf(name: string, opts: { startTime?: number; machine?: string; status?: ExecutionStatus; stopTime?: number; input?: string } = {}): ExecutionRecord {
  const machine = opts.machine ?? MACHINE;
  const executionArn = arnOf(name, machine);
  const startTime = opts.startTime ?? T0;
  const status = opts.status ?? 'RUNNING';
  const closed = status !== 'RUNNING';
  return {
    executionArn,
    stateMachineArn: machine,
    name,
    type: 'STANDARD',
    status,
    startTime,
    stopTime: closed ? (opts.stopTime ?? startTime + 1000) : undefined,
    input: opts.input ?? '{"order":42}',
    output: status === 'SUCCEEDED' ? '{"done":true}' : undefined,
    error: status === 'FAILED' ? 'States.TaskFailed' : undefined,
    cause: status === 'FAILED' ? 'boom' : undefined,
    definition: DEFINITION,
    snapshot: closed ? undefined : snapshotOf(executionArn, startTime),
    version: 0,
    redriveCount: 0,
    redriveDate: undefined,
  };
}

function eventItem(executionArn: string, id: string, dueAt: number, payload: EngineEvent = { kind: 'start' }): EventItem {
  return { id: `${executionArn}#${id}`, executionArn, kind: 'event', dueAt, payload };
}

function taskItem(executionArn: string, id: string, dueAt: number, input: TaskItem['payload']['input'] = { n: 1 }): TaskItem {
  return {
    id: `${executionArn}#${id}`,
    executionArn,
    kind: 'task',
    dueAt,
    payload: { frameId: 0, token: 1, stateName: 'Work', resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', input, timeoutSeconds: 30, heartbeatSeconds: undefined, taskToken: undefined, credentials: undefined },
  };
}

function historyEvent(id: number, type: string, details?: Record<string, unknown>): HistoryEvent {
  return { id, previousEventId: id - 1, timestamp: T0 + id, type, details };
}

function commitOf(rec: ExecutionRecord, expectedVersion: number, changes: Partial<StepCommit> = {}): StepCommit {
  return {
    executionArn: rec.executionArn,
    expectedVersion,
    status: 'RUNNING',
    snapshot: snapshotOf(rec.executionArn, rec.startTime, 2 + expectedVersion),
    output: undefined,
    error: undefined,
    cause: undefined,
    stopTime: undefined,
    history: [],
    consumed: [],
    added: [],
    ...changes,
  };
}

const ids = (items: readonly { id: string }[]): string[] => items.map((i) => i.id);
const arns = (items: readonly { record: ExecutionRecord }[]): string[] => items.map((c) => c.record.executionArn);

export function storeContract(name: string, open: OpenStore): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await open());
    });
    afterEach(async () => {
      await cleanup();
    });

    describe('migrate', () => {
      it('two concurrent migrate calls on fresh storage both succeed and leave a working schema', async () => {
        await Promise.all([store.migrate(), store.migrate()]);
        const rec = recordOf('after-concurrent-migrate');
        expect(await store.createExecution(rec, [])).toEqual({ created: true });
        expect(await store.getExecution(rec.executionArn)).toEqual(rec);
      });

      it('migrating again is harmless and keeps existing data', async () => {
        await store.migrate();
        const rec = recordOf('kept');
        await store.createExecution(rec, [eventItem(rec.executionArn, 'start', T0)]);
        await store.migrate();
        expect(await store.getExecution(rec.executionArn)).toEqual(rec);
        expect(arns(await store.claimExecutions('a', T0, 1000, 10))).toEqual([rec.executionArn]);
      });
    });

    describe('with a migrated store', () => {
      beforeEach(async () => {
        await store.migrate();
      });

      async function createRunning(name: string, work: (arn: string) => WorkItem[] = (arn) => [eventItem(arn, 'start', T0)], startTime = T0): Promise<ExecutionRecord> {
        const rec = recordOf(name, { startTime });
        expect(await store.createExecution(rec, work(rec.executionArn))).toEqual({ created: true });
        return rec;
      }

      describe('createExecution / getExecution', () => {
        it('round-trips a running record, snapshot included, with absent fields as undefined', async () => {
          const rec = await createRunning('round-trip');
          const got = await store.getExecution(rec.executionArn);
          expect(got).toEqual(rec);
          expect(got?.stopTime).toBeUndefined();
          expect(got?.output).toBeUndefined();
        });

        it('round-trips a closed record with output, error, cause and stop time', async () => {
          const ok = recordOf('ok', { status: 'SUCCEEDED', stopTime: T0 + 5 });
          const bad = recordOf('bad', { status: 'FAILED', stopTime: T0 + 6 });
          await store.createExecution(ok, []);
          await store.createExecution(bad, []);
          expect(await store.getExecution(ok.executionArn)).toEqual(ok);
          expect(await store.getExecution(bad.executionArn)).toEqual(bad);
        });

        it('the same ARN again writes nothing and returns created:false with the existing record', async () => {
          const first = await createRunning('dup');
          const second = { ...recordOf('dup'), input: '{"order":99}' };
          const result = await store.createExecution(second, [eventItem(second.executionArn, 'other', T0 - 10)]);
          expect(result).toEqual({ created: false, existing: first });
          expect(await store.getExecution(first.executionArn)).toEqual(first);
          const [claimed] = await store.claimExecutions('a', T0, 1000, 10);
          expect(ids(claimed?.events ?? [])).toEqual([`${first.executionArn}#start`]);
        });

        it('an unknown ARN reads as undefined', async () => {
          expect(await store.getExecution(arnOf('nope'))).toBeUndefined();
        });
      });

      describe('reopenExecution (RedriveExecution)', () => {
        it('reopens a closed execution at the expected version: RUNNING, outcome cleared, redrive recorded, work inserted and claimable', async () => {
          const failed = { ...recordOf('redrive-me', { status: 'FAILED' }), error: 'Boom', cause: 'why', snapshot: snapshotOf(arnOf('redrive-me'), T0, 7) };
          await store.createExecution(failed, []);
          const snapshot = { ...snapshotOf(failed.executionArn, T0, 7), redriveTokens: [{ token: 't1', date: T0 + 5000 }] };
          const ok = await store.reopenExecution(failed.executionArn, failed.version, { redriveCount: 1, redriveDate: T0 + 5000, snapshot }, [eventItem(failed.executionArn, 'redrive.1', T0 + 5000, { kind: 'redrive' })]);
          expect(ok).toBe(true);
          const got = await store.getExecution(failed.executionArn);
          expect(got).toMatchObject({ status: 'RUNNING', stopTime: undefined, error: undefined, cause: undefined, output: undefined, redriveCount: 1, redriveDate: T0 + 5000, version: failed.version + 1 });
          expect(got?.snapshot).toEqual(snapshot);
          const [claimed] = await store.claimExecutions('a', T0 + 5000, 1000, 10);
          expect(claimed?.events.map((e) => e.payload)).toEqual([{ kind: 'redrive' }]);
        });

        it('refuses a running execution or a stale version, writing nothing', async () => {
          const running = await createRunning('still-running');
          const snap = snapshotOf(running.executionArn, T0);
          expect(await store.reopenExecution(running.executionArn, running.version, { redriveCount: 1, redriveDate: T0, snapshot: snap }, [eventItem(running.executionArn, 'x', T0)])).toBe(false);
          const closed = recordOf('closed-stale', { status: 'ABORTED' });
          await store.createExecution(closed, []);
          expect(await store.reopenExecution(closed.executionArn, closed.version + 1, { redriveCount: 1, redriveDate: T0, snapshot: snap }, [eventItem(closed.executionArn, 'y', T0)])).toBe(false);
          expect(await store.getExecution(closed.executionArn)).toEqual(closed);
          expect(await store.getExecution(running.executionArn)).toEqual(running);
          expect(arns(await store.claimExecutions('a', T0, 1000, 10))).toEqual([running.executionArn]);
        });

        it('listExecutions filters by redriven, and countOpenExecutions counts RUNNING ones up to its limit', async () => {
          const a = recordOf('never', { status: 'FAILED' });
          const b = { ...recordOf('once', { status: 'FAILED', startTime: T0 + 1 }), redriveCount: 1, redriveDate: T0 + 50 };
          await store.createExecution(a, []);
          await store.createExecution(b, []);
          await createRunning('open-1');
          await createRunning('open-2');
          expect((await store.listExecutions({ stateMachineArn: MACHINE, redriven: true, limit: 10 })).map((r) => r.name)).toEqual(['once']);
          expect((await store.listExecutions({ stateMachineArn: MACHINE, redriven: false, limit: 10 })).map((r) => r.name).sort()).toEqual(['never', 'open-1', 'open-2']);
          expect(await store.countOpenExecutions(10)).toBe(2);
          expect(await store.countOpenExecutions(1)).toBe(1);
        });
      });

      describe('claimExecutions', () => {
        it('claims only executions with an event due at now (inclusive)', async () => {
          const rec = await createRunning('later', (arn) => [eventItem(arn, 'timer', T0 + 1000), taskItem(arn, 'task', T0)]);
          expect(await store.claimExecutions('a', T0, 5000, 10)).toEqual([]);
          expect(await store.claimExecutions('a', T0 + 999, 5000, 10)).toEqual([]);
          const claimed = await store.claimExecutions('a', T0 + 1000, 5000, 10);
          expect(arns(claimed)).toEqual([rec.executionArn]);
          expect(claimed[0]?.record).toEqual(rec);
        });

        it('claims only RUNNING executions', async () => {
          const closed = recordOf('closed', { status: 'ABORTED' });
          await store.createExecution(closed, [eventItem(closed.executionArn, 'stop', T0)]);
          const running = await createRunning('running');
          expect(arns(await store.claimExecutions('a', T0, 1000, 10))).toEqual([running.executionArn]);
        });

        it('returns only the due event items, in (dueAt, id) order, never task items', async () => {
          const rec = await createRunning('ordered', (arn) => [
            eventItem(arn, 'b', T0),
            eventItem(arn, 'a', T0),
            eventItem(arn, 'c', T0 - 5, { kind: 'timerFired', frameId: 0, token: 3, purpose: 'wait' }),
            eventItem(arn, 'late', T0 + 10),
            taskItem(arn, 'task', T0 - 100),
          ]);
          const [claimed] = await store.claimExecutions('a', T0, 1000, 10);
          const a = rec.executionArn;
          expect(ids(claimed?.events ?? [])).toEqual([`${a}#c`, `${a}#a`, `${a}#b`]);
          expect(claimed?.events[0]).toEqual(eventItem(a, 'c', T0 - 5, { kind: 'timerFired', frameId: 0, token: 3, purpose: 'wait' }));
        });

        it('a live lease excludes other owners; its own owner may claim again', async () => {
          const rec = await createRunning('leased');
          expect(arns(await store.claimExecutions('a', T0, 1000, 10))).toEqual([rec.executionArn]);
          expect(await store.claimExecutions('b', T0 + 500, 1000, 10)).toEqual([]);
          expect(arns(await store.claimExecutions('a', T0 + 500, 1000, 10))).toEqual([rec.executionArn]);
        });

        it('an expired lease lets another owner claim, and the first owner can no longer commit', async () => {
          const rec = await createRunning('expiring');
          await store.claimExecutions('a', T0, 1000, 10);
          expect(await store.claimExecutions('b', T0 + 999, 1000, 10)).toEqual([]);
          expect(arns(await store.claimExecutions('b', T0 + 1000, 1000, 10))).toEqual([rec.executionArn]);
          expect(await store.commitSteps('a', [commitOf(rec, 0)])).toEqual({ rejected: [rec.executionArn] });
          expect(await store.commitSteps('b', [commitOf(rec, 0)])).toEqual({ rejected: [] });
        });

        it('claims at most `limit` executions; another owner gets the rest', async () => {
          const recs = [await createRunning('x1'), await createRunning('x2'), await createRunning('x3')];
          const first = await store.claimExecutions('a', T0, 1000, 2);
          expect(first).toHaveLength(2);
          const second = await store.claimExecutions('b', T0, 1000, 2);
          expect([...arns(first), ...arns(second)].sort()).toEqual(recs.map((r) => r.executionArn).sort());
        });

        it('returns the record as last committed', async () => {
          const rec = await createRunning('fresh-record');
          await store.claimExecutions('a', T0, 1000, 10);
          const c = commitOf(rec, 0, { added: [eventItem(rec.executionArn, 'next', T0)], consumed: [`${rec.executionArn}#start`] });
          await store.commitSteps('a', [c]);
          const [claimed] = await store.claimExecutions('a', T0, 1000, 10);
          expect(claimed?.record.version).toBe(1);
          expect(claimed?.record.snapshot).toEqual(c.snapshot);
          expect(ids(claimed?.events ?? [])).toEqual([`${rec.executionArn}#next`]);
        });
      });

      describe('commitSteps', () => {
        it('applies an accepted commit: record, version + 1, history, consumed deleted, added inserted', async () => {
          const rec = await createRunning('commit', (arn) => [eventItem(arn, 'start', T0), taskItem(arn, 'old-task', T0)]);
          const a = rec.executionArn;
          await store.claimExecutions('a', T0, 1000, 10);
          const history = [
            historyEvent(1, 'ExecutionStarted', { input: '{"order":42}', inputDetails: { truncated: false }, roleArn: 'r' }),
            historyEvent(2, 'PassStateEntered', { name: 'P', input: '{"order":42}' }),
            historyEvent(3, 'MapRunStarted'),
          ];
          const c = commitOf(rec, 0, {
            history,
            consumed: [`${a}#start`, `${a}#old-task`, `${a}#never-existed`],
            added: [taskItem(a, 'new-task', T0, { big: [1, 2, { deep: 'x' }] }), eventItem(a, 'timer', T0 + 60_000)],
          });
          expect(await store.commitSteps('a', [c])).toEqual({ rejected: [] });
          const got = await store.getExecution(a);
          expect(got).toEqual({ ...rec, version: 1, snapshot: c.snapshot });
          expect(await store.getHistory(a)).toEqual(history);
          expect(await store.claimTasks('w', T0, 1000, 10)).toEqual([taskItem(a, 'new-task', T0, { big: [1, 2, { deep: 'x' }] })]);
          expect(await store.claimExecutions('a', T0 + 59_999, 1000, 10)).toEqual([]);
          expect(ids((await store.claimExecutions('a', T0 + 60_000, 1000, 10))[0]?.events ?? [])).toEqual([`${a}#timer`]);
        });

        it('rejects a wrong version or a foreign lease entirely while the other commits of the call apply', async () => {
          const good = await createRunning('good');
          const stale = await createRunning('stale');
          const foreign = await createRunning('foreign');
          const unleased = await createRunning('unleased');
          await store.claimExecutions('a', T0, 1000, 10);
          await store.releaseExecutions('a', [foreign.executionArn, unleased.executionArn]);
          await store.claimExecutions('b', T0, 1000, 10);
          await store.releaseExecutions('b', [unleased.executionArn]);
          const mutation = (rec: ExecutionRecord, version: number): StepCommit =>
            commitOf(rec, version, {
              history: [historyEvent(1, 'ExecutionStarted')],
              consumed: [`${rec.executionArn}#start`],
              added: [taskItem(rec.executionArn, 'task', T0)],
            });
          const result = await store.commitSteps('a', [mutation(stale, 7), mutation(good, 0), mutation(foreign, 0), mutation(unleased, 0), mutation(recordOf('ghost'), 0)]);
          expect([...result.rejected].sort()).toEqual([stale.executionArn, foreign.executionArn, unleased.executionArn, arnOf('ghost')].sort());
          expect((await store.getExecution(good.executionArn))?.version).toBe(1);
          expect(await store.getHistory(good.executionArn)).toHaveLength(1);
          for (const rec of [stale, foreign, unleased]) {
            expect(await store.getExecution(rec.executionArn)).toEqual(rec);
            expect(await store.getHistory(rec.executionArn)).toEqual([]);
          }
          expect(await store.getExecution(arnOf('ghost'))).toBeUndefined();
          expect((await store.claimTasks('w', T0, 1000, 10)).map((t) => t.executionArn)).toEqual([good.executionArn]);
          await store.releaseExecutions('a', [stale.executionArn]);
          await store.releaseExecutions('b', [foreign.executionArn]);
          const reclaimed = await store.claimExecutions('c', T0, 1000, 10);
          expect(arns(reclaimed).sort()).toEqual([stale.executionArn, foreign.executionArn, unleased.executionArn].sort());
          expect(reclaimed.every((c) => c.events.length === 1)).toBe(true);
        });

        it('appends history in order across steps and a stale second commit is rejected', async () => {
          const rec = await createRunning('history');
          await store.claimExecutions('a', T0, 1000, 10);
          const step1 = [historyEvent(1, 'ExecutionStarted'), historyEvent(2, 'PassStateEntered', { name: 'P' })];
          const step2 = [historyEvent(3, 'PassStateExited', { name: 'P', output: '{"a":[1,2]}' }), historyEvent(4, 'ExecutionSucceeded', { output: '{"a":[1,2]}' })];
          expect(await store.commitSteps('a', [commitOf(rec, 0, { history: step1 })])).toEqual({ rejected: [] });
          expect(await store.commitSteps('a', [commitOf(rec, 0, { history: step2 })])).toEqual({ rejected: [rec.executionArn] });
          expect(await store.commitSteps('a', [commitOf(rec, 1, { history: step2 })])).toEqual({ rejected: [] });
          expect(await store.getHistory(rec.executionArn)).toEqual([...step1, ...step2]);
          expect((await store.getExecution(rec.executionArn))?.version).toBe(2);
        });

        it('ignores an added item whose id already exists (the first payload is kept)', async () => {
          const rec = await createRunning('dup-work', (arn) => [eventItem(arn, 'start', T0), taskItem(arn, 'task', T0, { first: true })]);
          await store.claimExecutions('a', T0, 1000, 10);
          const c = commitOf(rec, 0, { added: [taskItem(rec.executionArn, 'task', T0 - 50, { second: true })] });
          expect(await store.commitSteps('a', [c])).toEqual({ rejected: [] });
          expect(await store.claimTasks('w', T0, 1000, 10)).toEqual([taskItem(rec.executionArn, 'task', T0, { first: true })]);
        });

        it('a closing commit records the outcome, deletes all remaining work (added included) and drops the lease', async () => {
          const rec = await createRunning('closing', (arn) => [eventItem(arn, 'start', T0), eventItem(arn, 'timer', T0 + 10), taskItem(arn, 'task', T0)]);
          const other = await createRunning('bystander', (arn) => [eventItem(arn, 'start', T0 + 20)]);
          await store.claimExecutions('a', T0, 1000, 10);
          const c = commitOf(rec, 0, {
            status: 'SUCCEEDED',
            snapshot: undefined,
            output: '{"done":true}',
            stopTime: T0 + 7,
            history: [historyEvent(1, 'ExecutionSucceeded', { output: '{"done":true}' })],
            consumed: [`${rec.executionArn}#start`],
            added: [taskItem(rec.executionArn, 'late-task', T0)],
          });
          expect(await store.commitSteps('a', [c])).toEqual({ rejected: [] });
          expect(await store.getExecution(rec.executionArn)).toEqual({ ...rec, status: 'SUCCEEDED', snapshot: undefined, output: '{"done":true}', stopTime: T0 + 7, version: 1 });
          expect(await store.claimTasks('w', T0 + 10_000, 1000, 10)).toEqual([]);
          expect(await store.nextDueAt(T0)).toBe(T0 + 20);
          expect(await store.commitSteps('a', [commitOf(rec, 1)])).toEqual({ rejected: [rec.executionArn] });
          expect(arns(await store.claimExecutions('b', T0 + 20, 1000, 10))).toEqual([other.executionArn]);
        });

        it('a closing commit keeps the items it adds for other executions', async () => {
          const child = await createRunning('child');
          const parent = await createRunning('parent', () => []);
          await store.claimExecutions('a', T0, 1000, 10);
          const notify = eventItem(parent.executionArn, 'child-done', T0 + 1, { kind: 'taskSucceeded', frameId: 0, token: 1, output: 'ok' });
          const c = commitOf(child, 0, { status: 'SUCCEEDED', snapshot: undefined, output: '"ok"', stopTime: T0 + 1, added: [notify] });
          expect(await store.commitSteps('a', [c])).toEqual({ rejected: [] });
          expect((await store.claimExecutions('b', T0 + 1, 1000, 10))[0]?.events).toEqual([notify]);
        });

        it('a step that consumes an id and adds it again ends with the new item', async () => {
          const rec = await createRunning('readd', (arn) => [eventItem(arn, 'start', T0), eventItem(arn, 'timer', T0 + 5, { kind: 'timerFired', frameId: 0, token: 1, purpose: 'wait' })]);
          await store.claimExecutions('a', T0, 1000, 10);
          const again = eventItem(rec.executionArn, 'timer', T0 + 50, { kind: 'timerFired', frameId: 0, token: 2, purpose: 'wait' });
          const c = commitOf(rec, 0, { consumed: [`${rec.executionArn}#start`, again.id], added: [again] });
          expect(await store.commitSteps('a', [c])).toEqual({ rejected: [] });
          expect(await store.claimExecutions('a', T0 + 49, 1000, 10)).toEqual([]);
          expect((await store.claimExecutions('a', T0 + 50, 1000, 10))[0]?.events).toEqual([again]);
        });

        it('applies two successive steps of one execution in the same call, in order', async () => {
          const rec = await createRunning('two-steps');
          await store.claimExecutions('a', T0, 1000, 10);
          const first = commitOf(rec, 0, { history: [historyEvent(1, 'ExecutionStarted')], consumed: [`${rec.executionArn}#start`], added: [taskItem(rec.executionArn, 'task', T0)] });
          const second = commitOf(rec, 1, { history: [historyEvent(2, 'TaskScheduled')], consumed: [`${rec.executionArn}#task`] });
          expect(await store.commitSteps('a', [first, second])).toEqual({ rejected: [] });
          expect((await store.getExecution(rec.executionArn))?.version).toBe(2);
          expect((await store.getHistory(rec.executionArn)).map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskScheduled']);
          expect(await store.claimTasks('w', T0, 1000, 10)).toEqual([]);
        });

        it('an empty call rejects nothing', async () => {
          expect(await store.commitSteps('a', [])).toEqual({ rejected: [] });
        });
      });

      describe('releaseExecutions', () => {
        it("drops the owner's lease so another owner can claim at once", async () => {
          const rec = await createRunning('release');
          await store.claimExecutions('a', T0, 60_000, 10);
          await store.releaseExecutions('a', [rec.executionArn]);
          expect(arns(await store.claimExecutions('b', T0 + 1, 1000, 10))).toEqual([rec.executionArn]);
        });

        it("does not drop another owner's lease", async () => {
          const rec = await createRunning('not-yours');
          await store.claimExecutions('a', T0, 60_000, 10);
          await store.releaseExecutions('b', [rec.executionArn]);
          expect(await store.claimExecutions('b', T0 + 1, 1000, 10)).toEqual([]);
          expect(await store.commitSteps('a', [commitOf(rec, 0)])).toEqual({ rejected: [] });
        });
      });

      describe('claimTasks', () => {
        it('leases due task items in (dueAt, id) order up to the limit, never event items', async () => {
          const rec = await createRunning('tasks', (arn) => [
            eventItem(arn, 'start', T0 - 100),
            taskItem(arn, 't-b', T0),
            taskItem(arn, 't-a', T0),
            taskItem(arn, 't-c', T0 - 1),
            taskItem(arn, 't-late', T0 + 1),
          ]);
          const a = rec.executionArn;
          expect(ids(await store.claimTasks('w', T0, 1000, 2))).toEqual([`${a}#t-c`, `${a}#t-a`]);
          expect(ids(await store.claimTasks('w', T0, 1000, 10))).toEqual([`${a}#t-b`]);
          expect(ids(await store.claimTasks('w', T0 + 1, 1000, 10))).toEqual([`${a}#t-late`]);
        });

        it('a live lease holds a task from every owner until it expires', async () => {
          const rec = await createRunning('task-lease', (arn) => [taskItem(arn, 'task', T0)]);
          expect(await store.claimTasks('w1', T0, 1000, 10)).toEqual([taskItem(rec.executionArn, 'task', T0)]);
          expect(await store.claimTasks('w2', T0 + 999, 1000, 10)).toEqual([]);
          expect(await store.claimTasks('w1', T0 + 999, 1000, 10)).toEqual([]);
          expect(ids(await store.claimTasks('w2', T0 + 1000, 1000, 10))).toEqual([`${rec.executionArn}#task`]);
          expect(await store.claimTasks('w1', T0 + 1999, 1000, 10)).toEqual([]);
        });
      });

      describe('extendTaskLeases', () => {
        it("moves the lease of its owner's tasks, and leaves other owners' tasks alone", async () => {
          const rec = await createRunning('extend', (arn) => [taskItem(arn, 'mine', T0), taskItem(arn, 'theirs', T0 + 1)]);
          const a = rec.executionArn;
          expect(ids(await store.claimTasks('w1', T0, 1000, 1))).toEqual([`${a}#mine`]);
          expect(ids(await store.claimTasks('w2', T0 + 1, 1000, 1))).toEqual([`${a}#theirs`]);
          await store.extendTaskLeases('w1', [`${a}#mine`, `${a}#theirs`, `${a}#missing`], T0 + 5000);
          // w1's task stays leased past its original expiry; w2's expired as it was.
          expect(ids(await store.claimTasks('w3', T0 + 1001, 10_000, 10))).toEqual([`${a}#theirs`]);
          expect(await store.claimTasks('w3', T0 + 4999, 1000, 10)).toEqual([]);
          expect(ids(await store.claimTasks('w3', T0 + 5000, 1000, 10))).toEqual([`${a}#mine`]);
        });
      });

      describe('completeTask', () => {
        it('deletes the task and inserts its result event in one step', async () => {
          const rec = await createRunning('complete', (arn) => [taskItem(arn, 'task', T0)]);
          const a = rec.executionArn;
          await store.claimTasks('w', T0, 1000, 10);
          const result = eventItem(a, 'result', T0 + 5, { kind: 'taskSucceeded', frameId: 0, token: 1, output: { r: [1, null, 'x'] } });
          expect(await store.completeTask(`${a}#task`, result)).toBe(true);
          expect(await store.claimTasks('w', T0 + 10_000, 1000, 10)).toEqual([]);
          const [claimed] = await store.claimExecutions('a', T0 + 5, 1000, 10);
          expect(claimed?.events).toEqual([result]);
        });

        it('returns false and inserts nothing when the task is gone', async () => {
          const rec = await createRunning('gone', () => []);
          const result = eventItem(rec.executionArn, 'result', T0, { kind: 'taskFailed', frameId: 0, token: 1, error: 'E', cause: undefined });
          expect(await store.completeTask(`${rec.executionArn}#task`, result)).toBe(false);
          expect(await store.claimExecutions('a', T0, 1000, 10)).toEqual([]);
          expect(await store.nextDueAt(T0)).toBeUndefined();
        });

        it('returns false for an event item id and leaves the event alone', async () => {
          const rec = await createRunning('not-a-task');
          const result = eventItem(rec.executionArn, 'result', T0, { kind: 'taskSucceeded', frameId: 0, token: 1, output: 1 });
          expect(await store.completeTask(`${rec.executionArn}#start`, result)).toBe(false);
          expect(ids((await store.claimExecutions('a', T0, 1000, 10))[0]?.events ?? [])).toEqual([`${rec.executionArn}#start`]);
        });

        it('a second completion is a no-op', async () => {
          const rec = await createRunning('twice', (arn) => [taskItem(arn, 'task', T0)]);
          const a = rec.executionArn;
          const first = eventItem(a, 'result', T0, { kind: 'taskSucceeded', frameId: 0, token: 1, output: 'first' });
          const second = eventItem(a, 'result-2', T0, { kind: 'taskSucceeded', frameId: 0, token: 1, output: 'second' });
          expect(await store.completeTask(`${a}#task`, first)).toBe(true);
          expect(await store.completeTask(`${a}#task`, second)).toBe(false);
          expect((await store.claimExecutions('a', T0, 1000, 10))[0]?.events).toEqual([first]);
        });
      });

      describe('addWork', () => {
        it('inserts items and keeps the existing one when an id repeats', async () => {
          const rec = await createRunning('add', () => []);
          const a = rec.executionArn;
          const stop = eventItem(a, 'stop', T0, { kind: 'stop', error: 'Cancelled', cause: 'by user' });
          await store.addWork([stop, taskItem(a, 'task', T0)]);
          await store.addWork([eventItem(a, 'stop', T0 - 1, { kind: 'stop', error: 'Other', cause: undefined })]);
          expect(await store.addWork([])).toBeUndefined();
          expect((await store.claimExecutions('a', T0, 1000, 10))[0]?.events).toEqual([stop]);
          expect(ids(await store.claimTasks('w', T0, 1000, 10))).toEqual([`${a}#task`]);
        });
      });

      describe('nextDueAt', () => {
        it('is undefined without work', async () => {
          expect(await store.nextDueAt(T0)).toBeUndefined();
        });

        it('is the earliest due time of claimable event and task items, past ones included', async () => {
          await createRunning('e', (arn) => [eventItem(arn, 'timer', T0 + 300), taskItem(arn, 'task', T0 + 200)]);
          expect(await store.nextDueAt(T0)).toBe(T0 + 200);
          await createRunning('f', (arn) => [eventItem(arn, 'start', T0 - 50)]);
          expect(await store.nextDueAt(T0)).toBe(T0 - 50);
        });

        it('ignores event items of closed executions', async () => {
          const closed = recordOf('closed', { status: 'TIMED_OUT' });
          await store.createExecution(closed, [eventItem(closed.executionArn, 'stop', T0)]);
          expect(await store.nextDueAt(T0)).toBeUndefined();
        });

        it('ignores items under a live lease until it expires', async () => {
          await createRunning('leased-exec', (arn) => [eventItem(arn, 'start', T0)]);
          await createRunning('leased-task', (arn) => [taskItem(arn, 'task', T0 + 1)]);
          await store.claimExecutions('a', T0, 1000, 10);
          expect(await store.nextDueAt(T0)).toBe(T0 + 1);
          await store.claimTasks('w', T0 + 1, 500, 10);
          expect(await store.nextDueAt(T0 + 1)).toBeUndefined();
          expect(await store.nextDueAt(T0 + 500)).toBeUndefined();
          expect(await store.nextDueAt(T0 + 501)).toBe(T0 + 1);
          expect(await store.nextDueAt(T0 + 1000)).toBe(T0);
        });
      });

      describe('getHistory', () => {
        async function withHistory(count: number): Promise<{ arn: string; events: HistoryEvent[] }> {
          const rec = await createRunning('hist');
          await store.claimExecutions('a', T0, 1000, 10);
          const events = Array.from({ length: count }, (_, i) => historyEvent(i + 1, i === 0 ? 'ExecutionStarted' : 'PassStateEntered', { name: `S${i}`, input: `{"i":${i}}` }));
          await store.commitSteps('a', [commitOf(rec, 0, { history: events.slice(0, 4) })]);
          await store.commitSteps('a', [commitOf(rec, 1, { history: events.slice(4) })]);
          return { arn: rec.executionArn, events };
        }

        it('returns events in id order, or reversed', async () => {
          const { arn, events } = await withHistory(12);
          expect(await store.getHistory(arn)).toEqual(events);
          expect(await store.getHistory(arn, { reverse: true })).toEqual([...events].reverse());
        });

        it('pages with afterId and limit in both directions', async () => {
          const { arn, events } = await withHistory(12);
          expect(await store.getHistory(arn, { limit: 3 })).toEqual(events.slice(0, 3));
          expect(await store.getHistory(arn, { afterId: 3, limit: 3 })).toEqual(events.slice(3, 6));
          expect(await store.getHistory(arn, { afterId: 10 })).toEqual(events.slice(10));
          expect(await store.getHistory(arn, { reverse: true, limit: 2 })).toEqual([events[11], events[10]]);
          expect(await store.getHistory(arn, { reverse: true, afterId: 5 })).toEqual([events[3], events[2], events[1], events[0]]);
          expect(await store.getHistory(arn, { reverse: true, afterId: 5, limit: 1 })).toEqual([events[3]]);
          expect(await store.getHistory(arn, { afterId: 12 })).toEqual([]);
        });

        it('is empty for an unknown execution', async () => {
          expect(await store.getHistory(arnOf('unknown'))).toEqual([]);
        });
      });

      describe('listExecutions', () => {
        async function population(): Promise<ExecutionRecord[]> {
          const recs = [
            recordOf('e1', { startTime: T0 + 1 }),
            recordOf('e2', { startTime: T0 + 2, status: 'SUCCEEDED' }),
            recordOf('e3a', { startTime: T0 + 3 }),
            recordOf('e3b', { startTime: T0 + 3, status: 'FAILED' }),
            recordOf('e4', { startTime: T0 + 4, machine: OTHER_MACHINE }),
            recordOf('e5', { startTime: T0 + 5 }),
          ];
          for (const rec of recs) await store.createExecution(rec, []);
          return recs;
        }
        const names = (recs: ExecutionRecord[]): string[] => recs.map((r) => r.name);

        it('lists newest first, ties broken by ARN descending', async () => {
          await population();
          expect(names(await store.listExecutions({ limit: 100 }))).toEqual(['e5', 'e4', 'e3b', 'e3a', 'e2', 'e1']);
        });

        it('filters by state machine and by status', async () => {
          const recs = await population();
          expect(names(await store.listExecutions({ stateMachineArn: OTHER_MACHINE, limit: 100 }))).toEqual(['e4']);
          expect(names(await store.listExecutions({ stateMachineArn: MACHINE, status: 'RUNNING', limit: 100 }))).toEqual(['e5', 'e3a', 'e1']);
          expect(await store.listExecutions({ status: 'FAILED', limit: 100 })).toEqual([recs[3]]);
          expect(await store.listExecutions({ status: 'ABORTED', limit: 100 })).toEqual([]);
        });

        it('pages with the (startTime, executionArn) cursor without gaps or repeats', async () => {
          await population();
          const seen: string[] = [];
          let after: { startTime: number; executionArn: string } | undefined;
          for (let page = 0; page < 10; page++) {
            const rows = await store.listExecutions({ stateMachineArn: MACHINE, limit: 2, ...(after ? { after } : {}) });
            expect(rows.length).toBeLessThanOrEqual(2);
            if (rows.length === 0) break;
            seen.push(...names(rows));
            const last = rows[rows.length - 1] as ExecutionRecord;
            after = { startTime: last.startTime, executionArn: last.executionArn };
          }
          expect(seen).toEqual(['e5', 'e3b', 'e3a', 'e2', 'e1']);
        });
      });

      describe('deleteClosedBefore', () => {
        it('deletes only closed executions stopped before the cutoff, with their history and work', async () => {
          const rec = await createRunning('finished');
          await store.claimExecutions('a', T0, 1000, 10);
          await store.commitSteps('a', [
            commitOf(rec, 0, { status: 'FAILED', snapshot: undefined, error: 'E', cause: 'C', stopTime: T0 + 10, history: [historyEvent(1, 'ExecutionStarted'), historyEvent(2, 'ExecutionFailed')] }),
          ]);
          const orphanWork = recordOf('closed-with-work', { status: 'ABORTED', stopTime: T0 + 20 });
          await store.createExecution(orphanWork, [taskItem(orphanWork.executionArn, 'task', T0)]);
          const atCutoff = recordOf('at-cutoff', { status: 'SUCCEEDED', stopTime: T0 + 100 });
          await store.createExecution(atCutoff, []);
          const running = await createRunning('still-running', (arn) => [taskItem(arn, 'task', T0 + 1)]);

          expect(await store.deleteClosedBefore(T0 + 100, 100)).toBe(2);
          expect(await store.getExecution(rec.executionArn)).toBeUndefined();
          expect(await store.getHistory(rec.executionArn)).toEqual([]);
          expect(await store.getExecution(orphanWork.executionArn)).toBeUndefined();
          expect(ids(await store.claimTasks('w', T0 + 1, 1000, 10))).toEqual([`${running.executionArn}#task`]);
          expect(await store.getExecution(atCutoff.executionArn)).toEqual(atCutoff);
          expect(await store.getExecution(running.executionArn)).toEqual(running);
          expect(await store.createExecution(recordOf('finished'), [])).toEqual({ created: true });
        });

        it('deletes at most `limit`, and reports how many', async () => {
          for (let i = 0; i < 5; i++) await store.createExecution(recordOf(`old-${i}`, { status: 'SUCCEEDED', stopTime: T0 + i }), []);
          expect(await store.deleteClosedBefore(T0 + 1000, 2)).toBe(2);
          expect(await store.deleteClosedBefore(T0 + 1000, 10)).toBe(3);
          expect(await store.deleteClosedBefore(T0 + 1000, 10)).toBe(0);
          expect(await store.listExecutions({ limit: 10 })).toEqual([]);
        });
      });

      describe('resources', () => {
        it('countResources counts a kind, under an arn prefix, no further than its limit', async () => {
          for (const arn of ['arn:x:m:1', 'arn:x:m:2', 'arn:x:m:3', 'arn:x:mm:1']) await store.createResource('version', arn, arn, {}, T0);
          await store.createResource('alias', 'arn:x:m:prod', 'prod', {}, T0);
          expect(await store.countResources('version', { limit: 100 })).toBe(4);
          expect(await store.countResources('version', { arnPrefix: 'arn:x:m:', limit: 100 })).toBe(3);
          expect(await store.countResources('version', { arnPrefix: 'arn:x:m:', limit: 2 })).toBe(2);
          expect(await store.countResources('alias', { limit: 100 })).toBe(1);
          expect(await store.countResources('nothing', { limit: 100 })).toBe(0);
        });

        const KIND = 'stateMachine';
        const OTHER_KIND = 'activity';
        const resourceArn = (name: string): string => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
        const DOC: Json = {
          definition: DEFINITION,
          roleArn: 'arn:aws:iam::123456789012:role/orders',
          tags: [{ key: 'team', value: 'ünïcode ✓ 🚀' }],
          logging: { level: 'OFF', includeExecutionData: false, destinations: [] },
          description: null,
          count: 3,
          ratio: -0.25,
          nested: [[1, [2, { deep: true }]]],
        };
        const resourceNames = (recs: readonly ResourceRecord[]): string[] => recs.map((r) => r.name);

        /** Names chosen so that code point order differs from locale order and from LIKE matching. */
        const NAMES = ['orders', 'Zeta', 'alpha', 'orders-v2', 'a_b', 'a%b', 'aXb', 'cafe', 'café', 'cag'];
        const IN_ARN_ORDER = ['Zeta', 'a%b', 'aXb', 'a_b', 'alpha', 'cafe', 'café', 'cag', 'orders', 'orders-v2'];

        async function populate(): Promise<void> {
          for (const [i, name] of NAMES.entries()) {
            expect(await store.createResource(KIND, resourceArn(name), name, { i }, T0 + i)).toBe(true);
          }
          // The same ARNs under another kind must never show up in KIND's listings.
          for (const name of ['alpha', 'orders', 'zz-other-only']) {
            expect(await store.createResource(OTHER_KIND, resourceArn(name), name, { other: true }, T0)).toBe(true);
          }
        }

        async function listAll(query: { arnPrefix?: string; limit: number }): Promise<string[]> {
          const seen: string[] = [];
          let afterArn: string | undefined;
          for (let page = 0; page < 50; page++) {
            const rows = await store.listResources(KIND, { ...query, ...(afterArn !== undefined ? { afterArn } : {}) });
            expect(rows.length).toBeLessThanOrEqual(query.limit);
            if (rows.length === 0) return seen;
            seen.push(...resourceNames(rows));
            afterArn = (rows[rows.length - 1] as ResourceRecord).arn;
          }
          throw new Error('paging did not end');
        }

        it('creating the same (kind, arn) twice: the second returns false and writes nothing', async () => {
          const arn = resourceArn('orders');
          expect(await store.createResource(KIND, arn, 'orders', DOC, T0)).toBe(true);
          expect(await store.createResource(KIND, arn, 'renamed', { replaced: true }, T0 + 5)).toBe(false);
          expect(await store.getResource(KIND, arn)).toEqual({ kind: KIND, arn, name: 'orders', doc: DOC, createdAt: T0, updatedAt: T0, revision: 1 });
        });

        it('get round-trips the document deep-equal at revision 1, with createdAt = updatedAt = now', async () => {
          const arn = resourceArn('round-trip');
          await store.createResource(KIND, arn, 'round-trip', DOC, T0 + 7);
          const got = await store.getResource(KIND, arn);
          expect(got).toEqual({ kind: KIND, arn, name: 'round-trip', doc: DOC, createdAt: T0 + 7, updatedAt: T0 + 7, revision: 1 });
          const scalars: Json[] = [null, 'text', 42, false, [], {}];
          for (const [i, doc] of scalars.entries()) {
            await store.createResource(KIND, resourceArn(`scalar-${i}`), `scalar-${i}`, doc, T0);
            expect((await store.getResource(KIND, resourceArn(`scalar-${i}`)))?.doc).toEqual(doc);
          }
        });

        it('an unknown resource reads as undefined', async () => {
          await store.createResource(KIND, resourceArn('known'), 'known', DOC, T0);
          expect(await store.getResource(KIND, resourceArn('unknown'))).toBeUndefined();
          expect(await store.getResource(OTHER_KIND, resourceArn('known'))).toBeUndefined();
        });

        it('update with the current revision replaces the document, bumps the revision and sets updatedAt', async () => {
          const arn = resourceArn('updated');
          await store.createResource(KIND, arn, 'updated', DOC, T0);
          expect(await store.updateResource(KIND, arn, { v: 2 }, 1, T0 + 100)).toBe(true);
          expect(await store.getResource(KIND, arn)).toEqual({ kind: KIND, arn, name: 'updated', doc: { v: 2 }, createdAt: T0, updatedAt: T0 + 100, revision: 2 });
          expect(await store.updateResource(KIND, arn, ['v', 3], 2, T0 + 200)).toBe(true);
          expect(await store.getResource(KIND, arn)).toEqual({ kind: KIND, arn, name: 'updated', doc: ['v', 3], createdAt: T0, updatedAt: T0 + 200, revision: 3 });
        });

        it('update with a stale or unknown revision, or of a missing resource, returns false and changes nothing', async () => {
          const arn = resourceArn('guarded');
          await store.createResource(KIND, arn, 'guarded', DOC, T0);
          expect(await store.updateResource(KIND, arn, { v: 2 }, 1, T0 + 100)).toBe(true);
          const current = await store.getResource(KIND, arn);
          expect(await store.updateResource(KIND, arn, { stale: true }, 1, T0 + 200)).toBe(false);
          expect(await store.updateResource(KIND, arn, { future: true }, 3, T0 + 200)).toBe(false);
          expect(await store.updateResource(KIND, arn, { never: true }, 0, T0 + 200)).toBe(false);
          expect(await store.getResource(KIND, arn)).toEqual(current);
          expect(await store.updateResource(KIND, resourceArn('missing'), { v: 1 }, 1, T0)).toBe(false);
          expect(await store.getResource(KIND, resourceArn('missing'))).toBeUndefined();
          expect(await store.updateResource(OTHER_KIND, arn, { v: 1 }, 2, T0)).toBe(false);
          expect(await store.getResource(OTHER_KIND, arn)).toBeUndefined();
        });

        it('of concurrent updates from the same revision exactly one wins', async () => {
          const arn = resourceArn('contended');
          await store.createResource(KIND, arn, 'contended', DOC, T0);
          const results = await Promise.all([1, 2, 3, 4].map((n) => store.updateResource(KIND, arn, { writer: n }, 1, T0 + n)));
          expect(results.filter((r) => r)).toHaveLength(1);
          const winner = results.indexOf(true) + 1;
          expect(await store.getResource(KIND, arn)).toEqual({ kind: KIND, arn, name: 'contended', doc: { writer: winner }, createdAt: T0, updatedAt: T0 + winner, revision: 2 });
        });

        it('lists only the given kind, by arn ascending in code point order, as full records', async () => {
          await populate();
          const all = await store.listResources(KIND, { limit: 100 });
          expect(resourceNames(all)).toEqual(IN_ARN_ORDER);
          expect(all[0]).toEqual({ kind: KIND, arn: resourceArn('Zeta'), name: 'Zeta', doc: { i: 1 }, createdAt: T0 + 1, updatedAt: T0 + 1, revision: 1 });
          expect(resourceNames(await store.listResources(OTHER_KIND, { limit: 100 }))).toEqual(['alpha', 'orders', 'zz-other-only']);
          expect(await store.listResources('unknownKind', { limit: 100 })).toEqual([]);
          expect(resourceNames(await store.listResources(KIND, { limit: 3 }))).toEqual(IN_ARN_ORDER.slice(0, 3));
          expect(await store.listResources(KIND, { limit: 0 })).toEqual([]);
        });

        it('filters by arn prefix literally: case-sensitive, % and _ are not wildcards', async () => {
          await populate();
          const byPrefix = async (prefix: string): Promise<string[]> => resourceNames(await store.listResources(KIND, { arnPrefix: prefix, limit: 100 }));
          expect(await byPrefix(resourceArn('a'))).toEqual(['a%b', 'aXb', 'a_b', 'alpha']);
          expect(await byPrefix(resourceArn('a_'))).toEqual(['a_b']);
          expect(await byPrefix(resourceArn('a%'))).toEqual(['a%b']);
          expect(await byPrefix(resourceArn('A'))).toEqual([]);
          expect(await byPrefix(resourceArn('z'))).toEqual([]);
          expect(await byPrefix(resourceArn('caf'))).toEqual(['cafe', 'café']);
          expect(await byPrefix(resourceArn('café'))).toEqual(['café']);
          expect(await byPrefix(resourceArn('orders'))).toEqual(['orders', 'orders-v2']);
          expect(await byPrefix(resourceArn('orders-'))).toEqual(['orders-v2']);
          expect(await byPrefix(resourceArn('orders-v2'))).toEqual(['orders-v2']);
          expect(await byPrefix(resourceArn(''))).toEqual(IN_ARN_ORDER);
          expect(await byPrefix('')).toEqual(IN_ARN_ORDER);
          expect(await byPrefix('arn:aws:states:us-east-1:999999999999:')).toEqual([]);
          expect(resourceNames(await store.listResources(OTHER_KIND, { arnPrefix: resourceArn('zz'), limit: 100 }))).toEqual(['zz-other-only']);
        });

        it('pages with the afterArn cursor without gaps or repeats, alone and within a prefix', async () => {
          await populate();
          expect(await listAll({ limit: 3 })).toEqual(IN_ARN_ORDER);
          expect(await listAll({ limit: 1 })).toEqual(IN_ARN_ORDER);
          expect(await listAll({ arnPrefix: resourceArn('a'), limit: 1 })).toEqual(['a%b', 'aXb', 'a_b', 'alpha']);
          // The cursor need not name an existing resource, and may lie before the prefix's range.
          expect(resourceNames(await store.listResources(KIND, { afterArn: resourceArn('b'), limit: 100 }))).toEqual(['cafe', 'café', 'cag', 'orders', 'orders-v2']);
          expect(resourceNames(await store.listResources(KIND, { arnPrefix: resourceArn('orders'), afterArn: resourceArn('a'), limit: 100 }))).toEqual(['orders', 'orders-v2']);
          expect(resourceNames(await store.listResources(KIND, { arnPrefix: resourceArn('a'), afterArn: resourceArn('orders'), limit: 100 }))).toEqual([]);
          expect(await store.listResources(KIND, { afterArn: resourceArn('orders-v2'), limit: 100 })).toEqual([]);
        });

        it('delete returns true once, then false; the arn can then be created afresh', async () => {
          const arn = resourceArn('doomed');
          await store.createResource(KIND, arn, 'doomed', DOC, T0);
          await store.updateResource(KIND, arn, { v: 2 }, 1, T0 + 1);
          expect(await store.deleteResource(KIND, arn)).toBe(true);
          expect(await store.getResource(KIND, arn)).toBeUndefined();
          expect(await store.deleteResource(KIND, arn)).toBe(false);
          expect(await store.deleteResource(KIND, resourceArn('never-existed'))).toBe(false);
          expect(await store.listResources(KIND, { limit: 100 })).toEqual([]);
          expect(await store.createResource(KIND, arn, 'doomed', { reborn: true }, T0 + 2)).toBe(true);
          expect(await store.getResource(KIND, arn)).toEqual({ kind: KIND, arn, name: 'doomed', doc: { reborn: true }, createdAt: T0 + 2, updatedAt: T0 + 2, revision: 1 });
        });

        it('kinds are separate namespaces: the same arn under two kinds is two resources', async () => {
          const arn = resourceArn('shared');
          expect(await store.createResource(KIND, arn, 'machine', { of: KIND }, T0)).toBe(true);
          expect(await store.createResource(OTHER_KIND, arn, 'activity', { of: OTHER_KIND }, T0 + 1)).toBe(true);
          expect(await store.updateResource(OTHER_KIND, arn, { of: OTHER_KIND, v: 2 }, 1, T0 + 2)).toBe(true);
          expect(await store.getResource(KIND, arn)).toEqual({ kind: KIND, arn, name: 'machine', doc: { of: KIND }, createdAt: T0, updatedAt: T0, revision: 1 });
          expect(await store.getResource(OTHER_KIND, arn)).toEqual({
            kind: OTHER_KIND,
            arn,
            name: 'activity',
            doc: { of: OTHER_KIND, v: 2 },
            createdAt: T0 + 1,
            updatedAt: T0 + 2,
            revision: 2,
          });
          expect(await store.deleteResource(KIND, arn)).toBe(true);
          expect(await store.getResource(KIND, arn)).toBeUndefined();
          expect((await store.getResource(OTHER_KIND, arn))?.revision).toBe(2);
          expect(resourceNames(await store.listResources(OTHER_KIND, { limit: 100 }))).toEqual(['activity']);
        });

        it('resources survive migrating again', async () => {
          await store.createResource(KIND, resourceArn('kept'), 'kept', DOC, T0);
          await store.migrate();
          expect((await store.getResource(KIND, resourceArn('kept')))?.doc).toEqual(DOC);
        });
      });
    });
  });
}

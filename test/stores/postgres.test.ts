/**
 * The PostgreSQL store: the shared contract suite, then what only a shared database has to get
 * right (concurrent migrations, claims from several processes, group commit). Each test gets a
 * fresh schema, dropped afterwards. Without PostgreSQL the tests skip with a message, except under
 * CI=true, where that is a failure.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventItem, ExecutionRecord, StepCommit, Store, TaskItem } from '../../src/engine/store.js';
import type { Snapshot } from '../../src/engine/types.js';
import { openPostgresStore } from '../../src/stores/postgres/index.js';
import { migrations } from '../../src/stores/postgres/migrations.js';
import { storeContract } from './contract.js';

const PG_URL = process.env['STEPWISE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REQUIRED = process.env['CI'] === 'true';

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const available = await reachable();
if (!available && !REQUIRED) console.warn(`PostgreSQL store tests SKIPPED: nothing answers at ${PG_URL} (set STEPWISE_TEST_DATABASE_URL)`);

let schemaCounter = 0;
function freshSchemaName(): string {
  return `stepwise_test_${process.pid}_${Date.now().toString(36)}_${schemaCounter++}`;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Stores over one fresh (unmigrated) schema; cleanup closes them all and drops the schema. */
async function freshSchema(count: number, poolSize = 4): Promise<{ schema: string; stores: Store[]; cleanup: () => Promise<void> }> {
  const schema = freshSchemaName();
  const stores = Array.from({ length: count }, () => openPostgresStore({ connectionString: PG_URL, schema, poolSize }));
  return {
    schema,
    stores,
    cleanup: async () => {
      await Promise.all(stores.map((s) => s.close()));
      await admin((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    },
  };
}

describe.runIf(REQUIRED && !available)('PostgreSQL under CI', () => {
  it('is reachable', () => {
    throw new Error(`PostgreSQL is required under CI=true but nothing answers at ${PG_URL}`);
  });
});

describe.runIf(available)('PostgreSQL store', () => {
  storeContract('postgres', async () => {
    const { stores, cleanup } = await freshSchema(1);
    return { store: stores[0] as Store, cleanup };
  });

  describe('PostgreSQL specifics', () => {
    const T0 = Date.UTC(2026, 0, 1);
    const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:pg';
    let schema: string;
    let stores: Store[];
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ schema, stores, cleanup } = await freshSchema(2));
    });
    afterEach(async () => {
      await cleanup();
    });

    const storeA = (): Store => stores[0] as Store;
    const storeB = (): Store => stores[1] as Store;

    function record(name: string): ExecutionRecord {
      const executionArn = `${MACHINE.replace(':stateMachine:', ':execution:')}:${name}`;
      const snapshot = { meta: { executionArn }, status: 'RUNNING', frames: {}, nextFrameId: 1, lastEventId: 0, transitions: 0 } as unknown as Snapshot;
      return {
        executionArn,
        stateMachineArn: MACHINE,
        name,
        type: 'STANDARD',
        status: 'RUNNING',
        startTime: T0,
        stopTime: undefined,
        input: '{}',
        output: undefined,
        error: undefined,
        cause: undefined,
        definition: '{}',
        snapshot,
        version: 0,
        redriveCount: 0,
        redriveDate: undefined,
      };
    }

    function task(arn: string, n: number): TaskItem {
      return {
        id: `${arn}#task.${n}`,
        executionArn: arn,
        kind: 'task',
        dueAt: T0,
        payload: { frameId: 0, token: n, stateName: 'T', resource: 'r', input: n, timeoutSeconds: undefined, heartbeatSeconds: undefined, taskToken: undefined, credentials: undefined },
      };
    }

    function step(r: ExecutionRecord, version: number, historyIds: number[]): StepCommit {
      return {
        executionArn: r.executionArn,
        expectedVersion: version,
        status: 'RUNNING',
        snapshot: r.snapshot,
        output: undefined,
        error: undefined,
        cause: undefined,
        stopTime: undefined,
        history: historyIds.map((id) => ({ id, previousEventId: id - 1, timestamp: T0, type: 'PassStateEntered', details: undefined })),
        consumed: [],
        added: [],
      };
    }

    async function createMany(count: number, withTasks = 0): Promise<ExecutionRecord[]> {
      const recs = Array.from({ length: count }, (_, i) => record(`e${i}`));
      await Promise.all(
        recs.map((r) =>
          storeA().createExecution(r, [
            { id: `${r.executionArn}#start`, executionArn: r.executionArn, kind: 'event', dueAt: T0, payload: { kind: 'start' } },
            ...Array.from({ length: withTasks }, (_, n) => task(r.executionArn, n)),
          ]),
        ),
      );
      return recs;
    }

    it('migrations applied by processes starting at once are each recorded exactly once', async () => {
      const more = await freshSchema(4);
      try {
        await Promise.all([...more.stores, ...more.stores].map((s) => s.migrate()));
        const rows = await admin((c) => c.query<{ id: number }>(`SELECT id FROM ${more.schema}.schema_migrations ORDER BY id`));
        expect(rows.rows.map((r) => r.id)).toEqual(migrations.map((m) => m.id));
        expect(await more.stores[3]?.createExecution(record('after-migrate'), [])).toEqual({ created: true });
      } finally {
        await more.cleanup();
      }
    });

    it('refuses a schema migrated by a newer Stepwise', async () => {
      await storeA().migrate();
      await admin((c) => c.query(`INSERT INTO ${schema}.schema_migrations (id, name) VALUES (9999, 'from the future')`));
      await expect(storeB().migrate()).rejects.toThrow(/newer than this Stepwise/);
    });

    it('rejects a schema name that is not a plain lower-case identifier', () => {
      expect(() => openPostgresStore({ connectionString: PG_URL, schema: 'x; DROP TABLE work' })).toThrow(/invalid PostgreSQL schema name/);
      expect(() => openPostgresStore({ connectionString: PG_URL, schema: 'Mixed' })).toThrow(/invalid PostgreSQL schema name/);
    });

    describe('with a migrated schema', () => {
      beforeEach(async () => {
        await Promise.all([storeA().migrate(), storeB().migrate()]);
      });

      it('resource arns and names use the "C" collation, so their order does not depend on the database locale', async () => {
        const columns = await admin((c) =>
          c.query<{ column_name: string; collation_name: string | null }>(
            `SELECT column_name, collation_name FROM information_schema.columns
             WHERE table_schema = $1 AND table_name = 'resources' AND column_name IN ('arn', 'name') ORDER BY column_name`,
            [schema],
          ),
        );
        expect(columns.rows).toEqual([
          { column_name: 'arn', collation_name: 'C' },
          { column_name: 'name', collation_name: 'C' },
        ]);
      });

      it('two processes stepping executions in parallel never lease one twice nor apply an event twice', async () => {
        // Few executions, many steps: runners keep meeting on the same rows. Event k carries token
        // k; applying it appends a history event naming k and adds event k + 1. A claim that
        // returned an event some other owner had already applied would show k twice.
        const STEPS = 12;
        const recs = await createMany(24);
        const tokenOf = (e: EventItem): number => (e.payload.kind === 'timerFired' ? e.payload.token : 0);
        const rejected: string[] = [];
        let finished = 0;
        const runner = (store: Store, owner: string) => async () => {
          while (finished < recs.length) {
            const batch = await store.claimExecutions(owner, T0, 60_000, 7);
            if (batch.length === 0) {
              await new Promise((resolve) => setTimeout(resolve, 1));
              continue;
            }
            const commits = batch.map((c): StepCommit => {
              const arn = c.record.executionArn;
              const last = (c.record.snapshot as Snapshot).lastEventId;
              const tokens = c.events.map(tokenOf);
              const next = Math.max(...tokens) + 1;
              return {
                ...step(c.record, c.record.version, []),
                snapshot: { ...(c.record.snapshot as Snapshot), lastEventId: last + tokens.length },
                history: tokens.map((token, i) => ({ id: last + i + 1, previousEventId: last + i, timestamp: T0, type: 'Applied', details: { token } })),
                consumed: c.events.map((e) => e.id),
                added: next < STEPS ? [{ id: `${arn}#timer.${next}`, executionArn: arn, kind: 'event', dueAt: T0, payload: { kind: 'timerFired', frameId: 0, token: next, purpose: 'wait' } }] : [],
              };
            });
            const result = await store.commitSteps(owner, commits);
            rejected.push(...result.rejected);
            finished += commits.filter((c) => c.added.length === 0 && !result.rejected.includes(c.executionArn)).length;
            await store.releaseExecutions(owner, batch.map((c) => c.record.executionArn));
          }
        };
        await Promise.all([...Array.from({ length: 4 }, (_, i) => runner(storeA(), `a${i}`)()), ...Array.from({ length: 4 }, (_, i) => runner(storeB(), `b${i}`)())]);
        expect(rejected).toEqual([]);
        expect(await storeA().nextDueAt(T0)).toBeUndefined();
        for (const r of recs) {
          const applied = (await storeA().getHistory(r.executionArn)).map((e) => e.details?.['token']);
          expect(applied).toEqual(Array.from({ length: STEPS }, (_, k) => k));
        }
      });

      it('two processes claiming tasks in parallel never lease the same one', async () => {
        await createMany(50, 6);
        const claimed: string[] = [];
        const claimer = (store: Store, owner: string) => async () => {
          for (let round = 0; round < 10; round++) claimed.push(...(await store.claimTasks(owner, T0, 60_000, 5)).map((t) => t.id));
        };
        await Promise.all([...Array.from({ length: 6 }, (_, i) => claimer(storeA(), `a${i}`)()), ...Array.from({ length: 6 }, (_, i) => claimer(storeB(), `b${i}`)())]);
        expect(claimed).toHaveLength(300);
        expect(new Set(claimed).size).toBe(300);
      });

      it('concurrent completions of one task deliver its result once', async () => {
        const [rec] = await createMany(1, 1);
        const arn = (rec as ExecutionRecord).executionArn;
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            (i % 2 ? storeA() : storeB()).completeTask(`${arn}#task.0`, {
              id: `${arn}#result.${i}`,
              executionArn: arn,
              kind: 'event',
              dueAt: T0,
              payload: { kind: 'taskSucceeded', frameId: 0, token: 0, output: i },
            }),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const [claimed] = await storeA().claimExecutions('a', T0, 1000, 1);
        expect(claimed?.events.filter((e) => e.payload.kind === 'taskSucceeded')).toHaveLength(1);
      });

      it('a group commit of 100 steps applies them all in one call', async () => {
        const recs = await createMany(100);
        expect(await storeA().claimExecutions('a', T0, 60_000, 100)).toHaveLength(100);
        const commits: StepCommit[] = recs.map((r) => ({
          executionArn: r.executionArn,
          expectedVersion: 0,
          status: 'RUNNING',
          snapshot: r.snapshot,
          output: undefined,
          error: undefined,
          cause: undefined,
          stopTime: undefined,
          history: [{ id: 1, previousEventId: 0, timestamp: T0, type: 'ExecutionStarted', details: { input: '{}' } }],
          consumed: [`${r.executionArn}#start`],
          added: [task(r.executionArn, 1)],
        }));
        expect(await storeA().commitSteps('a', commits)).toEqual({ rejected: [] });
        expect((await storeB().claimTasks('w', T0, 1000, 1000)).length).toBe(100);
        expect((await storeB().getHistory(recs[42]?.executionArn ?? '')).map((e) => e.type)).toEqual(['ExecutionStarted']);
      });

      it('two steps of one execution in one call apply in order', async () => {
        const [rec] = await createMany(1);
        const r = rec as ExecutionRecord;
        await storeA().claimExecutions('a', T0, 60_000, 1);
        expect(await storeA().commitSteps('a', [step(r, 0, [1]), step(r, 1, [2]), step(r, 1, [3])])).toEqual({ rejected: [r.executionArn] });
        expect((await storeA().getExecution(r.executionArn))?.version).toBe(2);
        expect((await storeA().getHistory(r.executionArn)).map((e) => e.id)).toEqual([1, 2]);
      });

      it('a failing group commit writes nothing', async () => {
        const recs = await createMany(3);
        await storeA().claimExecutions('a', T0, 60_000, 10);
        const commits: StepCommit[] = recs.map((r) => ({
          executionArn: r.executionArn,
          expectedVersion: 0,
          status: 'RUNNING',
          snapshot: r.snapshot,
          output: undefined,
          error: undefined,
          cause: undefined,
          stopTime: undefined,
          // A duplicate history id violates the primary key.
          history: [1, 1].map((id) => ({ id, previousEventId: 0, timestamp: T0, type: 'ExecutionStarted', details: undefined })),
          consumed: [`${r.executionArn}#start`],
          added: [],
        }));
        await expect(storeA().commitSteps('a', commits)).rejects.toThrow();
        for (const r of recs) {
          expect(await storeA().getExecution(r.executionArn)).toEqual(r);
          expect(await storeA().getHistory(r.executionArn)).toEqual([]);
        }
        expect(await storeA().claimExecutions('a', T0, 60_000, 10)).toHaveLength(3);
      });

      it('round-trips text PostgreSQL cannot hold raw (NUL) and astral characters in JSON', async () => {
        const [rec] = await createMany(1);
        const r = rec as ExecutionRecord;
        await storeA().claimExecutions('a', T0, 60_000, 1);
        const details = { name: 'nul\u0000 and 🚀', input: '{"a":"\\u0000"}' };
        const snapshot = { ...(r.snapshot as Snapshot), output: { s: 'x\u0000y😀' } } as Snapshot;
        await storeA().commitSteps('a', [
          { executionArn: r.executionArn, expectedVersion: 0, status: 'RUNNING', snapshot, output: undefined, error: undefined, cause: undefined, stopTime: undefined, history: [{ id: 1, previousEventId: 0, timestamp: T0, type: 'X', details }], consumed: [], added: [] },
        ]);
        expect((await storeB().getHistory(r.executionArn))[0]?.details).toEqual(details);
        expect((await storeB().getExecution(r.executionArn))?.snapshot).toEqual(snapshot);
      });
    });
  });
});

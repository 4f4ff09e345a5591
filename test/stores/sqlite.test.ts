import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionRecord, WorkItem } from '../../src/engine/store.js';
import { openSqliteStore } from '../../src/stores/sqlite/index.js';
import { migrations } from '../../src/stores/sqlite/migrations.js';
import { storeContract } from './contract.js';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);

storeContract('sqlite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-sqlite-'));
  const store = openSqliteStore({ path: join(dir, 'store.db') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

storeContract('sqlite :memory:', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  return { store, cleanup: () => store.close() };
});

describe('SQLite store specifics', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-sqlite-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const running = (name: string): ExecutionRecord => ({
    executionArn: `arn:aws:states:us-east-1:123456789012:execution:m:${name}`,
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m',
    name,
    type: 'STANDARD',
    status: 'RUNNING',
    startTime: T0,
    stopTime: undefined,
    input: '{}',
    output: undefined,
    error: undefined,
    cause: undefined,
    definition: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}',
    snapshot: undefined,
    version: 0,
    redriveCount: 0,
    redriveDate: undefined,
  });
  const start = (rec: ExecutionRecord): WorkItem => ({ id: `${rec.executionArn}#start`, executionArn: rec.executionArn, kind: 'event', dueAt: T0, payload: { kind: 'start' } });

  it('a loop awaiting the store still lets timers fire (results settle on a later event-loop turn)', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    await store.migrate();
    let fired = false;
    setTimeout(() => (fired = true), 5);
    let calls = 0;
    while (!fired && calls < 200_000) {
      await store.nextDueAt(T0);
      calls++;
    }
    await store.close();
    expect(fired).toBe(true);
  });

  it('puts a file database in WAL mode', async () => {
    const path = join(dir, 'wal.db');
    const store = openSqliteStore({ path });
    await store.migrate();
    await store.close();
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('keeps executions, history and work across closing and reopening the file', async () => {
    const path = join(dir, 'durable.db');
    const rec = running('durable');
    const first = openSqliteStore({ path, synchronous: 'FULL' });
    await first.migrate();
    await first.createExecution(rec, [start(rec)]);
    await first.claimExecutions('a', T0, 1000, 10);
    await first.commitSteps('a', [
      { executionArn: rec.executionArn, expectedVersion: 0, status: 'RUNNING', snapshot: undefined, output: undefined, error: undefined, cause: undefined, stopTime: undefined, history: [{ id: 1, previousEventId: 0, timestamp: T0, type: 'ExecutionStarted', details: { input: '{}' } }], consumed: [], added: [] },
    ]);
    await first.close();

    const second = openSqliteStore({ path });
    await second.migrate();
    expect(await second.getExecution(rec.executionArn)).toEqual({ ...rec, version: 1 });
    expect(await second.getHistory(rec.executionArn)).toEqual([{ id: 1, previousEventId: 0, timestamp: T0, type: 'ExecutionStarted', details: { input: '{}' } }]);
    // The lease taken before closing still holds until it expires.
    expect(await second.claimExecutions('b', T0 + 999, 1000, 10)).toEqual([]);
    expect((await second.claimExecutions('b', T0 + 1000, 1000, 10)).map((c) => c.events.length)).toEqual([1]);
    await second.close();
  });

  it('two connections to one file see each other and a lease excludes the other connection', async () => {
    const path = join(dir, 'shared.db');
    const one = openSqliteStore({ path });
    const two = openSqliteStore({ path });
    try {
      await Promise.all([one.migrate(), two.migrate()]);
      const rec = running('shared');
      await one.createExecution(rec, [start(rec)]);
      expect(await two.getExecution(rec.executionArn)).toEqual(rec);
      expect((await two.claimExecutions('two', T0, 1000, 10)).length).toBe(1);
      expect(await one.claimExecutions('one', T0, 1000, 10)).toEqual([]);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('records each migration once in schema_migrations and refuses a database from a newer Stepwise', async () => {
    const path = join(dir, 'versions.db');
    const store = openSqliteStore({ path });
    await store.migrate();
    await store.migrate();
    await store.close();
    const raw = new Database(path);
    try {
      expect(raw.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual(migrations.map((m) => ({ version: m.version })));
      raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(9999, 'from the future', T0);
    } finally {
      raw.close();
    }
    const newer = openSqliteStore({ path });
    await expect(newer.migrate()).rejects.toThrow(/newer than this Stepwise knows/);
    await newer.close();
  });

  it('several processes migrating one fresh file at the same moment all succeed', async () => {
    const path = join(dir, 'race.db');
    const script = [
      "import { openSqliteStore } from './src/stores/sqlite/index.ts';",
      "import { createInterface } from 'node:readline';",
      'const store = openSqliteStore({ path: process.argv[1] });',
      "console.log('ready');",
      'for await (const _ of createInterface({ input: process.stdin })) break;',
      'await store.migrate();',
      'await store.close();',
      "console.log('migrated');",
    ].join('\n');
    const children = Array.from({ length: 4 }, () =>
      spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, path], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] }),
    );
    const outcomes = children.map(
      (child) =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          let out = '';
          child.stdout.on('data', (b: Buffer) => (out += b.toString()));
          child.stderr.on('data', (b: Buffer) => (out += b.toString()));
          child.on('close', (code) => resolve({ code, out }));
        }),
    );
    await Promise.all(children.map((child) => new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))));
    for (const child of children) child.stdin.end('go\n');
    const results = await Promise.all(outcomes);
    expect(results).toEqual(results.map(() => ({ code: 0, out: 'ready\nmigrated\n' })));
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: migrations.length });
    } finally {
      raw.close();
    }
  });
});

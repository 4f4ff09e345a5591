/** The stores durable tests run on: SQLite always; PostgreSQL when reachable (required under CI). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../../src/stores/open.js';
import type { Store } from '../../src/engine/store.js';

export const PG_URL = process.env['STEPWISE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore {
  url: string;
  store: Store;
  cleanup(): Promise<void>;
}

export async function sqliteStore(): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-durable-'));
  const url = `sqlite:${join(dir, 'stepwise.db')}`;
  const store = openStore(url);
  await store.migrate();
  return {
    url,
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function postgresStore(): Promise<TestStore> {
  const schema = `durable_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
  const store = openStore(url);
  await store.migrate();
  return {
    url,
    store,
    cleanup: async () => {
      await store.close();
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

/** PostgreSQL is required under CI=true; elsewhere its tests skip with a message when it is absent. */
export async function postgresOrSkip(): Promise<boolean> {
  const ok = await postgresAvailable();
  if (!ok && process.env['CI'] === 'true') throw new Error(`PostgreSQL is required under CI but unreachable at ${PG_URL}`);
  if (!ok) console.warn(`PostgreSQL tests SKIPPED: nothing answers at ${PG_URL}`);
  return ok;
}

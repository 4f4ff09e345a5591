/**
 * Applies pending migrations in one transaction under a transaction-scoped advisory lock keyed by
 * the schema, so several processes starting at once apply each migration exactly once: the
 * others wait on the lock, then find the migrations recorded and do nothing.
 */
import type pg from 'pg';
import { migrations } from './migrations.js';
import { quoteIdent } from './schema-name.js';

export async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', ['stepwise.migrate', schema]);
      // Created under the lock: a bare CREATE SCHEMA IF NOT EXISTS races with itself.
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      await client.query(`SET LOCAL search_path TO ${quoteIdent(schema)}`);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const done = await client.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
      const applied = new Set(done.rows.map((r) => r.id));
      const latest = migrations[migrations.length - 1]?.id ?? 0;
      const newest = done.rows[done.rows.length - 1]?.id ?? 0;
      if (newest > latest) {
        throw new Error(`schema ${schema} is at migration ${newest}, newer than this Stepwise knows (${latest}); upgrade Stepwise`);
      }
      for (const m of migrations) {
        if (applied.has(m.id)) continue;
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    client.release();
  }
}

/**
 * Applies pending migrations inside one BEGIN IMMEDIATE transaction: it takes the database's write
 * lock before reading `schema_migrations`, so when several processes start at once the others
 * wait (busy_timeout), then find every migration recorded and do nothing.
 */
import type Database from 'better-sqlite3';
import { migrations } from './migrations.js';

export function migrate(db: Database.Database, now: () => number = Date.now): void {
  const apply = db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const rows = db.prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version').all();
    const applied = new Set(rows.map((r) => r.version));
    const newest = rows[rows.length - 1]?.version ?? 0;
    const latest = migrations[migrations.length - 1]?.version ?? 0;
    if (newest > latest) {
      throw new Error(`the SQLite database is at migration ${newest}, newer than this Stepwise knows (${latest}); upgrade Stepwise`);
    }
    const record = db.prepare<[number, string, number]>('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      db.exec(m.sql);
      record.run(m.version, m.name, now());
    }
  });
  apply.immediate();
}

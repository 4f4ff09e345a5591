/**
 * Numbered, forward-only migrations. Kept as TypeScript constants because tsc does not copy
 * .sql files into dist/. Never edit a released migration: add the next number instead.
 * Table and column names match the SQLite adapter's.
 */
import { EXECUTION_REDRIVE_SQL, EXECUTIONS_HISTORY_WORK_SQL } from '../schema.js';

export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    id: 1,
    name: 'executions, history and work',
    sql: EXECUTIONS_HISTORY_WORK_SQL,
  },
  {
    id: 2,
    name: 'resources',
    // arn and name compare in the "C" collation (code point order, as SQLite's BINARY does), so
    // listing order and prefix ranges do not depend on the database's locale.
    sql: `
CREATE TABLE resources (
  kind TEXT NOT NULL,
  arn TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  doc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  revision INTEGER NOT NULL,
  PRIMARY KEY (kind, arn)
);
CREATE INDEX resources_by_name ON resources (kind, name);
`,
  },
  { id: 3, name: 'execution redrive', sql: EXECUTION_REDRIVE_SQL },
];

/**
 * Numbered, forward-only migrations, kept as TypeScript constants because tsc does not copy .sql
 * files into dist/. Never edit a released migration: add the next version instead. Table and
 * column names are shared with the PostgreSQL adapter.
 */
import { EXECUTION_REDRIVE_SQL, EXECUTIONS_HISTORY_WORK_SQL } from '../schema.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'executions, history and work',
    sql: EXECUTIONS_HISTORY_WORK_SQL,
  },
  {
    version: 2,
    name: 'resources',
    sql: `
CREATE TABLE resources (
  kind TEXT NOT NULL,
  arn TEXT NOT NULL,
  name TEXT NOT NULL,
  doc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  revision INTEGER NOT NULL,
  PRIMARY KEY (kind, arn)
);
CREATE INDEX resources_by_name ON resources (kind, name);
`,
  },
  { version: 3, name: 'execution redrive', sql: EXECUTION_REDRIVE_SQL },
];

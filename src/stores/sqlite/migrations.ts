/**
 * Numbered, forward-only migrations, kept as TypeScript constants because tsc does not copy .sql
 * files into dist/. Never edit a released migration: add the next version instead. Table and
 * column names are shared with the PostgreSQL adapter.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'executions, history and work',
    sql: `
CREATE TABLE executions (
  execution_arn TEXT PRIMARY KEY,
  state_machine_arn TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  start_time BIGINT NOT NULL,
  stop_time BIGINT,
  input TEXT NOT NULL,
  output TEXT,
  error TEXT,
  cause TEXT,
  definition TEXT NOT NULL,
  snapshot TEXT,
  version INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until BIGINT
);
CREATE INDEX executions_by_machine ON executions (state_machine_arn, start_time DESC, execution_arn DESC);
CREATE INDEX executions_by_stop ON executions (stop_time);

CREATE TABLE history (
  execution_arn TEXT NOT NULL,
  id INTEGER NOT NULL,
  previous_event_id INTEGER NOT NULL,
  timestamp BIGINT NOT NULL,
  type TEXT NOT NULL,
  details TEXT,
  PRIMARY KEY (execution_arn, id)
);

CREATE TABLE work (
  id TEXT PRIMARY KEY,
  execution_arn TEXT NOT NULL,
  kind TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  payload TEXT NOT NULL,
  lease_owner TEXT,
  lease_until BIGINT
);
CREATE INDEX work_due ON work (kind, due_at);
CREATE INDEX work_by_execution ON work (execution_arn);
`,
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
];

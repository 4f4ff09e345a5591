/**
 * SQL both stores share. Migration 1 (executions, history, work) is the same text in SQLite and
 * PostgreSQL; later migrations may differ by dialect and live with each adapter.
 */
/**
 * Migration 3: an execution's redrive count and date, and the version and alias it was started
 * through (ListExecutions by version or alias ARN); the open (RUNNING) ones indexed for the
 * open-executions quota.
 */
export const EXECUTION_REDRIVE_SQL = `
ALTER TABLE executions ADD COLUMN redrive_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE executions ADD COLUMN redrive_date BIGINT;
ALTER TABLE executions ADD COLUMN version_arn TEXT;
ALTER TABLE executions ADD COLUMN alias_arn TEXT;
CREATE INDEX executions_open ON executions (start_time) WHERE status = 'RUNNING';
CREATE INDEX executions_by_version ON executions (version_arn, start_time DESC, execution_arn DESC) WHERE version_arn IS NOT NULL;
CREATE INDEX executions_by_alias ON executions (alias_arn, start_time DESC, execution_arn DESC) WHERE alias_arn IS NOT NULL;
`;

export const EXECUTIONS_HISTORY_WORK_SQL = `
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
`;

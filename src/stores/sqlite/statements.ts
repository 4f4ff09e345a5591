/**
 * Every fixed SQL statement of the adapter, prepared once per connection (after migrating, since
 * preparing checks that the tables exist). Work "due at now" means due_at <= now; a lease is live
 * while lease_until > now.
 */
import type Database from 'better-sqlite3';
import type { ExecutionParams, ExecutionRow, HistoryParams, HistoryRow, ResourceRow, WorkParams, WorkRow } from './rows.js';

const EXECUTION_COLUMNS =
  'execution_arn, state_machine_arn, name, type, status, start_time, stop_time, input, output, error, cause, definition, snapshot, version, redrive_count, redrive_date, version_arn, alias_arn';

const RESOURCE_COLUMNS = 'kind, arn, name, doc, created_at, updated_at, revision';

export interface CommitParams {
  execution_arn: string;
  owner: string;
  expected_version: number;
  status: string;
  snapshot: string | null;
  output: string | null;
  error: string | null;
  cause: string | null;
  stop_time: number | null;
}

export interface InsertResourceParams {
  kind: string;
  arn: string;
  name: string;
  doc: string;
  now: number;
}

export interface UpdateResourceParams {
  kind: string;
  arn: string;
  doc: string;
  expected_revision: number;
  now: number;
}

interface ClaimParams {
  owner: string;
  now: number;
  limit: number;
}

export interface Statements {
  getExecution: Database.Statement<[string], ExecutionRow>;
  insertExecution: Database.Statement<[ExecutionParams], unknown>;
  insertWork: Database.Statement<[WorkParams], unknown>;
  deleteWork: Database.Statement<[string], unknown>;
  deleteExecutionWork: Database.Statement<[string], unknown>;
  insertHistory: Database.Statement<[HistoryParams], unknown>;
  commitExecution: Database.Statement<[CommitParams], unknown>;
  claimableExecutions: Database.Statement<[ClaimParams], ExecutionRow>;
  leaseExecution: Database.Statement<[string, number, string], unknown>;
  dueEvents: Database.Statement<[string, number], WorkRow>;
  releaseExecution: Database.Statement<[string, string], unknown>;
  claimableTasks: Database.Statement<[{ now: number; limit: number }], WorkRow>;
  leaseTask: Database.Statement<[string, number, string], unknown>;
  extendTaskLease: Database.Statement<[number, string, string], unknown>;
  deleteTask: Database.Statement<[string], unknown>;
  nextDueAt: Database.Statement<[{ now: number }], { t: number | null }>;
  historyForward: Database.Statement<[string, number, number], HistoryRow>;
  historyBackward: Database.Statement<[string, number, number], HistoryRow>;
  closedBefore: Database.Statement<[number, number], { execution_arn: string }>;
  deleteHistory: Database.Statement<[string], unknown>;
  deleteExecution: Database.Statement<[string], unknown>;
  insertResource: Database.Statement<[InsertResourceParams], unknown>;
  updateResource: Database.Statement<[UpdateResourceParams], unknown>;
  getResource: Database.Statement<[string, string], ResourceRow>;
  deleteResource: Database.Statement<[string, string], unknown>;
  reopenExecution: Database.Statement<[ReopenParams], unknown>;
  deleteResourcesNamed: Database.Statement<[string, string], unknown>;
  countOpen: Database.Statement<[number], { n: number }>;
}

export interface ReopenParams {
  execution_arn: string;
  expected_version: number;
  redrive_count: number;
  redrive_date: number;
  snapshot: string;
}

export function prepareStatements(db: Database.Database): Statements {
  return {
    getExecution: db.prepare<[string], ExecutionRow>(`SELECT ${EXECUTION_COLUMNS} FROM executions WHERE execution_arn = ?`),
    insertExecution: db.prepare<ExecutionParams>(
      `INSERT INTO executions (${EXECUTION_COLUMNS}) VALUES (@execution_arn, @state_machine_arn, @name, @type, @status, @start_time, @stop_time, @input, @output, @error, @cause, @definition, @snapshot, @version, @redrive_count, @redrive_date, @version_arn, @alias_arn)`,
    ),
    insertWork: db.prepare<WorkParams>(
      'INSERT INTO work (id, execution_arn, kind, due_at, payload) VALUES (@id, @execution_arn, @kind, @due_at, @payload) ON CONFLICT (id) DO NOTHING',
    ),
    deleteWork: db.prepare<[string]>('DELETE FROM work WHERE id = ?'),
    deleteExecutionWork: db.prepare<[string]>('DELETE FROM work WHERE execution_arn = ?'),
    insertHistory: db.prepare<HistoryParams>(
      'INSERT INTO history (execution_arn, id, previous_event_id, timestamp, type, details) VALUES (@execution_arn, @id, @previous_event_id, @timestamp, @type, @details)',
    ),
    /** The lease and version check and the step's record in one statement: 0 changes = rejected. */
    commitExecution: db.prepare<CommitParams>(
      `UPDATE executions SET status = @status, snapshot = @snapshot, output = @output, error = @error, cause = @cause, stop_time = @stop_time,
         version = version + 1,
         lease_owner = CASE WHEN @status = 'RUNNING' THEN lease_owner END,
         lease_until = CASE WHEN @status = 'RUNNING' THEN lease_until END
       WHERE execution_arn = @execution_arn AND lease_owner = @owner AND version = @expected_version`,
    ),
    /** RUNNING executions with a due event and no live foreign lease, earliest due event first. */
    claimableExecutions: db.prepare<ClaimParams, ExecutionRow>(
      `SELECT ${EXECUTION_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')}
       FROM (SELECT execution_arn, MIN(due_at) AS first_due FROM work WHERE kind = 'event' AND due_at <= @now GROUP BY execution_arn) d
       JOIN executions e ON e.execution_arn = d.execution_arn
       WHERE e.status = 'RUNNING' AND (e.lease_owner IS NULL OR e.lease_until <= @now OR e.lease_owner = @owner)
       ORDER BY d.first_due, e.execution_arn
       LIMIT @limit`,
    ),
    leaseExecution: db.prepare<[string, number, string]>('UPDATE executions SET lease_owner = ?, lease_until = ? WHERE execution_arn = ?'),
    dueEvents: db.prepare<[string, number], WorkRow>(
      `SELECT id, execution_arn, kind, due_at, payload FROM work WHERE execution_arn = ? AND kind = 'event' AND due_at <= ? ORDER BY due_at, id`,
    ),
    releaseExecution: db.prepare<[string, string]>('UPDATE executions SET lease_owner = NULL, lease_until = NULL WHERE execution_arn = ? AND lease_owner = ?'),
    claimableTasks: db.prepare<{ now: number; limit: number }, WorkRow>(
      `SELECT id, execution_arn, kind, due_at, payload FROM work
       WHERE kind = 'task' AND due_at <= @now AND (lease_owner IS NULL OR lease_until <= @now)
       ORDER BY due_at, id LIMIT @limit`,
    ),
    leaseTask: db.prepare<[string, number, string]>('UPDATE work SET lease_owner = ?, lease_until = ? WHERE id = ?'),
    extendTaskLease: db.prepare<[number, string, string]>(`UPDATE work SET lease_until = ? WHERE id = ? AND lease_owner = ? AND kind = 'task'`),
    deleteTask: db.prepare<[string]>(`DELETE FROM work WHERE id = ? AND kind = 'task'`),
    /** Each arm walks work_due in due order and stops at the first claimable item. */
    nextDueAt: db.prepare<{ now: number }, { t: number | null }>(
      `SELECT MIN(t) AS t FROM (
         SELECT * FROM (SELECT due_at AS t FROM work WHERE kind = 'task' AND (lease_owner IS NULL OR lease_until <= @now) ORDER BY due_at LIMIT 1)
         UNION ALL
         SELECT * FROM (SELECT w.due_at AS t FROM work w JOIN executions e ON e.execution_arn = w.execution_arn
           WHERE w.kind = 'event' AND e.status = 'RUNNING' AND (e.lease_owner IS NULL OR e.lease_until <= @now) ORDER BY w.due_at LIMIT 1)
       )`,
    ),
    historyForward: db.prepare<[string, number, number], HistoryRow>(
      'SELECT id, previous_event_id, timestamp, type, details FROM history WHERE execution_arn = ? AND id > ? ORDER BY id LIMIT ?',
    ),
    historyBackward: db.prepare<[string, number, number], HistoryRow>(
      'SELECT id, previous_event_id, timestamp, type, details FROM history WHERE execution_arn = ? AND id < ? ORDER BY id DESC LIMIT ?',
    ),
    closedBefore: db.prepare<[number, number], { execution_arn: string }>(
      `SELECT execution_arn FROM executions WHERE stop_time < ? AND status <> 'RUNNING' ORDER BY stop_time LIMIT ?`,
    ),
    deleteHistory: db.prepare<[string]>('DELETE FROM history WHERE execution_arn = ?'),
    deleteExecution: db.prepare<[string]>('DELETE FROM executions WHERE execution_arn = ?'),
    /** 0 changes = the (kind, arn) exists already. */
    insertResource: db.prepare<InsertResourceParams>(
      `INSERT INTO resources (${RESOURCE_COLUMNS}) VALUES (@kind, @arn, @name, @doc, @now, @now, 1) ON CONFLICT (kind, arn) DO NOTHING`,
    ),
    /** Compare-and-set on the revision: 0 changes = missing or moved on. */
    updateResource: db.prepare<UpdateResourceParams>(
      'UPDATE resources SET doc = @doc, updated_at = @now, revision = revision + 1 WHERE kind = @kind AND arn = @arn AND revision = @expected_revision',
    ),
    getResource: db.prepare<[string, string], ResourceRow>(`SELECT ${RESOURCE_COLUMNS} FROM resources WHERE kind = ? AND arn = ?`),
    deleteResource: db.prepare<[string, string]>('DELETE FROM resources WHERE kind = ? AND arn = ?'),
    /** RedriveExecution: a closed execution at the expected version runs again; 0 changes = it moved on. */
    reopenExecution: db.prepare<ReopenParams>(
      `UPDATE executions SET status = 'RUNNING', stop_time = NULL, output = NULL, error = NULL, cause = NULL,
         snapshot = @snapshot, redrive_count = @redrive_count, redrive_date = @redrive_date, version = version + 1
       WHERE execution_arn = @execution_arn AND version = @expected_version AND status <> 'RUNNING'`,
    ),
    deleteResourcesNamed: db.prepare<[string, string]>('DELETE FROM resources WHERE kind = ? AND name = ?'),
    countOpen: db.prepare<[number], { n: number }>(`SELECT count(*) AS n FROM (SELECT 1 FROM executions WHERE status = 'RUNNING' LIMIT ?)`),
  };
}


/** listExecutions has optional filters: one statement per combination, prepared on first use. */
export function listExecutionsSql(filters: { machine: boolean; version: boolean; alias: boolean; status: boolean; after: boolean; redriven: boolean | undefined }): string {
  const where = [
    filters.machine ? 'state_machine_arn = @machine' : undefined,
    filters.version ? 'version_arn = @version' : undefined,
    filters.alias ? 'alias_arn = @alias' : undefined,
    filters.status ? 'status = @status' : undefined,
    filters.redriven === undefined ? undefined : filters.redriven ? 'redrive_count > 0' : 'redrive_count = 0',
    filters.after ? '(start_time < @after_time OR (start_time = @after_time AND execution_arn < @after_arn))' : undefined,
  ].filter((c) => c !== undefined);
  return `SELECT ${EXECUTION_COLUMNS} FROM executions ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY start_time DESC, execution_arn DESC LIMIT @limit`;
}

/**
 * listResources has optional bounds on arn (a prefix's range, the cursor): one statement per
 * combination, prepared on first use. The bounds walk the (kind, arn) primary key in arn order.
 */
export function listResourcesSql(bounds: { from: boolean; to: boolean; after: boolean }, columns = RESOURCE_COLUMNS): string {
  const where = [
    'kind = @kind',
    bounds.from ? 'arn >= @from' : undefined,
    bounds.to ? 'arn < @to' : undefined,
    bounds.after ? 'arn > @after' : undefined,
  ].filter((c) => c !== undefined);
  return `SELECT ${columns} FROM resources WHERE ${where.join(' AND ')} ORDER BY arn LIMIT @limit`;
}

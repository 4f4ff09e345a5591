/** Reads, inserts from outside a step, clean-up, and resource records. */
import type pg from 'pg';
import { EXECUTION_SCOPED_KINDS, type ExecutionRecord, type HistoryQuery, type Json, type ListExecutionsQuery, type ReopenRequest, type ResourceRecord, type WorkItem } from '../../engine/store.js';
import type { HistoryEvent } from '../../engine/types.js';
import { prefixUpperBound } from '../prefix-range.js';
import {
  type ExecutionRow,
  type HistoryRow,
  type ResourceRow,
  executionColumns,
  insertWorkFromUnnest,
  nullable,
  resourceColumns,
  toHistoryEvent,
  toRecord,
  toResourceRecord,
  workColumns,
} from './rows.js';

// One statement: the work items are inserted only when the execution row was.
const createExecutionSql = `
WITH created AS (
  INSERT INTO executions (${executionColumns})
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
  ON CONFLICT (execution_arn) DO NOTHING
  RETURNING execution_arn
), work_items AS (
  INSERT INTO work (id, execution_arn, kind, due_at, payload)
  SELECT id, execution_arn, kind, due_at, payload
  FROM unnest($19::text[], $20::text[], $21::text[], $22::bigint[], $23::text[]) AS w(id, execution_arn, kind, due_at, payload)
  WHERE EXISTS (SELECT 1 FROM created)
  ON CONFLICT (id) DO NOTHING
)
SELECT count(*)::int AS n FROM created`;

export async function createExecution(
  pool: pg.Pool,
  record: ExecutionRecord,
  work: readonly WorkItem[],
): Promise<{ created: true } | { created: false; existing: ExecutionRecord }> {
  const result = await pool.query<{ n: number }>(createExecutionSql, [
    record.executionArn,
    record.stateMachineArn,
    record.name,
    record.type,
    record.status,
    record.startTime,
    nullable(record.stopTime),
    record.input,
    nullable(record.output),
    nullable(record.error),
    nullable(record.cause),
    record.definition,
    record.snapshot === undefined ? null : JSON.stringify(record.snapshot),
    record.version,
    record.redriveCount,
    nullable(record.redriveDate),
    nullable(record.stateMachineVersionArn),
    nullable(record.stateMachineAliasArn),
    ...workColumns(work),
  ]);
  if (result.rows[0]?.n === 1) return { created: true };
  const existing = await getExecution(pool, record.executionArn);
  // Only a concurrent delete between the two statements gets here; the caller may retry.
  if (existing === undefined) throw new Error(`execution ${record.executionArn} was deleted while being created`);
  return { created: false, existing };
}

export async function addWork(pool: pg.Pool, items: readonly WorkItem[]): Promise<void> {
  if (items.length === 0) return;
  await pool.query(insertWorkFromUnnest, workColumns(items));
}

/**
 * The earliest due time of claimable work: event items of RUNNING executions without a live
 * lease, and task items without a live lease. Each branch walks work_due in due order and stops
 * at its first match.
 */
const nextDueAtSql = `
SELECT min(t) AS next FROM (
  (SELECT w.due_at AS t FROM work w JOIN executions e ON e.execution_arn = w.execution_arn
   WHERE w.kind = 'event' AND e.status = 'RUNNING' AND (e.lease_until IS NULL OR e.lease_until <= $1)
   ORDER BY w.due_at LIMIT 1)
  UNION ALL
  (SELECT due_at AS t FROM work
   WHERE kind = 'task' AND (lease_until IS NULL OR lease_until <= $1)
   ORDER BY due_at LIMIT 1)
) candidates`;

export async function nextDueAt(pool: pg.Pool, now: number): Promise<number | undefined> {
  const result = await pool.query<{ next: number | null }>(nextDueAtSql, [now]);
  return result.rows[0]?.next ?? undefined;
}

export async function getExecution(pool: pg.Pool, executionArn: string): Promise<ExecutionRecord | undefined> {
  const result = await pool.query<ExecutionRow>(`SELECT ${executionColumns} FROM executions WHERE execution_arn = $1`, [executionArn]);
  const row = result.rows[0];
  return row === undefined ? undefined : toRecord(row);
}

export async function listExecutions(pool: pg.Pool, query: ListExecutionsQuery): Promise<ExecutionRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (query.stateMachineArn !== undefined) where.push(`state_machine_arn = ${param(query.stateMachineArn)}`);
  if (query.versionArn !== undefined) where.push(`version_arn = ${param(query.versionArn)}`);
  if (query.aliasArn !== undefined) where.push(`alias_arn = ${param(query.aliasArn)}`);
  if (query.status !== undefined) where.push(`status = ${param(query.status)}`);
  if (query.redriven !== undefined) where.push(query.redriven ? 'redrive_count > 0' : 'redrive_count = 0');
  if (query.after !== undefined) {
    where.push(`(start_time, execution_arn) < (${param(query.after.startTime)}::bigint, ${param(query.after.executionArn)}::text)`);
  }
  const sql = `SELECT ${executionColumns} FROM executions ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY start_time DESC, execution_arn DESC LIMIT ${param(Math.max(0, Math.floor(query.limit)))}`;
  const result = await pool.query<ExecutionRow>(sql, params);
  return result.rows.map(toRecord);
}

export async function getHistory(pool: pg.Pool, executionArn: string, query: HistoryQuery = {}): Promise<HistoryEvent[]> {
  const reverse = query.reverse === true;
  const params: unknown[] = [executionArn];
  let sql = 'SELECT id, previous_event_id, timestamp, type, details FROM history WHERE execution_arn = $1';
  if (query.afterId !== undefined) {
    params.push(query.afterId);
    sql += ` AND id ${reverse ? '<' : '>'} $2`;
  }
  sql += ` ORDER BY id ${reverse ? 'DESC' : 'ASC'}`;
  if (query.limit !== undefined) {
    params.push(Math.max(0, Math.floor(query.limit)));
    sql += ` LIMIT $${params.length}`;
  }
  const result = await pool.query<HistoryRow>(sql, params);
  return result.rows.map(toHistoryEvent);
}

// Rows being deleted by another process are skipped, not waited for.
const deleteClosedBeforeSql = `
WITH victims AS (
  SELECT execution_arn FROM executions
  WHERE stop_time < $1 AND status <> 'RUNNING'
  ORDER BY stop_time
  LIMIT $2
  FOR UPDATE SKIP LOCKED
), history_gone AS (
  DELETE FROM history WHERE execution_arn IN (SELECT execution_arn FROM victims)
), work_gone AS (
  DELETE FROM work WHERE execution_arn IN (SELECT execution_arn FROM victims)
), resources_gone AS (
  DELETE FROM resources WHERE kind = ANY($3::text[]) AND name IN (SELECT execution_arn FROM victims)
), executions_gone AS (
  DELETE FROM executions WHERE execution_arn IN (SELECT execution_arn FROM victims) RETURNING 1
)
SELECT count(*)::int AS n FROM executions_gone`;

export async function deleteClosedBefore(pool: pg.Pool, before: number, limit: number): Promise<number> {
  if (limit <= 0) return 0;
  const result = await pool.query<{ n: number }>(deleteClosedBeforeSql, [before, limit, EXECUTION_SCOPED_KINDS]);
  return result.rows[0]?.n ?? 0;
}

export async function createResource(pool: pg.Pool, kind: string, arn: string, name: string, doc: Json, now: number): Promise<boolean> {
  const result = await pool.query(
    `INSERT INTO resources (${resourceColumns}) VALUES ($1, $2, $3, $4, $5, $5, 1) ON CONFLICT (kind, arn) DO NOTHING`,
    [kind, arn, name, JSON.stringify(doc), now],
  );
  return result.rowCount === 1;
}

/** Compare-and-set on the revision: no row updated = missing or moved on. */
export async function updateResource(pool: pg.Pool, kind: string, arn: string, doc: Json, expectedRevision: number, now: number): Promise<boolean> {
  const result = await pool.query(
    'UPDATE resources SET doc = $3, updated_at = $4, revision = revision + 1 WHERE kind = $1 AND arn = $2 AND revision = $5',
    [kind, arn, JSON.stringify(doc), now, expectedRevision],
  );
  return result.rowCount === 1;
}

export async function getResource(pool: pg.Pool, kind: string, arn: string): Promise<ResourceRecord | undefined> {
  const result = await pool.query<ResourceRow>(`SELECT ${resourceColumns} FROM resources WHERE kind = $1 AND arn = $2`, [kind, arn]);
  const row = result.rows[0];
  return row === undefined ? undefined : toResourceRecord(row);
}

/** The prefix is a range of the (kind, arn) primary key (arn is in the "C" collation; see prefix-range.ts). */
export async function listResources(
  pool: pg.Pool,
  kind: string,
  query: { arnPrefix?: string; afterArn?: string; limit: number },
): Promise<ResourceRecord[]> {
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = [`kind = ${param(kind)}`];
  if (query.arnPrefix !== undefined && query.arnPrefix !== '') {
    where.push(`arn >= ${param(query.arnPrefix)}`);
    const to = prefixUpperBound(query.arnPrefix);
    if (to !== undefined) where.push(`arn < ${param(to)}`);
  }
  if (query.afterArn !== undefined) where.push(`arn > ${param(query.afterArn)}`);
  const sql = `SELECT ${resourceColumns} FROM resources WHERE ${where.join(' AND ')}
    ORDER BY arn LIMIT ${param(Math.max(0, Math.floor(query.limit)))}`;
  const result = await pool.query<ResourceRow>(sql, params);
  return result.rows.map(toResourceRecord);
}

export async function countResources(pool: pg.Pool, kind: string, query: { arnPrefix?: string; limit: number }): Promise<number> {
  const params: unknown[] = [kind];
  const where = ['kind = $1'];
  if (query.arnPrefix !== undefined && query.arnPrefix !== '') {
    params.push(query.arnPrefix);
    where.push(`arn >= $${params.length}`);
    const to = prefixUpperBound(query.arnPrefix);
    if (to !== undefined) {
      params.push(to);
      where.push(`arn < $${params.length}`);
    }
  }
  params.push(Math.max(0, Math.floor(query.limit)));
  const sql = `SELECT count(*)::int AS n FROM (SELECT 1 FROM resources WHERE ${where.join(' AND ')} LIMIT $${params.length}) r`;
  const result = await pool.query<{ n: number }>(sql, params);
  return result.rows[0]?.n ?? 0;
}

export async function deleteResource(pool: pg.Pool, kind: string, arn: string): Promise<boolean> {
  const result = await pool.query('DELETE FROM resources WHERE kind = $1 AND arn = $2', [kind, arn]);
  return result.rowCount === 1;
}

// One statement: the work items are inserted only when the execution was reopened.
const reopenExecutionSql = `
WITH reopened AS (
  UPDATE executions SET status = 'RUNNING', stop_time = NULL, output = NULL, error = NULL, cause = NULL,
    snapshot = $3, redrive_count = $4, redrive_date = $5, version = version + 1
  WHERE execution_arn = $1 AND version = $2 AND status <> 'RUNNING'
  RETURNING execution_arn
), work_items AS (
  INSERT INTO work (id, execution_arn, kind, due_at, payload)
  SELECT id, execution_arn, kind, due_at, payload
  FROM unnest($6::text[], $7::text[], $8::text[], $9::bigint[], $10::text[]) AS w(id, execution_arn, kind, due_at, payload)
  WHERE EXISTS (SELECT 1 FROM reopened)
  ON CONFLICT (id) DO NOTHING
)
SELECT count(*)::int AS n FROM reopened`;

export async function reopenExecution(pool: pg.Pool, executionArn: string, expectedVersion: number, redrive: ReopenRequest, work: readonly WorkItem[]): Promise<boolean> {
  const result = await pool.query<{ n: number }>(reopenExecutionSql, [
    executionArn,
    expectedVersion,
    JSON.stringify(redrive.snapshot),
    redrive.redriveCount,
    redrive.redriveDate,
    ...workColumns(work),
  ]);
  return result.rows[0]?.n === 1;
}

export async function countOpenExecutions(pool: pg.Pool, limit: number): Promise<number> {
  const result = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM executions WHERE status = 'RUNNING' LIMIT $1) open`, [limit]);
  return result.rows[0]?.n ?? 0;
}

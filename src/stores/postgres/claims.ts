/**
 * Leases. Claims lock candidate rows with FOR UPDATE SKIP LOCKED, so processes sharing the
 * database never lease the same execution or task and never wait on each other's candidates.
 * A lease is live while lease_until > now. Ties in due time are broken by id in byte order
 * (COLLATE "C"), the same order SQLite's BINARY collation gives.
 */
import type pg from 'pg';
import type { ClaimedExecution, EventItem, TaskItem } from '../../engine/store.js';
import { type ExecutionRow, type WorkRow, executionColumns, toRecord, toWorkItem } from './rows.js';

// Walks due event items in due order (the work_due index) and locks their executions, so its
// cost follows `limit`, not the backlog. An execution with several due events shows up more than
// once and is leased once, so a claim may return fewer than `limit`.
const claimExecutionsSql = `
WITH candidates AS (
  SELECT e.execution_arn, w.due_at
  FROM work w JOIN executions e ON e.execution_arn = w.execution_arn
  WHERE w.kind = 'event' AND w.due_at <= $2 AND e.status = 'RUNNING'
    AND (e.lease_until IS NULL OR e.lease_until <= $2 OR e.lease_owner = $1)
  ORDER BY w.due_at
  LIMIT $4
  FOR UPDATE OF e SKIP LOCKED
), picked AS (
  SELECT execution_arn, min(due_at) AS first_due FROM candidates GROUP BY execution_arn
)
UPDATE executions e SET lease_owner = $1, lease_until = $2::bigint + $3::bigint
FROM picked
WHERE e.execution_arn = picked.execution_arn
RETURNING ${executionColumns.split(', ').map((c) => `e.${c}`).join(', ')}, picked.first_due`;

// A statement of its own, so that its snapshot is taken after the lease: the claim statement's
// snapshot may predate a step another owner committed just before releasing the execution.
const dueEventsSql = `
SELECT id, execution_arn, kind, due_at, payload FROM work
WHERE execution_arn = ANY($1::text[]) AND kind = 'event' AND due_at <= $2
ORDER BY due_at, id COLLATE "C"`;

export async function claimExecutions(pool: pg.Pool, owner: string, now: number, leaseMs: number, limit: number): Promise<ClaimedExecution[]> {
  if (limit <= 0) return [];
  const leased = await pool.query<ExecutionRow & { first_due: number }>(claimExecutionsSql, [owner, now, leaseMs, limit]);
  if (leased.rows.length === 0) return [];
  const rows = leased.rows.sort((x, y) => x.first_due - y.first_due || compareBytes(x.execution_arn, y.execution_arn));
  const due = await pool.query<WorkRow>(dueEventsSql, [rows.map((r) => r.execution_arn), now]);
  const events = new Map<string, EventItem[]>();
  for (const row of due.rows) {
    const list = events.get(row.execution_arn) ?? [];
    list.push(toWorkItem(row) as EventItem);
    events.set(row.execution_arn, list);
  }
  // Its events were consumed between the two statements: nothing to do, so let it go.
  const idle = rows.filter((r) => !events.has(r.execution_arn)).map((r) => r.execution_arn);
  if (idle.length > 0) await releaseExecutions(pool, owner, idle);
  return rows.filter((r) => events.has(r.execution_arn)).map((r) => ({ record: toRecord(r), events: events.get(r.execution_arn) ?? [] }));
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export async function releaseExecutions(pool: pg.Pool, owner: string, executionArns: readonly string[]): Promise<void> {
  if (executionArns.length === 0) return;
  await pool.query('UPDATE executions SET lease_owner = NULL, lease_until = NULL WHERE execution_arn = ANY($2::text[]) AND lease_owner = $1', [
    owner,
    executionArns,
  ]);
}

const claimTasksSql = `
WITH picked AS (
  SELECT id FROM work
  WHERE kind = 'task' AND due_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
  ORDER BY due_at, id COLLATE "C"
  LIMIT $4
  FOR UPDATE SKIP LOCKED
), leased AS (
  UPDATE work w SET lease_owner = $1, lease_until = $2::bigint + $3::bigint
  FROM picked
  WHERE w.id = picked.id
  RETURNING w.id, w.execution_arn, w.kind, w.due_at, w.payload
)
SELECT * FROM leased ORDER BY due_at, id COLLATE "C"`;

export async function extendTaskLeases(pool: pg.Pool, owner: string, taskItemIds: string[], until: number): Promise<void> {
  if (taskItemIds.length === 0) return;
  await pool.query(`UPDATE work SET lease_until = $3 WHERE id = ANY($1::text[]) AND lease_owner = $2 AND kind = 'task'`, [taskItemIds, owner, until]);
}

export async function claimTasks(pool: pg.Pool, owner: string, now: number, leaseMs: number, limit: number): Promise<TaskItem[]> {
  if (limit <= 0) return [];
  const result = await pool.query<WorkRow>(claimTasksSql, [owner, now, leaseMs, limit]);
  return result.rows.map((row) => toWorkItem(row) as TaskItem);
}

// One statement, so atomic: the result event is inserted only if this call deleted the task item.
// A concurrent completion of the same item waits on its row lock, then finds it gone.
const completeTaskSql = `
WITH done AS (
  DELETE FROM work WHERE id = $1 AND kind = 'task' RETURNING id
), result AS (
  INSERT INTO work (id, execution_arn, kind, due_at, payload)
  SELECT $2::text, $3::text, $4::text, $5::bigint, $6::text FROM done
  ON CONFLICT (id) DO NOTHING
)
SELECT count(*)::int AS n FROM done`;

export async function completeTask(pool: pg.Pool, taskItemId: string, result: EventItem): Promise<boolean> {
  const r = await pool.query<{ n: number }>(completeTaskSql, [
    taskItemId,
    result.id,
    result.executionArn,
    result.kind,
    result.dueAt,
    JSON.stringify(result.payload),
  ]);
  return r.rows[0]?.n === 1;
}

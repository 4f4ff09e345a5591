/**
 * Group commit: many executions' steps in one transaction and, per round, two statements.
 *
 * The first statement updates the execution rows that are still leased by the owner at the
 * expected version and, only for those, appends history and deletes consumed work items; a
 * closing commit (status not RUNNING) also drops the lease and deletes all of the execution's
 * work. The second inserts the accepted commits' new work items, after the delete, so that a
 * step that consumes an id and adds it again ends with the new item. Items a closing commit adds
 * for its own execution are not inserted at all: the port deletes them after applying them.
 *
 * Commits for the same execution in one batch (a step at version v, then v + 1) go in successive
 * rounds, in order, inside the same transaction: one UPDATE cannot touch a row twice.
 */
import type pg from 'pg';
import { MAP_RUN_KIND, type StepCommit, type WorkItem } from '../../engine/store.js';
import { insertWorkFromUnnest, nullable, workColumns } from './rows.js';

const applySteps = `
WITH c AS (
  SELECT * FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[])
    AS c(execution_arn, expected_version, status, snapshot, output, error, cause, stop_time)
), accepted AS (
  UPDATE executions e
  SET status = c.status, snapshot = c.snapshot, output = c.output, error = c.error, cause = c.cause,
      stop_time = c.stop_time, version = e.version + 1,
      lease_owner = CASE WHEN c.status = 'RUNNING' THEN e.lease_owner END,
      lease_until = CASE WHEN c.status = 'RUNNING' THEN e.lease_until END
  FROM c
  WHERE e.execution_arn = c.execution_arn AND e.version = c.expected_version AND e.lease_owner = $1
  RETURNING e.execution_arn, e.status
), closed AS (
  SELECT execution_arn FROM accepted WHERE status <> 'RUNNING'
), appended AS (
  INSERT INTO history (execution_arn, id, previous_event_id, timestamp, type, details)
  SELECT h.execution_arn, h.id, h.previous_event_id, h.timestamp, h.type, h.details
  FROM unnest($10::text[], $11::int[], $12::int[], $13::bigint[], $14::text[], $15::text[])
    AS h(execution_arn, id, previous_event_id, timestamp, type, details)
  WHERE h.execution_arn IN (SELECT execution_arn FROM accepted)
), consumed AS (
  -- Disjoint from closed_work: one statement must not delete a row twice.
  DELETE FROM work w
  USING unnest($16::text[], $17::text[]) AS d(execution_arn, id)
  WHERE w.id = d.id AND d.execution_arn IN (SELECT execution_arn FROM accepted)
    AND w.execution_arn NOT IN (SELECT execution_arn FROM closed)
), closed_work AS (
  DELETE FROM work WHERE execution_arn IN (SELECT execution_arn FROM closed)
)
SELECT execution_arn, status FROM accepted`;

export async function commitSteps(pool: pg.Pool, owner: string, commits: readonly StepCommit[]): Promise<{ rejected: string[] }> {
  if (commits.length === 0) return { rejected: [] };
  const rejected: string[] = [];
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      for (const round of rounds(commits)) rejected.push(...(await commitRound(client, owner, round)));
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    client.release();
  }
  return { rejected };
}

async function commitRound(client: pg.PoolClient, owner: string, commits: readonly StepCommit[]): Promise<string[]> {
  const c = { arn: [] as string[], version: [] as number[], status: [] as string[], snapshot: [] as (string | null)[], output: [] as (string | null)[], error: [] as (string | null)[], cause: [] as (string | null)[], stop: [] as (number | null)[] };
  const h = { arn: [] as string[], id: [] as number[], prev: [] as number[], ts: [] as number[], type: [] as string[], details: [] as (string | null)[] };
  const d = { arn: [] as string[], id: [] as string[] };
  for (const commit of commits) {
    const arn = commit.executionArn;
    c.arn.push(arn);
    c.version.push(commit.expectedVersion);
    c.status.push(commit.status);
    c.snapshot.push(commit.snapshot === undefined ? null : JSON.stringify(commit.snapshot));
    c.output.push(nullable(commit.output));
    c.error.push(nullable(commit.error));
    c.cause.push(nullable(commit.cause));
    c.stop.push(nullable(commit.stopTime));
    for (const event of commit.history) {
      h.arn.push(arn);
      h.id.push(event.id);
      h.prev.push(event.previousEventId);
      h.ts.push(event.timestamp);
      h.type.push(event.type);
      h.details.push(event.details === undefined ? null : JSON.stringify(event.details));
    }
    for (const id of commit.consumed) {
      d.arn.push(arn);
      d.id.push(id);
    }
  }
  const result = await client.query<{ execution_arn: string; status: string }>(applySteps, [
    owner,
    c.arn, c.version, c.status, c.snapshot, c.output, c.error, c.cause, c.stop,
    h.arn, h.id, h.prev, h.ts, h.type, h.details,
    d.arn, d.id,
  ]);
  const accepted = new Set(result.rows.map((r) => r.execution_arn));
  const closed = new Set(result.rows.filter((r) => r.status !== 'RUNNING').map((r) => r.execution_arn));
  const added: WorkItem[] = [];
  for (const commit of commits) {
    if (!accepted.has(commit.executionArn)) continue;
    for (const item of commit.added) if (!closed.has(item.executionArn)) added.push(item);
  }
  if (added.length > 0) await client.query(insertWorkFromUnnest, workColumns(added));
  const runs = commits.filter((commit) => accepted.has(commit.executionArn)).flatMap((commit) => (commit.mapRuns ?? []).map((arn) => ({ arn, executionArn: commit.executionArn, at: commit.history.at(-1)?.timestamp ?? 0 })));
  if (runs.length > 0) {
    await client.query(
      `INSERT INTO resources (kind, arn, name, doc, created_at, updated_at, revision)
       SELECT $1, arn, execution_arn, json_build_object('executionArn', execution_arn)::text, at, at, 1
       FROM unnest($2::text[], $3::text[], $4::bigint[]) AS r(arn, execution_arn, at)
       ON CONFLICT (kind, arn) DO NOTHING`,
      [MAP_RUN_KIND, runs.map((r) => r.arn), runs.map((r) => r.executionArn), runs.map((r) => r.at)],
    );
  }
  return commits.filter((commit) => !accepted.has(commit.executionArn)).map((commit) => commit.executionArn);
}

/** Splits commits into rounds in which each execution appears at most once, keeping their order. */
function rounds(commits: readonly StepCommit[]): StepCommit[][] {
  const out: StepCommit[][] = [];
  const seen = new Map<string, number>();
  for (const commit of commits) {
    const round = seen.get(commit.executionArn) ?? 0;
    seen.set(commit.executionArn, round + 1);
    (out[round] ??= []).push(commit);
  }
  return out;
}

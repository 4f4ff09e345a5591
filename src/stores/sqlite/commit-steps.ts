/**
 * Group commit: every step of the call in one transaction. The execution row's UPDATE carries the
 * lease and version check, so a rejected commit writes nothing and the rest go on.
 */
import type Database from 'better-sqlite3';
import { MAP_RUN_KIND, type StepCommit } from '../../engine/store.js';
import { historyParams, workParams } from './rows.js';
import type { Statements } from './statements.js';

export function commitSteps(db: Database.Database, s: Statements, owner: string, commits: readonly StepCommit[]): { rejected: string[] } {
  const rejected: string[] = [];
  if (commits.length === 0) return { rejected };
  db.transaction(() => {
    for (const c of commits) {
      if (!applyCommit(s, owner, c)) rejected.push(c.executionArn);
    }
  }).immediate();
  return { rejected };
}

function applyCommit(s: Statements, owner: string, c: StepCommit): boolean {
  const arn = c.executionArn;
  const updated = s.commitExecution.run({
    execution_arn: arn,
    owner,
    expected_version: c.expectedVersion,
    status: c.status,
    snapshot: c.snapshot === undefined ? null : JSON.stringify(c.snapshot),
    output: c.output ?? null,
    error: c.error ?? null,
    cause: c.cause ?? null,
    stop_time: c.stopTime ?? null,
  });
  if (updated.changes !== 1) return false;
  for (const e of c.history) s.insertHistory.run(historyParams(arn, e));
  // Consumed before added: a step that consumes an id and adds it again ends with the new item.
  for (const id of c.consumed) s.deleteWork.run(id);
  const closing = c.status !== 'RUNNING';
  for (const w of c.added) {
    // A closing commit's own items would be deleted at once; items for other executions stay.
    if (!closing || w.executionArn !== arn) s.insertWork.run(workParams(w));
  }
  if (closing) s.deleteExecutionWork.run(arn);
  for (const mapRunArn of c.mapRuns ?? []) {
    s.insertResource.run({ kind: MAP_RUN_KIND, arn: mapRunArn, name: arn, doc: JSON.stringify({ executionArn: arn }), now: c.history.at(-1)?.timestamp ?? 0 });
  }
  return true;
}

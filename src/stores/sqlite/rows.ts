/** Rows as SQLite returns them, and their conversions to and from the Store port's shapes. */
import type { EventItem, ExecutionRecord, TaskItem, WorkItem } from '../../engine/store.js';
import type { EngineEvent, HistoryEvent, TaskRequest } from '../../engine/types.js';
import type { ExecutionRow, WorkRow } from '../rows.js';

export { toExecutionRecord, toHistoryEvent, toResourceRecord, type ExecutionRow, type HistoryRow, type ResourceRow, type WorkRow } from '../rows.js';

/** Named parameters of an execution insert: the row itself. */
export type ExecutionParams = ExecutionRow;

export type WorkParams = WorkRow;

export interface HistoryParams {
  execution_arn: string;
  id: number;
  previous_event_id: number;
  timestamp: number;
  type: string;
  details: string | null;
}

export function executionParams(r: ExecutionRecord): ExecutionParams {
  return {
    execution_arn: r.executionArn,
    state_machine_arn: r.stateMachineArn,
    name: r.name,
    type: r.type,
    status: r.status,
    start_time: r.startTime,
    stop_time: r.stopTime ?? null,
    input: r.input,
    output: r.output ?? null,
    error: r.error ?? null,
    cause: r.cause ?? null,
    definition: r.definition,
    snapshot: r.snapshot === undefined ? null : JSON.stringify(r.snapshot),
    version: r.version,
    redrive_count: r.redriveCount,
    redrive_date: r.redriveDate ?? null,
    version_arn: r.stateMachineVersionArn ?? null,
    alias_arn: r.stateMachineAliasArn ?? null,
  };
}

export function workParams(w: WorkItem): WorkParams {
  return { id: w.id, execution_arn: w.executionArn, kind: w.kind, due_at: w.dueAt, payload: JSON.stringify(w.payload) };
}

export function toEventItem(row: WorkRow): EventItem {
  return { id: row.id, executionArn: row.execution_arn, kind: 'event', dueAt: row.due_at, payload: JSON.parse(row.payload) as EngineEvent };
}

export function toTaskItem(row: WorkRow): TaskItem {
  return { id: row.id, executionArn: row.execution_arn, kind: 'task', dueAt: row.due_at, payload: JSON.parse(row.payload) as TaskRequest };
}

export function historyParams(executionArn: string, e: HistoryEvent): HistoryParams {
  return {
    execution_arn: executionArn,
    id: e.id,
    previous_event_id: e.previousEventId,
    timestamp: e.timestamp,
    type: e.type,
    details: e.details === undefined ? null : JSON.stringify(e.details),
  };
}

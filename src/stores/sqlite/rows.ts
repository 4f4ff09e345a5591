/** Rows as SQLite returns them, and their conversions to and from the Store port's shapes. */
import type { EventItem, ExecutionRecord, Json, ResourceRecord, TaskItem, WorkItem } from '../../engine/store.js';
import type { EngineEvent, ExecutionStatus, HistoryEvent, Snapshot, TaskRequest } from '../../engine/types.js';

export interface ExecutionRow {
  execution_arn: string;
  state_machine_arn: string;
  name: string;
  type: string;
  status: string;
  start_time: number;
  stop_time: number | null;
  input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  definition: string;
  snapshot: string | null;
  version: number;
}

export interface HistoryRow {
  id: number;
  previous_event_id: number;
  timestamp: number;
  type: string;
  details: string | null;
}

export interface WorkRow {
  id: string;
  execution_arn: string;
  kind: string;
  due_at: number;
  payload: string;
}

/** Named parameters of an execution insert. */
export interface ExecutionParams {
  execution_arn: string;
  state_machine_arn: string;
  name: string;
  type: string;
  status: string;
  start_time: number;
  stop_time: number | null;
  input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  definition: string;
  snapshot: string | null;
  version: number;
}

export type WorkParams = WorkRow;

export interface HistoryParams {
  execution_arn: string;
  id: number;
  previous_event_id: number;
  timestamp: number;
  type: string;
  details: string | null;
}

export function toExecutionRecord(row: ExecutionRow): ExecutionRecord {
  return {
    executionArn: row.execution_arn,
    stateMachineArn: row.state_machine_arn,
    name: row.name,
    type: row.type as ExecutionRecord['type'],
    status: row.status as ExecutionStatus,
    startTime: row.start_time,
    stopTime: row.stop_time ?? undefined,
    input: row.input,
    output: row.output ?? undefined,
    error: row.error ?? undefined,
    cause: row.cause ?? undefined,
    definition: row.definition,
    snapshot: row.snapshot === null ? undefined : (JSON.parse(row.snapshot) as Snapshot),
    version: row.version,
  };
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

export function toHistoryEvent(row: HistoryRow): HistoryEvent {
  return {
    id: row.id,
    previousEventId: row.previous_event_id,
    timestamp: row.timestamp,
    type: row.type,
    details: row.details === null ? undefined : (JSON.parse(row.details) as Record<string, unknown>),
  };
}

export interface ResourceRow {
  kind: string;
  arn: string;
  name: string;
  doc: string;
  created_at: number;
  updated_at: number;
  revision: number;
}

export function toResourceRecord(row: ResourceRow): ResourceRecord {
  return {
    kind: row.kind,
    arn: row.arn,
    name: row.name,
    doc: JSON.parse(row.doc) as Json,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revision: row.revision,
  };
}

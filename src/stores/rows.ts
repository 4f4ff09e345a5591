/**
 * Row shapes shared by both stores (the same table and column names) and their mapping to the
 * Store port's records; each adapter keeps only what its SQL dialect needs.
 */
import type { ExecutionRecord, Json, ResourceRecord, WorkItem } from '../engine/store.js';
import type { ExecutionStatus, HistoryEvent } from '../engine/types.js';

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
  redrive_count: number;
  redrive_date: number | null;
  version_arn: string | null;
  alias_arn: string | null;
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
    snapshot: row.snapshot === null ? undefined : (JSON.parse(row.snapshot) as ExecutionRecord['snapshot']),
    version: row.version,
    redriveCount: row.redrive_count,
    redriveDate: row.redrive_date ?? undefined,
    stateMachineVersionArn: row.version_arn ?? undefined,
    stateMachineAliasArn: row.alias_arn ?? undefined,
  };
}

export interface WorkRow {
  id: string;
  execution_arn: string;
  kind: string;
  due_at: number;
  payload: string;
}

export function toWorkItem(row: WorkRow): WorkItem {
  return { id: row.id, executionArn: row.execution_arn, kind: row.kind, dueAt: row.due_at, payload: JSON.parse(row.payload) } as WorkItem;
}

export interface HistoryRow {
  id: number;
  previous_event_id: number;
  timestamp: number;
  type: string;
  details: string | null;
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

/**
 * Execution logs as CloudWatch Logs holds them for a state machine with a loggingConfiguration:
 * one JSON record per history event of the levels asked for, in the machine's log group, one
 * stream per execution. Records live in the store (kind `logRecord`) so every node of a cluster
 * reads the same logs, and are also appended as JSON lines under an export folder.
 *
 * Levels (AWS, "Log levels" of cloudwatch-log-level.html): ALL = every event; ERROR = the failure
 * events below; FATAL = ExecutionFailed/Aborted/TimedOut; OFF = none. With includeExecutionData
 * false, inputs, outputs and parameters are left out. Delivery is best effort, as on AWS: a
 * record that fails to be written is reported, never fails the execution.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../engine/clock.js';
import { toAwsEvent, detailsKey } from '../engine/history-format.js';
import type { Json, Store } from '../engine/store.js';
import type { HistoryEvent } from '../engine/types.js';
import { parseExecutionArn } from './arns.js';
import type { LoggingConfiguration, LogLevel } from './state-machines.js';

export const LOG_RECORD_KIND = 'logRecord';

const FATAL = new Set(['ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);
const ERROR = new Set([
  ...FATAL,
  'FailStateEntered',
  'LambdaFunctionFailed',
  'LambdaFunctionScheduleFailed',
  'LambdaFunctionStartFailed',
  'LambdaFunctionTimedOut',
  'ActivityFailed',
  'ActivityScheduleFailed',
  'ActivityTimedOut',
  'MapStateAborted',
  'MapStateFailed',
  'MapIterationAborted',
  'MapIterationFailed',
  'MapRunAborted',
  'MapRunFailed',
  'ParallelStateAborted',
  'ParallelStateFailed',
  'TaskFailed',
  'TaskStartFailed',
  'TaskStateAborted',
  'TaskSubmitFailed',
  'TaskTimedOut',
  'WaitStateAborted',
]);

export function logsEvent(level: LogLevel, type: string): boolean {
  if (level === 'ALL') return true;
  if (level === 'ERROR') return ERROR.has(type);
  if (level === 'FATAL') return FATAL.has(type);
  return false;
}

/** `arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/X:*` → `/aws/vendedlogs/states/X`. */
export function logGroupName(cfg: LoggingConfiguration): string | undefined {
  const arn = cfg.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn;
  const m = arn ? /:log-group:(.+):\*$/.exec(arn) : null;
  return m?.[1];
}

/** One log event as CloudWatch Logs stores it for Step Functions (numbers as strings, as AWS writes them). */
export interface ExecutionLogRecord {
  id: string;
  type: string;
  details: Record<string, unknown>;
  previous_event_id: string;
  event_timestamp: string;
  execution_arn: string;
  redrive_count: string;
}

export function logRecord(executionArn: string, e: HistoryEvent, includeExecutionData: boolean, redriveCount: number): ExecutionLogRecord {
  const aws = toAwsEvent(e, includeExecutionData);
  const details = (aws[detailsKey(e.type)] as Record<string, unknown> | undefined) ?? {};
  return { id: String(e.id), type: e.type, details, previous_event_id: String(e.previousEventId), event_timestamp: String(e.timestamp), execution_arn: executionArn, redrive_count: String(redriveCount) };
}

/** A stored record: the log event with where it belongs. */
export interface StoredLogEvent {
  logGroupName: string;
  logStreamName: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
}

/** Record ARNs sort by group, then time, then execution and event id: a group's log reads in time order. */
export function logRecordArn(group: string, timestamp: number, executionArn: string, id: number): string {
  return `${group}|${String(timestamp).padStart(13, '0')}|${executionArn}|${String(id).padStart(7, '0')}`;
}

export function logRecordPrefix(group: string): string {
  return `${group}|`;
}

/** `arn:…:execution:Machine:name` → `states/Machine/name`. */
export function logStreamName(executionArn: string): string {
  const { stateMachineName, name } = parseExecutionArn(executionArn);
  return `states/${stateMachineName}/${name}`;
}

export interface ExecutionLogsOptions {
  store: Store;
  clock: Clock;
  /** The logging configuration and redrive count of an execution's state machine (undefined: no logs). */
  configOf: (executionArn: string) => Promise<{ logging: LoggingConfiguration; redriveCount: number } | undefined>;
  /** Also append each record as a JSON line to `<dir>/<group with / as _>.jsonl`. */
  exportDir?: string;
  onError?: (err: unknown) => void;
}

export class ExecutionLogs {
  /** Writes are chained so records of one execution land in order. */
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ExecutionLogsOptions) {}

  /** Log a committed step's events (fire and forget; `flush()` awaits them). */
  record(executionArn: string, events: readonly HistoryEvent[]): void {
    this.pending = this.pending.then(() => this.write(executionArn, events)).catch((err: unknown) => (this.opts.onError ?? ((e) => console.error('stepwise logs:', e)))(err));
  }

  flush(): Promise<void> {
    return this.pending;
  }

  private async write(executionArn: string, events: readonly HistoryEvent[]): Promise<void> {
    const cfg = await this.opts.configOf(executionArn);
    if (!cfg || cfg.logging.level === 'OFF') return;
    const group = logGroupName(cfg.logging);
    if (!group) return;
    const stream = logStreamName(executionArn);
    const now = this.opts.clock.now();
    const lines: string[] = [];
    for (const e of events) {
      if (!logsEvent(cfg.logging.level, e.type)) continue;
      const message = JSON.stringify(logRecord(executionArn, e, cfg.logging.includeExecutionData, cfg.redriveCount));
      const doc: StoredLogEvent = { logGroupName: group, logStreamName: stream, timestamp: e.timestamp, ingestionTime: now, message };
      await this.opts.store.createResource(LOG_RECORD_KIND, logRecordArn(group, e.timestamp, executionArn, e.id), executionArn, doc as unknown as Json, now);
      lines.push(message);
    }
    if (lines.length && this.opts.exportDir) {
      mkdirSync(this.opts.exportDir, { recursive: true });
      appendFileSync(join(this.opts.exportDir, `${group.replace(/^\/+/, '').replace(/[^A-Za-z0-9._-]/g, '_')}.jsonl`), lines.map((l) => l + '\n').join(''));
    }
  }

  /** A group's events in time order after `afterArn`, optionally only some streams and a time range. */
  async list(query: { group: string; startTime?: number; endTime?: number; streams?: readonly string[]; afterArn?: string; limit: number }): Promise<{ events: (StoredLogEvent & { eventId: string })[]; lastArn?: string }> {
    const prefix = logRecordPrefix(query.group);
    let afterArn = query.afterArn ?? (query.startTime !== undefined ? `${prefix}${String(query.startTime - 1).padStart(13, '0')}|~` : undefined);
    const events: (StoredLogEvent & { eventId: string })[] = [];
    let lastArn: string | undefined;
    // Stream filters skip records: read on in bounded pages until the page is full or the group ends.
    for (let scanned = 0; scanned < 10_000; ) {
      const page = await this.opts.store.listResources(LOG_RECORD_KIND, { arnPrefix: prefix, limit: 500, ...(afterArn !== undefined && { afterArn }) });
      for (const rec of page) {
        const doc = rec.doc as unknown as StoredLogEvent;
        if (query.endTime !== undefined && doc.timestamp > query.endTime) return { events, ...(lastArn !== undefined && { lastArn }) };
        lastArn = rec.arn;
        if (query.streams && !query.streams.includes(doc.logStreamName)) continue;
        events.push({ ...doc, eventId: Buffer.from(rec.arn).toString('base64url') });
        if (events.length >= query.limit) return { events, lastArn };
      }
      scanned += page.length;
      if (page.length < 500) break;
      afterArn = page[page.length - 1]?.arn;
    }
    return { events, ...(lastArn !== undefined && { lastArn }) };
  }

  /** The log groups that hold records (a scan of distinct prefixes, bounded). */
  async groups(limit = 50): Promise<string[]> {
    const out: string[] = [];
    let afterArn: string | undefined;
    while (out.length < limit) {
      const page = await this.opts.store.listResources(LOG_RECORD_KIND, { limit: 1, ...(afterArn !== undefined && { afterArn }) });
      const rec = page[0];
      if (!rec) break;
      const group = rec.arn.slice(0, rec.arn.indexOf('|'));
      out.push(group);
      // Jump past every record of this group: '}' sorts after '|'.
      afterArn = `${group}}`;
    }
    return out;
  }
}

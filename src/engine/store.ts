/**
 * The Store port: what the durable runner needs from a database. Owned by the engine; adapters
 * (stores/sqlite, stores/postgres) implement it and one contract suite runs against both.
 *
 * Model
 * - An execution row holds its record (status, input/output, the definition it runs) and its
 *   engine snapshot, with a `version` that increments on every committed step.
 * - Work items are what remains to be done, each with a due time:
 *   - `event` items are engine events (start, timer fired, task result, stop) waiting to be
 *     applied to their execution by a step;
 *   - `task` items are task invocations waiting for a worker.
 *   Their ids are deterministic (see `workId`), so inserting one twice is a no-op.
 * - Applying events is serialised per execution by a lease: a runner claims executions that have
 *   due events and no live lease, steps them, and commits each step (snapshot, history events,
 *   consumed and new work items) in one transaction, conditioned on still holding the lease and
 *   on the version it read. Many executions' steps share one transaction (group commit).
 * - Task items are claimed individually with a lease; completing one deletes it and inserts its
 *   result event atomically, so a result is applied at most once, and a task whose worker died
 *   is claimed again when its lease expires.
 */
import type { Json } from '../lib/json.js';
import type { EngineEvent, ExecutionStatus, HistoryEvent, Snapshot, TaskRequest } from './types.js';

export interface ExecutionRecord {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly type: 'STANDARD' | 'EXPRESS';
  status: ExecutionStatus;
  /** Epoch ms. */
  readonly startTime: number;
  stopTime: number | undefined;
  /** The execution input as JSON text. */
  readonly input: string;
  /** Output as JSON text, once succeeded. */
  output: string | undefined;
  error: string | undefined;
  cause: string | undefined;
  /** The definition (JSON text) this execution runs; later updates of the machine don't change it. */
  readonly definition: string;
  /**
   * The engine snapshot; undefined once the execution succeeded. An unsuccessful Standard
   * execution keeps it (with no live frames): it holds where a redrive resumes.
   */
  snapshot: Snapshot | undefined;
  /** Incremented by every committed step. */
  version: number;
  /** Times RedriveExecution reopened it, and when it last did (epoch ms). */
  redriveCount: number;
  redriveDate: number | undefined;
  /** The version it runs and the alias it was started through, when started through one. */
  readonly stateMachineVersionArn?: string | undefined;
  readonly stateMachineAliasArn?: string | undefined;
}

/** What RedriveExecution writes when it reopens an execution. */
export interface ReopenRequest {
  readonly redriveCount: number;
  readonly redriveDate: number;
  /** The snapshot with the service's bookkeeping (recent client tokens) updated. */
  readonly snapshot: Snapshot;
}

export type WorkItem =
  | { readonly id: string; readonly executionArn: string; readonly kind: 'event'; readonly dueAt: number; readonly payload: EngineEvent }
  | { readonly id: string; readonly executionArn: string; readonly kind: 'task'; readonly dueAt: number; readonly payload: TaskRequest };

export type EventItem = Extract<WorkItem, { kind: 'event' }>;
export type TaskItem = Extract<WorkItem, { kind: 'task' }>;

export interface ClaimedExecution {
  readonly record: ExecutionRecord;
  /** Its due event items, in (dueAt, id) order. */
  readonly events: EventItem[];
}

export interface StepCommit {
  readonly executionArn: string;
  /** The version read at claim time; the commit is rejected if the row moved on. */
  readonly expectedVersion: number;
  readonly status: ExecutionStatus;
  readonly snapshot: Snapshot | undefined;
  readonly output: string | undefined;
  readonly error: string | undefined;
  readonly cause: string | undefined;
  readonly stopTime: number | undefined;
  /** History events to append (ids continue the execution's sequence). */
  readonly history: HistoryEvent[];
  /** Work item ids this step consumed or cancelled (deleted if present). */
  readonly consumed: string[];
  /** New work items (inserted unless an item with the same id exists). */
  readonly added: WorkItem[];
  /** Distributed Map runs this step started: indexed (kind `mapRun`, doc `{executionArn}`) so DescribeMapRun finds their execution. */
  readonly mapRuns?: string[];
}

/** The resource kind of the map run index written by commitSteps. */
export const MAP_RUN_KIND = 'mapRun';

/**
 * Resource kinds that belong to one execution, named by its ARN (`name` = execution ARN): they
 * are deleted with the execution by deleteClosedBefore.
 */
export const EXECUTION_SCOPED_KINDS: readonly string[] = [MAP_RUN_KIND];

export interface ListExecutionsQuery {
  stateMachineArn?: string;
  /** Only executions started through this version (or alias). */
  versionArn?: string;
  aliasArn?: string;
  status?: ExecutionStatus;
  /** Only executions redriven at least once (true) or never (false). */
  redriven?: boolean;
  /** Newest first; page after this (startTime, executionArn) cursor. */
  after?: { startTime: number; executionArn: string };
  limit: number;
}

export interface HistoryQuery {
  reverse?: boolean;
  /** Return events with id greater (or, reversed, smaller) than this. */
  afterId?: number;
  limit?: number;
}

/**
 * A stored resource other than an execution: a state machine, one of its versions or aliases,
 * an activity, a schedule... The use cases in src/service give each kind its AWS meaning; the
 * store keeps JSON documents addressed by (kind, arn), with a revision for optimistic updates.
 */
export interface ResourceRecord {
  readonly kind: string;
  readonly arn: string;
  /** The resource's name (for listing in name order and uniqueness checks by the service). */
  readonly name: string;
  readonly doc: Json;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Starts at 1 and increments on every update. */
  readonly revision: number;
}

export interface Store {
  /** Apply pending numbered migrations; safe when several processes start at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /**
   * Insert an execution and its first work items. When an execution with that ARN exists,
   * nothing is written and `created` is false, with the existing record.
   */
  createExecution(record: ExecutionRecord, work: WorkItem[]): Promise<{ created: true } | { created: false; existing: ExecutionRecord }>;

  /**
   * Lease up to `limit` RUNNING executions that have an event item due at `now` and no live lease
   * (or a lease held by `owner`), until `now + leaseMs`. Returns each with its due event items.
   */
  claimExecutions(owner: string, now: number, leaseMs: number, limit: number): Promise<ClaimedExecution[]>;

  /**
   * Commit steps, all in one transaction. A commit whose execution is not leased by `owner` or
   * whose version differs from `expectedVersion` is skipped entirely and reported as rejected.
   * Accepted commits bump the version by one. A commit whose status is not RUNNING closes the
   * execution: all its remaining work items are deleted (after `added` is applied) and its lease
   * is dropped.
   */
  commitSteps(owner: string, commits: StepCommit[]): Promise<{ rejected: string[] }>;

  /** Drop `owner`'s leases on these executions. */
  releaseExecutions(owner: string, executionArns: string[]): Promise<void>;

  /** Lease up to `limit` task items due at `now` that no live lease holds. */
  claimTasks(owner: string, now: number, leaseMs: number, limit: number): Promise<TaskItem[]>;

  /**
   * Move the lease of these task items, still held by `owner`, to `until` (a runner renews the
   * leases of tasks it is still running, so that a long task is not dispatched twice). Items
   * leased by someone else or gone are left alone.
   */
  extendTaskLeases(owner: string, taskItemIds: string[], until: number): Promise<void>;

  /**
   * Atomically delete a task item and insert its result event. Returns false (and inserts
   * nothing) when the task item no longer exists: it was cancelled or already completed.
   */
  completeTask(taskItemId: string, result: EventItem): Promise<boolean>;

  /** Insert work items from outside a step (StopExecution, SendTaskSuccess, ...); existing ids are kept. */
  addWork(items: WorkItem[]): Promise<void>;

  /**
   * The earliest due time of work a runner could claim (event items of RUNNING executions, task
   * items), ignoring items under a live lease, to know how long a runner may sleep.
   */
  nextDueAt(now: number): Promise<number | undefined>;

  getExecution(executionArn: string): Promise<ExecutionRecord | undefined>;
  listExecutions(query: ListExecutionsQuery): Promise<ExecutionRecord[]>;
  getHistory(executionArn: string, query?: HistoryQuery): Promise<HistoryEvent[]>;

  /** Delete closed executions (their history, work and EXECUTION_SCOPED_KINDS resources) that stopped before `before`. Returns how many. */
  deleteClosedBefore(before: number, limit: number): Promise<number>;

  /**
   * Create a resource. Returns false (and writes nothing) when one with the same (kind, arn)
   * exists. The stored record has revision 1 and createdAt = updatedAt = `now`.
   */
  createResource(kind: string, arn: string, name: string, doc: Json, now: number): Promise<boolean>;
  /**
   * Replace a resource's document when its revision is still `expectedRevision`; bumps the
   * revision and sets updatedAt. Returns false when it does not exist or the revision moved.
   */
  updateResource(kind: string, arn: string, doc: Json, expectedRevision: number, now: number): Promise<boolean>;
  getResource(kind: string, arn: string): Promise<ResourceRecord | undefined>;
  /** Resources of a kind, by arn ascending, optionally only arns starting with `arnPrefix`, after the `afterArn` cursor. */
  listResources(kind: string, query: { arnPrefix?: string; afterArn?: string; limit: number }): Promise<ResourceRecord[]>;
  /** Returns false when there was nothing to delete. */
  deleteResource(kind: string, arn: string): Promise<boolean>;

  /**
   * RedriveExecution: when the execution is closed and still at `expectedVersion`, set it
   * RUNNING (stop time, output, error and cause cleared) with the redrive's count, date and
   * snapshot, bump its version and insert `work`, atomically. False when it moved on.
   */
  reopenExecution(executionArn: string, expectedVersion: number, redrive: ReopenRequest, work: WorkItem[]): Promise<boolean>;
  /** How many resources of a kind (under an arn prefix) exist, counting no further than `limit`. */
  countResources(kind: string, query: { arnPrefix?: string; limit: number }): Promise<number>;
  /** How many executions are RUNNING, counting no further than `limit`. */
  countOpenExecutions(limit: number): Promise<number>;
}

/** Deterministic work item ids: the same logical item always gets the same id. */
export const workId = {
  start: (arn: string) => `${arn}#start`,
  task: (arn: string, frameId: number, token: number) => `${arn}#task.${frameId}.${token}`,
  result: (arn: string, frameId: number, token: number) => `${arn}#result.${frameId}.${token}`,
  timer: (arn: string, frameId: number, token: number, purpose: string) => `${arn}#timer.${purpose}.${frameId}.${token}`,
  stop: (arn: string) => `${arn}#stop`,
  redrive: (arn: string, count: number) => `${arn}#redrive.${count}`,
  /** A callback task's dispatch finished (the task now waits for its token). */
  started: (arn: string, frameId: number, token: number) => `${arn}#started.${frameId}.${token}`,
  /** A `.sync` task submitted its job (sorts before the task's `result`). */
  submitted: (arn: string, frameId: number, token: number) => `${arn}#dispatched.${frameId}.${token}`,
  /** SendTaskSuccess / SendTaskFailure for a callback task. */
  callback: (arn: string, frameId: number, token: number) => `${arn}#callback.${frameId}.${token}`,
  heartbeat: (arn: string, frameId: number, token: number, at: number) => `${arn}#heartbeat.${frameId}.${token}.${at}`,
};

export type { Json };

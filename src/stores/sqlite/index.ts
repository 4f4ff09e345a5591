/**
 * The embedded Store: one SQLite file (or ':memory:') through better-sqlite3. better-sqlite3 is
 * synchronous, so each method runs to completion on the calling thread and settles its Promise
 * on a later event-loop turn (see `settle`); writes use BEGIN IMMEDIATE so that several processes sharing the file queue on the write lock
 * (busy_timeout) instead of failing to upgrade a read transaction.
 */
import Database from 'better-sqlite3';
import { EXECUTION_SCOPED_KINDS } from '../../engine/store.js';
import type {
  ClaimedExecution,
  EventItem,
  ExecutionRecord,
  HistoryQuery,
  Json,
  ListExecutionsQuery,
  ReopenRequest,
  ResourceRecord,
  StepCommit,
  Store,
  TaskItem,
  WorkItem,
} from '../../engine/store.js';
import type { HistoryEvent } from '../../engine/types.js';
import { commitSteps } from './commit-steps.js';
import { prefixUpperBound } from '../prefix-range.js';
import { migrate } from './migrate.js';
import {
  executionParams,
  toEventItem,
  toExecutionRecord,
  toHistoryEvent,
  toResourceRecord,
  toTaskItem,
  workParams,
  type ExecutionRow,
  type ResourceRow,
} from './rows.js';
import { listExecutionsSql, listResourcesSql, prepareStatements, type Statements } from './statements.js';

export interface SqliteStoreOptions {
  /** A file path, or ':memory:' for a private in-process database. */
  path: string;
  /** With WAL, NORMAL loses at most the last commits on power loss (never on a process crash); FULL loses none. */
  synchronous?: 'NORMAL' | 'FULL';
  /** How long a writer waits for another process's write lock, in ms. */
  busyTimeoutMs?: number;
}

export function openSqliteStore(opts: SqliteStoreOptions): Store {
  const db = new Database(opts.path, { timeout: opts.busyTimeoutMs ?? 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
  // Checkpoints every ~16 MB of WAL (instead of 4 MB) speed up batches of small commits; the
  // page cache stays at 8 MB so that a server holding 10,000 parked executions stays small
  // (32 MB measured no faster on the durable bench's pipeline case).
  db.pragma('cache_size = -8000');
  db.pragma('wal_autocheckpoint = 4000');
  db.pragma('temp_store = MEMORY');
  return new SqliteStore(db);
}

/**
 * Runs a synchronous store operation now and settles its Promise on a later turn of the event
 * loop. Resolving in a microtask would let a caller that loops on the store (a runner polling for
 * work) starve timers and I/O forever, which a real network store never does.
 */
function settle<T>(operation: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let value: T;
    try {
      value = operation();
    } catch (err) {
      setImmediate(reject, err);
      return;
    }
    setImmediate(resolve, value);
  });
}

type ListStatement = Database.Statement<[Record<string, string | number>], ExecutionRow>;
type ListResourcesStatement = Database.Statement<[Record<string, string | number>], ResourceRow>;

class SqliteStore implements Store {
  private statements: Statements | undefined;
  private readonly listStatements = new Map<string, ListStatement>();
  private readonly listResourcesStatements = new Map<string, ListResourcesStatement>();
  private readonly countResourcesStatements = new Map<string, Database.Statement<Record<string, string | number>, { n: number }>>();

  constructor(private readonly db: Database.Database) {}

  /** Prepared on first use: preparing needs the migrated tables. */
  private get s(): Statements {
    this.statements ??= prepareStatements(this.db);
    return this.statements;
  }

  migrate(): Promise<void> {
    return settle(() => migrate(this.db));
  }

  close(): Promise<void> {
    return settle(() => {
      if (this.db.open) this.db.close();
    });
  }

  createExecution(record: ExecutionRecord, work: WorkItem[]): Promise<{ created: true } | { created: false; existing: ExecutionRecord }> {
    return settle(() => {
      const s = this.s;
      return this.db
        .transaction((): { created: true } | { created: false; existing: ExecutionRecord } => {
          const existing = s.getExecution.get(record.executionArn);
          if (existing) return { created: false, existing: toExecutionRecord(existing) };
          s.insertExecution.run(executionParams(record));
          for (const w of work) s.insertWork.run(workParams(w));
          return { created: true };
        })
        .immediate();
    });
  }

  claimExecutions(owner: string, now: number, leaseMs: number, limit: number): Promise<ClaimedExecution[]> {
    return settle(() => {
      const s = this.s;
      // Idle polling reads without the write lock (WAL readers never block writers).
      if (s.claimableExecutions.get({ owner, now, limit: 1 }) === undefined) return [];
      return this.db
        .transaction(() =>
          s.claimableExecutions.all({ owner, now, limit }).map((row) => {
            s.leaseExecution.run(owner, now + leaseMs, row.execution_arn);
            return { record: toExecutionRecord(row), events: s.dueEvents.all(row.execution_arn, now).map(toEventItem) };
          }),
        )
        .immediate();
    });
  }

  commitSteps(owner: string, commits: StepCommit[]): Promise<{ rejected: string[] }> {
    return settle(() => commitSteps(this.db, this.s, owner, commits));
  }

  releaseExecutions(owner: string, executionArns: string[]): Promise<void> {
    return settle(() => {
      const s = this.s;
      this.db.transaction(() => {
        for (const arn of executionArns) s.releaseExecution.run(arn, owner);
      }).immediate();
    });
  }

  claimTasks(owner: string, now: number, leaseMs: number, limit: number): Promise<TaskItem[]> {
    return settle(() => {
      const s = this.s;
      if (s.claimableTasks.get({ now, limit: 1 }) === undefined) return [];
      return this.db
        .transaction(() =>
          s.claimableTasks.all({ now, limit }).map((row) => {
            s.leaseTask.run(owner, now + leaseMs, row.id);
            return toTaskItem(row);
          }),
        )
        .immediate();
    });
  }

  extendTaskLeases(owner: string, taskItemIds: string[], until: number): Promise<void> {
    return settle(() => {
      const s = this.s;
      if (taskItemIds.length === 0) return;
      this.db
        .transaction(() => {
          for (const id of taskItemIds) s.extendTaskLease.run(until, id, owner);
        })
        .immediate();
    });
  }

  completeTask(taskItemId: string, result: EventItem): Promise<boolean> {
    return settle(() => {
      const s = this.s;
      return this.db
        .transaction(() => {
          if (s.deleteTask.run(taskItemId).changes === 0) return false;
          s.insertWork.run(workParams(result));
          return true;
        })
        .immediate();
    });
  }

  addWork(items: WorkItem[]): Promise<void> {
    return settle(() => {
      if (items.length === 0) return;
      const s = this.s;
      this.db.transaction(() => {
        for (const w of items) s.insertWork.run(workParams(w));
      }).immediate();
    });
  }

  nextDueAt(now: number): Promise<number | undefined> {
    return settle(() => {
      return this.s.nextDueAt.get({ now })?.t ?? undefined;
    });
  }

  getExecution(executionArn: string): Promise<ExecutionRecord | undefined> {
    return settle(() => {
      const row = this.s.getExecution.get(executionArn);
      return row ? toExecutionRecord(row) : undefined;
    });
  }

  listExecutions(query: ListExecutionsQuery): Promise<ExecutionRecord[]> {
    return settle(() => {
      const filters = {
        machine: query.stateMachineArn !== undefined,
        version: query.versionArn !== undefined,
        alias: query.aliasArn !== undefined,
        status: query.status !== undefined,
        after: query.after !== undefined,
        redriven: query.redriven,
      };
      const key = `${+filters.machine}${+filters.version}${+filters.alias}${+filters.status}${+filters.after}${String(filters.redriven)}`;
      let stmt = this.listStatements.get(key);
      if (!stmt) {
        stmt = this.db.prepare<Record<string, string | number>, ExecutionRow>(listExecutionsSql(filters));
        this.listStatements.set(key, stmt);
      }
      const params: Record<string, string | number> = { limit: query.limit };
      if (query.stateMachineArn !== undefined) params['machine'] = query.stateMachineArn;
      if (query.versionArn !== undefined) params['version'] = query.versionArn;
      if (query.aliasArn !== undefined) params['alias'] = query.aliasArn;
      if (query.status !== undefined) params['status'] = query.status;
      if (query.after !== undefined) {
        params['after_time'] = query.after.startTime;
        params['after_arn'] = query.after.executionArn;
      }
      return stmt.all(params).map(toExecutionRecord);
    });
  }

  getHistory(executionArn: string, query: HistoryQuery = {}): Promise<HistoryEvent[]> {
    return settle(() => {
      // SQLite reads a negative LIMIT as no limit.
      const limit = query.limit ?? -1;
      const rows = query.reverse
        ? this.s.historyBackward.all(executionArn, query.afterId ?? Number.MAX_SAFE_INTEGER, limit)
        : this.s.historyForward.all(executionArn, query.afterId ?? -1, limit);
      return rows.map(toHistoryEvent);
    });
  }

  deleteClosedBefore(before: number, limit: number): Promise<number> {
    return settle(() => {
      const s = this.s;
      return this.db
        .transaction(() => {
          const arns = s.closedBefore.all(before, limit).map((r) => r.execution_arn);
          for (const arn of arns) {
            s.deleteHistory.run(arn);
            s.deleteExecutionWork.run(arn);
            s.deleteExecution.run(arn);
            for (const kind of EXECUTION_SCOPED_KINDS) s.deleteResourcesNamed.run(kind, arn);
          }
          return arns.length;
        })
        .immediate();
    });
  }

  createResource(kind: string, arn: string, name: string, doc: Json, now: number): Promise<boolean> {
    return settle(() => this.s.insertResource.run({ kind, arn, name, doc: JSON.stringify(doc), now }).changes === 1);
  }

  updateResource(kind: string, arn: string, doc: Json, expectedRevision: number, now: number): Promise<boolean> {
    return settle(
      () => this.s.updateResource.run({ kind, arn, doc: JSON.stringify(doc), expected_revision: expectedRevision, now }).changes === 1,
    );
  }

  reopenExecution(executionArn: string, expectedVersion: number, redrive: ReopenRequest, work: WorkItem[]): Promise<boolean> {
    return settle(() => {
      const s = this.s;
      return this.db
        .transaction((): boolean => {
          const reopened = s.reopenExecution.run({
            execution_arn: executionArn,
            expected_version: expectedVersion,
            redrive_count: redrive.redriveCount,
            redrive_date: redrive.redriveDate,
            snapshot: JSON.stringify(redrive.snapshot),
          });
          if (reopened.changes === 0) return false;
          for (const w of work) s.insertWork.run(workParams(w));
          return true;
        })
        .immediate();
    });
  }

  countOpenExecutions(limit: number): Promise<number> {
    return settle(() => this.s.countOpen.get(limit)?.n ?? 0);
  }

  getResource(kind: string, arn: string): Promise<ResourceRecord | undefined> {
    return settle(() => {
      const row = this.s.getResource.get(kind, arn);
      return row ? toResourceRecord(row) : undefined;
    });
  }

  listResources(kind: string, query: { arnPrefix?: string; afterArn?: string; limit: number }): Promise<ResourceRecord[]> {
    return settle(() => {
      const { params, bounds } = resourceQuery(kind, query);
      const key = `${+bounds.from}${+bounds.to}${+bounds.after}`;
      let stmt = this.listResourcesStatements.get(key);
      if (!stmt) {
        stmt = this.db.prepare<Record<string, string | number>, ResourceRow>(listResourcesSql(bounds));
        this.listResourcesStatements.set(key, stmt);
      }
      return stmt.all(params).map(toResourceRecord);
    });
  }

  countResources(kind: string, query: { arnPrefix?: string; limit: number }): Promise<number> {
    return settle(() => {
      const { params, bounds } = resourceQuery(kind, query);
      const key = `count${+bounds.from}${+bounds.to}`;
      let stmt = this.countResourcesStatements.get(key);
      if (!stmt) {
        stmt = this.db.prepare<Record<string, string | number>, { n: number }>(`SELECT count(*) AS n FROM (${listResourcesSql(bounds, 'arn')})`);
        this.countResourcesStatements.set(key, stmt);
      }
      return stmt.get(params)?.n ?? 0;
    });
  }

  deleteResource(kind: string, arn: string): Promise<boolean> {
    return settle(() => this.s.deleteResource.run(kind, arn).changes === 1);
  }
}

/** The named parameters and bounds of a resources query: its kind, an arn prefix's range, a cursor. */
function resourceQuery(kind: string, query: { arnPrefix?: string; afterArn?: string; limit: number }): { params: Record<string, string | number>; bounds: { from: boolean; to: boolean; after: boolean } } {
  const params: Record<string, string | number> = { kind, limit: Math.max(0, Math.floor(query.limit)) };
  if (query.arnPrefix !== undefined && query.arnPrefix !== '') {
    params['from'] = query.arnPrefix;
    const to = prefixUpperBound(query.arnPrefix);
    if (to !== undefined) params['to'] = to;
  }
  if (query.afterArn !== undefined) params['after'] = query.afterArn;
  return { params, bounds: { from: 'from' in params, to: 'to' in params, after: 'after' in params } };
}

/**
 * The PostgreSQL Store: many Stepwise processes share one database (one schema) and split the
 * work through leases. Each method is one round trip except commitSteps (a transaction of two
 * statements per round) and migrate.
 */
import type { Store } from '../../engine/store.js';
import { claimExecutions, claimTasks, completeTask, extendTaskLeases, releaseExecutions } from './claims.js';
import { commitSteps } from './commit-steps.js';
import { migrate } from './migrate.js';
import { createPool } from './pool.js';
import {
  addWork,
  countResources,
  countOpenExecutions,
  createExecution,
  createResource,
  deleteClosedBefore,
  deleteResource,
  getExecution,
  getHistory,
  getResource,
  listExecutions,
  listResources,
  nextDueAt,
  reopenExecution,
  updateResource,
} from './queries.js';
import { checkSchemaName } from './schema-name.js';

export interface PostgresStoreOptions {
  readonly connectionString: string;
  /** Defaults to 'public'. Lower-case letters, digits and _. Created by migrate() if missing. */
  readonly schema?: string;
  /** Connections in the pool; defaults to 10. */
  readonly poolSize?: number;
}

export function openPostgresStore(opts: PostgresStoreOptions): Store {
  const schema = checkSchemaName(opts.schema ?? 'public');
  const pool = createPool(opts.connectionString, schema, opts.poolSize ?? 10);
  let closed: Promise<void> | undefined;
  return {
    migrate: () => migrate(pool, schema),
    close: () => (closed ??= pool.end()),
    createExecution: (record, work) => createExecution(pool, record, work),
    claimExecutions: (owner, now, leaseMs, limit) => claimExecutions(pool, owner, now, leaseMs, limit),
    commitSteps: (owner, commits) => commitSteps(pool, owner, commits),
    releaseExecutions: (owner, arns) => releaseExecutions(pool, owner, arns),
    claimTasks: (owner, now, leaseMs, limit) => claimTasks(pool, owner, now, leaseMs, limit),
    extendTaskLeases: (owner, ids, until) => extendTaskLeases(pool, owner, ids, until),
    completeTask: (taskItemId, result) => completeTask(pool, taskItemId, result),
    addWork: (items) => addWork(pool, items),
    nextDueAt: (now) => nextDueAt(pool, now),
    getExecution: (arn) => getExecution(pool, arn),
    listExecutions: (query) => listExecutions(pool, query),
    getHistory: (arn, query) => getHistory(pool, arn, query),
    deleteClosedBefore: (before, limit) => deleteClosedBefore(pool, before, limit),
    createResource: (kind, arn, name, doc, now) => createResource(pool, kind, arn, name, doc, now),
    updateResource: (kind, arn, doc, expectedRevision, now) => updateResource(pool, kind, arn, doc, expectedRevision, now),
    getResource: (kind, arn) => getResource(pool, kind, arn),
    listResources: (kind, query) => listResources(pool, kind, query),
    deleteResource: (kind, arn) => deleteResource(pool, kind, arn),
    reopenExecution: (arn, expectedVersion, redrive, work) => reopenExecution(pool, arn, expectedVersion, redrive, work),
    countOpenExecutions: (limit) => countOpenExecutions(pool, limit),
    countResources: (kind, query) => countResources(pool, kind, query),
  };
}

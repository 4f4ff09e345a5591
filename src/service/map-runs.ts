/**
 * Map runs: the Distributed Map runs of an execution (ListMapRuns, DescribeMapRun, UpdateMapRun).
 * Their summaries live on the execution's snapshot; a `mapRun` index resource names the
 * execution of each run. Each child workflow runs one item (or one batch of an ItemBatcher).
 */
import type { Clock } from '../engine/clock.js';
import { MAP_RUN_KIND, type ExecutionRecord, type Store } from '../engine/store.js';
import type { MapRunSummary } from '../engine/types.js';
import { parseExecutionArn, parseStatesArn } from './arns.js';
import { ServiceError } from './errors.js';
import { decodeToken, encodeToken, pageSize } from './page-token.js';

export interface MapRunCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
  resultsWritten: number;
  failuresNotRedrivable: number;
  pendingRedrive: number;
}

export interface MapRunDescription {
  mapRunArn: string;
  executionArn: string;
  /** The map run's own state machine ARN: `…:stateMachine:<machine>/<label>`. */
  stateMachineArn: string;
  summary: MapRunSummary;
  counts: MapRunCounts;
}

export interface MapRunUpdate {
  maxConcurrency?: number;
  toleratedFailurePercentage?: number;
  toleratedFailureCount?: number;
}

export class MapRunService {
  constructor(private readonly opts: { store: Store; clock: Clock; wake?: () => void }) {}

  async list(executionArn: string, maxResults?: number, nextToken?: string): Promise<{ mapRuns: MapRunDescription[]; nextToken?: string }> {
    parseExecutionArn(executionArn);
    const rec = await this.opts.store.getExecution(executionArn);
    if (!rec) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    const limit = pageSize(maxResults);
    const now = this.opts.clock.now();
    const scope = `ListMapRuns|${executionArn}`;
    let offset = 0;
    if (nextToken !== undefined) {
      const c = decodeToken(nextToken, scope, now);
      if (typeof c !== 'number') throw new ServiceError('InvalidToken', `Invalid Token: '${nextToken}'`);
      offset = c;
    }
    // Newest first, as AWS lists them.
    const all = Object.values(rec.snapshot?.mapRuns ?? {})
      .sort((a, b) => b.startDate - a.startDate || (a.mapRunArn < b.mapRunArn ? -1 : 1))
      .map((s) => describe(rec, s));
    const page = all.slice(offset, offset + limit);
    return offset + limit < all.length ? { mapRuns: page, nextToken: encodeToken(scope, offset + limit, now) } : { mapRuns: page };
  }

  async describe(mapRunArn: string): Promise<MapRunDescription> {
    const { rec, summary } = await this.find(mapRunArn);
    return describe(rec, summary);
  }

  /** UpdateMapRun: the running map run takes the new limits at its next step. */
  async update(mapRunArn: string, update: MapRunUpdate): Promise<void> {
    const { maxConcurrency, toleratedFailurePercentage, toleratedFailureCount } = update;
    if (maxConcurrency === undefined && toleratedFailurePercentage === undefined && toleratedFailureCount === undefined) {
      throw new ServiceError('ValidationException', 'At least one of maxConcurrency, toleratedFailurePercentage or toleratedFailureCount must be specified.');
    }
    if (maxConcurrency !== undefined && (!Number.isInteger(maxConcurrency) || maxConcurrency < 0)) {
      throw validation('maxConcurrency', maxConcurrency, 'Member must have value greater than or equal to 0');
    }
    if (toleratedFailureCount !== undefined && (!Number.isInteger(toleratedFailureCount) || toleratedFailureCount < 0)) {
      throw validation('toleratedFailureCount', toleratedFailureCount, 'Member must have value greater than or equal to 0');
    }
    if (toleratedFailurePercentage !== undefined && !(toleratedFailurePercentage >= 0 && toleratedFailurePercentage <= 100)) {
      throw validation('toleratedFailurePercentage', toleratedFailurePercentage, 'Member must have value between 0 and 100');
    }
    const { rec, summary } = await this.find(mapRunArn);
    if (summary.status !== 'RUNNING' || rec.status !== 'RUNNING') {
      throw new ServiceError('ValidationException', `Map Run '${mapRunArn}' is ${summary.status} and can no longer be updated.`);
    }
    const now = this.opts.clock.now();
    await this.opts.store.addWork([
      {
        id: `${rec.executionArn}#updateMapRun.${summary.mapRunArn}.${now}.${Math.random().toString(36).slice(2)}`,
        executionArn: rec.executionArn,
        kind: 'event',
        dueAt: now,
        payload: { kind: 'updateMapRun', mapRunArn, ...update },
      },
    ]);
    this.opts.wake?.();
  }

  private async find(mapRunArn: string): Promise<{ rec: ExecutionRecord; summary: MapRunSummary }> {
    const p = parseStatesArn(mapRunArn, ['mapRun']);
    if (p.rest.length !== 2 || !(p.rest[0] ?? '').includes('/')) throw new ServiceError('InvalidArn', `Invalid Arn: 'Invalid Arn: ${mapRunArn}'`);
    const index = await this.opts.store.getResource(MAP_RUN_KIND, mapRunArn);
    const executionArn = (index?.doc as { executionArn?: string } | undefined)?.executionArn;
    const rec = executionArn === undefined ? undefined : await this.opts.store.getExecution(executionArn);
    const summary = rec?.snapshot?.mapRuns?.[mapRunArn];
    if (!rec || !summary) throw new ServiceError('ResourceNotFound', `Resource not found: '${mapRunArn}'`);
    return { rec, summary };
  }
}

function describe(rec: ExecutionRecord, s: MapRunSummary): MapRunDescription {
  const label = s.mapRunArn.split(':')[6] ?? '';
  const pending = Math.max(0, s.total - s.running - s.succeeded - s.failed - s.aborted);
  return {
    mapRunArn: s.mapRunArn,
    executionArn: rec.executionArn,
    stateMachineArn: `${rec.stateMachineArn}/${label.split('/')[1] ?? s.stateName}`,
    summary: s,
    counts: { pending, running: s.running, succeeded: s.succeeded, failed: s.failed, timedOut: 0, aborted: s.aborted, total: s.total, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 },
  };
}

function validation(member: string, value: number, constraint: string): ServiceError {
  return new ServiceError('ValidationException', `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`);
}

/**
 * Read-side execution use cases with AWS's paging: ListExecutions (newest first, status filter)
 * and GetExecutionHistory (ascending or reversed). Tokens are bound to their arguments.
 */
import type { Clock } from '../engine/clock.js';
import type { ExecutionRecord, Store } from '../engine/store.js';
import type { ExecutionStatus, HistoryEvent } from '../engine/types.js';
import { parseExecutionArn, parseStateMachineArn } from './arns.js';
import { ServiceError } from './errors.js';
import { decodeToken, encodeToken, pageSize } from './page-token.js';
import { enumError, type StateMachineService } from './state-machines.js';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;

export interface ListExecutionsRequest {
  stateMachineArn?: string;
  mapRunArn?: string;
  statusFilter?: string;
  redriveFilter?: string;
  maxResults?: number;
  nextToken?: string;
  /** Stepwise's own (the console's): only executions started at or after this (epoch ms). */
  startedAfter?: number;
  /** Stepwise's own: only executions started before this (epoch ms). */
  startedBefore?: number;
}

export interface HistoryRequest {
  executionArn: string;
  maxResults?: number;
  reverseOrder?: boolean;
  nextToken?: string;
}

export class ExecutionQueries {
  constructor(
    private readonly opts: { store: Store; clock: Clock; stateMachines: StateMachineService },
  ) {}

  async listExecutions(req: ListExecutionsRequest): Promise<{ executions: ExecutionRecord[]; nextToken?: string }> {
    if (req.mapRunArn !== undefined) {
      if (req.stateMachineArn !== undefined) throw new ServiceError('ValidationException', 'Specify either stateMachineArn or mapRunArn, not both.');
      throw new ServiceError('UnsupportedOperation', 'Listing the child executions of a map run is not implemented yet in Stepwise.');
    }
    if (req.stateMachineArn === undefined) throw new ServiceError('ValidationException', 'Must provide a StateMachine ARN or a MapRun ARN');
    if (req.statusFilter !== undefined && !(STATUSES as readonly string[]).includes(req.statusFilter)) throw enumError('statusFilter', req.statusFilter, STATUSES);
    if (req.redriveFilter !== undefined && req.redriveFilter !== 'REDRIVEN' && req.redriveFilter !== 'NOT_REDRIVEN') {
      throw enumError('redriveFilter', req.redriveFilter, ['REDRIVEN', 'NOT_REDRIVEN']);
    }
    // A version or alias ARN lists the executions started through it.
    const { qualifier } = parseStateMachineArn(req.stateMachineArn);
    const version = qualifier !== undefined && /^\d+$/.test(qualifier);
    if (qualifier !== undefined && !version) await this.opts.stateMachines.versions.describeAlias(req.stateMachineArn);
    const machine = await this.opts.stateMachines.describe(qualifier !== undefined && !version ? req.stateMachineArn.slice(0, -qualifier.length - 1) : req.stateMachineArn);
    if (machine.type === 'EXPRESS') {
      throw new ServiceError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    }
    const limit = pageSize(req.maxResults);
    const now = this.opts.clock.now();
    const scope = `ListExecutions|${req.stateMachineArn}|${req.statusFilter ?? ''}|${req.redriveFilter ?? ''}|${req.startedAfter ?? ''}`;
    // Newest first: "started before" is where the listing starts; a token continues from its own cursor.
    let after: { startTime: number; executionArn: string } | undefined = req.startedBefore !== undefined ? { startTime: req.startedBefore, executionArn: '' } : undefined;
    if (req.nextToken !== undefined) {
      const c = decodeToken(req.nextToken, scope, now) as { startTime?: unknown; executionArn?: unknown } | null;
      if (!c || typeof c.startTime !== 'number' || typeof c.executionArn !== 'string') throw new ServiceError('InvalidToken', `Invalid Token: '${req.nextToken}'`);
      after = { startTime: c.startTime, executionArn: c.executionArn };
    }
    // A redriven execution is RUNNING as soon as RedriveExecution answers: none waits in PENDING_REDRIVE.
    if (req.statusFilter === 'PENDING_REDRIVE') return { executions: [] };
    const recs = await this.opts.store.listExecutions({
      ...(qualifier === undefined ? { stateMachineArn: req.stateMachineArn } : version ? { versionArn: req.stateMachineArn } : { aliasArn: req.stateMachineArn }),
      ...(req.redriveFilter !== undefined ? { redriven: req.redriveFilter === 'REDRIVEN' } : {}),
      ...(req.statusFilter !== undefined ? { status: req.statusFilter as ExecutionStatus } : {}),
      ...(after ? { after } : {}),
      limit: limit + 1,
    });
    // Newest first: past the first one older than "started after", none is in the window.
    const from = req.startedAfter;
    const inWindow = from === undefined ? recs : recs.filter((r) => r.startTime >= from);
    const page = inWindow.slice(0, limit);
    const last = page[page.length - 1];
    const out: { executions: ExecutionRecord[]; nextToken?: string } = { executions: page };
    if (inWindow.length > limit && last) out.nextToken = encodeToken(scope, { startTime: last.startTime, executionArn: last.executionArn }, now);
    return out;
  }

  async history(req: HistoryRequest): Promise<{ events: HistoryEvent[]; nextToken?: string }> {
    const rec = await this.execution(req.executionArn);
    const limit = pageSize(req.maxResults);
    const reverse = req.reverseOrder ?? false;
    const now = this.opts.clock.now();
    const scope = `GetExecutionHistory|${rec.executionArn}|${reverse ? 'reverse' : 'forward'}`;
    let afterId: number | undefined;
    if (req.nextToken !== undefined) {
      const c = decodeToken(req.nextToken, scope, now);
      if (typeof c !== 'number') throw new ServiceError('InvalidToken', `Invalid Token: '${req.nextToken}'`);
      afterId = c;
    }
    const events = await this.opts.store.getHistory(rec.executionArn, { reverse, limit: limit + 1, ...(afterId !== undefined ? { afterId } : {}) });
    const page = events.slice(0, limit);
    const last = page[page.length - 1];
    const out: { events: HistoryEvent[]; nextToken?: string } = { events: page };
    if (events.length > limit && last) out.nextToken = encodeToken(scope, last.id, now);
    return out;
  }

  /** A stored (Standard) execution; Express executions are not kept, as on AWS. */
  async execution(executionArn: string): Promise<ExecutionRecord> {
    parseExecutionArn(executionArn);
    const rec = await this.opts.store.getExecution(executionArn);
    if (!rec) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return rec;
  }
}

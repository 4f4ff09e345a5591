/**
 * Execution use cases every edge calls (API, CLI, scheduler): start, describe, list, history,
 * stop. Errors carry AWS's names. Standard executions are durable (through the Store and the
 * runner); the state machine registry comes with the API.
 */
import { randomUUID } from 'node:crypto';
import { tryParseJson, type Json } from '../lib/json.js';
import type { Clock } from '../engine/clock.js';
import { MAX_HISTORY_EVENTS, PAYLOAD_LIMIT_BYTES, STANDARD_MAX_SECONDS } from '../engine/limits.js';
import { newSnapshot } from '../engine/step.js';
import { workId, type ExecutionRecord, type HistoryQuery, type Store } from '../engine/store.js';
import type { HistoryEvent } from '../engine/types.js';
import { runLocal, type LocalRunResult, type TaskInvoker } from '../engine/local-run.js';
import { decodeTaskToken, type TaskTokenParts } from '../engine/task-token.js';
import { ServiceError } from './errors.js';
import { DEFAULT_LIMITS, type ServiceLimits } from './limits.js';
import { nameProblem } from './names.js';

export interface StartExecutionInput {
  stateMachineArn: string;
  /** The definition (JSON text) the execution runs. */
  definition: string;
  name?: string;
  /** JSON text; default `{}`. */
  input?: string;
  type?: 'STANDARD' | 'EXPRESS';
  roleArn?: string;
  /** Started through a version or an alias: recorded on the execution. */
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
  /** Started as `stateMachineArn#TestCase`: its tasks answer from that mock test case. */
  mockTestCase?: string;
}

/** The test cases of the mock configuration file (Step Functions Local's MockConfigFile.json). */
export interface MockTestCases {
  has(stateMachineName: string, testCase: string): boolean;
}

export interface ExecutionServiceOptions {
  store: Store;
  clock: Clock;
  /** Called when new work is stored, so a runner in this process picks it up at once. */
  wake?: () => void;
  region?: string;
  account?: string;
  /** Answers the tasks of Express executions, which run in memory. */
  expressInvoker?: TaskInvoker;
  /** Receives each closed Express execution's history (Express histories reach only the logs). */
  onExpressHistory?: (executionArn: string, events: HistoryEvent[]) => void;
  /** Called for every execution started (metrics). */
  onStarted?: (stateMachineArn: string, type: 'STANDARD' | 'EXPRESS', executionArn: string) => void;
  /** Quotas (open executions); AWS's defaults when absent. */
  limits?: ServiceLimits;
  /** The loaded mock configuration, if any: executions started with a test case must name one of it. */
  mockTestCases?: MockTestCases;
}

/** How long after it closed an execution may be redriven (AWS: 14 days). */
export const REDRIVE_WINDOW_MS = 14 * 24 * 3600 * 1000;
/** RedriveExecution answers a repeated client token with the original redrive for this long (AWS: 15 minutes), for the last ten tokens. */
const REDRIVE_TOKEN_TTL_MS = 15 * 60 * 1000;
const REDRIVE_TOKENS_KEPT = 10;

export type RedriveStatus = { status: 'REDRIVABLE' } | { status: 'NOT_REDRIVABLE'; reason: string };

/** Whether an execution can be redriven now, with AWS's reasons when it cannot. */
export function redriveStatusOf(rec: ExecutionRecord, now: number): RedriveStatus {
  const no = (reason: string): RedriveStatus => ({ status: 'NOT_REDRIVABLE', reason });
  if (rec.status === 'RUNNING' || rec.status === 'SUCCEEDED') return no(`Execution is ${rec.status} and cannot be redriven`);
  if (rec.type !== 'STANDARD') return no('Execution is not a STANDARD workflow execution and cannot be redriven');
  const snap = rec.snapshot;
  if (!snap?.redrive) return no('Execution was started before the launch of RedriveExecution.');
  if (snap.lastEventId >= MAX_HISTORY_EVENTS - 1) return no('Execution history event limit exceeded.');
  if (now - rec.startTime >= STANDARD_MAX_SECONDS * 1000) return no('Execution has exceeded the max execution time.');
  if (now - (rec.stopTime ?? now) > REDRIVE_WINDOW_MS) return no('Execution redrivable period exceeded.');
  return { status: 'REDRIVABLE' };
}

export interface SyncExecutionResult {
  executionArn: string;
  startDate: number;
  stopDate: number;
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  output?: string;
  error?: string;
  cause?: string;
}

export class ExecutionService {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly region: string;
  private readonly account: string;

  constructor(private readonly opts: ExecutionServiceOptions) {
    this.store = opts.store;
    this.clock = opts.clock;
    this.region = opts.region ?? 'us-east-1';
    this.account = opts.account ?? '123456789012';
  }

  /**
   * Express workflows run in memory, five minutes at most, with no stored history: started
   * asynchronously they are at-least-once; started synchronously (here), at-most-once.
   */
  async startSyncExecution(req: StartExecutionInput): Promise<SyncExecutionResult> {
    if ((req.type ?? 'STANDARD') !== 'EXPRESS') {
      throw new ServiceError('StateMachineTypeNotSupported', 'This operation is only supported by Express state machines.');
    }
    const { run, executionArn, startDate } = this.runExpress(req);
    const r = await run;
    const out: SyncExecutionResult = { executionArn, startDate, stopDate: this.clock.now(), status: r.status === 'ABORTED' ? 'FAILED' : (r.status as SyncExecutionResult['status']) };
    if (r.output !== undefined) out.output = r.output;
    if (r.error !== undefined) out.error = r.error;
    if (r.cause !== undefined) out.cause = r.cause;
    return out;
  }

  private runExpress(req: StartExecutionInput): { run: Promise<LocalRunResult>; executionArn: string; startDate: number } {
    const name = req.name ?? randomUUID();
    const problem = nameProblem(name);
    if (problem) throw new ServiceError('InvalidName', `Invalid Name: '${name}' (${problem})`);
    const inputText = req.input ?? '{}';
    const parsed = tryParseJson(inputText);
    if (!parsed.ok) throw new ServiceError('InvalidExecutionInput', `Invalid Execution Input: ${parsed.message}`);
    if (Buffer.byteLength(inputText, 'utf8') > PAYLOAD_LIMIT_BYTES) {
      throw new ServiceError('InvalidExecutionInput', 'Invalid Execution Input: the input exceeds the maximum size of 262144 bytes.');
    }
    const smName = req.stateMachineArn.split(':')[6] ?? 'machine';
    this.checkMockTestCase(smName, req.mockTestCase);
    const startDate = this.clock.now();
    const run = runLocal(req.definition, parsed.value, {
      type: 'EXPRESS',
      name,
      stateMachineName: smName,
      region: this.region,
      account: this.account,
      clock: this.clock,
      invoker: this.opts.expressInvoker ?? { invoke: async () => Promise.reject(new ServiceError('States.TaskFailed', 'No task invoker is configured for Express executions.')) },
      ...(req.roleArn ? { roleArn: req.roleArn } : {}),
      ...(req.mockTestCase !== undefined ? { mockTestCase: req.mockTestCase } : {}),
    });
    const executionArn = `arn:aws:states:${this.region}:${this.account}:express:${smName}:${name}:${randomUUID()}`;
    this.opts.onStarted?.(req.stateMachineArn, 'EXPRESS', executionArn);
    void run.then((r) => this.opts.onExpressHistory?.(executionArn, r.history), () => undefined);
    return { run, executionArn, startDate };
  }

  /**
   * A test case the mock configuration does not define is refused before the execution exists.
   * Step Functions Local's own answer is undocumented; LocalStack, which emulates it, answers
   * InvalidName, an error both StartExecution and StartSyncExecution list.
   */
  private checkMockTestCase(stateMachineName: string, testCase: string | undefined): void {
    if (testCase === undefined) return;
    const cases = this.opts.mockTestCases;
    if (!cases) {
      throw new ServiceError('InvalidName', `Invalid Name: '${testCase}' (a mock test case, but no mock configuration file is loaded: start Stepwise with --mock-config FILE or SFN_MOCK_CONFIG)`);
    }
    if (!cases.has(stateMachineName, testCase)) {
      throw new ServiceError('InvalidName', `Invalid Name: '${testCase}' (the mock configuration file defines no test case of that name for state machine '${stateMachineName}')`);
    }
  }

  /** The service clock's time (epoch ms). */
  now(): number {
    return this.clock.now();
  }

  private get limits(): ServiceLimits {
    return this.opts.limits ?? DEFAULT_LIMITS;
  }

  /** The last count of open executions, when it was taken, and this process's starts since. */
  private readonly openCount = { value: 0, at: Number.NEGATIVE_INFINITY, startedSince: 0 };

  /**
   * ExecutionLimitExceeded once as many executions are open as the quota allows. Counting open
   * executions costs in proportion to their number, so far from the quota a count at most a second
   * old (plus the starts since) decides; within 10% of it, every start counts exactly.
   */
  private async checkOpenExecutions(): Promise<void> {
    const max = this.limits.openExecutions;
    const now = this.clock.now();
    const c = this.openCount;
    if (now - c.at < 1000 && c.value + c.startedSince < max * 0.9) {
      c.startedSince++;
      return;
    }
    const open = await this.store.countOpenExecutions(max);
    c.value = open;
    c.at = now;
    c.startedSince = 1;
    if (open >= max) {
      throw new ServiceError('ExecutionLimitExceeded', `The maximum number of running executions has been reached (${max}).`);
    }
  }

  async startExecution(req: StartExecutionInput): Promise<{ executionArn: string; startDate: number }> {
    if (req.type === 'EXPRESS') {
      const { run, executionArn, startDate } = this.runExpress(req);
      run.catch((err: unknown) => console.error(`stepwise: Express execution ${executionArn} failed to run:`, err));
      return { executionArn, startDate };
    }
    const name = req.name ?? randomUUID();
    const problem = nameProblem(name);
    if (problem) throw new ServiceError('InvalidName', `Invalid Name: '${name}' (${problem})`);
    const inputText = req.input ?? '{}';
    if (Buffer.byteLength(inputText, 'utf8') > PAYLOAD_LIMIT_BYTES) {
      throw new ServiceError('InvalidExecutionInput', 'Invalid Execution Input: the input exceeds the maximum size of 262144 bytes.');
    }
    const parsed = tryParseJson(inputText);
    if (!parsed.ok) throw new ServiceError('InvalidExecutionInput', `Invalid Execution Input: ${parsed.message}`);
    const smName = req.stateMachineArn.split(':')[6] ?? 'machine';
    this.checkMockTestCase(smName, req.mockTestCase);
    const executionArn = `arn:aws:states:${this.region}:${this.account}:execution:${smName}:${name}`;
    await this.checkOpenExecutions();
    const now = this.clock.now();
    const snapshot = newSnapshot({
      executionArn,
      stateMachineArn: req.stateMachineArn,
      stateMachineName: smName,
      name,
      roleArn: req.roleArn ?? `arn:aws:iam::${this.account}:role/stepwise`,
      type: req.type ?? 'STANDARD',
      startTime: now,
      input: parsed.value,
      redriveCount: 0,
      region: this.region,
      account: this.account,
      ...(req.stateMachineVersionArn !== undefined ? { stateMachineVersionArn: req.stateMachineVersionArn } : {}),
      ...(req.stateMachineAliasArn !== undefined ? { stateMachineAliasArn: req.stateMachineAliasArn } : {}),
      ...(req.mockTestCase !== undefined ? { mockTestCase: req.mockTestCase } : {}),
    });
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: req.stateMachineArn,
      name,
      type: req.type ?? 'STANDARD',
      status: 'RUNNING',
      startTime: now,
      stopTime: undefined,
      input: inputText,
      output: undefined,
      error: undefined,
      cause: undefined,
      definition: req.definition,
      snapshot,
      version: 0,
      redriveCount: 0,
      redriveDate: undefined,
      stateMachineVersionArn: req.stateMachineVersionArn,
      stateMachineAliasArn: req.stateMachineAliasArn,
    };
    const res = await this.store.createExecution(record, [
      { id: workId.start(executionArn), executionArn, kind: 'event', dueAt: now, payload: { kind: 'start' } },
    ]);
    if (!res.created) {
      // Idempotent while running with the same input; otherwise the name is taken.
      const existing = res.existing;
      if (existing.status === 'RUNNING' && existing.input === inputText && existing.stateMachineArn === req.stateMachineArn) {
        return { executionArn, startDate: existing.startTime };
      }
      throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    this.opts.onStarted?.(req.stateMachineArn, 'STANDARD', executionArn);
    this.opts.wake?.();
    return { executionArn, startDate: now };
  }

  async describeExecution(executionArn: string): Promise<ExecutionRecord> {
    const rec = await this.store.getExecution(executionArn);
    if (!rec) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return rec;
  }

  async getExecutionHistory(executionArn: string, query: HistoryQuery = {}): Promise<HistoryEvent[]> {
    await this.describeExecution(executionArn);
    return this.store.getHistory(executionArn, query);
  }

  /** SendTaskSuccess: the callback task holding `taskToken` succeeds with `output` (JSON text). */
  async sendTaskSuccess(taskToken: string, output: string): Promise<void> {
    const parsed = tryParseJson(output);
    if (!parsed.ok) throw new ServiceError('InvalidOutput', `Invalid Output: ${parsed.message}`);
    if (Buffer.byteLength(output, 'utf8') > PAYLOAD_LIMIT_BYTES) throw new ServiceError('InvalidOutput', 'Invalid Output: the output exceeds the maximum size of 262144 bytes.');
    const t = await this.waitingTask(taskToken);
    await this.store.addWork([
      { id: workId.callback(t.executionArn, t.frameId, t.token), executionArn: t.executionArn, kind: 'event', dueAt: this.clock.now(), payload: { kind: 'taskSucceeded', frameId: t.frameId, token: t.token, output: parsed.value, taskToken } },
    ]);
    this.opts.wake?.();
  }

  /** SendTaskFailure: the callback task holding `taskToken` fails with `error` and `cause`. */
  async sendTaskFailure(taskToken: string, error?: string, cause?: string): Promise<void> {
    const t = await this.waitingTask(taskToken);
    await this.store.addWork([
      { id: workId.callback(t.executionArn, t.frameId, t.token), executionArn: t.executionArn, kind: 'event', dueAt: this.clock.now(), payload: { kind: 'taskFailed', frameId: t.frameId, token: t.token, error, cause, taskToken } },
    ]);
    this.opts.wake?.();
  }

  /** SendTaskHeartbeat: the task is alive; its HeartbeatSeconds clock starts again. */
  async sendTaskHeartbeat(taskToken: string): Promise<void> {
    const t = await this.waitingTask(taskToken);
    const now = this.clock.now();
    await this.store.addWork([
      { id: workId.heartbeat(t.executionArn, t.frameId, t.token, now), executionArn: t.executionArn, kind: 'event', dueAt: now, payload: { kind: 'heartbeat', frameId: t.frameId, token: t.token, taskToken } },
    ]);
    this.opts.wake?.();
  }

  /** The task a token names, if it is still waiting for an answer (else TaskDoesNotExist / TaskTimedOut). */
  async waitingTask(taskToken: string): Promise<TaskTokenParts> {
    const t = decodeTaskToken(taskToken);
    if (!t) throw new ServiceError('InvalidToken', 'Invalid Token');
    const rec = await this.store.getExecution(t.executionArn);
    const frame = rec?.snapshot?.frames[t.frameId];
    if (rec && rec.status === 'RUNNING' && frame && frame.taskToken === taskToken && frame.token === t.token && frame.waiting === 'task') return t;
    if (rec?.status === 'TIMED_OUT' || rec?.snapshot?.timedOutTasks?.includes(taskToken)) throw new ServiceError('TaskTimedOut', 'Task Timed Out');
    throw new ServiceError('TaskDoesNotExist', 'Task Does Not Exist');
  }

  /**
   * RedriveExecution: reopen a failed, timed-out or aborted Standard execution; the runner then
   * resumes it from its unsuccessful states. A client token seen in the last 15 minutes answers
   * the redrive it started instead of redriving again.
   */
  async redriveExecution(executionArn: string, clientToken?: string): Promise<{ redriveDate: number }> {
    for (let attempt = 0; ; attempt++) {
      const rec = await this.describeExecution(executionArn);
      const now = this.clock.now();
      const tokens = (rec.snapshot?.redriveTokens ?? []).filter((t) => now - t.date < REDRIVE_TOKEN_TTL_MS);
      const seen = clientToken === undefined ? undefined : tokens.find((t) => t.token === clientToken);
      if (seen) return { redriveDate: seen.date };
      const verdict = redriveStatusOf(rec, now);
      if (verdict.status === 'NOT_REDRIVABLE') throw new ServiceError('ExecutionNotRedrivable', verdict.reason);
      await this.checkOpenExecutions();
      const snapshot = rec.snapshot as NonNullable<ExecutionRecord['snapshot']>;
      const redriveCount = rec.redriveCount + 1;
      const nextTokens = clientToken === undefined ? tokens : [...tokens, { token: clientToken, date: now }].slice(-REDRIVE_TOKENS_KEPT);
      const reopened = await this.store.reopenExecution(rec.executionArn, rec.version, { redriveCount, redriveDate: now, snapshot: { ...snapshot, redriveTokens: nextTokens } }, [
        { id: workId.redrive(rec.executionArn, redriveCount), executionArn: rec.executionArn, kind: 'event', dueAt: now, payload: { kind: 'redrive' } },
      ]);
      if (reopened) {
        this.opts.wake?.();
        return { redriveDate: now };
      }
      // Another request redrove it (or a step committed) in between: decide again on the new record.
      if (attempt >= 3) throw new ServiceError('ExecutionNotRedrivable', 'Execution is RUNNING and cannot be redriven');
    }
  }

  async stopExecution(executionArn: string, error?: string, cause?: string): Promise<{ stopDate: number }> {
    const rec = await this.describeExecution(executionArn);
    const now = this.clock.now();
    if (rec.status !== 'RUNNING') return { stopDate: rec.stopTime ?? now };
    await this.store.addWork([{ id: workId.stop(executionArn), executionArn, kind: 'event', dueAt: now, payload: { kind: 'stop', error, cause } }]);
    this.opts.wake?.();
    return { stopDate: now };
  }
}

export type { Json };

/**
 * The engine's data: an execution snapshot (plain JSON, so a store can persist it), the events
 * a step consumes, the history events and commands it produces, and the ports it needs.
 */
import type { Json, JsonObject } from '../lib/json.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionMeta {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly name: string;
  readonly roleArn: string;
  readonly type: 'STANDARD' | 'EXPRESS';
  /** Epoch milliseconds. */
  readonly startTime: number;
  readonly input: Json;
  /** Times the execution was redriven; each RedriveExecution increments it. */
  redriveCount: number;
  /** When it was last redriven (epoch ms), for `$$.Execution.RedriveTime`. */
  redriveTime?: number;
  /** Started as `stateMachineArn#TestCase`: the MockConfigFile test case its tasks answer from. */
  readonly mockTestCase?: string;
  /** The version and alias it was started through (ExecutionStarted reports them). */
  readonly stateMachineVersionArn?: string;
  readonly stateMachineAliasArn?: string;
  readonly region: string;
  readonly account: string;
}

export type FrameKind = 'root' | 'branch' | 'iteration';

export interface Fanout {
  total: number;
  /** Next index to start. */
  nextIndex: number;
  running: number;
  succeeded: number;
  failures: number;
  results: Json[];
  /** Map items (after ItemsPath / Items). */
  items: Json[] | undefined;
  maxConcurrency: number;
  toleratedCount: number | undefined;
  toleratedPercentage: number | undefined;
  /** Effective input given to each branch (Parallel) or used for ItemSelector (Map). */
  effectiveInput: Json;
  children: number[];
  distributed: boolean;
  mapRunArn: string | undefined;
}

/**
 * Where a frame stood when it failed or was aborted: what a redrive resumes. A Parallel or Map
 * that failed because of its branches or iterations keeps its fan-out (the succeeded children's
 * results) and the points of the children that failed or were aborted; every other state runs
 * again from its raw input.
 */
export interface RedrivePoint {
  readonly kind: FrameKind;
  readonly index: number;
  readonly state: string;
  readonly input: Json;
  readonly vars: JsonObject | undefined;
  readonly fanout: Fanout | undefined;
  readonly children: RedrivePoint[];
}

export type MapRunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** A Distributed Map run as DescribeMapRun reports it; each child workflow runs one item (or batch). */
export interface MapRunSummary {
  readonly mapRunArn: string;
  /** The Map state that started it. */
  readonly stateName: string;
  status: MapRunStatus;
  /** Epoch ms. */
  readonly startDate: number;
  stopDate: number | undefined;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  /** Child workflows (items, or batches with an ItemBatcher). */
  total: number;
  running: number;
  succeeded: number;
  failed: number;
  aborted: number;
  redriveCount: number;
  redriveDate: number | undefined;
}

export interface Frame {
  readonly id: number;
  readonly parent: number | undefined;
  readonly kind: FrameKind;
  readonly index: number;
  /** Child executions of a Distributed Map write no events into the parent's history. */
  readonly silent: boolean;
  /** Distributed Map children cannot read outer variables. */
  readonly isolated: boolean;
  state: string;
  /** Raw input of the current state. */
  input: Json;
  enteredEventId: number;
  enteredAt: number;
  lastEventId: number;
  vars: JsonObject | undefined;
  retryCounts: number[] | undefined;
  /** Retries of the current state so far ($$.State.RetryCount). */
  retryCount: number;
  /** Increments each time the frame issues a command; a result with another token is stale. */
  token: number;
  waiting: 'task' | 'timer' | 'retry' | 'children' | undefined;
  /** The effective input of an in-flight task or fan-out (after InputPath/Parameters). */
  effectiveInput: Json | undefined;
  /** Task token handed to a `.waitForTaskToken` task. */
  taskToken: string | undefined;
  /** When the in-flight task's heartbeat expires (epoch ms), moved forward by each heartbeat. */
  heartbeatDueAt: number | undefined;
  heartbeatSeconds: number | undefined;
  fanout: Fanout | undefined;
  done: boolean;
  /** The fan-out of a Parallel/Map that failed because of a child, kept for a redrive. */
  failedFanout?: Fanout | undefined;
  /** Points of this frame's children that failed or were aborted in its current state. */
  failedChildren?: RedrivePoint[] | undefined;
  /** A Distributed Map reading its items (ItemReader) or writing its results (ResultWriter). */
  mapIo?: MapIo | undefined;
}

export type MapIo =
  | {
      phase: 'read';
      spec: { resource: string; inputType: 'JSON' | 'JSONL' | 'CSV' | 'MANIFEST' | undefined; csvHeaderLocation: 'FIRST_ROW' | 'GIVEN'; csvHeaders: string[] | undefined; csvDelimiter: string; itemsPointer: string | undefined; maxItems: number };
      effective: Json;
    }
  | { phase: 'write'; files: { Bucket: string; Key: string; Body: string }[]; output: JsonObject };

export interface Snapshot {
  readonly meta: ExecutionMeta;
  status: ExecutionStatus;
  frames: Record<number, Frame>;
  nextFrameId: number;
  lastEventId: number;
  output: Json | undefined;
  error: string | undefined;
  cause: string | undefined;
  stopTime: number | undefined;
  /** States entered so far (a billable transition each, retries included). */
  transitions: number;
  /** Set when a Standard execution closes unsuccessfully: where RedriveExecution resumes it. */
  redrive?: RedrivePoint | undefined;
  /** The Distributed Map runs of this execution (DescribeMapRun, ListMapRuns), by map run ARN. */
  mapRuns?: Record<string, MapRunSummary> | undefined;
  /** Task tokens of the callback tasks that timed out lately (SendTask* then answers TaskTimedOut). */
  timedOutTasks?: string[] | undefined;
  /** RedriveExecution's recent client tokens (its idempotency), kept by the service. */
  redriveTokens?: { token: string; date: number }[] | undefined;
  /** Mock test case executions: the Task invocations dispatched so far, by state name. */
  mockInvocations?: Record<string, number> | undefined;
}

export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly type: string;
  /** The event's details as AWS names them (`stateEnteredEventDetails`), with JSON payloads as text. */
  readonly details: Record<string, unknown> | undefined;
}

export type EngineEvent =
  | { kind: 'start' }
  | { kind: 'taskSucceeded'; frameId: number; token: number; output: Json; taskToken?: string }
  | { kind: 'taskFailed'; frameId: number; token: number; error: string | undefined; cause: string | undefined; taskToken?: string }
  | { kind: 'timerFired'; frameId: number; token: number; purpose: TimerPurpose }
  | { kind: 'stop'; error: string | undefined; cause: string | undefined }
  /** RedriveExecution: resume a closed, unsuccessful execution from its redrive point. */
  | { kind: 'redrive' }
  /** UpdateMapRun: new concurrency or failure tolerance for a running Distributed Map. */
  | { kind: 'updateMapRun'; mapRunArn: string; maxConcurrency?: number; toleratedFailurePercentage?: number; toleratedFailureCount?: number }
  | { kind: 'heartbeat'; frameId: number; token: number; taskToken?: string }
  /** A `.sync` integration submitted its job (e.g. started the nested execution): TaskSubmitted. */
  | { kind: 'taskSubmitted'; frameId: number; token: number; output: Json }
  /** An activity worker took the task (GetActivityTask). */
  | { kind: 'taskStarted'; frameId: number; token: number; taskToken?: string; workerName?: string };

export type TimerPurpose = 'wait' | 'retry' | 'taskTimeout' | 'heartbeatTimeout' | 'executionTimeout';

export interface TaskRequest {
  readonly frameId: number;
  readonly token: number;
  readonly stateName: string;
  readonly resource: string;
  readonly input: Json;
  readonly timeoutSeconds: number | undefined;
  readonly heartbeatSeconds: number | undefined;
  readonly taskToken: string | undefined;
  readonly credentials: Json | undefined;
  /** The execution the task runs for, its role (IAM checks), and the state's retry attempt (0 first). */
  readonly executionArn?: string;
  readonly roleArn?: string;
  readonly attempt?: number;
  /** The mock test case the execution was started with (`stateMachineArn#TestCase`), if any. */
  readonly mockTestCase?: string;
  /**
   * With a mock test case: this state's invocation number in the execution, 0 first. Step
   * Functions Local counts every invocation of a state (retries, loop passes, Map iterations).
   */
  readonly mockInvocation?: number;
}

export type Command =
  | { kind: 'invokeTask'; request: TaskRequest }
  | { kind: 'startTimer'; frameId: number; token: number; purpose: TimerPurpose; dueAt: number }
  | { kind: 'cancelTask'; frameId: number; token: number };

export interface StepResult {
  readonly events: HistoryEvent[];
  readonly commands: Command[];
}

/** What a step may ask of the outside world without doing I/O. */
export interface StepEnv {
  /** A number in [0, 1): retry jitter. */
  random(): number;
  /** A fresh opaque token for `.waitForTaskToken` tasks and map runs. */
  newId(): string;
  /** Watches the data flow of a state (TestState); executions have none. */
  inspector?: StateInspector;
}

/** The intermediate values of a state's data flow that TestState reports. */
export type InspectionStage = 'afterInputPath' | 'afterParameters' | 'afterArguments' | 'afterResultSelector' | 'afterResultPath';

export interface StateInspector {
  record(stage: InspectionStage, value: Json): void;
  /** A Context object given by the caller: `$$` and `$states.context` are it, verbatim. */
  readonly context?: JsonObject;
}

export type { Json, JsonObject };

/** A closed nested execution as DescribeExecution reports it (dates in epoch ms, payloads as JSON text). */
export interface NestedOutcome {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  startDate: number;
  stopDate: number;
  input: string;
  output?: string | undefined;
  error?: string | undefined;
  cause?: string | undefined;
  redriveCount: number;
  redriveStatus: string;
  redriveStatusReason?: string | undefined;
}

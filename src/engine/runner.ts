/**
 * The durable runner: claims executions with due events from the Store, runs engine steps, and
 * commits each step (snapshot, history, work) atomically — many executions per transaction —
 * then carries out the commands: tasks through the TaskInvoker, timers as due work items. It
 * never sleeps for a Wait or a back-off: those are work items with a due time in the Store, so
 * they survive a crash and fire at their original time (or at once when overdue).
 */
import { randomUUID } from 'node:crypto';
import type { Json, JsonObject } from '../lib/json.js';
import { toStatesError } from '../asl/errors.js';
import { buildGraph, type MachineGraph } from '../asl/graph.js';
import type { Clock } from './clock.js';
import type { TaskInvoker } from './local-run.js';
import { describeResource } from './resource.js';
import { step } from './step.js';
import { workId, type ClaimedExecution, type EventItem, type StepCommit, type Store, type TaskItem, type WorkItem } from './store.js';
import type { Command, HistoryEvent, StepEnv } from './types.js';

export interface RunnerOptions {
  store: Store;
  invoker: TaskInvoker;
  clock: Clock;
  env?: StepEnv;
  /** This process's lease owner id (unique per process). */
  owner?: string;
  /** How long a claimed execution stays leased (ms). */
  leaseMs?: number;
  /**
   * How long a claimed task stays leased (ms): while the task runs, the runner renews the lease
   * every third of this; if the process dies, the task is dispatched again once it lapses.
   * Default 60 s.
   */
  taskLeaseMs?: number;
  /** Executions claimed (and committed together) per cycle. */
  batchSize?: number;
  /** Task invocations in flight at most. */
  taskConcurrency?: number;
  /** Longest idle sleep between polls (ms), for work added by other processes. */
  pollMs?: number;
  /** Called after an execution closes (status SUCCEEDED/FAILED/TIMED_OUT/ABORTED). */
  onClosed?: (executionArn: string, status: string, times: { startTime: number; stopTime: number }) => void;
  /** Called when a task invocation settles (for metrics). */
  onTask?: (resource: string, ms: number, ok: boolean) => void;
  /** Called with the duration of each store operation the runner makes (for metrics). */
  onStoreOp?: (operation: string, ms: number) => void;
  /** Called with the history events each committed step appended (log sinks, metrics). */
  onHistory?: (executionArn: string, events: HistoryEvent[]) => void;
  /** Closed executions are kept this long (days), then deleted in the background. Default 90. */
  retentionDays?: number;
  /** How often the retention sweep runs (ms). Default 10 minutes. */
  retentionSweepMs?: number;
}

const defaultEnv: StepEnv = { random: Math.random, newId: randomUUID };

export class DurableRunner {
  readonly owner: string;
  private readonly store: Store;
  private readonly invoker: TaskInvoker;
  private readonly clock: Clock;
  private readonly env: StepEnv;
  private readonly leaseMs: number;
  private readonly taskLeaseMs: number;
  private readonly batchSize: number;
  private readonly taskConcurrency: number;
  private readonly pollMs: number;
  private readonly graphs = new Map<string, MachineGraph>();
  private tasksInFlight = 0;
  private readonly taskPromises = new Set<Promise<void>>();
  /** Task items this runner is running, whose leases it renews. */
  private readonly runningTasks = new Set<string>();
  private lastRenewal = 0;
  private running = false;
  private loopPromise: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private lastSweep = 0;

  constructor(private readonly opts: RunnerOptions) {
    this.store = opts.store;
    this.invoker = opts.invoker;
    this.clock = opts.clock;
    this.env = opts.env ?? defaultEnv;
    this.owner = opts.owner ?? `runner-${randomUUID()}`;
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.taskLeaseMs = opts.taskLeaseMs ?? 60_000;
    this.batchSize = opts.batchSize ?? 200;
    this.taskConcurrency = opts.taskConcurrency ?? 64;
    this.pollMs = opts.pollMs ?? 250;
  }

  /** Start the background loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopPromise = this.loop();
  }

  /** Stop taking work, let in-flight tasks finish (their results are committed), stop the loop. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopPromise;
    await Promise.allSettled([...this.taskPromises]);
  }

  /** New work may be due (an execution was started, a callback arrived). */
  wake(): void {
    this.woken = true;
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let did = 0;
      try {
        did = await this.runOnce();
      } catch (err) {
        // A store hiccup must not kill the loop; back off and retry.
        console.error(`stepwise runner ${this.owner}:`, err);
        await this.sleep(this.pollMs);
        continue;
      }
      if (this.clock.now() - this.lastSweep >= (this.opts.retentionSweepMs ?? 600_000)) {
        this.lastSweep = this.clock.now();
        // In the background: a slow sweep never holds up steps.
        void this.sweepRetention().catch((err: unknown) => console.error(`stepwise runner ${this.owner}: retention sweep failed:`, err));
      }
      await this.renewTaskLeases();
      if (did > 0 || !this.running) continue;
      const now = this.clock.now();
      const next = await this.store.nextDueAt(now);
      // Due work that this cycle could not take means every task slot is busy: sleep until a
      // task finishes (it wakes the loop) rather than spinning.
      const wait = next === undefined || next <= now ? this.pollMs : Math.min(this.pollMs, next - now);
      await this.sleep(wait);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wakeUp = undefined;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(t);
        this.woken = false;
        resolve();
      };
    });
  }

  /**
   * One cycle: step every claimable execution with due events (one group commit), then start
   * due tasks. Returns how many work items it handled (0 when idle). Tests drive this directly.
   */
  async runOnce(): Promise<number> {
    const now = this.clock.now();
    let handled = 0;
    const claimed = await this.timed('claimExecutions', () => this.store.claimExecutions(this.owner, now, this.leaseMs, this.batchSize));
    if (claimed.length > 0) {
      const commits: StepCommit[] = [];
      const notes: { arn: string; status: string; events: HistoryEvent[]; startTime: number; stopTime: number }[] = [];
      for (const c of claimed) {
        const commit = await this.stepExecution(c, now);
        handled += c.events.length;
        commits.push(commit);
        notes.push({ arn: commit.executionArn, status: commit.status, events: commit.history, startTime: c.record.startTime, stopTime: commit.stopTime ?? now });
      }
      const { rejected } = await this.timed('commitSteps', () => this.store.commitSteps(this.owner, commits));
      const stillOurs = claimed.map((c) => c.record.executionArn).filter((arn) => !rejected.includes(arn));
      await this.store.releaseExecutions(this.owner, stillOurs);
      for (const n of notes) {
        if (rejected.includes(n.arn)) continue;
        if (n.events.length) this.opts.onHistory?.(n.arn, n.events);
        if (n.status !== 'RUNNING') this.opts.onClosed?.(n.arn, n.status, { startTime: n.startTime, stopTime: n.stopTime });
      }
    }
    const free = this.taskConcurrency - this.tasksInFlight;
    if (free > 0) {
      const tasks = await this.timed('claimTasks', () => this.store.claimTasks(this.owner, now, this.taskLeaseMs, free));
      for (const t of tasks) this.dispatch(t);
      handled += tasks.length;
    }
    return handled;
  }

  /** Keep the leases of the tasks still running from lapsing (a long task is not dispatched twice). */
  private async renewTaskLeases(): Promise<void> {
    const now = this.clock.now();
    if (this.runningTasks.size === 0 || now - this.lastRenewal < this.taskLeaseMs / 3) return;
    this.lastRenewal = now;
    try {
      await this.timed('extendTaskLeases', () => this.store.extendTaskLeases(this.owner, [...this.runningTasks], now + this.taskLeaseMs));
    } catch (err) {
      console.error(`stepwise runner ${this.owner}: could not renew task leases:`, err);
    }
  }

  /**
   * Delete closed executions older than the retention period, in small batches so that no
   * transaction holds the store for long. Returns how many were deleted.
   */
  async sweepRetention(): Promise<number> {
    const before = this.clock.now() - (this.opts.retentionDays ?? 90) * 86_400_000;
    let total = 0;
    for (;;) {
      const n = await this.store.deleteClosedBefore(before, 500);
      total += n;
      if (n < 500 || !this.running) return total;
      await new Promise((r) => setImmediate(r));
    }
  }

  private async timed<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    if (!this.opts.onStoreOp) return fn();
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.opts.onStoreOp(operation, performance.now() - t0);
    }
  }

  /** Resolves once every task invocation in flight has settled and its result is stored. */
  async settleTasks(): Promise<void> {
    while (this.taskPromises.size > 0) await Promise.allSettled([...this.taskPromises]);
  }

  get inFlightTasks(): number {
    return this.tasksInFlight;
  }

  private graphOf(definition: string): MachineGraph {
    let g = this.graphs.get(definition);
    if (!g) {
      g = buildGraph(JSON.parse(definition) as JsonObject);
      if (this.graphs.size > 1000) this.graphs.clear();
      this.graphs.set(definition, g);
    }
    return g;
  }

  private async stepExecution(c: ClaimedExecution, now: number): Promise<StepCommit> {
    const rec = c.record;
    const arn = rec.executionArn;
    const snap = rec.snapshot;
    const history: HistoryEvent[] = [];
    const consumed: string[] = [];
    const added: WorkItem[] = [];
    const mapRunsBefore = snap?.mapRuns ? Object.keys(snap.mapRuns).length : 0;
    if (snap) {
      const graph = this.graphOf(rec.definition);
      for (const item of c.events) {
        consumed.push(item.id);
        // A closed execution takes only a redrive (RedriveExecution reopened its record).
        if (snap.status !== 'RUNNING' && item.payload.kind !== 'redrive') continue;
        const res = await step(graph, snap, item.payload, now, this.env);
        for (const e of res.events) history.push(e);
        for (const cmd of res.commands) this.commandToWork(arn, cmd, now, added, consumed);
      }
    } else {
      for (const item of c.events) consumed.push(item.id);
    }
    const closed = !snap || snap.status !== 'RUNNING';
    return {
      executionArn: arn,
      expectedVersion: rec.version,
      status: snap ? snap.status : rec.status,
      // An unsuccessful execution keeps its snapshot: it holds where a redrive resumes.
      // So does one that ran Distributed Maps (DescribeMapRun reads their summaries).
      snapshot: !snap || (closed && snap.redrive === undefined && snap.mapRuns === undefined) ? undefined : snap,
      ...(snap?.mapRuns && Object.keys(snap.mapRuns).length > mapRunsBefore ? { mapRuns: Object.keys(snap.mapRuns).slice(mapRunsBefore) } : {}),
      output: snap?.output !== undefined ? JSON.stringify(snap.output) : undefined,
      error: snap?.error,
      cause: snap?.cause,
      stopTime: snap?.stopTime,
      history,
      consumed,
      added,
    };
  }

  private commandToWork(arn: string, cmd: Command, now: number, added: WorkItem[], consumed: string[]): void {
    switch (cmd.kind) {
      case 'invokeTask': {
        const r = cmd.request;
        added.push({ id: workId.task(arn, r.frameId, r.token), executionArn: arn, kind: 'task', dueAt: now, payload: r });
        return;
      }
      case 'startTimer':
        added.push({
          // Heartbeats move a task's deadline: each new deadline is its own timer.
          id: workId.timer(arn, cmd.frameId, cmd.token, cmd.purpose) + (cmd.purpose === 'heartbeatTimeout' ? `@${cmd.dueAt}` : ''),
          executionArn: arn,
          kind: 'event',
          dueAt: cmd.dueAt,
          payload: { kind: 'timerFired', frameId: cmd.frameId, token: cmd.token, purpose: cmd.purpose },
        });
        return;
      case 'cancelTask':
        consumed.push(workId.task(arn, cmd.frameId, cmd.token));
        return;
    }
  }

  private dispatch(item: TaskItem): void {
    this.tasksInFlight++;
    this.runningTasks.add(item.id);
    const req = item.payload;
    // A callback task is done only when SendTaskSuccess/Failure arrives with its token: the
    // dispatch's own result just records that the task started.
    // Activities too: a worker answers them with the task token.
    const callback = req.resource.endsWith('.waitForTaskToken') || describeResource(req.resource).family === 'activity';
    const t0 = performance.now();
    // A submission is stored before the result, and its id sorts before the result's when both are due together.
    let submission: Promise<void> = Promise.resolve();
    const progress = {
      submitted: (output: Json): void => {
        const event: EventItem = {
          id: workId.submitted(item.executionArn, req.frameId, req.token),
          executionArn: item.executionArn,
          kind: 'event',
          dueAt: this.clock.now(),
          payload: { kind: 'taskSubmitted', frameId: req.frameId, token: req.token, output },
        };
        submission = this.store.addWork([event]).then(
          () => this.wake(),
          (err: unknown) => console.error(`stepwise runner ${this.owner}: could not record a task submission:`, err),
        );
      },
    };
    const p = this.invoker
      .invoke(req, progress)
      .then(
        (output): EventItem['payload'] => {
          this.opts.onTask?.(req.resource, performance.now() - t0, true);
          return callback ? { kind: 'heartbeat', frameId: req.frameId, token: req.token } : { kind: 'taskSucceeded', frameId: req.frameId, token: req.token, output };
        },
        (err: unknown): EventItem['payload'] => {
          this.opts.onTask?.(req.resource, performance.now() - t0, false);
          const e = toStatesError(err);
          return { kind: 'taskFailed', frameId: req.frameId, token: req.token, error: e.name, cause: e.cause };
        },
      )
      .then(async (payload) => {
        await submission;
        const result: EventItem = {
          id: callback && payload.kind === 'heartbeat' ? workId.started(item.executionArn, req.frameId, req.token) : workId.result(item.executionArn, req.frameId, req.token),
          executionArn: item.executionArn,
          kind: 'event',
          dueAt: this.clock.now(),
          payload,
        };
        await this.store.completeTask(item.id, result);
        this.wake();
      })
      .catch((err: unknown) => {
        // The result could not be stored: the task's lease will expire and it will run again.
        console.error(`stepwise runner ${this.owner}: could not record a task result:`, err);
      })
      .finally(() => {
        this.tasksInFlight--;
        this.runningTasks.delete(item.id);
        this.taskPromises.delete(p);
      });
    this.taskPromises.add(p);
  }
}

/**
 * Test and CLI driver for a fake clock: run cycles until nothing is due, letting tasks settle and
 * moving the clock to the next due work item. Stops when no work remains or after `maxCycles`.
 */
export async function drainWithClock(runner: DurableRunner, store: Store, clock: Clock & { set(t: number): void }, maxCycles = 100_000): Promise<void> {
  for (let i = 0; i < maxCycles; i++) {
    if ((await runner.runOnce()) > 0) continue;
    if (runner.inFlightTasks > 0) {
      await runner.settleTasks();
      continue;
    }
    const next = await store.nextDueAt(clock.now());
    if (next === undefined) return;
    clock.set(Math.max(next, clock.now()));
    if (next <= clock.now() && (await runner.runOnce()) === 0) return;
  }
  throw new Error(`drainWithClock: still busy after ${maxCycles} cycles`);
}

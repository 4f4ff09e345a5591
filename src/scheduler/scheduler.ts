/**
 * The loop that fires schedule rules, exactly once per tick across a cluster and restarts
 * (graphile-worker's claimed cron ticks).
 *
 * Claim: before a tick starts anything, it is claimed with createResource('scheduleTick',
 * `<ruleArn>#<tickEpochMs>`): the store refuses a second resource of the same (kind, arn), so
 * only the one process whose create succeeds goes on to start the targets. The claim says
 * `claimed`; once every target has been tried it becomes `fired` (all started) or `failed` (the
 * service refused a target: no such state machine, invalid input…, with the reason per target),
 * and is never tried again.
 *
 * Crash between claim and start: each target's execution name is derived from the rule and the
 * tick (`<rule>-<yyyyMMddTHHmmssZ>`), so starting it again cannot make a second execution
 * (StartExecution is idempotent by name; ExecutionAlreadyExists means an earlier attempt started
 * it). Every pass looks at the rule's claims of the last `recoveryWindowMs` that still say
 * `claimed` after `staleClaimMs` (their owner died, or the store failed under it) and starts
 * their targets again, then completes the claim with a compare-and-set on its revision. Claims
 * older than the window are left alone: a broken target is not retried forever.
 *
 * Missed ticks (while no process ran): the rule's catch-up policy decides. `skip` (the default,
 * EventBridge's behaviour): only ticks after this scheduler started (and after the rule was
 * created, enabled or resumed) fire. `latest` / `all`: when a process first sees the rule, the
 * last one / every one of the ticks in the catch-up window before its start that nobody claimed
 * fires now (claims make this safe when other processes were running all along).
 *
 * Overlap `skip`: a target whose previous execution started by this rule still runs is not
 * started for this tick (recorded on the claim). Paused rules let ticks pass; a flexible window
 * delays each tick's start by an offset fixed by rule and tick. Claims are pruned after 7 days.
 */
import type { Clock } from '../engine/clock.js';
import type { ResourceRecord, Store } from '../engine/store.js';
import type { Json } from '../lib/json.js';
import { ServiceError } from '../service/errors.js';
import type { ExecutionService } from '../service/executions.js';
import type { StateMachineService } from '../service/state-machines.js';
import { nextFireTimes } from './next-fire-times.js';
import { targetInput } from './input-transformer.js';
import { DEFAULT_CATCH_UP_WINDOW_MS, isSchedulerStyle, listRules, ruleArn, scheduleOf, TICK_RETENTION_MS, type ScheduleRule } from './rules.js';
import { executionName, executionNamePrefix, fireTime, scheduledEvent, TICK_KIND, tickArn, tickPrefix, type TargetResult, type TickDoc } from './ticks.js';

export { executionName, scheduledEvent, TICK_KIND } from './ticks.js';

/** Starts one target's execution (the service's StartExecution rules). */
export type StartTarget = (req: { stateMachineArn: string; name: string; input: string }) => Promise<{ executionArn: string }>;
/** Whether an execution of this state machine (or version/alias) whose name starts with the prefix is running. */
export type IsRunning = (stateMachineArn: string, namePrefix: string, except: string) => Promise<boolean>;

export interface SchedulerOptions {
  store: Store;
  clock: Clock;
  start: StartTarget;
  /** For the overlap policy `skip`; without it, overlap `skip` cannot be honoured and rules using it are refused at fire time. */
  isRunning?: IsRunning;
  /** Longest sleep between passes, so rules changed by other processes are seen (default 5 s). */
  pollMs?: number;
  /** A claim still `claimed` after this long is recovered by whoever sees it (default 60 s). */
  staleClaimMs?: number;
  /** Claims older than this are no longer recovered (default 1 h). */
  recoveryWindowMs?: number;
  /** At most this many ticks of one rule per pass; more means the process stalled (default 100). */
  maxTicksPerPass?: number;
  /** A tick started at least one execution. */
  onFired?: (rule: string) => void;
  /** A tick's target was held back by the overlap policy. */
  onSkipped?: (rule: string, reason: 'overlap') => void;
  /** Further housekeeping on the same clock after each pass (event recovery and pruning). */
  afterPass?: (now: number) => Promise<void>;
  log?: (line: string) => void;
}

const HOUR_MS = 3_600_000;

/** Targets started through the execution service, resolving versions and aliases as StartExecution does. */
export function serviceStarter(executions: ExecutionService, stateMachines: StateMachineService): StartTarget {
  return async (req) => {
    const machine = await stateMachines.versions.resolve(req.stateMachineArn, (arn) => stateMachines.describe(arn));
    return executions.startExecution({
      stateMachineArn: machine.stateMachineArn,
      definition: machine.definition,
      type: machine.type,
      roleArn: machine.roleArn,
      name: req.name,
      input: req.input,
      ...(machine.stateMachineVersionArn !== undefined ? { stateMachineVersionArn: machine.stateMachineVersionArn } : {}),
      ...(machine.stateMachineAliasArn !== undefined ? { stateMachineAliasArn: machine.stateMachineAliasArn } : {}),
    });
  };
}

/** Overlap checks through the store: the running executions of the target's state machine, by name. */
export function storeIsRunning(store: Store): IsRunning {
  return async (stateMachineArn, namePrefix, except) => {
    // A version or alias ARN runs executions of its state machine: `…:stateMachine:<name>[:<qualifier>]`.
    const base = stateMachineArn.split(':').slice(0, 7).join(':');
    let after: { startTime: number; executionArn: string } | undefined;
    for (;;) {
      const page = await store.listExecutions({ stateMachineArn: base, status: 'RUNNING', limit: 200, ...(after && { after }) });
      if (page.some((e) => e.name.startsWith(namePrefix) && e.name !== except)) return true;
      const last = page[page.length - 1];
      if (page.length < 200 || !last) return false;
      after = { startTime: last.startTime, executionArn: last.executionArn };
    }
  };
}

export class Scheduler {
  /** Per rule: ticks at or before this were considered already. */
  private readonly since = new Map<string, number>();
  /** Rules whose missed ticks this process has dealt with. */
  private readonly caughtUp = new Set<string>();
  /** Per rule: when this process last pruned its old claims. */
  private readonly pruned = new Map<string, number>();
  private readonly startedAt: number;
  private readonly log: (line: string) => void;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private pass: Promise<number | undefined> = Promise.resolve(undefined);

  constructor(private readonly opts: SchedulerOptions) {
    this.startedAt = opts.clock.now();
    this.log = opts.log ?? ((l) => console.error(l));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.pass.catch(() => undefined);
  }

  /** One pass at `now`: fire the due ticks of every enabled rule, recover stale claims. Returns the next fire time, if any. Passes never overlap. */
  tick(now: number): Promise<number | undefined> {
    const run = this.pass.catch(() => undefined).then(() => this.runPass(now));
    this.pass = run;
    return run;
  }

  private loop(): void {
    if (!this.running) return;
    const pollMs = this.opts.pollMs ?? 5000;
    const now = this.opts.clock.now();
    this.tick(now)
      .catch((err: unknown) => {
        this.log(`stepwise scheduler: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      })
      .then((next) => {
        if (!this.running) return;
        const wait = Math.max(0, Math.min(pollMs, (next ?? Infinity) - this.opts.clock.now()));
        this.timer = setTimeout(() => this.loop(), wait);
      });
  }

  private async runPass(now: number): Promise<number | undefined> {
    let next: number | undefined;
    try {
      await this.opts.afterPass?.(now);
    } catch (err) {
      this.log(`stepwise scheduler: ${err instanceof Error ? err.message : String(err)}`);
    }
    for (const rule of await listRules(this.opts.store)) {
      try {
        await this.recover(rule, now);
        await this.prune(rule, now);
        if (rule.state !== 'ENABLED' || rule.paused) {
          // Ticks while disabled or paused never fire, not even by catch-up later.
          this.since.set(rule.name, now);
          this.caughtUp.add(rule.name);
          continue;
        }
        if (!this.caughtUp.has(rule.name)) {
          await this.catchUp(rule, now);
          this.caughtUp.add(rule.name);
        }
        const due = await this.fireDue(rule, now);
        if (due !== undefined && (next === undefined || due < next)) next = due;
      } catch (err) {
        // One broken rule (or a store hiccup) must not stop the others; its ticks are tried again next pass.
        this.log(`stepwise scheduler: rule '${rule.name}': ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return next;
  }

  /** The rule's ticks that fell before this process started and nobody claimed, as its policy says. */
  private async catchUp(rule: ScheduleRule, now: number): Promise<void> {
    const policy = rule.catchUp?.policy ?? 'skip';
    if (policy === 'skip') return;
    const windowMs = Math.min(rule.catchUp?.windowMs ?? DEFAULT_CATCH_UP_WINDOW_MS, TICK_RETENTION_MS);
    const lower = Math.max(rule.createdAt, rule.resumedAt ?? -Infinity, this.startedAt - windowMs);
    const max = this.opts.maxTicksPerPass ?? 100;
    const schedule = scheduleOf(rule);
    if (!schedule) return;
    const ticks: number[] = [];
    for (let after = lower; ticks.length < 10_000; ) {
      const batch = nextFireTimes(schedule, after, 500, { anchor: rule.createdAt }).filter((t) => t <= this.startedAt);
      ticks.push(...batch);
      if (batch.length < 500) break;
      after = batch[batch.length - 1] as number;
    }
    if (ticks.length === 0) return;
    const claimed = await this.claimedTicks(rule.name, lower);
    const missed = ticks.filter((t) => !claimed.has(t));
    const chosen = policy === 'latest' ? missed.slice(-1) : missed.slice(-max);
    if (policy === 'all' && missed.length > max) this.log(`stepwise scheduler: rule '${rule.name}': ${missed.length} missed ticks; catching up the latest ${max}`);
    for (const t of chosen) {
      this.log(`stepwise scheduler: rule '${rule.name}': catching up the tick of ${new Date(t).toISOString()} (policy ${policy})`);
      await this.claimAndFire(rule, t, now, true);
    }
  }

  /** Ticks of the rule after `after` that some process claimed. */
  private async claimedTicks(rule: string, after: number): Promise<Set<number>> {
    const out = new Set<number>();
    let afterArn = tickArn(rule, after);
    for (;;) {
      const page = await this.opts.store.listResources(TICK_KIND, { arnPrefix: tickPrefix(rule), afterArn, limit: 500 });
      for (const rec of page) out.add((rec.doc as unknown as TickDoc).tick);
      const last = page[page.length - 1];
      if (page.length < 500 || !last) return out;
      afterArn = last.arn;
    }
  }

  /** Fires ticks in (since, now] whose fire time has come; returns the rule's next fire time after `now`. */
  private async fireDue(rule: ScheduleRule, now: number): Promise<number | undefined> {
    const schedule = scheduleOf(rule);
    if (!schedule) return undefined;
    // A Scheduler-style rate() fires at the very instant it was created ("at once"): include that instant.
    const edge = isSchedulerStyle(rule) ? 1 : 0;
    const from = Math.max(this.since.get(rule.name) ?? this.startedAt - edge, rule.createdAt - edge, rule.resumedAt ?? -Infinity);
    const max = this.opts.maxTicksPerPass ?? 100;
    const ticks = nextFireTimes(schedule, from, max + 1, { anchor: rule.createdAt });
    const due = ticks.filter((t) => fireTime(rule, t) <= now);
    if (due.length > max) this.log(`stepwise scheduler: rule '${rule.name}': more than ${max} ticks due at once; firing the latest ${max}`);
    for (const t of due.slice(-max)) await this.claimAndFire(rule, t, now, false);
    // A tick still inside its flexible window is looked at again; claims make a second look harmless.
    const waiting = ticks.filter((t) => t <= now && fireTime(rule, t) > now);
    this.since.set(rule.name, waiting.length > 0 ? Math.max(from, (waiting[0] as number) - 1) : Math.max(from, now));
    const upcoming = [...waiting, ...ticks.filter((t) => t > now)].map((t) => fireTime(rule, t));
    if (upcoming.length === 0) {
      const later = nextFireTimes(schedule, now, 1, { anchor: rule.createdAt })[0];
      return later === undefined ? undefined : fireTime(rule, later);
    }
    return Math.min(...upcoming);
  }

  private async claimAndFire(rule: ScheduleRule, t: number, now: number, catchUp: boolean): Promise<void> {
    const fireAt = fireTime(rule, t);
    const doc: TickDoc = { rule: rule.name, tick: t, status: 'claimed', ...(fireAt !== t && { fireAt }), ...(catchUp && { catchUp }) };
    const arn = tickArn(rule.name, t);
    if (!(await this.opts.store.createResource(TICK_KIND, arn, rule.name, doc as unknown as Json, now))) return;
    await this.fire(rule, arn, doc, 1);
  }

  /** Start the targets of a claimed tick and complete its claim (unless someone else did). */
  private async fire(rule: ScheduleRule, arn: string, doc: TickDoc, revision: number): Promise<void> {
    const results: TargetResult[] = [];
    for (const target of rule.targets) {
      const name = executionName(rule, target, doc.tick);
      try {
        if (rule.overlap === 'skip') {
          if (!this.opts.isRunning) throw new ServiceError('ValidationException', 'overlap skip needs a running-execution check, which this scheduler was not given');
          if (await this.opts.isRunning(target.stateMachineArn, executionNamePrefix(rule, target), name)) {
            results.push({ id: target.id, name, skipped: 'overlap' });
            this.opts.onSkipped?.(rule.name, 'overlap');
            continue;
          }
        }
        const event = scheduledEvent(rule, doc.tick);
        const input = targetInput({ ...(target.input !== undefined && { Input: target.input }), ...(target.inputPath !== undefined && { InputPath: target.inputPath }), ...(target.inputTransformer !== undefined && { InputTransformer: target.inputTransformer }) }, JSON.parse(event) as Json, { ruleArn: ruleArn(rule.name), ruleName: rule.name, ingestionTime: new Date(doc.tick).toISOString().replace(/\.\d{3}Z$/, 'Z') });
        const { executionArn } = await this.opts.start({ stateMachineArn: target.stateMachineArn, name, input });
        results.push({ id: target.id, name, executionArn });
      } catch (err) {
        // An earlier attempt at this tick started it (and it has closed, or its input moved on).
        if (err instanceof ServiceError && err.code === 'ExecutionAlreadyExists') results.push({ id: target.id, name });
        // The service refused it: recorded, never retried. Anything else leaves the claim to recovery.
        else if (err instanceof ServiceError) results.push({ id: target.id, name, error: err.code, cause: err.message });
        else throw err;
      }
    }
    const failed = results.some((r) => r.error !== undefined);
    const allSkipped = results.length > 0 && results.every((r) => r.skipped !== undefined);
    const done: TickDoc = { ...doc, status: failed ? 'failed' : allSkipped ? 'skipped' : 'fired', targets: results };
    if (failed) this.log(`stepwise scheduler: rule '${rule.name}' tick ${new Date(doc.tick).toISOString()}: ${results.filter((r) => r.error).map((r) => `target ${r.id}: ${r.cause ?? r.error}`).join('; ')}`);
    if (!(await this.opts.store.updateResource(TICK_KIND, arn, done as unknown as Json, revision, this.opts.clock.now()))) return;
    if (results.some((r) => r.error === undefined && r.skipped === undefined)) this.opts.onFired?.(rule.name);
  }

  /** Claims of this rule in the recovery window that their owner never completed. */
  private async recover(rule: ScheduleRule, now: number): Promise<void> {
    const staleMs = this.opts.staleClaimMs ?? 60_000;
    const windowMs = this.opts.recoveryWindowMs ?? HOUR_MS;
    const recent: ResourceRecord[] = await this.opts.store.listResources(TICK_KIND, { arnPrefix: tickPrefix(rule.name), afterArn: tickArn(rule.name, now - windowMs), limit: 100 });
    for (const rec of recent) {
      const doc = rec.doc as unknown as TickDoc;
      if (doc.status !== 'claimed' || rec.updatedAt > now - staleMs) continue;
      this.log(`stepwise scheduler: rule '${rule.name}': recovering the tick of ${new Date(doc.tick).toISOString()}, claimed but not completed`);
      await this.fire(rule, rec.arn, doc, rec.revision);
    }
  }

  /** Drops the rule's claims older than the retention, at most hourly per process. */
  private async prune(rule: ScheduleRule, now: number): Promise<void> {
    if ((this.pruned.get(rule.name) ?? -Infinity) > now - HOUR_MS) return;
    this.pruned.set(rule.name, now);
    const cutoff = now - TICK_RETENTION_MS;
    for (;;) {
      const page = await this.opts.store.listResources(TICK_KIND, { arnPrefix: tickPrefix(rule.name), limit: 100 });
      const old = page.filter((r) => (r.doc as unknown as TickDoc).tick < cutoff);
      for (const r of old) await this.opts.store.deleteResource(TICK_KIND, r.arn);
      if (old.length < 100) return;
    }
  }
}

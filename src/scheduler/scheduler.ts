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
 * Missed ticks: skipped, as on EventBridge. Only ticks after this scheduler started (and after
 * the rule was created or enabled) fire; ticks that fell while no process ran never do.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../engine/clock.js';
import type { ResourceRecord, Store } from '../engine/store.js';
import type { Json } from '../lib/json.js';
import { ServiceError } from '../service/errors.js';
import type { ExecutionService } from '../service/executions.js';
import type { StateMachineService } from '../service/state-machines.js';
import { nextFireTimes } from './next-fire-times.js';
import { ACCOUNT, listRules, REGION, ruleArn, type RuleTarget, type ScheduleRule } from './rules.js';
import { parseScheduleExpression, type Schedule } from './schedule-expression.js';

export const TICK_KIND = 'scheduleTick';

/** Starts one target's execution (the service's StartExecution rules). */
export type StartTarget = (req: { stateMachineArn: string; name: string; input: string }) => Promise<{ executionArn: string }>;

export interface SchedulerOptions {
  store: Store;
  clock: Clock;
  start: StartTarget;
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
  log?: (line: string) => void;
}

type TickStatus = 'claimed' | 'fired' | 'failed';
interface TargetResult {
  id: string;
  name: string;
  executionArn?: string;
  error?: string;
  cause?: string;
}
interface TickDoc {
  rule: string;
  tick: number;
  status: TickStatus;
  targets?: TargetResult[];
}

/** `2026-01-01T00:10:00.000Z` → `20260101T001000Z`. */
function stamp(t: number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/**
 * The execution name of a target for a tick: `<rule>-<stamp>`, or `<rule>-<targetId>-<stamp>`
 * when another target of the rule starts the same state machine. Past AWS's 80 characters, the
 * prefix is cut and a hash of it keeps names distinct.
 */
export function executionName(rule: ScheduleRule, target: RuleTarget, tick: number): string {
  const shared = rule.targets.some((t) => t !== target && t.stateMachineArn === target.stateMachineArn);
  const prefix = shared ? `${rule.name}-${target.id}` : rule.name;
  const suffix = `-${stamp(tick)}`;
  if (prefix.length + suffix.length <= 80) return prefix + suffix;
  const hash = createHash('sha256').update(prefix).digest('hex').slice(0, 8);
  return `${prefix.slice(0, 80 - suffix.length - hash.length - 1)}-${hash}${suffix}`;
}

/** EventBridge's input when a target has none: the "Scheduled Event", with an id fixed by rule and tick. */
export function scheduledEvent(rule: ScheduleRule, tick: number): string {
  const h = createHash('sha256').update(`${ruleArn(rule.name)}#${tick}`).digest('hex');
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  const time = new Date(tick).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return JSON.stringify({ version: '0', id, 'detail-type': 'Scheduled Event', source: 'aws.events', account: ACCOUNT, time, region: REGION, resources: [ruleArn(rule.name)], detail: {} });
}

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

export class Scheduler {
  /** Per rule: ticks at or before this were considered already. */
  private readonly since = new Map<string, number>();
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
    for (const rule of await listRules(this.opts.store)) {
      try {
        await this.recover(rule, now);
        if (rule.state !== 'ENABLED') {
          this.since.set(rule.name, now);
          continue;
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

  /** Fires ticks in (since, now]; returns the rule's next fire time after `now`. */
  private async fireDue(rule: ScheduleRule, now: number): Promise<number | undefined> {
    const schedule: Schedule = parseScheduleExpression(rule.scheduleExpression);
    const from = Math.max(this.since.get(rule.name) ?? this.startedAt, rule.createdAt);
    const max = this.opts.maxTicksPerPass ?? 100;
    const times = nextFireTimes(schedule, from, max + 1, { anchor: rule.createdAt });
    const due = times.filter((t) => t <= now);
    if (due.length > max) this.log(`stepwise scheduler: rule '${rule.name}': more than ${max} ticks due at once; firing the latest ${max}`);
    for (const t of due.slice(-max)) {
      await this.claimAndFire(rule, t, now);
      this.since.set(rule.name, t);
    }
    this.since.set(rule.name, Math.max(from, now));
    return times.find((t) => t > now) ?? nextFireTimes(schedule, now, 1, { anchor: rule.createdAt })[0];
  }

  private async claimAndFire(rule: ScheduleRule, t: number, now: number): Promise<void> {
    const doc: TickDoc = { rule: rule.name, tick: t, status: 'claimed' };
    const arn = `${ruleArn(rule.name)}#${t}`;
    if (!(await this.opts.store.createResource(TICK_KIND, arn, rule.name, doc as unknown as Json, now))) return;
    await this.fire(rule, arn, doc, 1);
  }

  /** Start the targets of a claimed tick and complete its claim (unless someone else did). */
  private async fire(rule: ScheduleRule, arn: string, doc: TickDoc, revision: number): Promise<void> {
    const results: TargetResult[] = [];
    for (const target of rule.targets) {
      const name = executionName(rule, target, doc.tick);
      try {
        const { executionArn } = await this.opts.start({ stateMachineArn: target.stateMachineArn, name, input: target.input ?? scheduledEvent(rule, doc.tick) });
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
    const done: TickDoc = { ...doc, status: failed ? 'failed' : 'fired', targets: results };
    if (failed) this.log(`stepwise scheduler: rule '${rule.name}' tick ${new Date(doc.tick).toISOString()}: ${results.filter((r) => r.error).map((r) => `target ${r.id}: ${r.cause ?? r.error}`).join('; ')}`);
    if (!(await this.opts.store.updateResource(TICK_KIND, arn, done as unknown as Json, revision, this.opts.clock.now()))) return;
    if (results.some((r) => r.error === undefined)) this.opts.onFired?.(rule.name);
  }

  /** Claims of this rule in the recovery window that their owner never completed. */
  private async recover(rule: ScheduleRule, now: number): Promise<void> {
    const staleMs = this.opts.staleClaimMs ?? 60_000;
    const windowMs = this.opts.recoveryWindowMs ?? 3_600_000;
    const prefix = `${ruleArn(rule.name)}#`;
    // Tick ARNs end in 13-digit epoch milliseconds, so arn order is time order.
    const recent: ResourceRecord[] = await this.opts.store.listResources(TICK_KIND, { arnPrefix: prefix, afterArn: `${prefix}${now - windowMs}`, limit: 100 });
    for (const rec of recent) {
      const doc = rec.doc as unknown as TickDoc;
      if (doc.status !== 'claimed' || rec.updatedAt > now - staleMs) continue;
      this.log(`stepwise scheduler: rule '${rule.name}': recovering the tick of ${new Date(doc.tick).toISOString()}, claimed but not completed`);
      await this.fire(rule, rec.arn, doc, rec.revision);
    }
  }
}

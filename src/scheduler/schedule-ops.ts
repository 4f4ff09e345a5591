/**
 * Stepwise's own schedule operations, beside EventBridge's rule API on the same server
 * (`X-Amz-Target: Stepwise.<Operation>`, JSON 1.1): what EventBridge has no words for.
 * - DescribeSchedule {Name, Count?}: the rule with its Stepwise options, its next fire times
 *   (the scheduler's own maths, flexible windows included) and its recent ticks.
 * - PauseSchedule {Name, Note?} / ResumeSchedule {Name}.
 * - PutSchedule {Name, ScheduleExpression, Target {Arn, Input?}, TimeZone?, StartDate?, EndDate?,
 *   FlexibleWindowMinutes?, CatchUp {Policy, WindowSeconds?}?, Overlap?, State?, Description?}
 *   creates or replaces a schedule (a rule with one target); DeleteSchedule {Name} removes it.
 */
import type { Clock } from '../engine/clock.js';
import type { Store } from '../engine/store.js';
import { isObject, type Json, type JsonObject } from '../lib/json.js';
import { ServiceError } from '../service/errors.js';
import { nextFireTimes } from './next-fire-times.js';
import { fromDoc, mutateRule, pauseRule, resumeRule, RULE_KIND, ruleArn, RuleNotFoundError, scheduleOf, TICK_RETENTION_MS, type ScheduleRule } from './rules.js';
import { fireTime, TICK_KIND, tickArn, tickPrefix, type TickDoc } from './ticks.js';

export const SCHEDULE_TARGET_PREFIX = 'Stepwise.';
export const SCHEDULE_OPERATIONS = ['PutSchedule', 'DeleteSchedule', 'DescribeSchedule', 'PauseSchedule', 'ResumeSchedule'] as const;

const STATE_MACHINE_ARN = /^arn:aws:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_.-]+(:[A-Za-z0-9_.$-]+)?$/;
const invalid = (message: string) => new ServiceError('ValidationException', message);

/** PutSchedule's request as a rule: EventBridge Scheduler's options and Stepwise's policies, checked. */
function scheduleRequest(req: JsonObject, name: string): Omit<ScheduleRule, 'createdAt'> {
  const expression = req['ScheduleExpression'];
  if (typeof expression !== 'string') throw invalid('ScheduleExpression is required: rate(...), cron(...) or at(...).');
  const target = req['Target'];
  if (!isObject(target as Json) || typeof (target as JsonObject)['Arn'] !== 'string' || !STATE_MACHINE_ARN.test((target as JsonObject)['Arn'] as string)) {
    throw invalid('Target.Arn must be a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME).');
  }
  const input = (target as JsonObject)['Input'];
  if (input !== undefined) {
    if (typeof input !== 'string') throw invalid('Target.Input must be JSON text.');
    try {
      JSON.parse(input);
    } catch {
      throw invalid('Target.Input is not valid JSON.');
    }
  }
  const date = (member: string): number | undefined => {
    const v = req[member];
    if (v === undefined) return undefined;
    const ms = typeof v === 'string' ? Date.parse(v) : NaN;
    if (!Number.isFinite(ms)) throw invalid(`${member} must be an ISO 8601 date and time.`);
    return ms;
  };
  const state = req['State'] ?? 'ENABLED';
  if (state !== 'ENABLED' && state !== 'DISABLED') throw invalid('State must be ENABLED or DISABLED.');
  const flex = req['FlexibleWindowMinutes'];
  if (flex !== undefined && !(typeof flex === 'number' && Number.isInteger(flex) && flex >= 1 && flex <= 1440)) throw invalid('FlexibleWindowMinutes must be an integer from 1 to 1440.');
  const overlap = req['Overlap'];
  if (overlap !== undefined && overlap !== 'allow' && overlap !== 'skip') throw invalid('Overlap must be allow or skip.');
  let catchUp: ScheduleRule['catchUp'];
  const c = req['CatchUp'];
  if (c !== undefined) {
    const policy = isObject(c as Json) ? (c as JsonObject)['Policy'] : undefined;
    if (policy !== 'skip' && policy !== 'latest' && policy !== 'all') throw invalid('CatchUp.Policy must be skip, latest or all.');
    const seconds = (c as JsonObject)['WindowSeconds'];
    if (seconds !== undefined && !(typeof seconds === 'number' && seconds > 0 && seconds * 1000 <= TICK_RETENTION_MS)) throw invalid('CatchUp.WindowSeconds must be positive and at most 7 days (604800).');
    catchUp = { policy, ...(typeof seconds === 'number' && { windowMs: seconds * 1000 }) };
  }
  const timeZone = req['TimeZone'];
  if (timeZone !== undefined && typeof timeZone !== 'string') throw invalid('TimeZone must be an IANA time zone name.');
  const startDate = date('StartDate');
  const endDate = date('EndDate');
  const rule: Omit<ScheduleRule, 'createdAt'> = {
    name,
    scheduleExpression: expression,
    state,
    targets: [{ id: 'schedule-target', stateMachineArn: (target as JsonObject)['Arn'] as string, ...(typeof input === 'string' && { input }) }],
    ...(typeof req['Description'] === 'string' && { description: req['Description'] }),
    ...(timeZone !== undefined && { timeZone }),
    ...(startDate !== undefined && { startDate }),
    ...(endDate !== undefined && { endDate }),
    ...(flex !== undefined && { flexibleWindowMinutes: flex }),
    ...(catchUp && { catchUp }),
    ...(overlap !== undefined && { overlap }),
  };
  // A Scheduler schedule: its options make it one; otherwise an EventBridge-style rule of the same expression.
  scheduleOf(rule);
  return rule;
}

const iso = (ms: number) => new Date(ms).toISOString();
const RECENT_TICKS = 10;

/** When the rule fires next: up to `count` instants after `now` (a paused or disabled rule's too, for planning). */
export function upcomingFireTimes(rule: ScheduleRule, now: number, count: number): number[] {
  const schedule = scheduleOf(rule);
  if (!schedule) return [];
  const from = Math.max(now, rule.createdAt, rule.resumedAt ?? -Infinity);
  return nextFireTimes(schedule, from, count, { anchor: rule.createdAt }).map((t) => fireTime(rule, t));
}

export function scheduleOps(store: Store, clock: Clock): Record<(typeof SCHEDULE_OPERATIONS)[number], (req: JsonObject) => Promise<JsonObject>> {
  const now = () => clock.now();
  const named = (req: JsonObject): string => {
    const name = req['Name'];
    if (typeof name !== 'string' || name === '') throw new ServiceError('ValidationException', "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
    return name;
  };
  const notFound = (err: unknown): never => {
    if (err instanceof RuleNotFoundError) throw new ServiceError('ResourceNotFoundException', err.message);
    throw err;
  };
  return {
    async PutSchedule(req) {
      const name = named(req);
      if (!/^[.\-_A-Za-z0-9]{1,64}$/.test(name)) throw invalid('Name must be 1 to 64 of [.-_A-Za-z0-9].');
      const next = scheduleRequest(req, name);
      const saved = await mutateRule(store, name, now, (old) => {
        const restarts = !old || old.scheduleExpression !== next.scheduleExpression || (old.state === 'DISABLED' && next.state === 'ENABLED');
        return { ...next, createdAt: restarts || !old ? now() : old.createdAt, ...(old?.paused && { paused: old.paused }), ...(old?.resumedAt !== undefined && { resumedAt: old.resumedAt }) };
      });
      if (!saved) throw new ServiceError('ConcurrentModificationException', 'The schedule changed at the same time; try again.');
      return describe(saved, upcomingFireTimes(saved, now(), 5), []);
    },
    async DeleteSchedule(req) {
      const name = named(req);
      if (!(await store.deleteResource(RULE_KIND, ruleArn(name)))) throw new ServiceError('ResourceNotFoundException', `Rule ${name} does not exist.`);
      return {};
    },
    async DescribeSchedule(req) {
      const name = named(req);
      const count = req['Count'] ?? 5;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 100) throw new ServiceError('ValidationException', 'Count must be an integer from 1 to 100.');
      const rec = await store.getResource(RULE_KIND, ruleArn(name));
      if (!rec) throw new ServiceError('ResourceNotFoundException', `Rule ${name} does not exist.`);
      const rule = fromDoc(rec.doc);
      return describe(rule, upcomingFireTimes(rule, now(), count), await recentTicks(store, name, now()));
    },
    async PauseSchedule(req) {
      const note = req['Note'];
      if (note !== undefined && typeof note !== 'string') throw new ServiceError('ValidationException', 'Note must be a string.');
      const rule = await pauseRule(store, named(req), now, note).catch(notFound);
      return describe(rule, [], []);
    },
    async ResumeSchedule(req) {
      const rule = await resumeRule(store, named(req), now).catch(notFound);
      return describe(rule, upcomingFireTimes(rule, now(), 5), []);
    },
  };
}

/** The last few ticks claimed within the past week, newest first. */
async function recentTicks(store: Store, rule: string, now: number): Promise<TickDoc[]> {
  const out: TickDoc[] = [];
  let afterArn = tickArn(rule, now - 7 * 86_400_000);
  for (;;) {
    const page = await store.listResources(TICK_KIND, { arnPrefix: tickPrefix(rule), afterArn, limit: 500 });
    for (const r of page) out.push(r.doc as unknown as TickDoc);
    if (out.length > RECENT_TICKS) out.splice(0, out.length - RECENT_TICKS);
    const last = page[page.length - 1];
    if (page.length < 500 || !last) break;
    afterArn = last.arn;
  }
  return out.reverse();
}

function describe(rule: ScheduleRule, next: number[], ticks: TickDoc[]): JsonObject {
  const out: Record<string, Json> = {
    Name: rule.name,
    Arn: ruleArn(rule.name),
    ...(rule.scheduleExpression !== undefined && { ScheduleExpression: rule.scheduleExpression }),
    ...(rule.eventPattern !== undefined && { EventPattern: rule.eventPattern }),
    State: rule.state,
    CatchUp: { Policy: rule.catchUp?.policy ?? 'skip', ...(rule.catchUp?.windowMs !== undefined && { WindowSeconds: rule.catchUp.windowMs / 1000 }) },
    Overlap: rule.overlap ?? 'allow',
    Targets: rule.targets.map((t) => ({ Id: t.id, Arn: t.stateMachineArn })),
    NextFireTimes: next.map(iso),
    RecentTicks: ticks.map((t) => ({
      Tick: iso(t.tick),
      Status: t.status,
      ...(t.fireAt !== undefined && { FireAt: iso(t.fireAt) }),
      ...(t.catchUp && { CatchUp: true }),
      Targets: (t.targets ?? []).map((r) => ({ Id: r.id, ExecutionName: r.name, ...(r.executionArn && { ExecutionArn: r.executionArn }), ...(r.error && { Error: r.error }), ...(r.cause && { Cause: r.cause }), ...(r.skipped && { Skipped: r.skipped }) })),
    })),
  };
  if (rule.paused) out['Paused'] = { Since: iso(rule.paused.since), ...(rule.paused.note !== undefined && { Note: rule.paused.note }) };
  if (rule.timeZone !== undefined) out['TimeZone'] = rule.timeZone;
  if (rule.startDate !== undefined) out['StartDate'] = iso(rule.startDate);
  if (rule.endDate !== undefined) out['EndDate'] = iso(rule.endDate);
  if (rule.flexibleWindowMinutes !== undefined) out['FlexibleWindowMinutes'] = rule.flexibleWindowMinutes;
  if (rule.description !== undefined) out['Description'] = rule.description;
  return out;
}

/**
 * Schedule rules kept in the store (resource kind `rule`), so every process of a cluster fires
 * the same rules. A rule's `createdAt` is the anchor of its `rate()`: set when it is created, and
 * again when its expression changes or it goes from DISABLED to ENABLED (EventBridge restarts
 * the period then).
 */
import type { Store } from '../engine/store.js';
import type { Json } from '../lib/json.js';
import { parseScheduleExpression, type Schedule } from './schedule-expression.js';
import { ScheduleExpressionError } from './schedule-error.js';
import { InvalidEventPatternError, parseEventPattern } from './event-pattern.js';

export const RULE_KIND = 'rule';

export type RuleState = 'ENABLED' | 'DISABLED';

export interface RuleTarget {
  readonly id: string;
  readonly stateMachineArn: string;
  /** JSON text; without it the target gets the event (EventBridge's "Scheduled Event" for a schedule). */
  readonly input?: string;
  /** A JSONPath into the event: the part the target gets. */
  readonly inputPath?: string;
  /** EventBridge's InputTransformer: paths into the event and a template. */
  readonly inputTransformer?: { readonly InputPathsMap?: Readonly<Record<string, string>>; readonly InputTemplate: string };
  /** PutTargets' RoleArn, kept and listed back (Stepwise does not assume it). */
  readonly roleArn?: string;
}

/**
 * Ticks missed while no Stepwise process ran: `skip` them (EventBridge's behaviour, the default),
 * run only the `latest`, or run `all` of them; either way only ticks within `windowMs` of the
 * start (default one day, at most the seven days tick claims are kept).
 */
export const CATCH_UP_POLICIES = ['skip', 'latest', 'all'] as const;
export type CatchUpPolicy = (typeof CATCH_UP_POLICIES)[number];
export interface CatchUp {
  readonly policy: CatchUpPolicy;
  readonly windowMs?: number;
}
/** `allow` (default): every tick starts its targets. `skip`: not while the rule's previous execution of that target runs. */
export const OVERLAP_POLICIES = ['allow', 'skip'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

export interface ScheduleRule {
  readonly name: string;
  /** A schedule (`rate()`, `cron()`, `at()`); a rule has this, an event pattern, or both. */
  readonly scheduleExpression?: string;
  /** An EventBridge event pattern (JSON text): the rule starts its targets for each matching event on the default bus. */
  readonly eventPattern?: string;
  readonly state: RuleState;
  /** Epoch ms: when the rule was created or last enabled (the `rate()` anchor). */
  readonly createdAt: number;
  readonly targets: readonly RuleTarget[];
  readonly description?: string;
  // Stepwise's own schedule options (configuration and CLI; the EventBridge API neither shows nor clears them).
  /** EventBridge Scheduler's options: a rule with any of them (or an `at()`) is a Scheduler-style schedule. */
  readonly timeZone?: string;
  readonly startDate?: number;
  readonly endDate?: number;
  /** Fire within this many minutes after each tick, at an offset fixed by rule and tick (Scheduler's FLEXIBLE window). */
  readonly flexibleWindowMinutes?: number;
  readonly catchUp?: CatchUp;
  readonly overlap?: OverlapPolicy;
  /** Paused: ticks pass without firing and are never caught up; the rate() anchor is kept (unlike DisableRule). */
  readonly paused?: { readonly since: number; readonly note?: string };
  /** Epoch ms of the last resume: catch-up never reaches back before it. */
  readonly resumedAt?: number;
}

export const DAY_MS = 86_400_000;
/** Tick claims older than this are pruned, so catch-up never reaches further back. */
export const TICK_RETENTION_MS = 7 * DAY_MS;
export const DEFAULT_CATCH_UP_WINDOW_MS = DAY_MS;

/** A Scheduler-style schedule (time zone, start/end dates, flexible window, `at()`), rather than an EventBridge rule. */
export function isSchedulerStyle(rule: Pick<ScheduleRule, 'scheduleExpression' | 'timeZone' | 'startDate' | 'endDate' | 'flexibleWindowMinutes'>): boolean {
  return (rule.scheduleExpression ?? '').startsWith('at(') || rule.timeZone !== undefined || rule.startDate !== undefined || rule.endDate !== undefined || rule.flexibleWindowMinutes !== undefined;
}

/** The rule's schedule, read as an EventBridge rule or as a Scheduler schedule (undefined for an event-pattern-only rule). Throws ScheduleExpressionError. */
export function scheduleOf(rule: Pick<ScheduleRule, 'scheduleExpression' | 'timeZone' | 'startDate' | 'endDate' | 'flexibleWindowMinutes'>): Schedule | undefined {
  if (rule.scheduleExpression === undefined) return undefined;
  if (!isSchedulerStyle(rule)) return parseScheduleExpression(rule.scheduleExpression);
  return parseScheduleExpression(rule.scheduleExpression, {
    form: 'scheduler',
    ...(rule.timeZone !== undefined && { timeZone: rule.timeZone }),
    ...(rule.startDate !== undefined && { startDate: rule.startDate }),
    ...(rule.endDate !== undefined && { endDate: rule.endDate }),
  });
}

/** A rule as declared (configuration, API): the anchor is the store's business. `where` (file:line:col) prefixes errors. */
export type RuleDeclaration = Omit<ScheduleRule, 'createdAt' | 'paused' | 'resumedAt'> & { readonly where?: string };

/** A declared rule the scheduler cannot run (its expression is invalid). */
export class RuleDeclarationError extends Error {}

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

export function ruleArn(name: string): string {
  return `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}`;
}

/** A state machine named or given by ARN (`arn:…`, possibly a version or alias). */
export function stateMachineRef(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${nameOrArn}`;
}

const STEPWISE_MEMBERS = ['timeZone', 'startDate', 'endDate', 'flexibleWindowMinutes', 'catchUp', 'overlap', 'paused', 'resumedAt'] as const;

/** A rule's Stepwise-only options, which EventBridge's PutRule neither shows nor clears. */
export function stepwiseOptions(rule: ScheduleRule): Partial<ScheduleRule> {
  const out: Record<string, unknown> = {};
  for (const key of STEPWISE_MEMBERS) if (rule[key] !== undefined) out[key] = rule[key];
  return out as Partial<ScheduleRule>;
}

const RULE_MEMBERS = ['name', 'scheduleExpression', 'eventPattern', 'state', 'createdAt', 'description', 'timeZone', 'startDate', 'endDate', 'flexibleWindowMinutes', 'catchUp', 'overlap', 'paused', 'resumedAt'] as const;

/** A rule as its store record's document (only a rule's own members: a declaration's `where` stays out). */
export function toDoc(rule: ScheduleRule): Json {
  const doc: Record<string, Json> = {};
  for (const key of RULE_MEMBERS) {
    const v = rule[key];
    if (v !== undefined) doc[key] = v as unknown as Json;
  }
  doc['targets'] = rule.targets.map((t) => ({
    id: t.id,
    stateMachineArn: t.stateMachineArn,
    ...(t.input !== undefined ? { input: t.input } : {}),
    ...(t.inputPath !== undefined ? { inputPath: t.inputPath } : {}),
    ...(t.inputTransformer !== undefined ? { inputTransformer: t.inputTransformer as unknown as Json } : {}),
    ...(t.roleArn !== undefined ? { roleArn: t.roleArn } : {}),
  }));
  return doc;
}

export function fromDoc(doc: Json): ScheduleRule {
  return doc as unknown as ScheduleRule;
}

/**
 * Create or update these rules in the store (rules already stored and not declared are left
 * alone: they may come from the API). Throws, naming the rule, when an expression is invalid.
 */
export async function declareRules(store: Store, rules: readonly RuleDeclaration[], now: number): Promise<void> {
  for (const decl of rules) {
    try {
      scheduleOf(decl);
      if (decl.eventPattern !== undefined) parseEventPattern(decl.eventPattern);
      if (decl.scheduleExpression === undefined && decl.eventPattern === undefined) throw new RuleDeclarationError(`${decl.where ? `${decl.where}: ` : ''}rule '${decl.name}' needs a scheduleExpression or an eventPattern`);
    } catch (err) {
      if (err instanceof ScheduleExpressionError) {
        throw new RuleDeclarationError(`${decl.where ? `${decl.where}: ` : ''}rule '${decl.name}': invalid scheduleExpression '${decl.scheduleExpression ?? ''}': ${err.reason}`);
      }
      if (err instanceof InvalidEventPatternError) throw new RuleDeclarationError(`${decl.where ? `${decl.where}: ` : ''}rule '${decl.name}': invalid eventPattern: ${err.reason}`);
      throw err;
    }
    const arn = ruleArn(decl.name);
    // Optimistic: another process may declare the same rules at the same time.
    for (let attempt = 0; ; attempt++) {
      const rec = await store.getResource(RULE_KIND, arn);
      if (!rec) {
        if (await store.createResource(RULE_KIND, arn, decl.name, toDoc({ ...decl, createdAt: now }), now)) break;
        continue;
      }
      const old = fromDoc(rec.doc);
      const restarts = old.scheduleExpression !== decl.scheduleExpression || (old.state === 'DISABLED' && decl.state === 'ENABLED');
      // Pausing is an operator's act at run time: a restart with the same file keeps it.
      const kept = { ...(old.paused !== undefined && { paused: old.paused }), ...(old.resumedAt !== undefined && { resumedAt: old.resumedAt }) };
      const next = toDoc({ ...decl, ...kept, createdAt: restarts ? now : old.createdAt });
      if (JSON.stringify(next) === JSON.stringify(rec.doc)) break;
      if (await store.updateResource(RULE_KIND, arn, next, rec.revision, now)) break;
      if (attempt > 10) throw new Error(`rule '${decl.name}': the store kept changing under us`);
    }
  }
}

/**
 * Compare-and-set on a rule's record: `change` sees the current rule (or undefined when there is
 * none) and returns the next one. Retries while other writers move the record on.
 */
export async function mutateRule(store: Store, name: string, now: () => number, change: (rule: ScheduleRule | undefined) => ScheduleRule): Promise<ScheduleRule | undefined> {
  const arn = ruleArn(name);
  for (let attempt = 0; attempt < 20; attempt++) {
    const at = now();
    const rec = await store.getResource(RULE_KIND, arn);
    const next = change(rec ? fromDoc(rec.doc) : undefined);
    const ok = rec ? await store.updateResource(RULE_KIND, arn, toDoc(next), rec.revision, at) : await store.createResource(RULE_KIND, arn, name, toDoc(next), at);
    if (ok) return next;
  }
  return undefined;
}

/** No such rule: pausing or resuming names one that does not exist. */
export class RuleNotFoundError extends Error {}

/** Pause: ticks pass without firing, and are never caught up; the rate() anchor is kept. */
export async function pauseRule(store: Store, name: string, now: () => number, note?: string): Promise<ScheduleRule> {
  return changeExisting(store, name, now, (rule) => (rule.paused ? rule : { ...rule, paused: { since: now(), ...(note !== undefined && { note }) } }));
}

/** Resume a paused rule: the next tick after now fires; nothing missed while paused does. */
export async function resumeRule(store: Store, name: string, now: () => number): Promise<ScheduleRule> {
  return changeExisting(store, name, now, (rule) => {
    if (!rule.paused) return rule;
    const { paused: _paused, ...rest } = rule;
    return { ...rest, resumedAt: now() };
  });
}

async function changeExisting(store: Store, name: string, now: () => number, change: (rule: ScheduleRule) => ScheduleRule): Promise<ScheduleRule> {
  const next = await mutateRule(store, name, now, (rule) => {
    if (!rule) throw new RuleNotFoundError(`Rule ${name} does not exist.`);
    return change(rule);
  });
  if (!next) throw new Error(`rule '${name}': the store kept changing under us`);
  return next;
}

/** Every stored rule, by ARN. */
export async function listRules(store: Store): Promise<ScheduleRule[]> {
  const out: ScheduleRule[] = [];
  let afterArn: string | undefined;
  for (;;) {
    const page = await store.listResources(RULE_KIND, { limit: 100, ...(afterArn !== undefined ? { afterArn } : {}) });
    out.push(...page.map((r) => fromDoc(r.doc)));
    if (page.length < 100) return out;
    afterArn = page[page.length - 1]?.arn;
  }
}

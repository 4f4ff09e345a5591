/**
 * Rules with an EventPattern: each event put on the default bus (PutEvents, `events:putEvents`
 * tasks, Step Functions' own "Execution Status Change" events) is matched against the enabled
 * rules, and each match starts the rule's targets once. A match is claimed in the store
 * (`eventMatch` record per rule and event id) before its targets start, and the execution name is
 * derived from rule and event, so a cluster (or a retried dispatch) never starts two executions
 * for one match. Targets get the event, or what their Input / InputPath / InputTransformer make
 * of it. Dispatch happens in the process that accepted the event, right after it was stored;
 * events are best effort, as on EventBridge.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../engine/clock.js';
import type { Store } from '../engine/store.js';
import type { Json } from '../lib/json.js';
import { ServiceError } from '../service/errors.js';
import { matchesEventPattern, parseEventPattern, type EventPattern } from './event-pattern.js';
import { targetInput, TargetInputError } from './input-transformer.js';
import { listRules, ruleArn, type RuleTarget, type ScheduleRule } from './rules.js';
import type { StartTarget } from './scheduler.js';

export const EVENT_MATCH_KIND = 'eventMatch';

/** `<rule>-<event id>`, within AWS's 80 characters (the rule part is cut and hashed when long). */
export function eventExecutionName(rule: ScheduleRule, target: RuleTarget, eventId: string): string {
  const shared = rule.targets.some((t) => t !== target && t.stateMachineArn === target.stateMachineArn);
  const prefix = shared ? `${rule.name}-${target.id}` : rule.name;
  const id = eventId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 36);
  const suffix = `-${id}`;
  if (prefix.length + suffix.length <= 80) return prefix + suffix;
  const hash = createHash('sha256').update(prefix).digest('hex').slice(0, 8);
  return `${prefix.slice(0, Math.max(1, 80 - suffix.length - hash.length - 1))}-${hash}${suffix}`;
}

export interface EventRulesOptions {
  store: Store;
  clock: Clock;
  start: StartTarget;
  /** Rules are re-read at most this often (default 1 s). */
  cacheMs?: number;
  onMatched?: (rule: string) => void;
  log?: (line: string) => void;
}

interface Compiled {
  rule: ScheduleRule;
  pattern: EventPattern;
}

export class EventRules {
  private cache: { at: number; rules: Compiled[] } | undefined;
  private readonly log: (line: string) => void;

  constructor(private readonly opts: EventRulesOptions) {
    this.log = opts.log ?? ((l) => console.error(l));
  }

  /** Whether any enabled rule has an event pattern (callers skip building events nobody wants). */
  async anyRules(): Promise<boolean> {
    return (await this.rules()).length > 0;
  }

  /**
   * Match events against the rules and start the targets of each match once. `storedAt` (a
   * recovered event): rules created or enabled after it do not see it, as they would not have.
   */
  async dispatch(events: readonly Json[], storedAt?: number): Promise<void> {
    const all = await this.rules();
    const rules = storedAt === undefined ? all : all.filter((r) => r.rule.createdAt <= storedAt);
    if (rules.length === 0) return;
    for (const raw of events) {
      // The bus keeps which bus an event is on and whether it was dispatched; a rule sees the event as EventBridge delivers it.
      const { eventBusName, dispatched: _dispatched, ...event } = raw as Record<string, Json>;
      if (eventBusName !== undefined && eventBusName !== 'default') continue;
      const id = typeof event['id'] === 'string' ? event['id'] : createHash('sha256').update(JSON.stringify(event)).digest('hex').slice(0, 32);
      for (const { rule, pattern } of rules) {
        if (!matchesEventPattern(pattern, event)) continue;
        try {
          await this.fire(rule, id, event);
        } catch (err) {
          this.log(`stepwise events: rule '${rule.name}', event ${id}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
  }

  private async fire(rule: ScheduleRule, eventId: string, event: Json): Promise<void> {
    const now = this.opts.clock.now();
    const claim = `${ruleArn(rule.name)}#${eventId}`;
    if (!(await this.opts.store.createResource(EVENT_MATCH_KIND, claim, rule.name, { rule: rule.name, eventId, status: 'claimed' }, now))) return;
    const results: Json[] = [];
    for (const target of rule.targets) {
      const name = eventExecutionName(rule, target, eventId);
      try {
        const input = targetInput(
          { ...(target.input !== undefined && { Input: target.input }), ...(target.inputPath !== undefined && { InputPath: target.inputPath }), ...(target.inputTransformer !== undefined && { InputTransformer: target.inputTransformer }) },
          event,
          { ruleArn: ruleArn(rule.name), ruleName: rule.name, ingestionTime: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z') },
        );
        const { executionArn } = await this.opts.start({ stateMachineArn: target.stateMachineArn, name, input });
        results.push({ id: target.id, name, executionArn });
      } catch (err) {
        if (err instanceof ServiceError && err.code === 'ExecutionAlreadyExists') results.push({ id: target.id, name });
        else if (err instanceof ServiceError || err instanceof TargetInputError) results.push({ id: target.id, name, error: err instanceof ServiceError ? err.code : 'InputPath', cause: err.message });
        else throw err;
      }
    }
    const failed = results.some((r) => (r as { error?: string }).error !== undefined);
    await this.opts.store.updateResource(EVENT_MATCH_KIND, claim, { rule: rule.name, eventId, status: failed ? 'failed' : 'fired', targets: results }, 1, this.opts.clock.now());
    if (!failed) this.opts.onMatched?.(rule.name);
  }

  private async rules(): Promise<Compiled[]> {
    const now = this.opts.clock.now();
    if (this.cache && this.cache.at > now - (this.opts.cacheMs ?? 1000)) return this.cache.rules;
    const rules: Compiled[] = [];
    for (const rule of await listRules(this.opts.store)) {
      if (rule.eventPattern === undefined || rule.state !== 'ENABLED' || rule.paused) continue;
      try {
        rules.push({ rule, pattern: parseEventPattern(rule.eventPattern) });
      } catch (err) {
        this.log(`stepwise events: rule '${rule.name}' has an invalid pattern: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.cache = { at: now, rules };
    return rules;
  }

  /** Forget the cached rules (a rule was just put). */
  invalidate(): void {
    this.cache = undefined;
  }
}

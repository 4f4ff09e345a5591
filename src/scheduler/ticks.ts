/**
 * A schedule's ticks as the store keeps them: one `scheduleTick` record per (rule, tick), the
 * claim that makes a tick fire once across a cluster, and the names derived from a tick.
 */
import { createHash } from 'node:crypto';
import { ACCOUNT, REGION, ruleArn, type RuleTarget, type ScheduleRule } from './rules.js';

export const TICK_KIND = 'scheduleTick';

/** `claimed` until every target was tried; `skipped` when the overlap policy held every target back. */
export type TickStatus = 'claimed' | 'fired' | 'failed' | 'skipped';

export interface TargetResult {
  id: string;
  name: string;
  executionArn?: string;
  error?: string;
  cause?: string;
  /** Not started: the rule's previous execution of this target was still running (overlap `skip`). */
  skipped?: 'overlap';
}

export interface TickDoc {
  rule: string;
  tick: number;
  status: TickStatus;
  /** When the targets are started: the tick, or later within a flexible window. */
  fireAt?: number;
  /** Fired by the catch-up policy, after an outage. */
  catchUp?: boolean;
  targets?: TargetResult[];
}

/** Tick ARNs end in 13-digit epoch milliseconds, so their string order is time order. */
export function tickArn(rule: string, tick: number): string {
  return `${ruleArn(rule)}#${String(tick).padStart(13, '0')}`;
}

export function tickPrefix(rule: string): string {
  return `${ruleArn(rule)}#`;
}

/** `2026-01-01T00:10:00.000Z` → `20260101T001000Z`. */
function stamp(t: number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}
const STAMP_LENGTH = 16;

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

/** What every execution name of this rule and target starts with (the name without its stamp). */
export function executionNamePrefix(rule: ScheduleRule, target: RuleTarget): string {
  return executionName(rule, target, 0).slice(0, -STAMP_LENGTH);
}

/** EventBridge's input when a target has none: the "Scheduled Event", with an id fixed by rule and tick. */
export function scheduledEvent(rule: ScheduleRule, tick: number): string {
  const h = createHash('sha256').update(`${ruleArn(rule.name)}#${tick}`).digest('hex');
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  const time = new Date(tick).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return JSON.stringify({ version: '0', id, 'detail-type': 'Scheduled Event', source: 'aws.events', account: ACCOUNT, time, region: REGION, resources: [ruleArn(rule.name)], detail: {} });
}

/**
 * When a tick's targets start. Without a flexible window, at the tick; with one, at an offset in
 * [0, window) derived from rule and tick, so every process of a cluster agrees on it.
 */
export function fireTime(rule: ScheduleRule, tick: number): number {
  const minutes = rule.flexibleWindowMinutes;
  if (minutes === undefined || minutes <= 0) return tick;
  const h = createHash('sha256').update(`${rule.name}#${tick}`).digest();
  return tick + (h.readUInt32BE(0) % (minutes * 60_000));
}

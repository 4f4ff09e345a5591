import { Cron } from 'croner';
import { parseCronFields } from './cron-fields.js';
import { ScheduleExpressionError } from './schedule-error.js';
import { isTimeZone } from './time-zone.js';

/**
 * Schedule expressions: EventBridge rules (`rate()`, `cron()`, always UTC) and Stepwise's own
 * schedules, which add what EventBridge Scheduler offers (`at()`, a time zone, start and end dates).
 */

export type RateUnit = 'minute' | 'hour' | 'day';

const UNIT_MS: Record<RateUnit, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export type ScheduleExpression =
  | { readonly type: 'rate'; readonly text: string; readonly value: number; readonly unit: RateUnit; readonly periodMs: number }
  | { readonly type: 'cron'; readonly text: string; readonly fields: readonly string[]; readonly cronerPattern: string }
  /** `wallClock`: the local date and time as fake-UTC milliseconds, read in the schedule's zone. */
  | { readonly type: 'at'; readonly text: string; readonly wallClock: number };

/** `rule`: an EventBridge rule (PutRule). `scheduler`: a Stepwise schedule (configuration, CLI). */
export type ScheduleForm = 'rule' | 'scheduler';

export interface Schedule {
  readonly form: ScheduleForm;
  readonly expression: ScheduleExpression;
  /** IANA zone the expression is read in; always `UTC` for rules. */
  readonly timeZone: string;
  /** Epoch ms; recurring schedules fire at or after it (EventBridge Scheduler's StartDate). */
  readonly startDate?: number;
  /** Epoch ms; recurring schedules fire only before it (EventBridge Scheduler's EndDate). */
  readonly endDate?: number;
}

export interface ScheduleOptions {
  /** Default `rule`. */
  readonly form?: ScheduleForm;
  readonly timeZone?: string;
  readonly startDate?: number;
  readonly endDate?: number;
}

/** ScheduleExpression's length limit in the EventBridge API model (PutRule: max 256). */
const MAX_LENGTH = 256;

const cronOptions = { mode: '7-part', alternativeWeekdays: true, domAndDow: true, timezone: 'Etc/UTC' } as const;
const compiled = new Map<string, Cron>();

/** croner's matcher for a validated pattern; it runs in fake UTC, so zones are ours to handle. */
export function cronerFor(pattern: string): Cron {
  let cron = compiled.get(pattern);
  if (!cron) {
    try {
      cron = new Cron(pattern, cronOptions);
    } catch (err) {
      // Our validator accepted what croner cannot read: refuse loudly rather than guess.
      throw new ScheduleExpressionError(`croner refused '${pattern}': ${(err as Error).message}`);
    }
    // Patterns come from users: keep the cache bounded.
    if (compiled.size >= 1000) compiled.clear();
    compiled.set(pattern, cron);
  }
  return cron;
}

function parseRate(text: string, inner: string): ScheduleExpression {
  const m = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(inner);
  if (!m) throw new ScheduleExpressionError('rate() takes "value unit", unit minute(s), hour(s) or day(s)');
  const [, digits, word] = m as unknown as [string, string, string];
  if (!/^[1-9]\d{0,8}$/.test(digits)) throw new ScheduleExpressionError('rate() value must be a positive integer');
  const value = Number(digits);
  const plural = word.endsWith('s');
  // AWS: "If the value is equal to 1, then the unit must be singular. If the value is greater
  // than 1, the unit must be plural." (eb-rate-expressions.html)
  if (plural !== value > 1) throw new ScheduleExpressionError(`rate(${value} ${word}): use ${value === 1 ? 'the singular' : 'the plural'}`);
  const unit = (plural ? word.slice(0, -1) : word) as RateUnit;
  return { type: 'rate', text, value, unit, periodMs: value * UNIT_MS[unit] };
}

function parseAt(text: string, inner: string): ScheduleExpression {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(inner);
  if (!m) throw new ScheduleExpressionError('at() takes yyyy-mm-ddThh:mm:ss');
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(wall);
  const exists = back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d;
  if (!exists || h > 23 || mi > 59 || s > 59) throw new ScheduleExpressionError(`at(${inner}) is not a date and time`);
  return { type: 'at', text, wallClock: wall };
}

function parseExpression(text: string, form: ScheduleForm): ScheduleExpression {
  if (text.length > MAX_LENGTH) throw new ScheduleExpressionError(`longer than ${MAX_LENGTH} characters`);
  const m = /^(rate|cron|at)\((.*)\)$/s.exec(text);
  if (!m) throw new ScheduleExpressionError('expected rate(...) or cron(...)');
  const [, kind, inner] = m as unknown as [string, string, string];
  if (kind === 'rate') return parseRate(text, inner);
  if (kind === 'at') {
    // One-time schedules are EventBridge Scheduler's, not PutRule's.
    if (form === 'rule') throw new ScheduleExpressionError('at() is not a rule schedule');
    return parseAt(text, inner);
  }
  const { fields, cronerPattern } = parseCronFields(inner);
  cronerFor(cronerPattern);
  return { type: 'cron', text, fields, cronerPattern };
}

function checkDate(name: string, ms: number | undefined): void {
  if (ms !== undefined && !Number.isFinite(ms)) throw new ScheduleExpressionError(`${name} is not a date`, `Parameter ${name} is not valid.`);
}

/**
 * Parse and validate a schedule. Throws ScheduleExpressionError (`ValidationException`,
 * "Parameter ScheduleExpression is not valid.") for anything AWS would refuse.
 */
export function parseScheduleExpression(text: string, options: ScheduleOptions = {}): Schedule {
  const form = options.form ?? 'rule';
  const expression = parseExpression(text, form);
  if (form === 'rule') {
    // "All scheduled events use UTC+0 time zone" (eb-scheduled-rule-pattern.html).
    if (options.timeZone !== undefined || options.startDate !== undefined || options.endDate !== undefined) {
      throw new ScheduleExpressionError('rules are UTC and have no start or end date', 'Rules take no time zone, start or end date.');
    }
    return { form, expression, timeZone: 'UTC' };
  }
  const timeZone = options.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) throw new ScheduleExpressionError(`unknown time zone '${timeZone}'`, 'Parameter ScheduleExpressionTimezone is not valid.');
  checkDate('StartDate', options.startDate);
  checkDate('EndDate', options.endDate);
  const { startDate, endDate } = options;
  if (startDate !== undefined && endDate !== undefined && startDate >= endDate) {
    throw new ScheduleExpressionError('StartDate is not before EndDate', 'The StartDate must come before the EndDate.');
  }
  return { form, expression, timeZone, ...(startDate !== undefined && { startDate }), ...(endDate !== undefined && { endDate }) };
}

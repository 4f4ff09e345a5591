import { cronerFor, type Schedule } from './schedule-expression.js';
import { endOfGap, instantsAt, wallClock } from './time-zone.js';

/**
 * When a schedule fires: pure maths over epoch milliseconds.
 *
 * Zones (EventBridge Scheduler, "Schedule types" and the AWS Knowledge Center article
 * "eventbridge-scheduler-adjust-dst"): "When the time shifts forward in Spring, your schedule
 * invocation gets skipped if the cron expression falls on a non-existent date and time. When the
 * time shifts back in the Fall, your schedule runs only once and doesn't repeat its invocation."
 * and a rate is elapsed time ("days represents a 24-hour duration").
 */

export interface NextFireOptions {
  /**
   * When the schedule was created or last enabled. A rule's `rate()` first fires one period after
   * it, then every period (EventBridge: "A rate expression starts when you create the scheduled
   * event rule"); a Scheduler `rate()` without a StartDate fires at it at once. Default: `after`.
   */
  readonly anchor?: number;
  /**
   * A cron wall-clock time that does not exist (clocks going forward): `skip` (AWS's documented
   * behaviour, the default) or `next-valid` (fire at the first instant after the gap).
   */
  readonly dstGap?: 'skip' | 'next-valid';
}

/** AWS's last year (Year field: 1970-2199); croner would otherwise search on to 3000. */
const LAST_YEAR_END = Date.UTC(2200, 0, 1);

/** Up to `count` fire times strictly after `after`, ascending. */
export function nextFireTimes(schedule: Schedule, after: number, count: number, opts: NextFireOptions = {}): number[] {
  if (count <= 0) return [];
  const { expression } = schedule;
  if (expression.type === 'rate') return rateTimes(schedule, expression.periodMs, after, count, opts.anchor ?? after);
  if (expression.type === 'at') {
    const at = toInstant(expression.wallClock, schedule.timeZone, 'next-valid');
    return at !== undefined && at > after ? [at] : [];
  }
  return cronTimes(schedule, expression.cronerPattern, after, count, opts.dstGap ?? 'skip');
}

function rateTimes(schedule: Schedule, period: number, after: number, count: number, anchor: number): number[] {
  // A rule waits one period; a Scheduler schedule starts at StartDate, or at once.
  const first = schedule.form === 'rule' ? anchor + period : (schedule.startDate ?? anchor);
  const k = after < first ? 0 : Math.floor((after - first) / period) + 1;
  const out: number[] = [];
  for (let t = first + k * period; out.length < count; t += period) {
    if (schedule.endDate !== undefined && t >= schedule.endDate) break;
    out.push(t);
  }
  return out;
}

/** The instant a wall-clock time fires at in `zone`, or undefined when skipped. */
function toInstant(wall: number, zone: string, dstGap: 'skip' | 'next-valid'): number | undefined {
  if (zone === 'UTC') return wall;
  const instants = instantsAt(wall, zone);
  if (instants.length > 0) return instants[0]; // twice on the night clocks go back: fire once, first
  return dstGap === 'skip' ? undefined : endOfGap(wall, zone);
}

function cronTimes(schedule: Schedule, pattern: string, after: number, count: number, dstGap: 'skip' | 'next-valid'): number[] {
  const { timeZone, startDate, endDate } = schedule;
  // Fire at or after StartDate, i.e. strictly after StartDate - 1 ms.
  const from = startDate !== undefined ? Math.max(after, startDate - 1) : after;
  const cron = cronerFor(pattern);
  const out: number[] = [];
  // croner matches wall-clock times, read in fake UTC; any wall time before wall(from) maps to an
  // instant before `from`, so the search can start there.
  let wall = timeZone === 'UTC' ? from : wallClock(from, timeZone);
  while (out.length < count) {
    const next = cron.nextRun(new Date(wall));
    if (!next || next.getTime() >= LAST_YEAR_END) break;
    wall = next.getTime();
    const instant = toInstant(wall, timeZone, dstGap);
    if (instant === undefined || instant <= from) continue;
    if (endDate !== undefined && instant >= endDate) break;
    if (instant !== out[out.length - 1]) out.push(instant);
  }
  return out;
}

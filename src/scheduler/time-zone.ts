/**
 * Wall-clock time in an IANA zone, as "fake UTC" milliseconds (the local date and time read as if
 * they were UTC), and back. Pure: Intl's time-zone data only, no clock.
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether `zone` is an IANA zone name this runtime knows (`America/New_York`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `zone` at `instant`, as fake-UTC milliseconds. */
export function wallClock(instant: number, zone: string): number {
  const get: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(instant))) get[part.type] = Number(part.value);
  const ms = ((instant % 1000) + 1000) % 1000;
  return Date.UTC(get.year ?? 0, (get.month ?? 1) - 1, get.day, get.hour, get.minute, get.second) + ms;
}

function offset(instant: number, zone: string): number {
  return wallClock(instant, zone) - instant;
}

/**
 * The instants at which `zone`'s clock shows `wall`: one normally, two when the clocks go back
 * (earlier first), none in the gap when they go forward. Assumes at most one offset change
 * within a day of `wall`, which holds for every IANA zone.
 */
export function instantsAt(wall: number, zone: string): number[] {
  const offsets = new Set([offset(wall - DAY_MS, zone), offset(wall + DAY_MS, zone)]);
  return [...offsets]
    .map((o) => wall - o)
    .filter((instant) => wallClock(instant, zone) === wall)
    .sort((a, b) => a - b);
}

/** For a `wall` time in a forward gap: the first instant after the gap (the transition). */
export function endOfGap(wall: number, zone: string): number {
  const after = offset(wall + DAY_MS, zone);
  let lo = wall - after; // before the transition: still on the old offset
  let hi = wall - offset(wall - DAY_MS, zone); // after it
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offset(mid, zone) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

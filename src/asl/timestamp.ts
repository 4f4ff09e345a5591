/**
 * Timestamps as Step Functions reads them: an "ISO-8601 extended offset date-time" (the wording of
 * AWS's own error messages, i.e. Java's ISO_OFFSET_DATE_TIME with a strict resolver). A timestamp
 * without an offset ("2012-10-09T19:00:55"), a bare date, a space instead of `T`, or an impossible
 * field (month 13, hour 25, Feb 30) is not a timestamp. Comparison is by instant, so
 * "2012-10-09T19:00:55+01:00" equals "2012-10-09T18:00:55Z".
 */

/** A point in time with nanosecond precision: whole seconds since the epoch plus nanoseconds. */
export interface Instant {
  readonly epochSecond: number;
  readonly nano: number;
}

// Date, `T`, hours and minutes are mandatory; seconds and a 1-9 digit fraction are optional
// (as in Java's ISO_LOCAL_TIME); the offset is `Z` or ±HH:MM[:SS]. Letters are case-insensitive
// there, hence the lowercase `t` and `z`.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2})(?::(\d{2}))?)$/;

const MAX_OFFSET_SECONDS = 18 * 3600;

/** Parse a timestamp string, or return undefined when it is not one. */
export function parseTimestamp(text: string): Instant | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (m[8] === undefined) {
    const [oh, om, os] = [m[10], m[11], m[12] ?? '0'].map(Number) as [number, number, number];
    if (om > 59 || os > 59) return undefined;
    offset = (oh * 3600 + om * 60 + os) * (m[9] === '-' ? -1 : 1);
    if (Math.abs(offset) > MAX_OFFSET_SECONDS) return undefined;
  }
  const nano = m[7] === undefined ? 0 : Number(m[7].padEnd(9, '0'));
  const epochSecond = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
  return { epochSecond, nano };
}

export function isTimestamp(value: unknown): boolean {
  return typeof value === 'string' && parseTimestamp(value) !== undefined;
}

/** Negative when `a` is before `b`, zero when they are the same instant, positive when after. */
export function compareInstants(a: Instant, b: Instant): number {
  return a.epochSecond !== b.epochSecond ? a.epochSecond - b.epochSecond : a.nano - b.nano;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's algorithm; no Date, so years 0-99 are not remapped). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Epoch milliseconds of a timestamp string, or undefined when it is not one. */
export function timestampMillis(text: string): number | undefined {
  const t = parseTimestamp(text);
  return t === undefined ? undefined : t.epochSecond * 1000 + Math.floor(t.nano / 1e6);
}

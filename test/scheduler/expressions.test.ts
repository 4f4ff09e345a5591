/**
 * Schedule expressions and their next fire times, by hand from AWS's documentation:
 * - EventBridge "Cron expressions reference" / "Rate expressions reference"
 *   (docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html, eb-rate-expressions.html);
 * - EventBridge Scheduler "Schedule types" (docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html)
 *   and the Knowledge Center article on DST (repost.aws/knowledge-center/eventbridge-scheduler-adjust-dst):
 *   a cron time that does not exist when clocks go forward is skipped, one that occurs twice when
 *   they go back fires once; a rate is elapsed time.
 * Every expected instant below was worked out from the calendar, not by running the code.
 * Calendar used: 2024-01-01 is a Monday; 2024 is a leap year (Feb 29 a Thursday); 2025-01-01 is
 * a Wednesday. New York: EST→EDT 2024-03-10 02:00 (07:00Z), EDT→EST 2024-11-03 02:00 (06:00Z).
 * London: GMT→BST 2024-03-31 01:00Z, BST→GMT 2024-10-27 01:00Z. Sydney: AEDT→AEST 2024-04-07
 * 03:00 local (16:00Z on the 6th).
 */
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/service/errors.js';
import { nextFireTimes, type NextFireOptions } from '../../src/scheduler/next-fire-times.js';
import { parseScheduleExpression, type ScheduleOptions } from '../../src/scheduler/schedule-expression.js';
import { INVALID_SCHEDULE_EXPRESSION, ScheduleExpressionError } from '../../src/scheduler/schedule-error.js';

const ms = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad instant in the table: ${iso}`);
  return t;
};
const iso = (t: number): string => new Date(t).toISOString();

/** [expression, after, expected fire times (UTC), count if more were asked than exist]. */
type Row = readonly [string, string, readonly string[], number?];

const A = '2024-01-01T00:00Z'; // Monday, midnight UTC; `after` is exclusive

/** EventBridge rules (UTC): AWS's documented examples first, then month ends, L/W/#, years. */
const RULE_CRON: readonly Row[] = [
  // AWS's examples table ("Run at 10:00 am (UTC+0) every day", ...)
  ['cron(0 10 * * ? *)', A, ['2024-01-01T10:00Z', '2024-01-02T10:00Z', '2024-01-03T10:00Z']],
  ['cron(15 12 * * ? *)', A, ['2024-01-01T12:15Z', '2024-01-02T12:15Z']],
  ['cron(0 18 ? * MON-FRI *)', A, ['2024-01-01T18:00Z', '2024-01-02T18:00Z', '2024-01-03T18:00Z', '2024-01-04T18:00Z', '2024-01-05T18:00Z', '2024-01-08T18:00Z']],
  ['cron(0 8 1 * ? *)', A, ['2024-01-01T08:00Z', '2024-02-01T08:00Z', '2024-03-01T08:00Z']],
  ['cron(0/15 * * * ? *)', A, ['2024-01-01T00:15Z', '2024-01-01T00:30Z', '2024-01-01T00:45Z', '2024-01-01T01:00Z']],
  ['cron(0/10 * ? * MON-FRI *)', '2024-01-05T23:45Z', ['2024-01-05T23:50Z', '2024-01-08T00:00Z', '2024-01-08T00:10Z']],
  ['cron(0/5 8-17 ? * MON-FRI *)', '2024-01-05T17:50Z', ['2024-01-05T17:55Z', '2024-01-08T08:00Z', '2024-01-08T08:05Z']],
  ['cron(0 9 ? * 2#1 *)', A, ['2024-01-01T09:00Z', '2024-02-05T09:00Z', '2024-03-04T09:00Z', '2024-04-01T09:00Z']],
  ['cron(0 0 L * ? *)', A, ['2024-01-31T00:00Z', '2024-02-29T00:00Z', '2024-03-31T00:00Z', '2024-04-30T00:00Z']],
  ['cron(0 0 ? * 6L *)', A, ['2024-01-26T00:00Z', '2024-02-23T00:00Z', '2024-03-29T00:00Z', '2024-04-26T00:00Z']],
  // 1W: June 1 2024 is a Saturday → Monday the 3rd (W never leaves the month); Sept 1 a Sunday → the 2nd.
  ['cron(0 0 1W * ? *)', '2024-05-15T00:00Z', ['2024-06-03T00:00Z', '2024-07-01T00:00Z', '2024-08-01T00:00Z', '2024-09-02T00:00Z']],
  // The SDK's and API reference's examples.
  ['cron(0 20 * * ? *)', A, ['2024-01-01T20:00Z', '2024-01-02T20:00Z']],
  ['cron(0 12 * * ? *)', '2024-01-01T12:00Z', ['2024-01-02T12:00Z']],
  ['cron(5,35 14 * * ? *)', A, ['2024-01-01T14:05Z', '2024-01-01T14:35Z', '2024-01-02T14:05Z']],
  // "10:15 AM on the last Friday of every month" in a range of years: Dec 26 2025, then none.
  ['cron(15 10 ? * 6L 2024-2025)', '2025-11-29T00:00Z', ['2025-12-26T10:15Z'], 3],
  // "1/10 ... every tenth minute, starting from the first minute": 1, 11, 21, ...
  ['cron(1/10 * * * ? *)', A, ['2024-01-01T00:01Z', '2024-01-01T00:11Z', '2024-01-01T00:21Z', '2024-01-01T00:31Z', '2024-01-01T00:41Z', '2024-01-01T00:51Z', '2024-01-01T01:01Z']],
  // "3#2 ... the second Tuesday of the month"
  ['cron(0 0 ? * 3#2 *)', A, ['2024-01-09T00:00Z', '2024-02-13T00:00Z', '2024-03-12T00:00Z']],
  // "JAN,FEB,MAR includes January, February, and March"
  ['cron(0 0 1 JAN,FEB,MAR ? *)', A, ['2024-02-01T00:00Z', '2024-03-01T00:00Z', '2025-01-01T00:00Z']],
  // "1-15 includes days 1 through 15"
  ['cron(0 6 1-15 * ? *)', '2024-01-14T07:00Z', ['2024-01-15T06:00Z', '2024-02-01T06:00Z']],
  // Month ends and leap days.
  ['cron(0 0 29 2 ? *)', A, ['2024-02-29T00:00Z', '2028-02-29T00:00Z', '2032-02-29T00:00Z']],
  ['cron(0 0 29 FEB ? *)', '2024-03-01T00:00Z', ['2028-02-29T00:00Z', '2032-02-29T00:00Z']],
  ['cron(0 0 31 * ? *)', A, ['2024-01-31T00:00Z', '2024-03-31T00:00Z', '2024-05-31T00:00Z', '2024-07-31T00:00Z']],
  ['cron(0 0 30 * ? *)', '2024-01-31T00:00Z', ['2024-03-30T00:00Z', '2024-04-30T00:00Z', '2024-05-30T00:00Z']],
  ['cron(0 0 L 2 ? *)', A, ['2024-02-29T00:00Z', '2025-02-28T00:00Z', '2026-02-28T00:00Z', '2027-02-28T00:00Z', '2028-02-29T00:00Z']],
  ['cron(0 0 L * ? *)', '2024-12-15T00:00Z', ['2024-12-31T00:00Z', '2025-01-31T00:00Z', '2025-02-28T00:00Z']],
  ['cron(0 0 * * ? *)', '2024-02-28T12:00Z', ['2024-02-29T00:00Z', '2024-03-01T00:00Z']],
  ['cron(0 0 * * ? *)', '2023-02-28T12:00Z', ['2023-03-01T00:00Z', '2023-03-02T00:00Z']],
  ['cron(0 0 1,15 * ? *)', A, ['2024-01-15T00:00Z', '2024-02-01T00:00Z', '2024-02-15T00:00Z']],
  // Year boundaries and the year field.
  ['cron(59 23 31 12 ? *)', '2024-12-31T23:58Z', ['2024-12-31T23:59Z', '2025-12-31T23:59Z']],
  ['cron(0 0 1 1 ? *)', '2024-12-31T23:59Z', ['2025-01-01T00:00Z', '2026-01-01T00:00Z']],
  ['cron(0 0 1 JAN ? 2025)', A, ['2025-01-01T00:00Z'], 2],
  ['cron(0 0 1 1 ? 2025-2026)', A, ['2025-01-01T00:00Z', '2026-01-01T00:00Z'], 3],
  ['cron(0 0 1 1 ? 2024/2)', A, ['2026-01-01T00:00Z', '2028-01-01T00:00Z']],
  ['cron(0 0 1 1 ? 2023)', A, [], 3],
  ['cron(0 0 * * ? 1970)', A, [], 3],
  ['cron(0 0 31 12 ? 2199)', A, ['2199-12-31T00:00Z'], 2],
  ['cron(0 0 ? * 2#1 2024,2026)', '2024-12-01T00:00Z', ['2024-12-02T00:00Z', '2026-01-05T00:00Z']],
  // Day-of-week numbering: 1 = SUN ... 7 = SAT; L alone = the last day of the week, Saturday.
  ['cron(0 12 ? * SUN *)', A, ['2024-01-07T12:00Z', '2024-01-14T12:00Z', '2024-01-21T12:00Z']],
  ['cron(0 12 ? * 1 *)', A, ['2024-01-07T12:00Z', '2024-01-14T12:00Z']],
  ['cron(0 12 ? * 7 *)', A, ['2024-01-06T12:00Z', '2024-01-13T12:00Z']],
  ['cron(0 12 ? * SAT *)', A, ['2024-01-06T12:00Z', '2024-01-13T12:00Z']],
  ['cron(0 12 ? * L *)', A, ['2024-01-06T12:00Z', '2024-01-13T12:00Z']],
  ['cron(0 12 ? * 1-7 *)', A, ['2024-01-01T12:00Z', '2024-01-02T12:00Z']],
  ['cron(0 12 ? * 2-6 *)', '2024-01-05T13:00Z', ['2024-01-08T12:00Z', '2024-01-09T12:00Z']],
  ['cron(0 12 ? * MON,WED,FRI *)', A, ['2024-01-01T12:00Z', '2024-01-03T12:00Z', '2024-01-05T12:00Z', '2024-01-08T12:00Z']],
  ['cron(0 12 ? * 2,4,6 *)', A, ['2024-01-01T12:00Z', '2024-01-03T12:00Z', '2024-01-05T12:00Z', '2024-01-08T12:00Z']],
  ['cron(0 0 ? * * *)', A, ['2024-01-02T00:00Z', '2024-01-03T00:00Z']],
  // # and L in day-of-week.
  ['cron(0 0 ? * 1#1 *)', A, ['2024-01-07T00:00Z', '2024-02-04T00:00Z', '2024-03-03T00:00Z']],
  ['cron(0 0 ? * 6#5 *)', A, ['2024-03-29T00:00Z', '2024-05-31T00:00Z', '2024-08-30T00:00Z']],
  ['cron(0 0 ? * FRI#5 *)', A, ['2024-03-29T00:00Z', '2024-05-31T00:00Z']],
  ['cron(0 0 ? * 2L *)', A, ['2024-01-29T00:00Z', '2024-02-26T00:00Z', '2024-03-25T00:00Z']],
  ['cron(0 0 ? * 5L *)', A, ['2024-01-25T00:00Z', '2024-02-29T00:00Z', '2024-03-28T00:00Z']],
  ['cron(0 0 ? * 7#1 *)', '2024-05-15T00:00Z', ['2024-06-01T00:00Z', '2024-07-06T00:00Z']],
  // W in day-of-month: nearest weekday, never across the month's ends; no fire if the day is missing.
  ['cron(0 0 15W * ? *)', '2024-06-01T00:00Z', ['2024-06-14T00:00Z', '2024-07-15T00:00Z', '2024-08-15T00:00Z']],
  ['cron(0 0 31W * ? *)', '2024-03-01T00:00Z', ['2024-03-29T00:00Z', '2024-05-31T00:00Z', '2024-07-31T00:00Z']],
  ['cron(0 0 3W * ? *)', '2024-02-01T00:00Z', ['2024-02-02T00:00Z', '2024-03-04T00:00Z', '2024-04-03T00:00Z']],
  // Ranges, steps and lists.
  ['cron(0 0 1-5/2 * ? *)', A, ['2024-01-03T00:00Z', '2024-01-05T00:00Z', '2024-02-01T00:00Z']],
  ['cron(10-20/5 * * * ? *)', A, ['2024-01-01T00:10Z', '2024-01-01T00:15Z', '2024-01-01T00:20Z', '2024-01-01T01:10Z']],
  ['cron(*/20 * * * ? *)', A, ['2024-01-01T00:20Z', '2024-01-01T00:40Z', '2024-01-01T01:00Z']],
  ['cron(0 */6 * * ? *)', A, ['2024-01-01T06:00Z', '2024-01-01T12:00Z', '2024-01-01T18:00Z', '2024-01-02T00:00Z']],
  ['cron(0 0 ? JAN,JUL MON *)', A, ['2024-01-08T00:00Z', '2024-01-15T00:00Z', '2024-01-22T00:00Z', '2024-01-29T00:00Z', '2024-07-01T00:00Z']],
  ['cron(0 0 1 */3 ? *)', A, ['2024-04-01T00:00Z', '2024-07-01T00:00Z', '2024-10-01T00:00Z', '2025-01-01T00:00Z']],
  ['cron(0 0 1 FEB-APR ? *)', A, ['2024-02-01T00:00Z', '2024-03-01T00:00Z', '2024-04-01T00:00Z', '2025-02-01T00:00Z']],
  ['cron(30 2 * * ? *)', A, ['2024-01-01T02:30Z', '2024-01-02T02:30Z']],
  ['cron(* * * * ? *)', A, ['2024-01-01T00:01Z', '2024-01-01T00:02Z']],
  // Empty list items are dropped (Quartz's tokenizer): PutRule accepts this one (boto/boto3#2876).
  ['cron(0/5, 9-18, ?, *, MON-FRI, *)', '2024-01-05T18:50Z', ['2024-01-05T18:55Z', '2024-01-08T09:00Z']],
];

/** A rule's rate() first fires one period after it was created or enabled (`anchor`). */
const RULE_RATE: readonly (readonly [string, string, string, readonly string[]])[] = [
  // [expression, anchor, after, expected]
  ['rate(1 minute)', A, A, ['2024-01-01T00:01Z', '2024-01-01T00:02Z', '2024-01-01T00:03Z']],
  ['rate(5 minutes)', '2024-01-01T00:00:30Z', '2024-01-01T00:00:30Z', ['2024-01-01T00:05:30Z', '2024-01-01T00:10:30Z']],
  ['rate(1 hour)', A, '2024-01-01T05:30Z', ['2024-01-01T06:00Z', '2024-01-01T07:00Z']],
  ['rate(1 day)', '2024-02-28T09:00Z', '2024-02-28T09:00Z', ['2024-02-29T09:00Z', '2024-03-01T09:00Z']],
  ['rate(12 hours)', A, A, ['2024-01-01T12:00Z', '2024-01-02T00:00Z']],
  ['rate(7 days)', A, '2024-01-07T23:59Z', ['2024-01-08T00:00Z', '2024-01-15T00:00Z']],
  ['rate(2 hours)', '2024-01-01T10:00Z', A, ['2024-01-01T12:00Z', '2024-01-01T14:00Z']],
  ['rate(1 day)', '2024-12-31T06:00Z', '2024-12-31T06:00Z', ['2025-01-01T06:00Z', '2025-01-02T06:00Z']],
];

/** Expressions PutRule refuses with ValidationException. */
const RULE_INVALID: readonly string[] = [
  'cron(0 10 * * * *)', // * in both day fields
  'cron(0 10 * *)', // four fields
  'cron(0 10 * * ?)', // five fields
  'cron(*/1 * * * *)', // five fields (cds-snc/notification-terraform#344)
  'cron(0/10 * ? * *)', // five fields (aws/aws-cdk#27618)
  'cron(0 10 * * ? * *)', // seven fields
  'cron()',
  'cron(0 10 ? * ? *)', // ? in both day fields
  'cron(0 10 1 * MON *)', // a value in both day fields
  'cron(7 20 * * 1-7 *)', // both day fields (localstack/localstack#12156)
  'cron(0 0 1 * 2#1 *)',
  'cron(15 12 ? * -1 *)', // winglang/wing#7115
  'cron(*/60 * * * ? *)', // increment past the field (aws/aws-sdk-js#4212)
  'cron(0/0 * * * ? *)',
  'cron(60 10 * * ? *)',
  'cron(0 24 * * ? *)',
  'cron(0 0 0 * ? *)',
  'cron(0 0 32 * ? *)',
  'cron(0 0 1 13 ? *)',
  'cron(0 0 1 0 ? *)',
  'cron(0 0 ? * 0 *)', // day-of-week is 1-7
  'cron(0 0 ? * 8 *)',
  'cron(0 0 1 1 ? 1969)',
  'cron(0 0 1 1 ? 2200)',
  'cron(0 0 1 XYZ ? *)',
  'cron(0 0 ? * FUN *)',
  'cron(0 0 ? * 3#1,6#3 *)', // AWS: "3#1,6#3 is not valid because it is interpreted as two expressions"
  'cron(0 0 ? * 2#6 *)',
  'cron(0 0 ? * 2#0 *)',
  'cron(0 0 ? * MON/2 *)', // '/' is not a day-of-week wildcard
  'cron(0 0 ? * 6L,2 *)',
  'cron(0 0 1W,15W * ? *)',
  'cron(0 0 W * ? *)',
  'cron(0 0 32W * ? *)',
  'cron(0 L * * ? *)', // L only in the day fields
  'cron(0 0 1 L ? *)',
  'cron(0 0 ? * 2W *)', // W only in day-of-month
  'cron(0 0 1# * ? *)',
  'cron(0 0 1 * ? L)',
  'cron(? 0 1 * ? *)',
  'cron(0 0 1 * ?,2 *)',
  'cron(a b c d e f)',
  'cron(0 10 * * ? *',
  'cron( 0 10 * * ? *)',
  'rate(0 minutes)',
  'rate(1 minutes)',
  'rate(5 minute)',
  'rate(1 hours)', // AWS's own examples of invalid rates
  'rate(5 hour)',
  'rate(2 day)',
  'rate(-1 minutes)',
  'rate(1.5 hours)',
  'rate(1 week)',
  'rate(2 weeks)',
  'rate(30 seconds)',
  'rate(minutes)',
  'rate(5minutes)',
  'rate()',
  'rate(1 hour) ',
  'RATE(1 hour)',
  '',
  'every 5 minutes',
  'at(2024-01-01T00:00:00)', // one-time schedules are EventBridge Scheduler's, not PutRule's
  `cron(${'0,'.repeat(130)}0 10 * * ? *)`, // longer than 256 characters
];

/** Stepwise refuses these because AWS documents nothing about them; it fails loudly rather than guess. */
const UNDOCUMENTED_REFUSED: readonly string[] = [
  'cron(0 22-2 * * ? *)', // wrap-around range
  'cron(0 0 ? * FRI-MON *)',
  'cron(0 0 LW * ? *)',
  'cron(0 0 L-3 * ? *)',
];

interface ZonedRow {
  readonly expression: string;
  readonly options: ScheduleOptions;
  readonly after: string;
  readonly expected: readonly string[];
  readonly count?: number;
  readonly next?: NextFireOptions;
  readonly why: string;
}

const S = { form: 'scheduler' } as const;
const NY = { ...S, timeZone: 'America/New_York' } as const;
const LONDON = { ...S, timeZone: 'Europe/London' } as const;

/** Stepwise schedules: EventBridge Scheduler's forms, zones and DST. */
const SCHEDULER: readonly ZonedRow[] = [
  { why: 'daily 02:30 New York: skipped on the spring-forward night', expression: 'cron(30 2 * * ? *)', options: NY, after: '2024-03-09T00:00Z', expected: ['2024-03-09T07:30Z', '2024-03-11T06:30Z', '2024-03-12T06:30Z'] },
  { why: 'same, dstGap next-valid: 03:00 EDT', expression: 'cron(30 2 * * ? *)', options: NY, after: '2024-03-09T00:00Z', next: { dstGap: 'next-valid' }, expected: ['2024-03-09T07:30Z', '2024-03-10T07:00Z', '2024-03-11T06:30Z'] },
  { why: 'daily 01:30 New York: once on the fall-back night, at the first 01:30 (EDT)', expression: 'cron(30 1 * * ? *)', options: NY, after: '2024-11-02T00:00Z', expected: ['2024-11-02T05:30Z', '2024-11-03T05:30Z', '2024-11-04T06:30Z'] },
  { why: 'every 30 min New York, fall back: the repeated 01:00 and 01:30 EST do not fire again', expression: 'cron(0/30 * * * ? *)', options: NY, after: '2024-11-03T04:45Z', expected: ['2024-11-03T05:00Z', '2024-11-03T05:30Z', '2024-11-03T07:00Z', '2024-11-03T07:30Z'] },
  { why: 'every 30 min New York, spring forward: 02:00 and 02:30 do not exist', expression: 'cron(0/30 * * * ? *)', options: NY, after: '2024-03-10T06:15Z', expected: ['2024-03-10T06:30Z', '2024-03-10T07:00Z', '2024-03-10T07:30Z'] },
  { why: 'same with next-valid: 02:00, 02:30 and 03:00 are one instant, fired once', expression: 'cron(0/30 * * * ? *)', options: NY, after: '2024-03-10T06:15Z', next: { dstGap: 'next-valid' }, expected: ['2024-03-10T06:30Z', '2024-03-10T07:00Z', '2024-03-10T07:30Z'] },
  { why: 'hourly New York, fall back: 01:00 once, then 02:00 EST', expression: 'cron(0 * * * ? *)', options: NY, after: '2024-11-03T04:30Z', expected: ['2024-11-03T05:00Z', '2024-11-03T07:00Z', '2024-11-03T08:00Z'] },
  { why: 'hourly New York, spring forward: no 02:00', expression: 'cron(0 * * * ? *)', options: NY, after: '2024-03-10T05:30Z', expected: ['2024-03-10T06:00Z', '2024-03-10T07:00Z', '2024-03-10T08:00Z'] },
  { why: '09:00 New York keeps its wall-clock time across spring forward', expression: 'cron(0 9 * * ? *)', options: NY, after: '2024-03-09T00:00Z', expected: ['2024-03-09T14:00Z', '2024-03-10T13:00Z', '2024-03-11T13:00Z'] },
  { why: 'New Year in New York is 05:00Z', expression: 'cron(0 0 1 1 ? *)', options: NY, after: '2025-01-01T04:59Z', expected: ['2025-01-01T05:00Z', '2026-01-01T05:00Z'] },
  { why: 'weekdays 09:00 London: GMT, then BST after 2024-03-31', expression: 'cron(0 9 ? * MON-FRI *)', options: LONDON, after: '2024-03-28T00:00Z', expected: ['2024-03-28T09:00Z', '2024-03-29T09:00Z', '2024-04-01T08:00Z'] },
  { why: 'daily 01:30 London: no 01:30 on 2024-03-31', expression: 'cron(30 1 * * ? *)', options: LONDON, after: '2024-03-30T00:00Z', expected: ['2024-03-30T01:30Z', '2024-04-01T00:30Z'] },
  { why: 'same with next-valid: 02:00 BST', expression: 'cron(30 1 * * ? *)', options: LONDON, after: '2024-03-30T00:00Z', next: { dstGap: 'next-valid' }, expected: ['2024-03-30T01:30Z', '2024-03-31T01:00Z', '2024-04-01T00:30Z'] },
  { why: 'daily 01:30 London: once on 2024-10-27, at 01:30 BST', expression: 'cron(30 1 * * ? *)', options: LONDON, after: '2024-10-26T00:00Z', expected: ['2024-10-26T00:30Z', '2024-10-27T00:30Z', '2024-10-28T01:30Z'] },
  { why: 'last day of the month in Tokyo (UTC+9)', expression: 'cron(0 0 L * ? *)', options: { ...S, timeZone: 'Asia/Tokyo' }, after: A, expected: ['2024-01-30T15:00Z', '2024-02-28T15:00Z', '2024-03-30T15:00Z'] },
  { why: 'daily 02:30 Sydney: once when AEDT ends on 2024-04-07', expression: 'cron(30 2 * * ? *)', options: { ...S, timeZone: 'Australia/Sydney' }, after: '2024-04-05T00:00Z', expected: ['2024-04-05T15:30Z', '2024-04-06T15:30Z', '2024-04-07T16:30Z'] },
  { why: 'a Scheduler cron in UTC is a rule', expression: 'cron(0 10 * * ? *)', options: { ...S, timeZone: 'UTC' }, after: A, expected: ['2024-01-01T10:00Z', '2024-01-02T10:00Z'] },
  { why: 'StartDate inclusive, EndDate exclusive', expression: 'cron(0 12 * * ? *)', options: { ...S, startDate: ms('2024-01-03T12:00Z'), endDate: ms('2024-01-05T12:00Z') }, after: A, count: 5, expected: ['2024-01-03T12:00Z', '2024-01-04T12:00Z'] },
  { why: 'rate days are 24 hours, whatever the clocks do; first fire at StartDate', expression: 'rate(1 day)', options: { ...NY, startDate: ms('2024-03-09T14:00Z') }, after: '2024-03-09T00:00Z', expected: ['2024-03-09T14:00Z', '2024-03-10T14:00Z', '2024-03-11T14:00Z'] },
  { why: 'rate without StartDate starts at once (at the anchor)', expression: 'rate(1 hour)', options: S, after: '2023-12-31T23:59Z', next: { anchor: ms(A) }, expected: ['2024-01-01T00:00Z', '2024-01-01T01:00Z'] },
  { why: 'rate until EndDate', expression: 'rate(30 minutes)', options: { ...S, startDate: ms(A), endDate: ms('2024-01-01T01:30Z') }, after: '2023-12-31T23:00Z', count: 10, expected: ['2024-01-01T00:00Z', '2024-01-01T00:30Z', '2024-01-01T01:00Z'] },
  { why: 'at() in New York', expression: 'at(2024-06-01T09:00:00)', options: NY, after: A, count: 3, expected: ['2024-06-01T13:00Z'] },
  { why: 'at() in London summer', expression: 'at(2024-06-01T09:00:00)', options: LONDON, after: A, count: 3, expected: ['2024-06-01T08:00Z'] },
  { why: 'at() on a leap day, UTC', expression: 'at(2024-02-29T12:00:00)', options: S, after: A, count: 3, expected: ['2024-02-29T12:00Z'] },
  { why: 'at() in the past fires no more', expression: 'at(2024-01-15T09:00:00)', options: S, after: '2024-02-01T00:00Z', count: 3, expected: [] },
  { why: 'at() in the spring-forward gap: a one-time schedule is not lost, it fires at 03:00 EDT', expression: 'at(2024-03-10T02:30:00)', options: NY, after: A, count: 3, expected: ['2024-03-10T07:00Z'] },
  { why: 'at() at an ambiguous time: the first 01:30 (EDT)', expression: 'at(2024-11-03T01:30:00)', options: NY, after: A, count: 3, expected: ['2024-11-03T05:30Z'] },
];

const SCHEDULER_INVALID: readonly (readonly [string, ScheduleOptions])[] = [
  ['at(2024-02-30T00:00:00)', S],
  ['at(2023-02-29T00:00:00)', S], // 2023 is not a leap year
  ['at(2024-01-01 00:00:00)', S],
  ['at(2024-01-01T24:00:00)', S],
  ['at(2024-1-1T00:00:00)', S],
  ['at(2024-01-01T00:00)', S],
  ['cron(0 10 * * ? *)', { ...S, timeZone: 'Mars/Olympus_Mons' }],
  ['cron(0 10 * * ? *)', { ...S, startDate: ms('2024-02-01T00:00Z'), endDate: ms(A) }],
  ['cron(0 10 * * ? *)', { timeZone: 'America/New_York' }], // rules are UTC
  ['rate(1 minutes)', S],
];

function fires(expression: string, options: ScheduleOptions, after: string, count: number, next?: NextFireOptions): string[] {
  return nextFireTimes(parseScheduleExpression(expression, options), ms(after), count, next).map(iso);
}

function refusal(expression: string, options?: ScheduleOptions): ScheduleExpressionError {
  try {
    parseScheduleExpression(expression, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ScheduleExpressionError);
    return err as ScheduleExpressionError;
  }
  throw new Error(`expected ${JSON.stringify(expression)} to be refused`);
}

describe('EventBridge rule cron(): next fire times in UTC', () => {
  it.each(RULE_CRON.map(([expression, after, expected, count]) => ({ expression, after, expected, count })))('$expression after $after', ({ expression, after, expected, count }) => {
    expect(fires(expression, {}, after, count ?? expected.length)).toEqual(expected.map((t) => iso(ms(t))));
  });
});

describe('EventBridge rule rate(): one period after the anchor, then every period', () => {
  it.each(RULE_RATE.map(([expression, anchor, after, expected]) => ({ expression, anchor, after, expected })))('$expression anchored at $anchor, after $after', ({ expression, anchor, after, expected }) => {
    const schedule = parseScheduleExpression(expression);
    expect(nextFireTimes(schedule, ms(after), expected.length, { anchor: ms(anchor) }).map(iso)).toEqual(expected.map((t) => iso(ms(t))));
  });
});

describe('PutRule refuses with ValidationException', () => {
  it.each(RULE_INVALID)('%j', (expression) => {
    const err = refusal(expression);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe(INVALID_SCHEDULE_EXPRESSION);
    expect(err.message).toBe('Parameter ScheduleExpression is not valid.');
    expect(err.reason).not.toBe('');
  });

  it.each(UNDOCUMENTED_REFUSED)('%j (undocumented by AWS: refused)', (expression) => {
    expect(refusal(expression).name).toBe('ValidationException');
  });
});

describe('Stepwise schedules (EventBridge Scheduler forms)', () => {
  it.each(SCHEDULER)('$why: $expression', ({ expression, options, after, expected, count, next }) => {
    expect(fires(expression, options, after, count ?? expected.length, next)).toEqual(expected.map((t) => iso(ms(t))));
  });

  it.each(SCHEDULER_INVALID)('%j %j is refused', (expression, options) => {
    expect(refusal(expression, options).name).toBe('ValidationException');
  });
});

describe('translation to croner', () => {
  it.each([
    ['cron(0 18 ? * MON-FRI *)', '0 0 18 * * 2-6 *'],
    ['cron(0/15 * * * ? *)', '0 0-59/15 * * * * *'],
    ['cron(0 9 ? * 2#1 *)', '0 0 9 * * 2#1 *'],
    ['cron(0 0 ? * L *)', '0 0 0 * * 7 *'],
    ['cron(0 0 ? * 6L *)', '0 0 0 * * 6L *'],
    ['cron(0 0 1W * ? *)', '0 0 0 1W * * *'],
    ['cron(0 0 1 JAN,DEC ? 2024/2)', '0 0 0 1 1,12 * 2024-2199/2'],
  ])('%s → %s', (expression, pattern) => {
    const { expression: parsed } = parseScheduleExpression(expression);
    expect(parsed.type === 'cron' && parsed.cronerPattern).toBe(pattern);
  });
});

it('the table holds at least 100 expressions', () => {
  const total = RULE_CRON.length + RULE_RATE.length + RULE_INVALID.length + UNDOCUMENTED_REFUSED.length + SCHEDULER.length + SCHEDULER_INVALID.length;
  expect(total).toBeGreaterThanOrEqual(100);
});

import { ScheduleExpressionError } from './schedule-error.js';

/**
 * AWS's six cron fields, validated by AWS's own table ("Cron expressions reference",
 * docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html) and translated to a
 * 7-part croner pattern (seconds first, Quartz weekday numbering). croner accepts forms AWS
 * refuses (5 fields, `?` meaning "now", wrap-around ranges, `LW`, `/` in day-of-week), so croner
 * only ever sees what this module produced.
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names standing for min, min+1, ... (JAN = 1, SUN = 1). */
  readonly names?: readonly string[];
  /** Whether `/` is one of the field's wildcards in AWS's table. */
  readonly step: boolean;
  /** Largest increment after `/` (Quartz refuses `0/60` in minutes; AWS too, aws-sdk-js#4212). */
  readonly maxStep: number;
}

const FIELDS = {
  minutes: { name: 'Minutes', min: 0, max: 59, step: true, maxStep: 59 },
  hours: { name: 'Hours', min: 0, max: 23, step: true, maxStep: 23 },
  dayOfMonth: { name: 'Day-of-month', min: 1, max: 31, step: true, maxStep: 31 },
  month: { name: 'Month', min: 1, max: 12, names: MONTHS, step: true, maxStep: 12 },
  dayOfWeek: { name: 'Day-of-week', min: 1, max: 7, names: DAYS, step: false, maxStep: 7 },
  year: { name: 'Year', min: 1970, max: 2199, step: true, maxStep: 229 },
} as const satisfies Record<string, FieldSpec>;

/** A validated AWS cron expression and its croner translation. */
export interface CronFields {
  /** The six AWS fields, as written but for empty list items. */
  readonly fields: readonly string[];
  /** `second minute hour day-of-month month day-of-week year`, Quartz weekdays (1 = SUN). */
  readonly cronerPattern: string;
}

function invalid(reason: string): never {
  throw new ScheduleExpressionError(reason);
}

/** A number or (where the field has them) a name, as the field's number. */
function value(text: string, spec: FieldSpec): number {
  let n: number;
  if (/^\d{1,4}$/.test(text)) n = Number(text);
  else {
    const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
    if (index < 0) invalid(`${spec.name}: '${text}' is not a value`);
    n = spec.min + index;
  }
  if (n < spec.min || n > spec.max) invalid(`${spec.name}: ${n} is outside ${spec.min}-${spec.max}`);
  return n;
}

function increment(text: string, spec: FieldSpec): number {
  if (!spec.step) invalid(`${spec.name} does not take '/'`);
  if (!/^\d{1,4}$/.test(text)) invalid(`${spec.name}: increment '${text}' is not a number`);
  const n = Number(text);
  if (n < 1 || n > spec.maxStep) invalid(`${spec.name}: increment ${n} is outside 1-${spec.maxStep}`);
  return n;
}

/** One comma-separated item: `*`, `*​/n`, `a`, `a-b`, `a/n`, `a-b/n`; returned in numbers only. */
function listItem(item: string, spec: FieldSpec): string {
  const [range, step, extra] = item.split('/');
  if (extra !== undefined || range === undefined) invalid(`${spec.name}: '${item}' has more than one '/'`);
  const by = step === undefined ? undefined : increment(step, spec);
  let from: number;
  let to: number;
  if (range === '*') {
    if (by === undefined) return '*';
    [from, to] = [spec.min, spec.max];
  } else if (range.includes('-')) {
    const [a, b, more] = range.split('-');
    if (more !== undefined || a === undefined || b === undefined) invalid(`${spec.name}: '${range}' is not a range`);
    [from, to] = [value(a, spec), value(b, spec)];
    // AWS does not document wrap-around ranges (FRI-MON, 22-2); refuse rather than guess.
    if (from > to) invalid(`${spec.name}: range '${range}' runs backwards`);
  } else {
    from = value(range, spec);
    // `a/n` is "from a, every n" (AWS: "1/10 ... the 11th, 21st, and 31st minute").
    to = by === undefined ? from : spec.max;
  }
  if (by === undefined) return from === to ? String(from) : `${from}-${to}`;
  return `${from}-${to}/${by}`;
}

function list(text: string, spec: FieldSpec): string {
  if (text === '') invalid(`${spec.name} is empty`);
  return text
    .split(',')
    .map((item) => listItem(item, spec))
    .join(',');
}

/** Day-of-month: the list forms, or `L`, or `nW` alone ("L W" in AWS's table). */
function dayOfMonth(text: string): string {
  const spec = FIELDS.dayOfMonth;
  if (/^L$/i.test(text)) return 'L';
  const weekday = /^(\d{1,2})W$/i.exec(text);
  if (weekday) return `${value(weekday[1] as string, spec)}W`;
  if (/[LW]/i.test(text)) invalid(`${spec.name}: 'L' and 'W' stand alone ('L' or 'nW'), not in '${text}'`);
  return list(text, spec);
}

/** Day-of-week: the list forms (no '/'), or `L`, `dL`, `d#n` alone ("L #" in AWS's table). */
function dayOfWeek(text: string): string {
  const spec = FIELDS.dayOfWeek;
  // Quartz: a lone L in day-of-week is the last day of the week, Saturday.
  if (/^L$/i.test(text)) return '7';
  const last = /^([A-Z]{3}|\d)L$/i.exec(text);
  if (last) return `${value(last[1] as string, spec)}L`;
  const nth = /^([A-Z]{3}|\d)#(\d)$/i.exec(text);
  if (nth) {
    const n = Number(nth[2]);
    if (n < 1 || n > 5) invalid(`${spec.name}: '${text}' asks for occurrence ${n}; a month has 1 to 5`);
    return `${value(nth[1] as string, spec)}#${n}`;
  }
  // AWS: "If you use '#', you can define only one expression in the day-of-week field."
  if (/[L#]/i.test(text)) invalid(`${spec.name}: 'L' and '#' stand alone ('dL' or 'd#n'), not in '${text}'`);
  return list(text, spec);
}

/** Validate the six fields of `cron(...)` by AWS's rules; throw ScheduleExpressionError if not. */
export function parseCronFields(inner: string): CronFields {
  if (inner !== inner.trim()) invalid('cron(): white space after "(" or before ")"');
  // Empty list items are dropped, as Quartz's comma tokenizer does: PutRule accepts
  // `cron(0/5, 9-18, ?, *, MON-FRI, *)` (boto/boto3#2876, aws/aws-sdk#161).
  const fields = inner.split(/[ \t]+/).map((f) => f.split(',').filter((item) => item !== '').join(','));
  if (fields.length !== 6) invalid(`cron() has ${fields.length} fields; AWS requires exactly six`);
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  for (const [text, spec] of [
    [min, FIELDS.minutes],
    [hour, FIELDS.hours],
    [month, FIELDS.month],
    [year, FIELDS.year],
  ] as const) {
    if (text.includes('?')) invalid(`${spec.name} does not take '?'`);
  }
  // AWS: "You can't specify the Day-of-month and Day-of-week fields in the same cron expression.
  // If you specify a value or a * (asterisk) in one of the fields, you must use a ? in the other."
  const domAny = dom === '?';
  const dowAny = dow === '?';
  if (domAny === dowAny) invalid(domAny ? 'both day fields are ?' : 'one of Day-of-month and Day-of-week must be ?');
  if (!domAny && dom.includes('?')) invalid(`Day-of-month: '?' stands alone`);
  if (!dowAny && dow.includes('?')) invalid(`Day-of-week: '?' stands alone`);
  const cronerPattern = [
    '0',
    list(min, FIELDS.minutes),
    list(hour, FIELDS.hours),
    domAny ? '*' : dayOfMonth(dom),
    list(month, FIELDS.month),
    dowAny ? '*' : dayOfWeek(dow),
    list(year, FIELDS.year),
  ].join(' ');
  return { fields, cronerPattern };
}

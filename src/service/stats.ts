/**
 * Execution-history monitoring: over a window of executions (ListExecutions items with each
 * one's history, in the API's wire shape), the success rate, durations, the state where each
 * failed execution failed, the most common errors, and the alerts to publish when a threshold is
 * crossed.
 */
import { eventDetails, HistoryIndex, isStateEntered, toEpochMs, type Timestamp, type WireHistoryEvent } from './cost.js';

export interface ExecutionRecord {
  name?: string | undefined;
  executionArn?: string | undefined;
  /** RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED or PENDING_REDRIVE, as ListExecutions reports it. */
  status: string;
  startDate: Timestamp;
  stopDate?: Timestamp | undefined;
  /** GetExecutionHistory's events; without them the failed state and the error are unknown. */
  history?: readonly WireHistoryEvent[] | undefined;
}

/** Where and why an execution did not succeed. */
export interface FailurePoint {
  /** The state the error arose in (the Task whose error was caught, not the Fail state it was routed to). */
  state: string | undefined;
  error: string | undefined;
  cause: string | undefined;
}

export interface StatsOptions {
  stateMachine?: string | undefined;
  windowDays?: number | undefined;
  /** How many error causes to list (default 5). */
  topCauses?: number;
  /** Causes are cut to this many characters (default 120). */
  causeLength?: number;
}

export interface DurationSummary {
  p50: number;
  p95: number;
  max: number;
}

export interface Outcome {
  name: string | undefined;
  /** Epoch ms. */
  startDate: number;
  status: string;
  durationMs: number;
  failure: FailurePoint | undefined;
}

export interface ExecutionStats {
  stateMachine: string | undefined;
  windowDays: number | undefined;
  total: number;
  byStatus: Record<string, number>;
  /** Executions that ended (not RUNNING or PENDING_REDRIVE). */
  closed: number;
  succeeded: number;
  /** Succeeded over closed; undefined when none closed. */
  successRate: number | undefined;
  /** Milliseconds, nearest-rank percentiles over the closed executions. */
  durationMs: DurationSummary | undefined;
  /** Unsuccessful executions by the state they failed in, most first. */
  failuresByState: { state: string; count: number }[];
  /** The most common errors of unsuccessful executions: name and (cut) cause, counted. */
  topCauses: { error: string; cause: string; count: number }[];
  /** The closed executions, oldest first: what alerts look at. */
  outcomes: Outcome[];
}

const OPEN = new Set(['RUNNING', 'PENDING_REDRIVE']);
const UNKNOWN_STATE = '(no history)';

/** Events that report an error raised in a state. */
const ERROR_EVENTS = new Set([
  'TaskFailed',
  'TaskTimedOut',
  'TaskStartFailed',
  'TaskSubmitFailed',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'LambdaFunctionStartFailed',
  'LambdaFunctionScheduleFailed',
  'ActivityFailed',
  'ActivityTimedOut',
  'ActivityScheduleFailed',
  'EvaluationFailed',
  'MapRunFailed',
]);
const RETRY_STARTS = new Set(['TaskScheduled', 'LambdaFunctionScheduled', 'ActivityScheduled', 'ParallelStateStarted', 'MapStateStarted']);
const CLOSE_EVENTS = new Set(['ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * Where an unsuccessful execution failed. A timeout or an abort is blamed on the state that was
 * running. A failure is blamed on the last error that was not retried (caught and routed to a
 * failure path, or uncaught); with no such error (a Choice routed to a Fail state), on the Fail
 * state, with the execution's own error.
 */
export function failurePoint(history: readonly WireHistoryEvent[]): FailurePoint {
  const h = new HistoryIndex(history);
  const close = [...h.events].reverse().find((e) => CLOSE_EVENTS.has(e.type));
  const closeDetails = close ? eventDetails(close) : undefined;
  const lastEntered = [...h.events].reverse().find((e) => isStateEntered(e.type));
  const lastName = lastEntered ? str(eventDetails(lastEntered)?.['name']) : undefined;
  if (close && close.type !== 'ExecutionFailed') {
    return { state: lastName, error: str(closeDetails?.['error']) ?? (close.type === 'ExecutionTimedOut' ? 'States.Timeout' : 'Aborted'), cause: str(closeDetails?.['cause']) };
  }
  // Walking back, a state entry's attempt starts seen so far came after the error: it was retried.
  const startedLater = new Set<number>();
  let origin: WireHistoryEvent | undefined;
  for (const e of [...h.events].reverse()) {
    const owner = h.owner(e);
    if (RETRY_STARTS.has(e.type)) {
      if (owner) startedLater.add(owner.id);
      continue;
    }
    if (ERROR_EVENTS.has(e.type) && !(owner && startedLater.has(owner.id))) {
      origin = e;
      break;
    }
  }
  if (origin) {
    const d = eventDetails(origin);
    return { state: str(d?.['state']) ?? h.stateName(origin), error: str(d?.['error']), cause: str(d?.['cause']) };
  }
  return { state: lastName, error: str(closeDetails?.['error']), cause: str(closeDetails?.['cause']) };
}

/** A Lambda error's cause is its JSON error payload: count it by its message, not its request id. */
export function causeText(cause: string | undefined, max = 120): string {
  if (!cause) return '';
  let text = cause;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (parsed && typeof parsed === 'object' && typeof (parsed as Record<string, unknown>)['errorMessage'] === 'string') text = (parsed as Record<string, string>)['errorMessage'] as string;
  } catch {
    // not JSON: the text itself
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function summarizeDurations(values: readonly number[]): DurationSummary | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] as number };
}

export function executionStats(executions: readonly ExecutionRecord[], opts: StatsOptions = {}): ExecutionStats {
  const byStatus: Record<string, number> = {};
  const outcomes: Outcome[] = [];
  const perState = new Map<string, number>();
  const perCause = new Map<string, { error: string; cause: string; count: number }>();
  for (const x of executions) {
    byStatus[x.status] = (byStatus[x.status] ?? 0) + 1;
    if (OPEN.has(x.status) || x.stopDate === undefined) continue;
    const startDate = toEpochMs(x.startDate);
    const outcome: Outcome = { name: x.name, startDate, status: x.status, durationMs: toEpochMs(x.stopDate) - startDate, failure: undefined };
    if (x.status !== 'SUCCEEDED') {
      const f = x.history ? failurePoint(x.history) : undefined;
      outcome.failure = f;
      const state = f?.state ?? UNKNOWN_STATE;
      perState.set(state, (perState.get(state) ?? 0) + 1);
      if (f?.error !== undefined || f?.cause !== undefined) {
        const error = f.error ?? '';
        const cause = causeText(f.cause, opts.causeLength ?? 120);
        const key = `${error}\u0000${cause}`;
        const c = perCause.get(key) ?? { error, cause, count: 0 };
        c.count++;
        perCause.set(key, c);
      }
    }
    outcomes.push(outcome);
  }
  outcomes.sort((a, b) => a.startDate - b.startDate);
  const closed = outcomes.length;
  const succeeded = outcomes.filter((o) => o.status === 'SUCCEEDED').length;
  return {
    stateMachine: opts.stateMachine,
    windowDays: opts.windowDays,
    total: executions.length,
    byStatus,
    closed,
    succeeded,
    successRate: closed > 0 ? succeeded / closed : undefined,
    durationMs: summarizeDurations(outcomes.map((o) => o.durationMs)),
    failuresByState: [...perState].map(([state, count]) => ({ state, count })).sort((a, b) => b.count - a.count || a.state.localeCompare(b.state)),
    topCauses: [...perCause.values()].sort((a, b) => b.count - a.count || a.error.localeCompare(b.error)).slice(0, opts.topCauses ?? 5),
    outcomes,
  };
}

// ---------------------------------------------------------------------------------------------
// Alerts

export interface AlertThresholds {
  /** Alert when the share of unsuccessful executions is above this (0 to 1). */
  failureRate?: number | undefined;
  /** Over the last N closed executions (all of the window when absent); durations too. */
  lastN?: number | undefined;
  /** Alert when the p95 duration is above this many milliseconds. */
  durationP95Ms?: number | undefined;
}

export interface Alert {
  kind: 'failureRate' | 'duration';
  /** For SNS: at most 100 characters, one line. */
  subject: string;
  message: string;
}

const percent = (v: number) => `${(Math.round(v * 1000) / 10).toString()}%`;
const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
const seconds = (ms: number) => `${(Math.round(ms / 100) / 10).toString()} s`;

/** The alerts to publish for these statistics: none when no threshold is crossed. */
export function alertsFor(stats: ExecutionStats, thresholds: AlertThresholds): Alert[] {
  const lastN = thresholds.lastN;
  if (lastN !== undefined && !(Number.isInteger(lastN) && lastN > 0)) throw new RangeError('lastN must be a positive whole number');
  const recent = lastN === undefined ? stats.outcomes : stats.outcomes.slice(-lastN);
  if (recent.length === 0) return [];
  const who = stats.stateMachine ?? 'state machine';
  const scope = lastN === undefined ? `${recent.length} executions${stats.windowDays ? ` of the last ${days(stats.windowDays)}` : ''}` : `the last ${recent.length} executions`;
  const alerts: Alert[] = [];
  const unsuccessful = recent.filter((o) => o.status !== 'SUCCEEDED');
  const rate = unsuccessful.length / recent.length;
  if (thresholds.failureRate !== undefined && rate > thresholds.failureRate) {
    const states = countBy(unsuccessful.map((o) => o.failure?.state ?? UNKNOWN_STATE));
    const errors = countBy(unsuccessful.filter((o) => o.failure?.error).map((o) => `${o.failure?.error}: ${causeText(o.failure?.cause, 200)}`));
    const lines = [
      `${who}: ${unsuccessful.length} of ${scope} did not succeed (${percent(rate)}), above the alert threshold of ${percent(thresholds.failureRate)}.`,
      `Failed in: ${states.map(([s, c]) => `${s} (${c})`).join(', ')}.`,
    ];
    if (errors.length) lines.push(`Most common error: ${errors[0]?.[0]} (${errors[0]?.[1]}).`);
    const last = unsuccessful[unsuccessful.length - 1];
    if (last?.name) lines.push(`Latest: ${last.name} ${last.status}.`);
    alerts.push({ kind: 'failureRate', subject: subject(`Stepwise alert: ${who} failure rate ${percent(rate)}`), message: lines.join('\n') });
  }
  const durations = summarizeDurations(recent.map((o) => o.durationMs));
  if (thresholds.durationP95Ms !== undefined && durations && durations.p95 > thresholds.durationP95Ms) {
    alerts.push({
      kind: 'duration',
      subject: subject(`Stepwise alert: ${who} p95 duration ${seconds(durations.p95)}`),
      message: `${who}: the p95 duration of ${scope} is ${seconds(durations.p95)} (p50 ${seconds(durations.p50)}, max ${seconds(durations.max)}), above the alert threshold of ${seconds(thresholds.durationP95Ms)}.`,
    });
  }
  return alerts;
}

/** SNS subjects: printable ASCII on one line, at most 100 characters. */
function subject(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 100 ? `${clean.slice(0, 97)}...` : clean;
}

function countBy(values: readonly string[]): [string, number][] {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

// ---------------------------------------------------------------------------------------------
// For the terminal

export function formatStats(s: ExecutionStats): string {
  const lines: string[] = [];
  const window = s.windowDays ? `, last ${days(s.windowDays)}` : '';
  lines.push(`Execution statistics: ${s.stateMachine ?? 'all executions'}${window}`);
  const statuses = Object.entries(s.byStatus).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  lines.push(`  executions: ${s.total}${statuses.length ? ` (${statuses.map(([k, v]) => `${v} ${k}`).join(', ')})` : ''}`);
  if (s.closed === 0) {
    lines.push('  no execution has ended in this window');
    return lines.join('\n');
  }
  lines.push(`  success rate: ${percent(s.successRate ?? 0)} (${s.succeeded} of ${s.closed} ended)`);
  if (s.durationMs) lines.push(`  duration: p50 ${seconds(s.durationMs.p50)}, p95 ${seconds(s.durationMs.p95)}, max ${seconds(s.durationMs.max)}`);
  if (s.failuresByState.length) {
    lines.push('  failures by state:');
    const w = Math.max(...s.failuresByState.map((f) => f.state.length));
    for (const f of s.failuresByState) lines.push(`    ${f.state.padEnd(w)}  ${f.count}`);
  }
  if (s.topCauses.length) {
    lines.push('  most common errors:');
    for (const c of s.topCauses) lines.push(`    ${String(c.count).padStart(4)}  ${c.error}${c.cause ? `: ${c.cause}` : ''}`);
  }
  return lines.join('\n');
}

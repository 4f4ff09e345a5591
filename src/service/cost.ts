/**
 * What a state machine would cost on AWS: billed state transitions counted from execution
 * histories (GetExecutionHistory's wire shape) and a monthly projection under AWS's prices.
 *
 * AWS bills a Standard workflow per state transition: "Step Functions counts a state transition
 * each time a step of your workflow is executed ... including retries", and "each retry will be
 * charged as an additional state transition". So one transition per state entered (Choice, Pass,
 * Wait, Succeed and Fail included; every state inside every Parallel branch and Map iteration
 * too), and one per retry attempt. Starting or ending an execution is not a step. An Express
 * workflow is billed per request and per GB-second instead (duration rounded up to 100 ms, memory
 * in 64 MB chunks).
 */

/** AWS's public prices (us-east-1), as checked on the pricing page on `checked`. */
export const AWS_PRICES = {
  checked: '2026-11-26',
  source: 'https://aws.amazon.com/step-functions/pricing/',
  region: 'us-east-1',
  standard: {
    usdPerThousandTransitions: 0.025,
    /** Every month, for every account, shared by all its state machines; it does not expire. */
    freeTransitionsPerMonth: 4000,
  },
  express: {
    usdPerRequest: 0.000001,
    /** Monthly GB-hours in tiers: $0.06 per GB-hour (= $0.00001667 per GB-second) for the first 1,000, ... */
    durationTiers: [
      { upToGbHours: 1000, usdPerGbHour: 0.06 },
      { upToGbHours: 5000, usdPerGbHour: 0.03 },
      { upToGbHours: Number.POSITIVE_INFINITY, usdPerGbHour: 0.01642 },
    ],
    durationStepMs: 100,
    memoryChunkMb: 64,
    /** Express has no free tier. */
    freeRequestsPerMonth: 0,
  },
} as const;

/** A month, for projections: 30 days (so an hourly schedule runs 720 times, as the seed counted). */
export const DAYS_PER_MONTH = 30;

/** The seed's cost analysis: "~720 transitions/month (1 execution/hour)" — 720 is executions. */
export const SEED_EXECUTIONS_PER_MONTH = 720;

// ---------------------------------------------------------------------------------------------
// History in the wire shape

/** A timestamp as the API answers it (epoch seconds), or as a Date or ISO text. */
export type Timestamp = number | string | Date;

/** A history event as GetExecutionHistory answers it; only what the counting needs is typed. */
export interface WireHistoryEvent {
  readonly id: number;
  readonly previousEventId?: number;
  readonly type: string;
  readonly timestamp?: Timestamp;
  readonly [details: string]: unknown;
}

/**
 * Epoch milliseconds. A number is epoch seconds, as the AWS JSON protocol sends dates, unless it
 * is too large to be seconds (past the year 5000), in which case it already is milliseconds.
 */
export function toEpochMs(t: Timestamp): number {
  if (t instanceof Date) return t.getTime();
  if (typeof t === 'string') return Date.parse(t);
  return t > 1e11 ? t : Math.round(t * 1000);
}

export function isStateEntered(type: string): boolean {
  return type.endsWith('StateEntered');
}

/** An event's details member (`taskFailedEventDetails`, `stateEnteredEventDetails`, ...). */
export function eventDetails(e: WireHistoryEvent): Record<string, unknown> | undefined {
  const key = isStateEntered(e.type) ? 'stateEnteredEventDetails' : e.type.endsWith('StateExited') ? 'stateExitedEventDetails' : `${e.type.charAt(0).toLowerCase()}${e.type.slice(1)}EventDetails`;
  const d = e[key];
  return typeof d === 'object' && d !== null ? (d as Record<string, unknown>) : undefined;
}

/**
 * The events of one history with the state entry each belongs to. Events chain through
 * previousEventId within one branch or iteration, so walking back from an event reaches the
 * `*StateEntered` of the state it happened in, even when Parallel branches interleave.
 */
export class HistoryIndex {
  readonly events: readonly WireHistoryEvent[];
  private readonly byId = new Map<number, WireHistoryEvent>();
  private readonly owners = new Map<number, WireHistoryEvent | undefined>();

  constructor(events: readonly WireHistoryEvent[]) {
    this.events = [...events].sort((a, b) => a.id - b.id);
    for (const e of this.events) this.byId.set(e.id, e);
  }

  get(id: number | undefined): WireHistoryEvent | undefined {
    return id === undefined ? undefined : this.byId.get(id);
  }

  previous(e: WireHistoryEvent): WireHistoryEvent | undefined {
    return this.get(e.previousEventId);
  }

  /** The `*StateEntered` event of the state `e` happened in (itself for an entered event). */
  owner(e: WireHistoryEvent): WireHistoryEvent | undefined {
    const path: WireHistoryEvent[] = [];
    let cur: WireHistoryEvent | undefined = e;
    let found: WireHistoryEvent | undefined;
    while (cur) {
      if (this.owners.has(cur.id)) {
        found = this.owners.get(cur.id);
        break;
      }
      path.push(cur);
      if (isStateEntered(cur.type)) {
        found = cur;
        break;
      }
      if (cur.type === 'ExecutionStarted' || cur.type === 'ExecutionRedriven') break;
      cur = this.previous(cur);
    }
    found ??= this.lastEnteredBefore(e.id);
    for (const p of path) this.owners.set(p.id, found);
    return found;
  }

  /** The name of the state an event happened in. */
  stateName(e: WireHistoryEvent): string | undefined {
    const o = this.owner(e);
    const name = o ? eventDetails(o)?.['name'] : undefined;
    return typeof name === 'string' ? name : undefined;
  }

  /** A broken chain (a hand-made or truncated history): the latest state entered before `id`. */
  private lastEnteredBefore(id: number): WireHistoryEvent | undefined {
    let last: WireHistoryEvent | undefined;
    for (const e of this.events) {
      if (e.id >= id) break;
      if (isStateEntered(e.type)) last = e;
    }
    return last;
  }
}

// ---------------------------------------------------------------------------------------------
// Billed transitions of one execution

/**
 * Why a transition happened: `first` — a state's first entry in its branch or iteration;
 * `loop` — a state entered again in the same branch or iteration (the pipeline's re-wait loop),
 * with everything inside it; `retry` — a retry attempt, with the branches a retried Parallel or
 * Map runs again; `redrive` — states run again after RedriveExecution.
 */
export type TransitionCause = 'first' | 'loop' | 'retry' | 'redrive';

export interface TransitionCount {
  /** Billed state transitions: states entered plus retry attempts. */
  total: number;
  statesEntered: number;
  /** Retry attempts (each is billed as a transition). */
  retries: number;
  byCause: Record<TransitionCause, number>;
  /** Billed transitions by state name. */
  byState: Record<string, number>;
}

/** The events that start one attempt of a state: a retry starts another. */
const ATTEMPT_STARTS = new Set(['TaskScheduled', 'LambdaFunctionScheduled', 'ActivityScheduled', 'ParallelStateStarted', 'MapStateStarted']);
/** These stand for an attempt only when no `*Scheduled` came just before them. */
const SCHEDULE_FAILURES = new Set(['LambdaFunctionScheduleFailed', 'ActivityScheduleFailed']);

interface Scope {
  cause: TransitionCause;
  seen: Set<string>;
}

export function emptyTransitionCount(): TransitionCount {
  return { total: 0, statesEntered: 0, retries: 0, byCause: { first: 0, loop: 0, retry: 0, redrive: 0 }, byState: {} };
}

/** The billed state transitions of one execution, from its history. */
export function billedTransitions(events: readonly WireHistoryEvent[]): TransitionCount {
  const h = new HistoryIndex(events);
  const out = emptyTransitionCount();
  const root: Scope = { cause: 'first', seen: new Set() };
  /** Branch or iteration scopes by the event that opened them (ParallelStateStarted, MapIterationStarted, ExecutionRedriven). */
  const scopes = new Map<number, Scope>();
  const scopeOfEntry = new Map<number, Scope>();
  const causeOfEntry = new Map<number, TransitionCause>();
  const attempts = new Map<number, number>();
  const bill = (name: string, cause: TransitionCause) => {
    out.total++;
    out.byCause[cause]++;
    out.byState[name] = (out.byState[name] ?? 0) + 1;
  };
  const scopeOf = (prev: WireHistoryEvent | undefined): Scope => {
    if (!prev || prev.type === 'ExecutionStarted') return root;
    const opened = scopes.get(prev.id);
    if (opened) return opened;
    const o = h.owner(prev);
    return (o && scopeOfEntry.get(o.id)) ?? root;
  };
  /** What a branch or iteration opened by `e` inherits: retry after the first attempt, else its owner's cause. */
  const inherited = (owner: WireHistoryEvent | undefined): TransitionCause => {
    if (!owner) return 'first';
    if ((attempts.get(owner.id) ?? 0) > 1) return 'retry';
    return causeOfEntry.get(owner.id) ?? 'first';
  };

  for (const e of h.events) {
    if (isStateEntered(e.type)) {
      const name = String(eventDetails(e)?.['name'] ?? '?');
      const scope = scopeOf(h.previous(e));
      const cause: TransitionCause = scope.cause !== 'first' ? scope.cause : scope.seen.has(name) ? 'loop' : 'first';
      scope.seen.add(name);
      scopeOfEntry.set(e.id, scope);
      causeOfEntry.set(e.id, cause);
      out.statesEntered++;
      bill(name, cause);
      continue;
    }
    if (e.type === 'ExecutionRedriven') {
      scopes.set(e.id, { cause: 'redrive', seen: new Set() });
      continue;
    }
    const isAttempt = ATTEMPT_STARTS.has(e.type) || (SCHEDULE_FAILURES.has(e.type) && !h.previous(e)?.type.endsWith('Scheduled'));
    if (isAttempt) {
      const owner = h.owner(e);
      const n = (attempts.get(owner?.id ?? -1) ?? 0) + 1;
      if (owner) attempts.set(owner.id, n);
      if (n > 1) {
        out.retries++;
        bill(h.stateName(e) ?? '?', 'retry');
      }
    }
    if (e.type === 'ParallelStateStarted' || e.type === 'MapIterationStarted') {
      scopes.set(e.id, { cause: inherited(h.owner(e)), seen: new Set() });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cost over a window, projected to a month

export type WorkflowType = 'STANDARD' | 'EXPRESS';

export interface ExecutionUsage {
  startDate: Timestamp;
  /** Absent while it runs. */
  stopDate?: Timestamp | undefined;
  transitions: TransitionCount;
  /** Express: AWS's billingDetails when known; otherwise the duration rounded up to 100 ms. */
  billedDurationMs?: number | undefined;
  /** Express: memory used; billed in 64 MB chunks (64 MB when unknown). */
  memoryMb?: number | undefined;
}

export interface CostInput {
  type: WorkflowType;
  /** The executions started in the window. */
  executions: readonly ExecutionUsage[];
  windowDays: number;
  /** From the schedule (e.g. 720 for rate(1 hour)); else the window's rate is projected. */
  projectedExecutionsPerMonth?: number | undefined;
  /** Shown in the report. */
  stateMachine?: string | undefined;
}

export interface StandardCost {
  /** Transitions in the month beyond the free tier. */
  billableTransitions: number;
  /** Transitions the free tier covers. */
  freeTransitions: number;
  usd: number;
  /** Executions a month the free tier covers at the average transitions per execution. */
  freeTierExecutions: number | undefined;
}

export interface ExpressCost {
  requests: number;
  gbSeconds: number;
  requestUsd: number;
  durationUsd: number;
  usd: number;
  /** Averages over the closed executions of the window. */
  avgBilledDurationMs: number | undefined;
  avgBilledMemoryMb: number | undefined;
}

export interface CostReport {
  type: WorkflowType;
  stateMachine: string | undefined;
  windowDays: number;
  prices: typeof AWS_PRICES;
  executions: number;
  transitions: {
    total: number;
    perExecution: number | undefined;
    byCause: Record<TransitionCause, number>;
    byState: Record<string, number>;
    retryShare: number | undefined;
    loopShare: number | undefined;
  };
  month: {
    basis: 'schedule' | 'window';
    executions: number;
    transitions: number;
  };
  standard: StandardCost;
  express: ExpressCost;
  /** The cost of the machine's own type, a month. */
  usd: number;
  /** The seed's ~720 a month were executions: this many transitions at this report's average. */
  seed: { executionsPerMonth: number; transitionsPerMonth: number | undefined };
}

/** Express duration: milliseconds rounded up to AWS's 100 ms step (at least one step). */
export function billedDurationMs(ms: number): number {
  const step = AWS_PRICES.express.durationStepMs;
  return Math.max(step, Math.ceil(ms / step) * step);
}

/** Express memory: megabytes rounded up to AWS's 64 MB chunks (at least one chunk). */
export function billedMemoryMb(mb: number | undefined): number {
  const chunk = AWS_PRICES.express.memoryChunkMb;
  return Math.max(chunk, Math.ceil((mb ?? chunk) / chunk) * chunk);
}

/** The Express duration charge of a month's GB-seconds, through AWS's GB-hour tiers. */
export function expressDurationUsd(gbSeconds: number): number {
  let left = gbSeconds / 3600;
  let floor = 0;
  let usd = 0;
  for (const tier of AWS_PRICES.express.durationTiers) {
    const inTier = Math.min(left, tier.upToGbHours - floor);
    usd += inTier * tier.usdPerGbHour;
    left -= inTier;
    floor = tier.upToGbHours;
    if (left <= 0) break;
  }
  return usd;
}

/** The Standard charge of a month's transitions, after the free tier. */
export function standardUsd(transitions: number): number {
  const billable = Math.max(0, transitions - AWS_PRICES.standard.freeTransitionsPerMonth);
  return (billable * AWS_PRICES.standard.usdPerThousandTransitions) / 1000;
}

export function costReport(input: CostInput): CostReport {
  if (!(input.windowDays > 0)) throw new RangeError('windowDays must be a positive number of days');
  const n = input.executions.length;
  const sum = emptyTransitionCount();
  for (const x of input.executions) {
    const t = x.transitions;
    sum.total += t.total;
    sum.statesEntered += t.statesEntered;
    sum.retries += t.retries;
    for (const c of Object.keys(sum.byCause) as TransitionCause[]) sum.byCause[c] += t.byCause[c];
    for (const [s, v] of Object.entries(t.byState)) sum.byState[s] = (sum.byState[s] ?? 0) + v;
  }
  const perExecution = n > 0 ? sum.total / n : undefined;
  const share = (v: number) => (sum.total > 0 ? v / sum.total : undefined);

  const fromSchedule = input.projectedExecutionsPerMonth !== undefined;
  const monthExecutions = fromSchedule ? (input.projectedExecutionsPerMonth as number) : (n * DAYS_PER_MONTH) / input.windowDays;
  const monthTransitions = fromSchedule ? monthExecutions * (perExecution ?? 0) : (sum.total * DAYS_PER_MONTH) / input.windowDays;

  const free = AWS_PRICES.standard.freeTransitionsPerMonth;
  const standard: StandardCost = {
    billableTransitions: Math.max(0, monthTransitions - free),
    freeTransitions: Math.min(monthTransitions, free),
    usd: standardUsd(monthTransitions),
    freeTierExecutions: perExecution ? Math.floor(free / perExecution) : undefined,
  };

  let closed = 0;
  let durationSum = 0;
  let memorySum = 0;
  let gbSecondsSum = 0;
  for (const x of input.executions) {
    if (x.stopDate === undefined && x.billedDurationMs === undefined) continue;
    const ms = x.billedDurationMs ?? billedDurationMs(toEpochMs(x.stopDate as Timestamp) - toEpochMs(x.startDate));
    const mb = billedMemoryMb(x.memoryMb);
    closed++;
    durationSum += ms;
    memorySum += mb;
    gbSecondsSum += (ms / 1000) * (mb / 1024);
  }
  const gbSeconds = closed > 0 ? (gbSecondsSum / closed) * monthExecutions : 0;
  const requestUsd = Math.max(0, monthExecutions - AWS_PRICES.express.freeRequestsPerMonth) * AWS_PRICES.express.usdPerRequest;
  const durationUsd = expressDurationUsd(gbSeconds);
  const express: ExpressCost = {
    requests: monthExecutions,
    gbSeconds,
    requestUsd,
    durationUsd,
    usd: requestUsd + durationUsd,
    avgBilledDurationMs: closed > 0 ? durationSum / closed : undefined,
    avgBilledMemoryMb: closed > 0 ? memorySum / closed : undefined,
  };

  return {
    type: input.type,
    stateMachine: input.stateMachine,
    windowDays: input.windowDays,
    prices: AWS_PRICES,
    executions: n,
    transitions: {
      total: sum.total,
      perExecution,
      byCause: sum.byCause,
      byState: sum.byState,
      retryShare: share(sum.byCause.retry),
      loopShare: share(sum.byCause.loop),
    },
    month: { basis: fromSchedule ? 'schedule' : 'window', executions: monthExecutions, transitions: monthTransitions },
    standard,
    express,
    usd: input.type === 'STANDARD' ? standard.usd : express.usd,
    seed: { executionsPerMonth: SEED_EXECUTIONS_PER_MONTH, transitionsPerMonth: perExecution === undefined ? undefined : SEED_EXECUTIONS_PER_MONTH * perExecution },
  };
}

// ---------------------------------------------------------------------------------------------
// For the terminal

const int = (v: number) => Math.round(v).toLocaleString('en-US');
const dec = (v: number, digits = 1) => v.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: digits });
const days = (n: number) => `${dec(n)} day${n === 1 ? '' : 's'}`;
const pct = (v: number | undefined) => (v === undefined ? 'n/a' : `${dec(v * 100)}%`);
/** Dollars with cents, or with enough digits to show a fraction of a cent. */
export function usd(v: number): string {
  if (v === 0) return '$0.00';
  if (v >= 0.01) return `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return `$${v.toPrecision(2)}`;
}

export function formatCostReport(r: CostReport): string {
  const p = r.prices;
  const t = r.transitions;
  const lines: string[] = [];
  const who = r.stateMachine ? `${r.stateMachine} (${r.type})` : r.type;
  lines.push(`Cost analysis: ${who}, last ${days(r.windowDays)}`);
  lines.push(`  executions: ${int(r.executions)}`);
  lines.push(`  billed state transitions: ${int(t.total)}${t.perExecution === undefined ? '' : ` (${dec(t.perExecution)} per execution)`}: one per state entered, one per retry`);
  lines.push(`    from retries: ${int(t.byCause.retry)} (${pct(t.retryShare)}), from loops (states entered again): ${int(t.byCause.loop)} (${pct(t.loopShare)})${t.byCause.redrive ? `, from redrives: ${int(t.byCause.redrive)}` : ''}`);
  const states = Object.entries(t.byState).sort((a, b) => b[1] - a[1]);
  if (states.length) lines.push(`    by state: ${states.map(([s, v]) => `${s} ${int(v)}`).join(', ')}`);
  const basis = r.month.basis === 'schedule' ? 'from the schedule' : `at the rate of the last ${days(r.windowDays)}`;
  lines.push(`  a month (${DAYS_PER_MONTH} days, ${basis}): ${int(r.month.executions)} executions, ${int(r.month.transitions)} state transitions`);
  lines.push('');
  const std = r.standard;
  lines.push(`  Standard: ${usd(std.usd)} a month — $${p.standard.usdPerThousandTransitions} per 1,000 transitions beyond the ${int(p.standard.freeTransitionsPerMonth)} free each month`);
  lines.push(`    free tier covers ${int(std.freeTransitions)} of ${int(r.month.transitions)} transitions (${pct(r.month.transitions > 0 ? std.freeTransitions / r.month.transitions : undefined)}); billable: ${int(std.billableTransitions)}`);
  if (std.freeTierExecutions !== undefined) lines.push(`    at ${dec(t.perExecution ?? 0)} transitions per execution the free tier covers ${int(std.freeTierExecutions)} executions a month (it is shared by every state machine of the account)`);
  const ex = r.express;
  const exDetail = ex.avgBilledDurationMs === undefined ? 'no closed executions to measure' : `${dec(ex.avgBilledDurationMs / 1000)} s billed at ${int(ex.avgBilledMemoryMb ?? 0)} MB per execution, ${dec(ex.gbSeconds)} GB-seconds`;
  lines.push(`  Express: ${usd(ex.usd)} a month — ${usd(ex.requestUsd)} for ${int(ex.requests)} requests ($${dec(p.express.usdPerRequest * 1e6, 2)} per million) + ${usd(ex.durationUsd)} for duration (${exDetail}); no free tier`);
  lines.push(`  => ${r.type === 'STANDARD' ? 'Standard' : 'Express'} cost: ${usd(r.usd)} a month`);
  lines.push('');
  const seedTransitions = r.seed.transitionsPerMonth;
  lines.push(
    `  Note: the seed's "~720 transitions/month" counted executions, not transitions: 720 hourly executions` +
      (seedTransitions === undefined || t.perExecution === undefined
        ? ' × the transitions of each execution.'
        : ` × ${dec(t.perExecution)} transitions each = ${int(seedTransitions)} state transitions a month (${seedTransitions > p.standard.freeTransitionsPerMonth ? `${usd(standardUsd(seedTransitions))}, beyond the free tier` : 'within the free tier'}).`),
  );
  lines.push(`  Prices: ${p.source} (${p.region}), checked ${p.checked}.`);
  return lines.join('\n');
}

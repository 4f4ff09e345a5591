/**
 * A machine's cost on AWS, estimated from bounded reads: billed state transitions averaged over
 * its latest closed executions' histories (src/service/cost.ts counts them), and a month
 * projected from the schedules that start it or, without one, from its recent rate of
 * executions. Computed when the machine page's Cost panel asks, and kept a minute per machine.
 */
import { AWS_PRICES, billedTransitions, costReport, DAYS_PER_MONTH, usd, type ExecutionUsage } from '../../service/cost.js';
import type { StateMachine } from '../../service/state-machines.js';
import type { ConsoleDeps, ConsoleSchedule, ExecutionRecord } from './deps.js';
import { formatDuration } from './format.js';
import { html, type Html } from './html.js';
import { toWireEvent } from './wire.js';

/** The latest closed executions whose histories are counted. */
export const COST_SAMPLE = 50;
/** Executions listed at most to find the sample and the rate of the last 30 days. */
export const RATE_SCAN = 1000;
/** Events read at most per history (AWS's limit of a history). */
const HISTORY_EVENTS = 25_000;
const LIST_PAGE = 200;
const HISTORY_PAGE = 1000;
const PARALLEL_HISTORIES = 5;
const DAY_MS = 86_400_000;

/** Where the month's executions come from. */
export type MonthBasis = 'schedule' | 'recent' | 'sample';

export interface MachineCost {
  readonly machine: string;
  readonly type: 'STANDARD' | 'EXPRESS';
  /** The closed executions whose histories were counted (none for Express: they are not kept). */
  readonly sample: { readonly executions: number; readonly limit: number };
  readonly transitions: { readonly total: number; readonly perExecution: number | null; readonly retries: number; readonly loops: number; readonly redrives: number };
  readonly month: { readonly basis: MonthBasis; readonly detail: string; readonly executions: number; readonly transitions: number | null };
  /** The Standard free tier (per account), and whether this machine's month stays within it. */
  readonly freeTier: { readonly transitions: number; readonly covered: boolean } | null;
  readonly billableTransitions: number | null;
  /** A month in USD: transitions beyond the free tier (Standard), or requests only (Express: duration is not measured). */
  readonly usd: number;
  readonly computedAt: number;
}

export async function machineCost(deps: ConsoleDeps, machine: StateMachine): Promise<MachineCost> {
  const now = deps.executions.now();
  const schedules = deps.schedulesFor ? await deps.schedulesFor(machine.stateMachineArn, { next: 0, countDays: DAYS_PER_MONTH }) : [];
  const scheduled = scheduledPerMonth(schedules);
  const base = { machine: machine.name, computedAt: now };
  if (machine.type === 'EXPRESS') {
    const executions = scheduled?.executions ?? 0;
    return {
      ...base,
      type: 'EXPRESS',
      sample: { executions: 0, limit: COST_SAMPLE },
      transitions: { total: 0, perExecution: null, retries: 0, loops: 0, redrives: 0 },
      month: scheduled
        ? { basis: 'schedule', detail: scheduled.detail, executions, transitions: null }
        : { basis: 'recent', detail: 'no schedule starts it, and Express executions are not kept to count', executions: 0, transitions: null },
      freeTier: null,
      billableTransitions: null,
      usd: executions * AWS_PRICES.express.usdPerRequest,
    };
  }
  const scan = await scanRecent(deps, machine.stateMachineArn, now, scheduled === undefined);
  const usage = await mapLimited(scan.closed, PARALLEL_HISTORIES, (e) => usageOf(deps, e));
  const month = scheduled ? { basis: 'schedule' as const, detail: scheduled.detail, executions: scheduled.executions } : recentRate(scan, now);
  const report = costReport({ type: 'STANDARD', stateMachine: machine.name, windowDays: DAYS_PER_MONTH, executions: usage, projectedExecutionsPerMonth: month.executions });
  const t = report.transitions;
  return {
    ...base,
    type: 'STANDARD',
    sample: { executions: usage.length, limit: COST_SAMPLE },
    transitions: { total: t.total, perExecution: t.perExecution ?? null, retries: t.byCause.retry, loops: t.byCause.loop, redrives: t.byCause.redrive },
    month: { ...month, transitions: report.month.transitions },
    freeTier: { transitions: AWS_PRICES.standard.freeTransitionsPerMonth, covered: report.month.transitions <= AWS_PRICES.standard.freeTransitionsPerMonth },
    billableTransitions: report.standard.billableTransitions,
    usd: report.standard.usd,
  };
}

/** Executions a month from the enabled (and not paused) schedule rules: each fire starts every target of the machine. */
function scheduledPerMonth(schedules: readonly ConsoleSchedule[]): { executions: number; detail: string } | undefined {
  const firing = schedules.filter((s) => s.state === 'ENABLED' && s.scheduleExpression !== undefined && s.firesWithin !== undefined);
  if (firing.length === 0) return undefined;
  const executions = firing.reduce((n, s) => n + (s.firesWithin ?? 0) * s.targets.length, 0);
  const names = firing.map((s) => `${s.name} (${s.scheduleExpression ?? ''})`).join(', ');
  return { executions, detail: `from the schedule${firing.length > 1 ? 's' : ''} ${names}: fire times over the next ${DAYS_PER_MONTH} days` };
}

interface Scan {
  readonly closed: readonly ExecutionRecord[];
  /** Executions started in the last 30 days among those listed. */
  readonly recent: number;
  /** The listing reached an execution older than 30 days, or the first one. */
  readonly reachedBack: boolean;
  readonly scanned: number;
  readonly oldestStart: number | undefined;
}

/** The newest executions, a page at a time, until the sample is full and (when the rate is wanted) 30 days are covered, at most RATE_SCAN. */
async function scanRecent(deps: ConsoleDeps, machineArn: string, now: number, wantRate: boolean): Promise<Scan> {
  const since = now - DAYS_PER_MONTH * DAY_MS;
  const closed: ExecutionRecord[] = [];
  let recent = 0;
  let scanned = 0;
  let reachedBack = false;
  let oldestStart: number | undefined;
  let token: string | undefined;
  do {
    const r = await deps.queries.listExecutions({ stateMachineArn: machineArn, maxResults: LIST_PAGE, ...(token ? { nextToken: token } : {}) });
    for (const e of r.executions) {
      scanned++;
      oldestStart = e.startTime;
      if (e.startTime >= since) recent++;
      else reachedBack = true;
      if (e.status !== 'RUNNING' && closed.length < COST_SAMPLE) closed.push(e);
    }
    token = r.nextToken;
  } while (token && scanned < RATE_SCAN && (closed.length < COST_SAMPLE || (wantRate && !reachedBack)));
  return { closed, recent, reachedBack: reachedBack || !token, scanned, oldestStart };
}

function recentRate(scan: Scan, now: number): { basis: MonthBasis; detail: string; executions: number } {
  if (scan.reachedBack) return { basis: 'recent', detail: `no schedule starts it: at the rate of the last ${DAYS_PER_MONTH} days (${scan.recent.toLocaleString('en-US')} executions started)`, executions: scan.recent };
  // Every execution listed started within 30 days: extrapolate from the time they span.
  const spanMs = Math.max(1000, now - (scan.oldestStart ?? now));
  return {
    basis: 'sample',
    detail: `no schedule starts it: at the rate of the latest ${scan.scanned.toLocaleString('en-US')} executions, started over the last ${formatDuration(spanMs)} (the count stops there)`,
    executions: (scan.recent * DAYS_PER_MONTH * DAY_MS) / spanMs,
  };
}

async function usageOf(deps: ConsoleDeps, e: ExecutionRecord): Promise<ExecutionUsage> {
  const events = [];
  let token: string | undefined;
  do {
    const page = await deps.queries.history({ executionArn: e.executionArn, maxResults: HISTORY_PAGE, ...(token ? { nextToken: token } : {}) });
    events.push(...page.events.map(toWireEvent));
    token = page.nextToken;
  } while (token && events.length < HISTORY_EVENTS);
  return { startDate: e.startTime, stopDate: e.stopTime, transitions: billedTransitions(events) };
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Each machine's estimate for a minute: the panel may be reloaded often, the histories are not read again. */
export class CostCache {
  private readonly entries = new Map<string, { at: number; value: Promise<MachineCost> }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 60_000,
    private readonly max = 200,
  ) {}

  get(key: string, compute: () => Promise<MachineCost>): Promise<MachineCost> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    const value = compute();
    this.entries.set(key, { at: this.now(), value });
    // A failure is not kept: the next request tries again.
    value.catch(() => this.entries.get(key)?.value === value && this.entries.delete(key));
    return value;
  }
}

// ---------------------------------------------------------------------------------------------

const int = (v: number) => Math.round(v).toLocaleString('en-US');
const dec = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 1 });

function figure(label: string, name: string, value: Html | string, note?: Html | string): Html {
  return html`<div class="field"><div class="label">${label}</div><div class="value" data-cost-figure="${name}">${value}</div>${note ? html`<div class="small muted">${note}</div>` : ''}</div>`;
}

/** The Cost panel's content. */
export function costFragment(c: MachineCost): Html {
  const p = AWS_PRICES;
  const prices = html`<p class="small muted">AWS prices (${p.region}, checked ${p.checked}): $${p.standard.usdPerThousandTransitions} per 1,000 state transitions beyond the ${int(p.standard.freeTransitionsPerMonth)} free each month (shared by every state machine of the account); Express $${p.express.usdPerRequest * 1e6} per million requests plus duration. A month is ${DAYS_PER_MONTH} days.</p>`;
  if (c.type === 'EXPRESS') {
    return html`<div class="grid" data-cost>
${figure('Executions a month', 'month-executions', int(c.month.executions), c.month.detail)}
${figure('Cost a month (requests only)', 'usd', usd(c.usd), 'duration not included: Express executions are not kept, so their duration is not measured')}
</div>${prices}`;
  }
  const t = c.transitions;
  const per = t.perExecution;
  const perNote = c.sample.executions === 0
    ? `no closed execution to count (the latest ${c.sample.limit} are used)`
    : `averaged over the latest ${c.sample.executions} closed execution${c.sample.executions === 1 ? '' : 's'}: ${int(t.total)} transitions, ${int(t.retries)} from retries, ${int(t.loops)} from loops${t.redrives ? `, ${int(t.redrives)} from redrives` : ''}`;
  const perExec = (v: number) => (c.sample.executions ? dec(v / c.sample.executions) : '0');
  return html`<div class="grid" data-cost>
${figure('Transitions per execution', 'per-execution', per === null ? '—' : dec(per), perNote)}
${figure('From retries / loops, per execution', 'retries-loops', `${perExec(t.retries)} / ${perExec(t.loops)}`)}
${figure('Executions a month', 'month-executions', int(c.month.executions), c.month.detail)}
${figure('Transitions a month', 'month-transitions', c.month.transitions === null ? '—' : int(c.month.transitions))}
${figure('Free tier', 'free-tier', c.freeTier?.covered ? 'covered' : html`<span data-over-free-tier>not covered: ${int(c.billableTransitions ?? 0)} billable transitions</span>`, `${int(p.standard.freeTransitionsPerMonth)} transitions a month, for the whole account`)}
${figure('Cost a month', 'usd', usd(c.usd), 'Standard workflow, us-east-1')}
</div>${prices}`;
}

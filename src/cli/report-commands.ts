/**
 * Reports over a running server's history (`--endpoint`, the usual AWS_* credentials):
 * - `stepwise cost [machine] [--days 30]`: billed state transitions of the executions started in
 *   the window (from their histories, as AWS bills: every state entered, every retry), the month
 *   projected from the schedule rules that target the machine (else from the window's rate), and
 *   the cost under AWS's prices with what the free tier covers;
 * - `stepwise stats [machine] [--days 7] [--last N] [--alert-failure-rate R] [--alert-p95 SECONDS]
 *   [--publish TOPIC]`: success rate, duration p50/p95, failures per state, top causes; with
 *   thresholds, the alerts that hold, published to an SNS topic when --publish names one.
 * Without a machine, every state machine of the server is reported. `--json` for scripts.
 */
import { parseArgs } from 'node:util';
import { nextFireTimes } from '../scheduler/next-fire-times.js';
import { parseScheduleExpression } from '../scheduler/schedule-expression.js';
import { billedTransitions, costReport, formatCostReport, type WireHistoryEvent } from '../service/cost.js';
import { alertsFor, executionStats, formatStats } from '../service/stats.js';
import { clientOptionsFromEnv, Json11Client, StepwiseApiClient } from './api-client.js';
import { UsageError } from './run-command.js';
import { SnsApiClient } from './sns-client.js';

type Out = (line: string) => void;
type Row = Record<string, unknown>;
const DAY_MS = 86_400_000;

interface Listed {
  name: string;
  executionArn: string;
  status: string;
  startDate: number;
  stopDate?: number;
}

function positiveNumber(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0) throw new UsageError(`${flag} must be a positive number, got '${text}'`);
  return v;
}

/** The API's dates are epoch seconds (JSON numbers). */
const ms = (v: unknown) => Math.round(Number(v) * 1000);

async function machines(api: StepwiseApiClient, ref: string | undefined, region: string): Promise<{ name: string; arn: string; type: string }[]> {
  if (ref) {
    const arn = ref.startsWith('arn:') ? ref : `arn:aws:states:${region}:123456789012:stateMachine:${ref}`;
    const d = await api.call<Row>('DescribeStateMachine', { stateMachineArn: arn });
    return [{ name: String(d['name']), arn, type: String(d['type']) }];
  }
  const out: { name: string; arn: string; type: string }[] = [];
  for (let token: string | undefined; ; ) {
    const page = await api.call<{ stateMachines: Row[]; nextToken?: string }>('ListStateMachines', { maxResults: 1000, ...(token && { nextToken: token }) });
    out.push(...page.stateMachines.map((m) => ({ name: String(m['name']), arn: String(m['stateMachineArn']), type: String(m['type']) })));
    token = page.nextToken;
    if (!token) return out;
  }
}

/** Executions started since `since`, newest first (ListExecutions pages are newest first). */
async function executionsSince(api: StepwiseApiClient, machineArn: string, since: number): Promise<Listed[]> {
  const out: Listed[] = [];
  for (let token: string | undefined; ; ) {
    const page = await api.call<{ executions: Row[]; nextToken?: string }>('ListExecutions', { stateMachineArn: machineArn, maxResults: 1000, ...(token && { nextToken: token }) });
    for (const e of page.executions) {
      const startDate = ms(e['startDate']);
      if (startDate < since) return out;
      out.push({ name: String(e['name']), executionArn: String(e['executionArn']), status: String(e['status']), startDate, ...(e['stopDate'] !== undefined && { stopDate: ms(e['stopDate']) }) });
    }
    token = page.nextToken;
    if (!token) return out;
  }
}

async function history(api: StepwiseApiClient, executionArn: string): Promise<WireHistoryEvent[]> {
  const out: WireHistoryEvent[] = [];
  for (let token: string | undefined; ; ) {
    const page = await api.call<{ events: WireHistoryEvent[]; nextToken?: string }>('GetExecutionHistory', { executionArn, maxResults: 1000, ...(token && { nextToken: token }) });
    out.push(...page.events);
    token = page.nextToken;
    if (!token) return out;
  }
}

/** Executions a month the schedule rules targeting the machine start (undefined when none does). */
async function scheduledPerMonth(endpoint: string | undefined, machineArn: string): Promise<number | undefined> {
  const events = new Json11Client(clientOptionsFromEnv(endpoint), 'events');
  const call = (target: string, input: Row) => events.call(target, input);
  const names = ((await call('AWSEvents.ListRuleNamesByTarget', { TargetArn: machineArn }))['RuleNames'] as string[] | undefined) ?? [];
  let total: number | undefined;
  const now = Date.now();
  for (const name of names) {
    const rule = await call('AWSEvents.DescribeRule', { Name: name });
    if (rule['State'] !== 'ENABLED' || typeof rule['ScheduleExpression'] !== 'string') continue;
    const schedule = parseScheduleExpression(rule['ScheduleExpression']);
    // The count over 30 days does not depend on the anchor of a rate().
    const times = nextFireTimes(schedule, now, 50_000, { anchor: now }).filter((t) => t <= now + 30 * DAY_MS);
    total = (total ?? 0) + times.length;
  }
  return total;
}

export async function reportCommand(command: 'cost' | 'stats', argv: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      endpoint: { type: 'string' },
      json: { type: 'boolean', default: false },
      days: { type: 'string' },
      last: { type: 'string' },
      'alert-failure-rate': { type: 'string' },
      'alert-p95': { type: 'string' },
      publish: { type: 'string' },
    },
  });
  if (positionals.length > 1) throw new UsageError(`${command} takes at most one state machine, got '${positionals.join(' ')}'`);
  const opts = clientOptionsFromEnv(values.endpoint);
  const api = new StepwiseApiClient(opts);
  const days = positiveNumber(values.days, '--days', command === 'cost' ? 30 : 7);
  const since = Date.now() - days * DAY_MS;
  const results: unknown[] = [];
  for (const m of await machines(api, positionals[0], opts.region)) {
    const listed = await executionsSince(api, m.arn, since);
    const histories = new Map<string, WireHistoryEvent[]>();
    for (const e of listed) histories.set(e.executionArn, await history(api, e.executionArn));
    if (command === 'cost') {
      const perMonth = await scheduledPerMonth(values.endpoint, m.arn);
      const report = costReport({
        type: m.type === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
        stateMachine: m.name,
        windowDays: days,
        ...(perMonth !== undefined && { projectedExecutionsPerMonth: perMonth }),
        executions: listed.map((e) => ({ startDate: e.startDate, ...(e.stopDate !== undefined && { stopDate: e.stopDate }), transitions: billedTransitions(histories.get(e.executionArn) ?? []) })),
      });
      results.push(report);
      if (!values.json) out(formatCostReport(report));
      continue;
    }
    const stats = executionStats(
      listed.map((e) => ({ ...e, history: histories.get(e.executionArn) })),
      { stateMachine: m.name, windowDays: days },
    );
    const thresholds = {
      ...(values['alert-failure-rate'] !== undefined && { failureRate: positiveNumber(values['alert-failure-rate'], '--alert-failure-rate', 1) }),
      ...(values['alert-p95'] !== undefined && { durationP95Ms: positiveNumber(values['alert-p95'], '--alert-p95', 1) * 1000 }),
      ...(values.last !== undefined && { lastN: positiveNumber(values.last, '--last', 1) }),
    };
    const alerts = alertsFor(stats, thresholds);
    results.push({ ...stats, alerts });
    if (!values.json) {
      out(formatStats(stats));
      for (const a of alerts) out(`ALERT ${a.subject}`);
    }
    if (values.publish && alerts.length) {
      const sns = new SnsApiClient(opts);
      const topicArn = values.publish.startsWith('arn:') ? values.publish : `arn:aws:sns:${opts.region}:123456789012:${values.publish}`;
      for (const a of alerts) await sns.query('Publish', { TopicArn: topicArn, Subject: a.subject, Message: a.message });
      if (!values.json) out(`published ${alerts.length} alert(s) to ${topicArn}`);
    }
  }
  if (values.json) out(JSON.stringify(command === 'cost' ? { reports: results } : { stats: results }));
  return 0;
}

/**
 * Execution-history monitoring (the seed's next step): after each execution of a watched state
 * machine closes, the last N closed executions are looked at; when their failure rate or their
 * p95 duration crosses the configured threshold, an alert is published to the topic — once per
 * crossing, not after every execution while it holds. Which alerts are active is kept in the
 * store (`monitorState`, compare-and-set), so a cluster publishes each crossing once.
 */
import type { Clock } from '../engine/clock.js';
import { toAwsEvent } from '../engine/history-format.js';
import type { Json, Store } from '../engine/store.js';
import { alertsFor, executionStats, type Alert } from './stats.js';

export const MONITOR_STATE_KIND = 'monitorState';

export interface MonitorConfig {
  stateMachineArn: string;
  topicArn: string;
  /** Alert when more than this share (0 to 1) of the last N did not succeed. */
  failureRate?: number;
  /** Alert when their p95 duration is above this (ms). */
  durationP95Ms?: number;
  /** How many closed executions to look at (default 10). */
  lastN?: number;
}

export interface ExecutionMonitorOptions {
  store: Store;
  clock: Clock;
  monitors: readonly MonitorConfig[];
  publish: (topicArn: string, subject: string, message: string) => Promise<unknown>;
  log?: (line: string) => void;
}

export class ExecutionMonitor {
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ExecutionMonitorOptions) {}

  /** An execution closed: check its machine's monitor (serialised; `settled()` awaits). */
  closed(executionArn: string): void {
    this.pending = this.pending.then(() => this.check(executionArn)).catch((err: unknown) => (this.opts.log ?? console.error)(`stepwise monitor: ${err instanceof Error ? err.message : String(err)}`));
  }

  settled(): Promise<void> {
    return this.pending;
  }

  private async check(executionArn: string): Promise<void> {
    const rec = await this.opts.store.getExecution(executionArn);
    const monitor = rec && this.opts.monitors.find((m) => m.stateMachineArn === rec.stateMachineArn);
    if (!monitor) return;
    const lastN = monitor.lastN ?? 10;
    const recent = (await this.opts.store.listExecutions({ stateMachineArn: monitor.stateMachineArn, limit: lastN * 2 + 10 })).filter((e) => e.status !== 'RUNNING').slice(0, lastN);
    const records = [];
    for (const e of recent) {
      // Only unsuccessful ones need their history (where and why they failed).
      const history = e.status === 'SUCCEEDED' ? undefined : (await this.opts.store.getHistory(e.executionArn)).map((h) => toAwsEvent(h));
      records.push({ name: e.name, executionArn: e.executionArn, status: e.status, startDate: e.startTime, ...(e.stopTime !== undefined && { stopDate: e.stopTime }), ...(history && { history: history as never }) });
    }
    const name = monitor.stateMachineArn.slice(monitor.stateMachineArn.lastIndexOf(':') + 1);
    const alerts = alertsFor(executionStats(records, { stateMachine: name }), {
      lastN,
      ...(monitor.failureRate !== undefined && { failureRate: monitor.failureRate }),
      ...(monitor.durationP95Ms !== undefined && { durationP95Ms: monitor.durationP95Ms }),
    });
    const fresh = await this.activate(monitor.stateMachineArn, alerts);
    for (const a of fresh) await this.opts.publish(monitor.topicArn, a.subject, a.message);
  }

  /** Record which alerts hold now; returns those that were not active before (each crossing once). */
  private async activate(machineArn: string, alerts: readonly Alert[]): Promise<Alert[]> {
    const kinds = alerts.map((a) => a.kind).sort();
    for (let attempt = 0; attempt < 10; attempt++) {
      const now = this.opts.clock.now();
      const rec = await this.opts.store.getResource(MONITOR_STATE_KIND, machineArn);
      const before = new Set(((rec?.doc as { active?: string[] } | undefined)?.active ?? []) as string[]);
      const doc = { active: kinds, checkedAt: now } as unknown as Json;
      const ok = rec ? await this.opts.store.updateResource(MONITOR_STATE_KIND, machineArn, doc, rec.revision, now) : await this.opts.store.createResource(MONITOR_STATE_KIND, machineArn, machineArn, doc, now);
      if (ok) return alerts.filter((a) => !before.has(a.kind));
    }
    return [];
  }
}

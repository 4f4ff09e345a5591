/**
 * Operational metrics in the Prometheus text format: counters and histograms with labels, kept in
 * memory per process (each node of a cluster exposes its own).
 */
type Labels = Record<string, string>;

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600];

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const entry = this.values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(key, entry);
  }
  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.values.values()) out.push(`${this.name}${labelText(labels)} ${value}`);
    return out;
  }
}

class Histogram {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets = DURATION_BUCKETS,
  ) {}
  observe(value: number, labels: Labels = {}): void {
    const key = labelText(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= (this.buckets[i] as number)) s.counts[i] = (s.counts[i] as number) + 1;
    s.sum += value;
    s.count++;
  }
  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.series.values()) {
      this.buckets.forEach((b, i) => out.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(b) })} ${s.counts[i] as number}`));
      out.push(`${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`);
      out.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`);
      out.push(`${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return out;
  }
}

export class Metrics {
  readonly executionsStarted = new Counter('stepwise_executions_started_total', 'Executions started, per state machine.');
  readonly executionsClosed = new Counter('stepwise_executions_closed_total', 'Executions closed, per state machine and status (SUCCEEDED, FAILED, TIMED_OUT, ABORTED).');
  readonly stateTransitions = new Counter('stepwise_state_transitions_total', 'States entered, per state machine.');
  readonly executionDuration = new Histogram('stepwise_execution_duration_seconds', 'Time from start to close of executions, per state machine.');
  readonly taskDuration = new Histogram('stepwise_task_duration_seconds', 'Time a task invocation took, per resource and outcome.');
  readonly storeLatency = new Histogram('stepwise_store_operation_seconds', 'Time of store operations made by the runner, per operation.');
  readonly scheduleFires = new Counter('stepwise_schedule_fires_total', 'Schedule ticks that started an execution, per rule.');
  readonly scheduleSkips = new Counter('stepwise_schedule_skips_total', 'Schedule targets not started at a tick, per rule and reason.');

  render(): string {
    const all = [this.executionsStarted, this.executionsClosed, this.stateTransitions, this.executionDuration, this.taskDuration, this.storeLatency, this.scheduleFires, this.scheduleSkips];
    return all.flatMap((m) => m.render()).join('\n') + '\n';
  }
}

/** The state machine name of an execution or state machine ARN, as a low-cardinality label. */
export function machineLabel(arn: string): string {
  const parts = arn.split(':');
  return parts[5] === 'execution' || parts[5] === 'express' || parts[5] === 'stateMachine' ? (parts[6] ?? arn) : arn;
}

/**
 * Hand-built execution histories in GetExecutionHistory's wire shape: events chain through
 * previousEventId within their branch or iteration, as AWS records them.
 */
import type { WireHistoryEvent } from '../../src/service/cost.js';

const DETAILS: Record<string, string> = {};
function detailsKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return (DETAILS[type] ??= `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`);
}

export class History {
  readonly events: WireHistoryEvent[] = [];
  /** Epoch seconds of the next event. */
  private clock: number;
  /** AWS records the first state entered with previousEventId 0. */
  private nextPrev: number | undefined;

  constructor(start = 1_700_000_000) {
    this.clock = start;
  }

  /** Append an event after `prev` (an event id; the previous event when omitted); returns its id. */
  add(type: string, details?: Record<string, unknown>, prev?: number): number {
    const id = this.events.length + 1;
    const e: Record<string, unknown> = { id, previousEventId: prev ?? this.nextPrev ?? id - 1, type, timestamp: this.clock };
    this.nextPrev = undefined;
    if (details) e[detailsKey(type)] = details;
    this.events.push(e as unknown as WireHistoryEvent);
    return id;
  }

  /** Let simulated time pass. */
  wait(seconds: number): this {
    this.clock += seconds;
    return this;
  }

  start(): number {
    const id = this.add('ExecutionStarted', { input: '{}', roleArn: 'arn:aws:iam::123456789012:role/StepFunctionsExecutionRole' }, 0);
    this.nextPrev = 0;
    return id;
  }

  /** A state entered and exited with nothing between (Pass, Wait, Choice). */
  passThrough(kind: 'Pass' | 'Wait' | 'Choice' | 'Succeed', name: string, prev?: number): number {
    this.add(`${kind}StateEntered`, { name, input: '{}' }, prev);
    return this.add(`${kind}StateExited`, { name, output: '{}' });
  }

  /** A Task that succeeds after `failures` failed attempts (retried); returns the last event id. */
  task(name: string, failures = 0, error = { error: 'Lambda.Unknown', cause: 'boom' }, prev?: number): number {
    let last = this.add('TaskStateEntered', { name, input: '{}' }, prev);
    for (let i = 0; i < failures; i++) last = this.attempt(last, 'fail', error);
    last = this.attempt(last, 'ok');
    return this.add('TaskStateExited', { name, output: '{}' }, last);
  }

  /** A Task whose every attempt fails (1 + retries attempts), then is caught (exited) or not. */
  failingTask(name: string, attempts: number, errors: { error: string; cause: string }[] | { error: string; cause: string }, caught: boolean, prev?: number): number {
    let last = this.add('TaskStateEntered', { name, input: '{}' }, prev);
    for (let i = 0; i < attempts; i++) last = this.attempt(last, 'fail', Array.isArray(errors) ? (errors[i] as { error: string; cause: string }) : errors);
    return caught ? this.add('TaskStateExited', { name, output: '{}' }, last) : last;
  }

  private attempt(prev: number, outcome: 'ok' | 'fail', error?: { error: string; cause: string }): number {
    const resource = { resourceType: 'lambda', resource: 'invoke' };
    this.add('TaskScheduled', { ...resource, region: 'us-east-1', parameters: '{}' }, prev);
    this.add('TaskStarted', resource);
    return outcome === 'ok' ? this.add('TaskSucceeded', { ...resource, output: '{}' }) : this.add('TaskFailed', { ...resource, ...error });
  }
}

/** The pipeline's success path, with `rechecks` passes through the re-wait loop. */
export function pipelineSuccess(rechecks = 0, start?: number): History {
  const h = new History(start);
  h.start();
  h.task('CollectMetrics');
  for (let i = 0; i <= rechecks; i++) {
    h.passThrough('Wait', 'WaitForS3Processing');
    h.wait(10);
    h.task('CheckProcessingComplete');
    h.passThrough('Choice', 'IsProcessed');
    if (i < rechecks) h.passThrough('Pass', 'CountRecheck');
  }
  h.task('NotifySuccess');
  h.add('ExecutionSucceeded', { output: '{}' });
  return h;
}

/** The seed's "Failed Execution (Simulated)": four collector invocations, caught, notified, failed. */
export function pipelineCollectorFailure(start?: number): History {
  const h = new History(start);
  h.start();
  const errors = [1, 2, 3, 4].map((n) => ({
    error: 'CollectorFailure',
    cause: JSON.stringify({ errorMessage: 'collector failure (simulated)', errorType: 'CollectorFailure', requestId: `req-${n}`, stackTrace: ['at handler'] }),
  }));
  h.failingTask('CollectMetrics', 4, errors, true);
  h.wait(7);
  h.task('NotifyFailure');
  h.add('FailStateEntered', { name: 'PipelineFailed', input: '{}' });
  // PipelineFailed fails with the error it was routed with (ErrorPath/CausePath).
  h.add('ExecutionFailed', errors[3]);
  return h;
}
